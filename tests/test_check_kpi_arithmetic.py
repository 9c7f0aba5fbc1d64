"""kpi_arithmetic: baseline × (1 + change) against the stated value, with exact and 約 tolerances."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.kpi_arithmetic import ArithmeticOptions, disagrees, target_arithmetic
from checker.domain.kpi_text import parse_kpi_text
from checker.domain.model import Baseline, Target

OPTIONS = ArithmeticOptions()


def _target(change: float, value: float | None, approximate: bool = False, unit: str | None = "団体") -> Target:
    return Target(kind="relative", change=change, value=value, unit=unit, approximate=approximate, text="t")


def test_corpus_kpi_is_minus_nine_percent_and_reported():
    kpi = parse_kpi_text("・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】")
    result = target_arithmetic(kpi.baseline, kpi.target)
    assert result is not None
    assert result.expected == 1100 and result.stated == 1000
    assert round(result.deviation * 100, 1) == -9.1
    assert disagrees(result, kpi.target.approximate, OPTIONS)


def test_nothing_to_compare():
    base = Baseline(value=550, unit="団体", fiscal_year=2014)
    assert target_arithmetic(None, _target(1.0, 1100)) is None
    assert target_arithmetic(base, _target(1.0, None)) is None
    assert target_arithmetic(base, Target(kind="absolute", value=1000, text="1000団体")) is None
    assert target_arithmetic(Baseline(value=math.nan, fiscal_year=2014), _target(1.0, 1100)) is None
    assert target_arithmetic(base, _target(1.0, 30, unit="%")) is None


def test_tolerance_boundaries():
    base = Baseline(value=1000, unit="件")
    assert not disagrees(target_arithmetic(base, _target(-0.3, 700, unit="件")), False, OPTIONS)
    assert not disagrees(target_arithmetic(base, _target(-0.3, 735, True, unit="件")), True, OPTIONS)  # +5%
    assert disagrees(target_arithmetic(base, _target(-0.3, 736, True, unit="件")), True, OPTIONS)
    assert disagrees(target_arithmetic(base, _target(-0.3, 704, unit="件")), False, OPTIONS)


@settings(max_examples=150, deadline=None)
@given(baseline=st.floats(1, 1e9), change=st.sampled_from([1.0, -0.5, -0.1, -0.3, 0.2, 2.0]),
       approximate=st.booleans())
def test_stated_equal_to_expected_never_disagrees(baseline, change, approximate):
    result = target_arithmetic(Baseline(value=baseline), _target(change, baseline * (1 + change), approximate))
    assert result is not None
    assert not disagrees(result, approximate, OPTIONS)


@settings(max_examples=150, deadline=None)
@given(baseline=st.floats(1, 1e9), change=st.sampled_from([1.0, -0.5, -0.3, 0.5]),
       off=st.floats(-0.9, 0.9), approximate=st.booleans())
def test_reported_exactly_when_outside_the_tolerance(baseline, change, off, approximate):
    expected = baseline * (1 + change)
    result = target_arithmetic(Baseline(value=baseline), _target(change, expected * (1 + off), approximate))
    assert result is not None
    assert math.isclose(result.deviation, off, abs_tol=1e-9)
    limit = OPTIONS.approximate_tolerance if approximate else OPTIONS.tolerance
    if abs(off) > limit + 1e-9:
        assert disagrees(result, approximate, OPTIONS)
    elif abs(off) < limit - 1e-9:
        assert not disagrees(result, approximate, OPTIONS)

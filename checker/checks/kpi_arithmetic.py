"""`kpi_arithmetic`: a relative KPI target (倍増, 半減, 3割削減) applied to the baseline must give the stated value.

Options: ``tolerance`` (relative deviation allowed for an exact stated value, default 0.005: rounding
of the last digit) and ``approximate_tolerance`` (for 約/概ね values, default 0.05: rounding to two
significant figures). Hits carry ``{expected}`` (baseline × (1 + change)), ``{stated}`` and
``{deviation}`` (percent, signed: stated below expected is negative), and for messages ``{stated_shown}``
(as written: 160億円), ``{expected_shown}`` and ``{baseline_shown}`` (in the stated value's scale: 140億円).

Passing::  【2014年度：550団体 目標：2017年度までに倍増(1,100団体)】
Failing::  【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)】   (expected 1,100; −9.1%)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.domain.kpi.clause import written_value
from checker.domain.kpi.phrases import default_phrases
from checker.domain.model import Baseline, Target
from checker.domain.normalize import nfkc


class ArithmeticOptions(Options):
    tolerance: float = Field(default=0.005, ge=0, lt=1, description="Allowed |deviation| for exact values.")
    approximate_tolerance: float = Field(default=0.05, ge=0, lt=1,
                                         description="Allowed |deviation| for 約/概ね values.")


@dataclass(frozen=True)
class Arithmetic:
    """The result of applying a relative target to its baseline."""

    expected: float
    """baseline × (1 + change)."""
    stated: float
    deviation: float
    """(stated − expected) / expected; 0 when both are 0."""


def target_arithmetic(baseline: Baseline | None, target: Target | None) -> Arithmetic | None:
    """Compare baseline × (1 + change) with the stated value; None when the KPI does not state both."""
    if baseline is None or target is None or target.change is None or target.value is None:
        return None
    if math.isnan(baseline.value) or math.isnan(target.value):
        return None
    # Units must agree when both are given: 550団体 against 30% is not an arithmetic question.
    if baseline.unit and target.unit and baseline.unit != target.unit:
        return None
    expected = baseline.value * (1 + target.change)
    if expected == 0:
        deviation = 0.0 if target.value == 0 else math.inf
    else:
        deviation = (target.value - expected) / abs(expected)
    return Arithmetic(expected, target.value, deviation)


def disagrees(result: Arithmetic, approximate: bool, options: ArithmeticOptions) -> bool:
    limit = options.approximate_tolerance if approximate else options.tolerance
    # A hair of slack so that a deviation exactly at the limit counts as within it despite float error.
    return abs(result.deviation) > limit + 1e-12


@register
class KpiArithmetic(Check):
    name = "kpi_arithmetic"
    scope = "document"
    Options = ArithmeticOptions
    provides = {"expected": float, "stated": float, "deviation": float, "expected_shown": str, "stated_shown": str,
                "baseline_shown": str}
    collections = ("kpis",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            kpi = e.ns["kpi"]
            result = target_arithmetic(kpi.baseline, kpi.target)
            if result is None or not disagrees(result, kpi.target.approximate, self.options):
                continue
            deviation = round(result.deviation * 100, 1) if math.isfinite(result.deviation) else result.deviation
            shown = shown_values(kpi.target.text, result, kpi.baseline.value)
            yield Hit(e, ("text",), {"expected": round(result.expected, 6), "stated": result.stated,
                                     "deviation": deviation, **shown}, key="arithmetic")


_NUMBER = re.compile(r"[-▲△]?\d[\d,]*(?:\.\d+)?")


def shown_values(text: str, result: Arithmetic, baseline: float) -> dict[str, str]:
    """The stated value as written (1,600億円), and the baseline and expected value in that same scale
    and unit (1,400億円): `expected`/`stated` are scaled to yen, which no reader can check at a glance."""
    written = written_value(nfkc(text), result.stated, default_phrases())
    m = _NUMBER.match(written or "")
    number = float(m[0].lstrip("-▲△").replace(",", "")) if m else 0.0
    if not written or m is None or number == 0 or result.stated == 0:
        return {"expected_shown": _plain(result.expected), "stated_shown": _plain(result.stated),
                "baseline_shown": _plain(baseline)}
    scale, suffix = abs(result.stated) / number, written[m.end():]
    return {"expected_shown": _plain(result.expected / scale) + suffix, "stated_shown": written,
            "baseline_shown": _plain(baseline / scale) + suffix}


def _plain(x: float) -> str:
    """1400.0 → 1,400; 1466.6667 → 1,466.67 (two decimals at most: the values are compared as rounded)."""
    return f"{round(x):,}" if math.isclose(x, round(x), abs_tol=1e-9) else f"{x:,.2f}".rstrip("0").rstrip(".")

"""kpi_category: the A/B/N/F definitions, on hand-picked and generated progress and elapsed time."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.kpi_category import Inputs, classify, elapsed_share, expected_category, gather
from checker.domain.corpus import Corpus
from checker.domain.load import load_paths
from checker.domain.model import Baseline, Deadline, Target

DOUBLING = Target(kind="relative", change=1.0, value=1000, unit="団体", approximate=True, text="倍増(約1000団体)")
BASE_2014 = Baseline(value=550, unit="団体", fiscal_year=2014)
FY2017 = Deadline(fiscal_year=2017)


def _inputs(current: float | None, as_of: dt.date | None = dt.date(2017, 4, 1), target: Target | None = DOUBLING,
            baseline: Baseline | None = BASE_2014, deadline: Deadline | None = FY2017) -> Inputs:
    return Inputs(current is not None, current, as_of, baseline, target, deadline, dt.date(2016, 4, 1))


def test_corpus_row_is_a():
    got = expected_category(_inputs(948))
    assert got is not None and got.categories == {"A"}
    assert round(got.progress, 3) == 0.884 and round(got.elapsed, 3) == 0.668


def test_no_data_and_no_target():
    assert expected_category(_inputs(None)).categories == {"N"}
    assert expected_category(_inputs(None, target=None)).categories == {"N", "F"}
    assert expected_category(_inputs(5, target=None)).categories == {"F"}


def test_not_computable():
    assert expected_category(_inputs(948, as_of=None)) is None
    assert expected_category(_inputs(948, deadline=Deadline(text="集中改革期間中に設定"))) is None
    assert expected_category(_inputs(948, baseline=Baseline(value=math.nan, fiscal_year=2014))) is None
    assert expected_category(_inputs(948, baseline=None)) is None


def test_period_start_when_baseline_has_no_year():
    got = expected_category(_inputs(948, baseline=Baseline(value=550)))
    # from 2016-04-01 to 2018-03-31, as of 2017-04-01: exactly half (365 of 729 days)
    assert got is not None and round(got.elapsed, 3) == round(365 / 729, 3)


def test_direction_only():
    up = Target(kind="direction", direction="increase", text="増加")
    down = Target(kind="direction", direction="decrease", text="縮小")
    base = Baseline(value=30)
    assert expected_category(_inputs(31, target=up, baseline=base)).categories == {"A"}
    assert expected_category(_inputs(30, target=up, baseline=base)).categories == {"B"}
    assert expected_category(_inputs(29, target=down, baseline=base)).categories == {"A"}
    assert expected_category(_inputs(31, target=down, baseline=base)).categories == {"B"}


def test_decreasing_target():
    cut = Target(kind="relative", change=-0.3, text="3割削減")
    base = Baseline(value=100, fiscal_year=2015)
    # FY2015 end → FY2018 end is three years; as of 2017-04-01 one year (a third) has passed.
    assert expected_category(_inputs(85, target=cut, baseline=base, deadline=Deadline(fiscal_year=2018))
                             ).categories == {"A"}
    assert expected_category(_inputs(95, target=cut, baseline=base, deadline=Deadline(fiscal_year=2018))
                             ).categories == {"B"}


def test_corpus_rows_all_pass():
    corpus = Corpus(load_paths(["roadmaps"]).documents)
    rows = corpus.collection("kpi_status_rows")
    assert len(rows) == 6
    for e in rows:
        got = expected_category(gather(e, corpus, 90))
        assert got is not None and e.root.category in got.categories, e.root.name


@settings(max_examples=200, deadline=None)
@given(progress=st.floats(-1, 2), elapsed=st.floats(0, 1))
def test_classify_is_the_definition(progress, elapsed):
    # On schedule to within 1e-9 counts as A, so that float rounding never turns on-schedule into B.
    if abs(progress - elapsed) > 1e-9:
        assert classify(progress, elapsed) == ("A" if progress > elapsed else "B")
    else:
        assert classify(progress, elapsed) == "A"


@settings(max_examples=150, deadline=None)
@given(initial=st.floats(1, 1e6), factor=st.floats(0.1, 3), share=st.floats(0, 1.5),
       days=st.integers(0, 3 * 365))
def test_generated_rows_follow_progress_against_time(initial, factor, share, days):
    goal = initial * (1 + factor)
    current = initial + share * (goal - initial)
    start = dt.date(2015, 3, 31)  # end of the baseline fiscal year 2014
    as_of = start + dt.timedelta(days=days)
    target = Target(kind="absolute", value=goal, text="t")
    got = expected_category(_inputs(current, as_of=as_of, target=target,
                                     baseline=Baseline(value=initial, fiscal_year=2014)))
    elapsed = elapsed_share(start, dt.date(2018, 3, 31), as_of)
    assert got is not None and math.isclose(got.elapsed, elapsed)
    if share > elapsed + 1e-6:
        assert got.categories == {"A"}
    elif share < elapsed - 1e-6:
        assert got.categories == {"B"}

"""deadline_passed: reading due dates, fiscal-year ends, promises, and the two as-of dates of the brief."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.deadline_passed import DeadlineOptions, DeadlinePassed, due_date
from checker.domain.corpus import COLLECTIONS
from checker.domain.load import load_paths
from checker.engine.run import lint
from tests.helpers.rules import existing, shipped_ruleset

RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule
RULES = ("promise-deadline-passed", "kpi-deadline-passed", "kpi-deadline-setting-overdue")


def test_due_dates():
    assert due_date("2017年度") == dt.date(2018, 3, 31)
    assert due_date("平成29年度中に") == dt.date(2018, 3, 31)
    assert due_date("2019年3月 頃") == dt.date(2019, 3, 31)
    assert due_date("2019年2月") == dt.date(2019, 2, 28)
    assert due_date("2018年6月15日まで") == dt.date(2018, 6, 15)
    assert due_date("集中改革期間中に") == dt.date(2019, 3, 31)
    assert due_date("2020年中") == dt.date(2020, 12, 31)
    assert due_date("来年度") is None


@settings(max_examples=100, deadline=None)
@given(fy=st.integers(1990, 2100))
def test_fiscal_year_passes_on_the_first_of_april(fy):
    due = due_date(f"{fy}年度")
    assert due == dt.date(fy + 1, 3, 31)
    assert due < dt.date(fy + 1, 4, 1) and not due < dt.date(fy + 1, 3, 31)


def _check(**options) -> DeadlinePassed:
    check = DeadlinePassed(DeadlineOptions(field="value", **options), "texts")
    assert check.validate(dict(COLLECTIONS["texts"].types)) == []
    return check


def test_promises_need_the_promise_words_in_their_clause():
    check = _check(pattern=RULESET.get("promise-deadline-passed").spec.with_["pattern"],
                   promise=RULESET.get("promise-deadline-passed").spec.with_["promise"])
    found = dict(check.promises("2017年度末確報値は、2019年3月 頃に公表予定"))
    assert found == {"2019年3月頃に": dt.date(2019, 3, 31)}
    assert list(check.promises("2016年度に策定された計画に基づき、支援を実施した。")) == []
    assert dict(check.promises("平成29年度中に試算・公表する。")) == {"平成29年度中に": dt.date(2018, 3, 31)}


def test_year_groups_instead_of_when():
    check = _check(pattern=r"(?:(?P<era>平成)(?P<year>\d+)|(?P<year2>\d{4}))年(?P<fiscal>度)?(?P<month>\d+)?")
    # year2 is no recognised group: only the 和暦 alternative yields a date
    assert dict(check.promises("平成29年度に公表")) == {"平成29年度": dt.date(2018, 3, 31)}
    assert list(check.promises("2017年度に公表")) == []


def test_text_field_without_pattern_is_a_rule_error():
    check = DeadlinePassed(DeadlineOptions(field="value"), "texts")
    assert check.validate(dict(COLLECTIONS["texts"].types)) != []


def _findings(as_of: dt.date) -> list:
    loaded = load_paths(["roadmaps"])
    return lint(loaded.documents, RULESET, as_of, select=existing(RULESET, RULES), input_errors=loaded.errors).findings


def test_corpus_at_end_of_2017_has_nothing_passed():
    assert _findings(dt.date(2017, 12, 31)) == []


def test_corpus_in_april_2019_has_passed_promises_and_deadlines():
    found = _findings(dt.date(2019, 4, 1))
    by_rule: dict[str, int] = {}
    for f in found:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    # 2019年3月頃 / 2017年度中 / 2018年度まで in both KPI status tables, and 2017年度中 / 平成29年度中
    # twice in the IT progress report; the 倍増 deadline and the withheld deadline in three roadmaps.
    assert by_rule == {"promise-deadline-passed": 10, "kpi-deadline-passed": 3, "kpi-deadline-setting-overdue": 3}

"""Completeness rules on generated corpora: each injected omission or inconsistency is found, nothing else new.

A clean generated corpus (tests/strategies.py) has no finding at all; one mutation of one document must
then yield exactly the findings listed for it, as (rule, document, data path).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helpers.generated import lint_corpus, lint_documents, newest
from tests.helpers.strategies import Corpus, corpora

# No shrinking: a failing case prints its corpus as drawn, and shrinking these took minutes.
SETTINGS = settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
Expected = set[tuple[str, str, str]]

# A content word at the end of every generated cell (tests/strategies.py VERBS) and another in its place.
WORD_SWAPS = {"研究": "検討", "類型化": "一覧化", "実施": "検討", "徹底": "検討", "検証": "確認", "支援": "検討",
              "公表": "報告", "推進": "検討"}


def _doc_id(doc: dict[str, Any]) -> str:
    return doc["document"]["id"]


def _missing_item(draw, corpus: Corpus, docs: dict) -> Expected:
    name, report = newest(corpus, "progress_report")
    i = draw(st.integers(0, len(report["reform_items"]) - 1))
    mutated = copy.deepcopy(report)
    del mutated["reform_items"][i]
    docs[name] = mutated
    return {("progress-item-missing", _doc_id(report), "reform_items")}


def _missing_kpi_row(draw, corpus: Corpus, docs: dict) -> Expected:
    name, status = newest(corpus, "kpi_status")
    rows = [(i, j) for i, item in enumerate(status["reform_items"]) for j in range(len(item["kpis"]))]
    i, j = draw(st.sampled_from(rows))
    mutated = copy.deepcopy(status)
    del mutated["reform_items"][i]["kpis"][j]
    docs[name] = mutated
    return {("kpi-status-row-missing", _doc_id(status), f"reform_items[{i}].kpis")}


def _missing_kpi_item(draw, corpus: Corpus, docs: dict) -> Expected:
    name, status = newest(corpus, "kpi_status")
    i = draw(st.integers(0, len(status["reform_items"]) - 1))
    mutated = copy.deepcopy(status)
    del mutated["reform_items"][i]
    docs[name] = mutated
    return {("kpi-status-row-missing", _doc_id(status), "reform_items")}


def _unknown_item(draw, corpus: Corpus, docs: dict) -> Expected:
    name, report = newest(corpus, "progress_report")
    i = draw(st.integers(0, len(report["reform_items"]) - 1))
    mutated = copy.deepcopy(report)
    mutated["reform_items"][i]["number"] = 99  # generated numbers are 1–40
    docs[name] = mutated
    # The item the entry belonged to is now missing too: that is the same mistake seen from the roadmap.
    return {("review-item-not-in-roadmap", _doc_id(report), f"reform_items[{i}].number"),
            ("progress-item-missing", _doc_id(report), "reform_items")}


def _target_unit(draw, corpus: Corpus, docs: dict) -> Expected:
    name, status = newest(corpus, "kpi_status")
    # Counts only (団体 ↔ 件): a unit with a scale (億円) would change the value read, and the row's 区分
    # with it. Not the value or the year either: the 区分 is judged from the row's own value and period.
    rows = [(i, j) for i, item in enumerate(status["reform_items"]) for j, r in enumerate(item["kpis"])
            if re.search(r"\d(団体|件)\)?$", r["target"])]
    if not rows:
        return _missing_kpi_row(draw, corpus, docs)
    i, j = draw(st.sampled_from(rows))
    mutated = copy.deepcopy(status)
    row = mutated["reform_items"][i]["kpis"][j]
    row["target"] = re.sub(r"(\d)(団体|件)(\)?)$", lambda m: m.group(1) + ("件" if m.group(2) == "団体" else "団体")
                           + m.group(3), row["target"])
    docs[name] = mutated
    return {("kpi-status-target-differs", _doc_id(status), f"reform_items[{i}].kpis[{j}].target")}


def _duplicate_schedule_id(draw, corpus: Corpus, docs: dict) -> Expected:
    name, roadmap = newest(corpus, "roadmap")
    cells = [(i, j) for i, item in enumerate(roadmap["reform_items"]) for j in range(1, len(item["schedule"]))]
    if not cells:
        return _duplicate_item_number(draw, corpus, docs)
    i, j = draw(st.sampled_from(cells))
    mutated = copy.deepcopy(roadmap)
    mutated["reform_items"][i]["schedule"][j]["id"] = mutated["reform_items"][i]["schedule"][j - 1]["id"]
    docs[name] = mutated
    return {("schedule-id-duplicate", _doc_id(roadmap), f"reform_items[{i}].schedule[{j}]")}


def _duplicate_item_number(draw, corpus: Corpus, docs: dict) -> Expected:
    name, roadmap = newest(corpus, "roadmap")
    item = draw(st.sampled_from(roadmap["reform_items"]))
    mutated = copy.deepcopy(roadmap)
    mutated["reform_items"].append({"number": item["number"], "title": item["title"],
                                    "responsible": item["responsible"]})
    docs[name] = mutated
    return {("reform-item-number-duplicate", _doc_id(roadmap), f"reform_items[{len(roadmap['reform_items'])}]")}


def _duplicate_kpi(draw, corpus: Corpus, docs: dict) -> Expected:
    name, roadmap = newest(corpus, "roadmap")
    i = draw(st.integers(0, len(roadmap["reform_items"]) - 1))
    mutated = copy.deepcopy(roadmap)
    kpis = mutated["reform_items"][i]["kpis"]
    kpis.append(copy.deepcopy(draw(st.sampled_from(kpis))))
    docs[name] = mutated
    return {("kpi-duplicate", _doc_id(roadmap), f"reform_items[{i}].kpis[{len(kpis) - 1}]")}


def _duplicate_status_row(draw, corpus: Corpus, docs: dict) -> Expected:
    name, status = newest(corpus, "kpi_status")
    i = draw(st.integers(0, len(status["reform_items"]) - 1))
    mutated = copy.deepcopy(status)
    rows = mutated["reform_items"][i]["kpis"]
    rows.append(copy.deepcopy(draw(st.sampled_from(rows))))
    docs[name] = mutated
    return {("kpi-status-row-duplicate", _doc_id(status), f"reform_items[{i}].kpis[{len(rows) - 1}]")}


def _year_outside(draw, corpus: Corpus, docs: dict) -> Expected:
    name, roadmap = newest(corpus, "roadmap")
    cells = [(i, j) for i, item in enumerate(roadmap["reform_items"]) for j in range(len(item["schedule"]))]
    i, j = draw(st.sampled_from(cells))
    mutated = copy.deepcopy(roadmap)
    last = roadmap["document"]["fiscal_years"]["last"]
    mutated["reform_items"][i]["schedule"][j]["fiscal_years"] = [last + draw(st.integers(1, 90))]
    docs[name] = mutated
    return {("schedule-year-outside-document", _doc_id(roadmap), f"reform_items[{i}].schedule[{j}].fiscal_years")}


def _review_years(draw, corpus: Corpus, docs: dict) -> Expected:
    name, report = newest(corpus, "progress_report")
    _, roadmap = newest(corpus, "roadmap")
    year = roadmap["document"]["fiscal_years"]["last"] + draw(st.integers(1, 5))
    mutated = copy.deepcopy(report)
    mutated["document"]["covers"] = {"first": year, "last": year}
    docs[name] = mutated
    return {("review-years-outside-roadmap", _doc_id(report), "document.covers")}


def _status_text(draw, corpus: Corpus, docs: dict) -> Expected:
    name, report = newest(corpus, "progress_report")
    places = [(i, j, k) for i, item in enumerate(report["reform_items"]) for j, e in enumerate(item["entries"])
              for k in range(len(e["progress"]))]
    i, j, k = draw(st.sampled_from(places))
    mutated = copy.deepcopy(report)
    statement = mutated["reform_items"][i]["entries"][j]["progress"][k]
    statement["status"] = draw(st.sampled_from([s for s in ("順調", "概ね順調", "遅れ", "一部遅れ")
                                                if s != statement["status"]]))
    docs[name] = mutated
    return {("progress-status-text-differs", _doc_id(report),
             f"reform_items[{i}].entries[{j}].progress[{k}].status")}


def _word_changed(draw, corpus: Corpus, docs: dict) -> Expected:
    name, report = newest(corpus, "progress_report")
    places = [(i, j) for i, item in enumerate(report["reform_items"]) for j, e in enumerate(item["entries"])
              if len(e["schedule_item"]) >= 16 and "・" not in e["schedule_item"][:1]]
    if not places:
        return _status_text(draw, corpus, docs)
    i, j = draw(st.sampled_from(places))
    mutated = copy.deepcopy(report)
    entry = mutated["reform_items"][i]["entries"][j]
    old = next(w for w in sorted(WORD_SWAPS, key=len, reverse=True) if entry["schedule_item"].endswith(w))
    entry["schedule_item"] = entry["schedule_item"][: -len(old)] + WORD_SWAPS[old]
    docs[name] = mutated
    return {("progress-claim-word-changed", _doc_id(report), f"reform_items[{i}].entries[{j}].schedule_item")}


MUTATIONS = {
    "progress-item-missing": _missing_item, "kpi-status-row-missing": _missing_kpi_row,
    "kpi-status-item-missing": _missing_kpi_item, "review-item-not-in-roadmap": _unknown_item,
    "kpi-status-target-differs": _target_unit, "schedule-id-duplicate": _duplicate_schedule_id,
    "reform-item-number-duplicate": _duplicate_item_number, "kpi-duplicate": _duplicate_kpi,
    "kpi-status-row-duplicate": _duplicate_status_row, "schedule-year-outside-document": _year_outside,
    "review-years-outside-roadmap": _review_years, "progress-status-text-differs": _status_text,
    "progress-claim-word-changed": _word_changed,
}


@st.composite
def omissions(draw, kind: str) -> tuple[Corpus, dict[str, Any], Expected]:
    corpus = draw(corpora())
    docs = dict(corpus.documents)
    expected = MUTATIONS[kind](draw, corpus, docs)
    return corpus, docs, expected


def _check(case) -> None:
    corpus, mutated, expected = case
    assert lint_corpus(corpus) == []
    after = lint_documents(mutated, corpus.as_of)
    found = {(f.rule, f.location.document, f.location.path) for f in after}
    assert found == expected, [f"{f.rule} {f.location.path}: {f.message}" for f in after]
    assert len(after) == len(expected)  # one finding each: a missing item is one finding, not one per cell


def _test_for(kind: str):
    @SETTINGS
    @given(omissions(kind))
    def test(case):
        _check(case)

    test.__name__ = f"test_injected_{kind.replace('-', '_')}_is_found_and_nothing_else"
    return test


for _kind_name in MUTATIONS:
    _t = _test_for(_kind_name)
    globals()[_t.__name__] = _t

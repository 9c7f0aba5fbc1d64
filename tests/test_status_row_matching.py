"""Every KPIの状況 row is matched exactly, reported as a near match, or reported unmatched: never two, never none.

Rows are generated from the roadmap's KPI names by edits (a remark in () dropped or added, 市町村 for 市区町村,
a character changed, deleted or added, an unrelated name), and the shipped rules run on them. A row that
is not reported unmatched is judged by kpi-category-contradicts-definition against the KPI it was matched to.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.base import Context
from checker.checks.kpi_category import CategoryOptions, roadmap_kpi
from checker.domain.corpus import Corpus
from checker.domain.kpi_text import kpi_label_key
from checker.engine.rule_examples import load_example
from checker.engine.run import run_rule
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

RULESET, _ = load_ruleset([DEFAULT_RULES_DIR])
UNMATCHED, NEAR = RULESET.get("kpi-status-row-unmatched"), RULESET.get("kpi-status-name-differs")

KPIS = ["クラウド導入市区町村数", "情報システム運用経費(住民一人当たり)", "窓口改革実施団体数",
        "電子申請の利用率", "公共施設の集約化の進捗(延床面積)"]
_OTHER = "マイナンバーカード交付率の推移"


@st.composite
def row_names(draw) -> str:
    base = draw(st.sampled_from(KPIS))
    edit = draw(st.sampled_from(["same", "drop_remark", "add_remark", "ward", "change", "delete", "insert",
                                 "unrelated", "spaces"]))
    if edit == "drop_remark":
        return base.split("(")[0]
    if edit == "add_remark":
        return base + "(" + draw(st.sampled_from(["全国", "累計", "速報値"])) + ")"
    if edit == "ward":
        return base.replace("市区町村", "市町村")
    if edit == "unrelated":
        return _OTHER
    if edit == "spaces":  # PDF line breaks
        i = draw(st.integers(1, len(base) - 1))
        return base[:i] + " " + base[i:]
    i = draw(st.integers(0, len(base) - 1))
    ch = draw(st.sampled_from("数率費団体化計"))
    if edit == "change":
        return base[:i] + ch + base[i + 1:]
    if edit == "delete":
        return base[:i] + base[i + 1:]
    if edit == "insert":
        return base[:i] + ch + base[i:]
    return base


@settings(max_examples=80, deadline=None)
@given(st.lists(row_names(), min_size=1, max_size=6))
def test_every_row_is_matched_or_reported_once(names: list[str]) -> None:
    roadmap = {"document": {"id": "r", "kind": "roadmap", "title": "t", "revision": 2023},
               "reform_items": [{"number": 4, "title": "t", "responsible": ["総務省"],
                                 "kpis": [{"tier": 1, "text": f"・{k}【2022年度までに300団体】"} for k in KPIS]}]}
    rows = [{"tier": 1, "name": n, "target": "-", "actual": {"text": "310団体", "as_of": "2023-04-01"},
             "category": "A"} for n in names]
    status = {"document": {"id": "k", "kind": "kpi_status", "title": "t", "reports_on": "r"},
              "reform_items": [{"number": 4, "kpis": rows}]}
    docs, problems = load_example({"documents": [roadmap, status]}, "rows")
    assert not problems
    corpus = Corpus(docs)
    ctx = Context(corpus, dt.date(2023, 12, 31), RULESET.vocabularies)
    reported: dict[str, list[str]] = {}
    for rule in (UNMATCHED, NEAR):
        for f in run_rule(rule, corpus, ctx):
            reported.setdefault(f.entity.split("|")[0], []).append(rule.id)
    labels = {kpi_label_key(k) for k in KPIS}
    for e in corpus.collection("kpi_status_rows"):
        got = reported.get(e.key, [])
        exact = kpi_label_key(e.ns["status_row"].name) in labels
        assert len(got) == (0 if exact else 1), (e.ns["status_row"].name, got)
        kpi = roadmap_kpi(ctx, e, CategoryOptions())
        assert (kpi is None) == (got == ["kpi-status-row-unmatched"]), (e.ns["status_row"].name, got)


def test_the_shipped_rules_share_one_matching() -> None:
    """The rules grade with the same thresholds and, together, report every grade but exact."""
    unmatched, near = UNMATCHED.check.options, NEAR.check.options
    category = RULESET.get("kpi-category-contradicts-definition").check.options
    assert (unmatched.near, unmatched.weak) == (near.near, near.weak) == (category.near, category.weak)
    assert set(unmatched.grades) | set(near.grades) == {"near", "weak", "none"}
    assert not set(unmatched.grades) & set(near.grades)

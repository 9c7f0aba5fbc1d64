"""relisted: finding the original of a 再掲 KPI and listing how the re-listing differs."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.relisted import differences
from checker.domain.kpi_resolve import ResolvedKpi, resolve_kpi
from checker.domain.load import load_paths, load_text
from checker.domain.model import Kpi
from checker.engine.run import lint
from tests.helpers.rules import shipped_ruleset

RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule


def _kpi(text: str, tier: int = 1) -> ResolvedKpi:
    return resolve_kpi(Kpi(tier=tier, text=text))


def test_corpus_reports_name_and_tier_of_the_ex_post_kpi(ruleset, rule_ids):
    loaded = load_paths(["roadmaps"])
    found = lint(loaded.documents, ruleset, dt.date(2017, 12, 31), select=rule_ids(["relisted-kpi-differs"])).findings
    assert [(f.location.file, f.location.line) for f in found] == [("roadmaps/kaikaku-2016-local.yaml", 105)] * 2
    assert {f.message.split("(")[-1] for f in found} == {
        "name: 「クラウド導入に伴う歳出効率化の成果」 ≠ 「歳出効率化の成果」)", "tier: 1 ≠ 2)"}
    assert all(r.file == "roadmaps/kaikaku-2016-it.yaml" for f in found for r in f.related)


def test_same_kpi_has_no_difference():
    a = _kpi("・運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】 (再掲)", 2)
    b = _kpi("・運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】", 2)
    assert list(differences(a, b, same_name=True)) == []


def test_each_aspect_is_reported_once():
    a = _kpi("・導入数【2014年度：550団体 目標：2018年度までに3倍増(1,650団体)】 (再掲)", 2)
    b = _kpi("・導入数【2014年度：550団体 目標：2017年度までに倍増(1,100団体)】", 1)
    assert [aspect for aspect, _ in differences(a, b, same_name=False)] == ["name", "tier", "target", "deadline"]


@settings(max_examples=60, deadline=None)
@given(fy_a=st.integers(2016, 2025), fy_b=st.integers(2016, 2025), tier_a=st.sampled_from([1, 2]),
       tier_b=st.sampled_from([1, 2]))
def test_differences_match_the_generated_changes(fy_a, fy_b, tier_a, tier_b):
    a = _kpi(f"・導入数【2014年度：550団体 目標：{fy_a}年度までに倍増(約1,100団体)】 (再掲)", tier_a)
    b = _kpi(f"・導入数【2014年度：550団体 目標：{fy_b}年度までに倍増(約1,100団体)】", tier_b)
    aspects = [aspect for aspect, _ in differences(a, b, same_name=True)]
    assert aspects == [x for x, differs in (("tier", tier_a != tier_b), ("deadline", fy_a != fy_b)) if differs]


def test_no_other_document_means_no_finding(ruleset, rule_ids):
    doc = load_text("document: {id: only, kind: roadmap, title: t, revision: 2016}\nreform_items:\n"
                    "  - {number: 1, title: t, responsible: [総務省], kpis: "
                    "[{tier: 1, text: '・歳出効率化の成果 (再掲)'}]}\n", "only.yaml")
    assert lint([doc], ruleset, dt.date(2017, 12, 31), select=rule_ids(["relisted-kpi-differs"])).findings == []

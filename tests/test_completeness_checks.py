"""The completeness check kinds on invented documents: claim grading, written statuses, targets, names."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.checks.review.target_agrees import differences
from checker.domain.kpi_text import parse_kpi_text, parse_status_target
from checker.domain.matching import classify_difference
from checker.domain.vocabulary import load_vocabulary
from checker.rules.ruleset import DEFAULT_RULES_DIR
from tests.helpers.generated import lint_documents
from tests.helpers.mutate import dump_yaml, load_yaml

STATUSES = load_vocabulary(DEFAULT_RULES_DIR / "vocabularies" / "statuses.yaml")


# ---------------------------------------------------------------- claim grading by what differs

@pytest.mark.parametrize("claim,cell", [
    ("都道府県における情報システム運用コストの削減に向けた方策を調査、研究", "都道府県における情報システム運用コストの削減に向けた方策を調査・研究"),
    ("・自治体クラウドの導入を支援", "自治体クラウドの導入を支援"),
    ("「見える化」し、翌年度以降の施策を検討", "見える化し翌年度以降の施策を検討"),
    ("自治体クラウド の 導入を 支援", "自治体クラウドの導入を支援"),
    ("（自治体クラウド）の導入を支援", "(自治体クラウド)の導入を支援"),
    ("自治体に対し、自治体クラウドの取組事例の深掘り・分析を実施", "自治体に対し、左記の深掘り・分析を実施"),
    ("上記の施策の成果を把握", "窓口業務の民間委託の施策の成果を把握"),
    ("取組を支援する", "取組を支援します"),
    ("○共同調達の先進事例を周知", "共同調達の先進事例を周知"),
])
def test_wording_differences(claim, cell):
    assert classify_difference(claim, cell) == "wording"


@pytest.mark.parametrize("claim,cell", [
    ("市町村の取組を検討", "市町村の取組を支援"),
    ("調査結果を報告", "調査結果を公表"),
    ("IT室と総務省が首長を訪問", "庁室と総務省が首長を訪問"),
    ("2018年度までに試算", "2017年度までに試算"),
    ("全国の市町村の取組を支援", "市町村の取組を支援"),
    ("クラウド化の効果を検証", "クラウド化の効果を測定"),
    ("マイナンバーカードの普及を推進", "マイナポイントの普及を推進"),
])
def test_content_differences(claim, cell):
    assert classify_difference(claim, cell) == "content"


@given(st.text(alphabet="自治体クラウド導入支援検討", min_size=4, max_size=20),
       st.lists(st.sampled_from(["、", "。", "・", " ", "「", "」", "(", ")", "　"]), max_size=4),
       st.randoms(use_true_random=False))
def test_inserting_punctuation_is_always_wording(text, marks, rnd):
    chars = list(text)
    for m in marks:
        chars.insert(rnd.randint(0, len(chars)), m)
    assert classify_difference("".join(chars), text) == "wording"


# ---------------------------------------------------------------- written status

@pytest.mark.parametrize("text,status", [
    ("助言を実施した。(順調)", "順調"), ("助言を実施した。（順調）", "順調"), ("実施した(概ね順調)。", "概ね順調"),
    ("一部の団体で遅れ。( 遅れ )", "遅れ"), ("実施中 (おおむね順調)", "概ね順調"), ("(一部遅れあり)", "一部遅れ"),
])
def test_written_status_read(text, status):
    from checker.checks.status_text import written_status

    assert written_status(text, STATUSES)[1] == status


@pytest.mark.parametrize("text", ["整理・類型化した(第二階層)", "(再掲)", "実施した。", "(順調)に進めている", ""])
def test_no_written_status(text):
    from checker.checks.status_text import written_status

    assert written_status(text, STATUSES) is None


# ---------------------------------------------------------------- a row's 目標値 against the KPI

def _diff(row: str, kpi_text: str) -> list[str]:
    kpi = parse_kpi_text(kpi_text)
    target, deadline, _ = parse_status_target(row)
    return [en for en, _ in differences(target, deadline, kpi.target, kpi.deadline)]


K = "・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】"


@pytest.mark.parametrize("row", [
    "2014年度から2017年度までに倍増(約1000団体)", "2014年度から 2017年度まで に倍増(約 1000団体)",
    "2017年度までに倍増(1,000団体)", "2017年度までに倍増(約1,000団体)【再掲】", "２０１７年度までに倍増(約１，０００団体)",
])
def test_target_agrees(row):
    assert _diff(row, K) == []


@pytest.mark.parametrize("row,what", [
    ("2014年度から2018年度までに倍増(約1000団体)", "deadline FY2018 against FY2017"),
    ("2017年度までに倍増(約1100団体)", "value 1100団体 against 1,000団体"),
    ("2017年度までに半減(約1000団体)", "change -50% against ×2"), ("2017年度までに3割増加(約1000団体)", "change +30%"),
    ("2017年度までに3倍増(約1000団体)", "change ×3 against ×2"),
    ("2017年度までに倍増(約1000件)", "unit 件 against 団体"),
    ("-", "the row states no target"),
])
def test_target_differs(row, what):
    assert any(what in d for d in _diff(row, K)), _diff(row, K)


# ---------------------------------------------------------------- no message prints an empty name

def test_unknown_item_names_what_the_roadmap_has():
    roadmap = {"document": {"id": "kaikaku-2016-it", "kind": "roadmap", "title": "t"}, "reform_items": [
        {"number": 15, "title": "t", "responsible": ["総務省"],
         "schedule": [{"id": "s1", "text": "自治体クラウドの導入を支援", "fiscal_years": [2017]}]}]}
    report = {"document": {"id": "p", "kind": "progress_report", "title": "t", "reports_on": "kaikaku-2016-it"},
              "reform_items": [{"number": 99, "entries": [{"schedule_item": "自治体クラウドの導入を支援",
                                                          "progress": [{"ministry": "総務省", "text": "実施した。"}]}]}]}
    found = lint_documents({"r.yaml": roadmap, "p.yaml": report}, dt.date(2017, 12, 31))
    messages = {f.rule: f.message for f in found}
    assert messages["review-item-not-in-roadmap"] == "Reform item 99 is not in kaikaku-2016-it (it has: 15)"
    assert "progress-claim-unmatched" not in messages


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["roadmap", "progress_report", "kpi_status"]), st.integers(0, 30))
def test_empty_and_blank_documents_give_no_empty_names(kind, number):
    docs: dict[str, Any] = {"r.yaml": {"document": {"id": "r", "kind": "roadmap", "title": "t"}, "reform_items": [
        {"number": 1, "title": "", "responsible": [], "schedule": [{"id": "s1", "text": " ", "fiscal_years": []}]}]}}
    if kind != "roadmap":
        body = ({"number": number + 1, "entries": [{"schedule_item": "", "progress": [{"text": "", "status": ""}]}]}
                if kind == "progress_report" else {"number": number + 1, "kpis": [{"tier": 1, "name": "", "target": ""}]})
        docs["x.yaml"] = {"document": {"id": "x", "kind": kind, "title": "t", "reports_on": "r"}, "reform_items": [body]}
    docs = {k: load_yaml(dump_yaml(v)) for k, v in docs.items()}
    for f in lint_documents(docs, dt.date(2017, 12, 31)):
        assert not re.search(r" of  |\(it has: \)|nearest: ''", f.message), f.message

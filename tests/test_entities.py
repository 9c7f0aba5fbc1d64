"""Entities built by checker.domain.corpus: shared parses of equal texts, and the prose collection `texts`."""

from __future__ import annotations

from checker.domain.corpus import Corpus
from checker.domain.kpi_resolve import resolve_kpi
from checker.domain.kpi_text import parse_kpi_text
from checker.domain.load import LoadedDocument, load_text
from checker.domain.model import Kpi

KPI = "・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】"
ROADMAP = f"""\
document: {{id: r, kind: roadmap, title: t, revision: 2016}}
reform_items:
  - number: 15
    title: 業務の簡素化
    responsible: [総務省]
    schedule:
      - {{id: s1, text: 全国で100団体, fiscal_years: [2016]}}
    kpis:
      - {{tier: 1, text: "{KPI}"}}
      - {{tier: 2, text: "{KPI}"}}
  - number: 16
    title: 再掲
    kpis:
      - {{tier: 1, text: "{KPI}"}}
"""
STATUS = """\
document: {id: st, kind: kpi_status, title: t, reports_on: r}
reform_items:
  - number: 15
    title: 業務の簡素化
    kpis:
      - {tier: 1, name: A, target: 2017年度までに倍増, next: 継続}
      - {tier: 1, name: B, target: 2017年度までに倍増}
"""


def _doc(text: str, file: str) -> LoadedDocument:
    doc = load_text(text, file)
    assert isinstance(doc, LoadedDocument)
    return doc


def _corpus() -> Corpus:
    return Corpus([_doc(ROADMAP, "r.yaml"), _doc(STATUS, "st.yaml")])


def test_equal_texts_are_parsed_once_per_corpus_with_the_same_result():
    corpus = _corpus()
    kpis = [e.ns["kpi"] for e in corpus.collection("kpis")]
    assert len(kpis) == 3 and kpis[0].parsed is kpis[1].parsed is kpis[2].parsed
    assert kpis[0].parsed == parse_kpi_text(KPI)
    assert [k.tier for k in kpis] == [1, 2, 1]
    assert kpis[1] == resolve_kpi(Kpi(tier=2, text=KPI))
    rows = [e.ns["status_row"] for e in corpus.collection("kpi_status_rows")]
    assert rows[0].parsed_target is rows[1].parsed_target and rows[0].parsed_target.kind == "relative"
    # A new corpus parses afresh: the memo goes with its corpus.
    assert _corpus().collection("kpis")[0].ns["kpi"].parsed is not kpis[0].parsed


def test_texts_list_every_prose_value_in_document_order():
    texts = _corpus().collection("texts")
    assert [(e.ns["text"].field, e.ns["text"].value[:6], e.ns["text"].item) for e in texts] == [
        ("schedule_item", "全国で100", 15), ("kpi", KPI[:6], 15), ("kpi", KPI[:6], 15), ("kpi", KPI[:6], 16),
        ("status_target", "2017年度", 15), ("status_next", "継続", 15), ("status_target", "2017年度", 15)]
    assert [e.key for e in texts][:2] == ["item:15/schedule:s1/schedule_item",
                                         "item:15/kpi:1:クラウド導入市区町村数/kpi"]
    assert texts[0].path == ("reform_items", 0, "schedule", 0, "text")
    assert texts[5].path == ("reform_items", 0, "kpis", 0, "next")


def test_repeated_keys_are_numbered_in_order():
    roadmap = ROADMAP.replace("      - {id: s1, text: 全国で100団体, fiscal_years: [2016]}",
                              "      - {id: s1, text: A}\n      - {id: s2, text: B}\n      - {id: s1, text: C}\n"
                              "      - {id: s1, text: D}")
    cells = Corpus([_doc(roadmap, "r.yaml")]).collection("schedule_items")
    assert [e.key for e in cells] == ["item:15/schedule:s1", "item:15/schedule:s2", "item:15/schedule:s1#2",
                                      "item:15/schedule:s1#3"]

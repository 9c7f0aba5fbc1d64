"""The KPI phrase vocabulary: a new phrase changes the parse without Python; a broken file is a rule error."""

from __future__ import annotations

from pathlib import Path

from checker.domain.kpi.phrases import KpiPhrases, Phrases, default_phrases, load_phrases
from checker.domain.kpi_text import parse_kpi_text
from checker.rules.ruleset import load_ruleset
from checker.source.shipped import shipped_vocabulary

SHIPPED = shipped_vocabulary("kpi_phrases")


def test_the_shipped_vocabulary_loads_and_lists_every_kind_of_phrase() -> None:
    spec = load_phrases(SHIPPED)
    assert isinstance(spec, KpiPhrases)
    for name in ("increase", "decrease", "recurring", "maintain", "to_be_set", "no_target", "units", "compare"):
        assert getattr(spec, name), name
    assert spec.thresholds.at_least and spec.thresholds.below
    assert default_phrases().spec == spec


def _with(**extra: list[str]) -> Phrases:
    spec = default_phrases().spec
    return Phrases(spec.model_copy(update={k: getattr(spec, k) + v for k, v in extra.items()}))


def test_a_new_phrase_needs_no_python() -> None:
    text = "・窓口満足度【現状を横ばいで推移】"
    assert parse_kpi_text(text).kind == "none"
    assert parse_kpi_text(text, _with(maintain=["横ばい"])).kind == "maintain"
    recurring = "・点検実施率【隔年度100%】"
    assert parse_kpi_text(recurring).kind == "absolute"
    assert parse_kpi_text(recurring, _with(recurring=["隔年度"])).kind == "recurring"
    placeholder = "・取組の成果【別途定める】"
    assert parse_kpi_text(placeholder, _with(no_target=["別途定める"])).no_target == "別途定める"
    unit = "・導入数【2025年度までに300ライセンス以上】"
    assert parse_kpi_text(unit).target.unit == "ライセンス"  # the run of katakana, without a list entry
    assert parse_kpi_text("・件数【2025年度までに300kL】", _with(units=["kL"])).target.unit == "kL"


def test_an_empty_vocabulary_reads_no_phrases_but_still_values_and_years() -> None:
    parsed = parse_kpi_text("・件数【2025年度までに300件以上】", Phrases(KpiPhrases()))
    assert parsed.target is not None and parsed.target.value == 300 and parsed.target.bound is None
    assert parsed.deadline is not None and parsed.deadline.fiscal_year == 2025


def test_a_broken_vocabulary_is_reported_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "vocabularies").mkdir(parents=True)
    (rules / "r.yaml").write_text("rules: []\n", encoding="utf-8")
    (rules / "vocabularies" / "kpi_phrases.yaml").write_text(
        "kpi_phrases:\n  increase: [増加]\n  recuring: [毎年度]\n", encoding="utf-8")
    _, errors = load_ruleset([rules])
    found = [e for e in errors if e.file.endswith("kpi_phrases.yaml")]
    assert [e.line for e in found] == [3] and "recuring" in found[0].message


def test_the_ruleset_keeps_the_phrases_beside_the_organisations() -> None:
    ruleset, errors = load_ruleset()
    assert errors == []
    assert isinstance(ruleset.vocabularies["kpi_phrases"], Phrases)
    assert "organizations" in ruleset.vocabularies

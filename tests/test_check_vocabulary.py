"""vocabulary: known names in all their forms, lists, actors in prose, and suggestions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.vocabulary import VocabularyCheck, VocabularyOptions, suggest
from checker.domain.corpus import COLLECTIONS
from checker.domain.load import load_paths
from checker.engine.run import lint
from tests.helpers.rules import existing, shipped_ruleset

RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule
ORGS = RULESET.vocabularies["organizations"]
ACTOR = RULESET.get("schedule-actor-unknown").check


def test_vocabulary_knows_the_corpus_names():
    for name in ["総務省地域力創造グループ", "自治財政局", "内閣官房 情報通信技術(IT)総合戦略室", "総務省", "IT室",
                 "政府CIO", "内閣官房情報通信技術(IT)総合戦略室"]:
        assert ORGS.canonical(name) is not None, name
    assert ORGS.ministry("IT室") == "内閣官房"
    assert ORGS.ministry("総務省地域力創造グループ") == "総務省"
    assert ORGS.canonical("庁室") is None


def test_suggestion_prefers_the_same_kind_of_body():
    assert suggest(ORGS, "庁室") == ("IT室", 40.0)
    assert suggest(ORGS, "総務庁")[0] == "総務省"


def test_actors_in_prose():
    assert list(ACTOR.names("・庁室と総務省が、市町村を中心に首長を直接訪問し")) == ["庁室", "総務省"]
    assert list(ACTOR.names("庁内システムの現状・課題等について都道府県にヒアリング")) == []
    assert list(ACTOR.names("・都道府県に対しても、市町村の取組を支援するよう働きかけ")) == []
    # The space of a PDF line break goes before matching, so the long name comes out whole.
    assert list(ACTOR.names("内閣官房 情報通信技術(IT)総合戦略室と総務省自治行政局が連携")) == [
        "内閣官房情報通信技術(IT)総合戦略室", "総務省自治行政局"]


def test_actor_names_with_a_dot_or_kana():
    assert list(ACTOR.names("・環境省水・大気環境局と内閣官房が、調査・研究")) == ["環境省水・大気環境局", "内閣官房"]
    assert list(ACTOR.names("・こども家庭庁と金融庁が、要因を検証")) == ["こども家庭庁", "金融庁"]
    assert list(ACTOR.names("総務庁・IT室が、訪問")) == ["総務庁", "IT室"]


def test_split_keeps_known_names_with_a_dot():
    check = VocabularyCheck(VocabularyOptions(field="responsible", vocabulary="organizations", split=True),
                            "reform_items")
    check.validate(dict(COLLECTIONS["reform_items"].types))
    assert check.bind_vocabularies(RULESET.vocabularies) == []
    assert list(check.names("まち・ひと・しごと創生本部")) == ["まち・ひと・しごと創生本部"]
    assert list(check.names("総務省地域力創造グループ・自治財政局")) == ["総務省地域力創造グループ", "自治財政局"]
    assert list(check.names("総務省、厚生労働省")) == ["総務省", "厚生労働省"]


def test_unknown_vocabulary_is_a_rule_error():
    check = VocabularyCheck(VocabularyOptions(field="responsible", vocabulary="nope"), "reform_items")
    check.validate(dict(COLLECTIONS["reform_items"].types))
    assert "organizations" in check.bind_vocabularies(RULESET.vocabularies)[0]


def test_corpus_reports_only_the_misprint():
    loaded = load_paths(["roadmaps"])
    rules = [r.id for r in RULESET.rules if r.spec.check == "vocabulary"]
    found = lint(loaded.documents, RULESET, dt.date(2017, 12, 31), select=existing(RULESET, rules)).findings
    assert [(f.rule, f.location.file, f.location.line) for f in found] == [
        ("schedule-actor-unknown", "roadmaps/kaikaku-2016-it.yaml", 70)]
    assert "IT室" in found[0].message


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(ORGS.display.values())), st.sampled_from(["", " ", "　"]))
def test_every_known_form_is_known_with_any_spacing(form, space):
    spaced = space.join(form) if space else form
    assert ORGS.canonical(spaced) is not None


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="あいうえおかきくけこさしすせそ、。を", max_size=30))
def test_hiragana_prose_has_no_actors(text):
    assert list(ACTOR.names(text)) == []

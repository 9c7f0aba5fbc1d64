"""Rule-file and vocabulary errors in Japanese and English: plain words, file:line, what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.domain.vocabulary import load_vocabulary
from checker.rules.ruleset import load_ruleset
from checker.source.inputs import InputError

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
EXAMPLES = ("    examples:\n      fail: [{items: [{title: a}]}]\n      pass: [{items: [{title: b}]}]\n")


def rule(check: str = "pattern", select: str = "reform_items", with_: str = "{field: title, must_not_match: 'x'}",
         extra: str = "", rule_id: str = "my-rule", message_en: str = "found {reform_item.title}") -> str:
    """One rule file with a single rule whose parts a test changes."""
    return ("rules:\n"
            f"  - id: {rule_id}\n    severity: warning\n"
            "    title: {ja: 表題, en: Title}\n"
            f"    message: {{ja: 見つかった, en: \"{message_en}\"}}\n"
            "    rationale: why\n"
            f"    select: {select}\n    check: {check}\n    with: {with_}\n{extra}" + EXAMPLES)


def errors_of(tmp_path: Path, text: str, name: str = "r.yaml") -> list[InputError]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, errors = load_ruleset([path])
    assert errors, "the rule file was expected to be refused"
    return errors


def the_error(tmp_path: Path, text: str) -> InputError:
    errors = errors_of(tmp_path, text)
    assert len(errors) == 1, [e.message for e in errors]
    return errors[0]


def test_a_well_formed_invented_rule_loads(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(rule(), encoding="utf-8")
    ruleset, errors = load_ruleset([path])
    assert not errors and [r.id for r in ruleset.rules] == ["my-rule"]


# (name, rule-file text, words in English, words in Japanese, line)
MISTAKES = [
    ("misspelt-check-kind", rule(check="patern"), "did you mean 'pattern'?", "「pattern」の誤りか", 8),
    ("unknown-check-kind", rule(check="spellcheck"), "unknown check kind 'spellcheck'", "検査の種類はない", 8),
    ("misspelt-collection", rule(select="reform_itemz"), "did you mean 'reform_items'?", "「reform_items」の誤りか", 7),
    ("misspelt-top-key", rule().replace("rationale:", "rationle:"), "did you mean 'rationale'?",
     "「rationale」の誤りか", 6),
    ("misspelt-option", rule(with_="{feild: title, must_not_match: 'x'}"), "did you mean 'field'?",
     "「field」の誤りか", 9),
    ("bad-regex", rule(with_="{field: title, must_not_match: '(?=x)'}"), "regular expression", "RE2", 9),
    ("both-match-options", rule(with_="{field: title, must_match: a, must_not_match: b}"),
     "exactly one of must_match and must_not_match", "どちらか一方だけ", 9),
    ("misspelt-field", rule(with_="{field: titel, must_not_match: 'x'}"), "did you mean 'title'?",
     "「title」の誤りか", 9),
    ("bad-where-operator", rule(extra="    where: {title: {like: x}}\n"), "unknown operator 'like'", "演算子", 10),
    ("bad-placeholder", rule(message_en="found {reform_item.titel}"), "did you mean 'title'?", "「title」の誤りか", 5),
    ("unbalanced-brace", rule(message_en="found {reform_item.title"), "unbalanced", "対応していない", 5),
    ("bad-rule-id", rule(rule_id="My Rule"), "lowercase letters", "英小文字", 2),
    ("tab", rule().replace("    rationale", "\trationale"), "tab character", "タブ", 6),
    ("colon-in-text", rule().replace("rationale: why", "rationale: 理由: 重要"), "put the whole text in quotes",
     "引用符", 6),
    ("missing-dash", rule().replace("  - id:", "    id:"), "rules: Input should be a valid list", "「- 」で始まる行", 2),
    ("unclosed-brace", rule().replace("title: {ja: 表題, en: Title}", "title: {ja: 表題, en: Title"),
     "'{' is not closed", "閉じられていない", None),
    ("colon-in-braces", rule(with_="{field: title, must_not_match: a:b}"), "put the text in quotes", "引用符", 9),
    ("bad-severity", rule().replace("severity: warning", "severity: fatal"), "Input should be", "いずれか", 3),
    ("misspelt-with", rule().replace("with:", "wiht:"), "did you mean 'with'?", "「with」の誤りか", 9),
]


@pytest.mark.parametrize("name,text,en,ja,line", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_rule_file_mistake_is_explained_in_both_languages(tmp_path, name, text, en, ja, line):
    errors = errors_of(tmp_path, text)
    err = next(e for e in errors if en in e.message)
    assert err.code == "rule" and err.file.endswith("r.yaml")
    assert en in " ".join(e.message for e in errors)
    assert ja in " ".join(e.message_ja for e in errors)
    for e in errors:
        assert e.message and JAPANESE.search(e.message_ja), e.message_ja
        assert "入力を検査できない" not in e.message_ja, f"no Japanese row for: {e.message}"
    if line is not None:
        assert err.line == line, (err.line, err.message)


def test_the_regex_engine_words_stay_as_the_detail(tmp_path):
    err = the_error(tmp_path, rule(with_="{field: title, must_not_match: '(a'}"))
    assert "(a" in err.message and "(a" in err.message_ja and "RE2: " in err.message_ja


def test_duplicate_rule_ids_name_the_first_in_both_languages(tmp_path):
    (tmp_path / "a.yaml").write_text(rule(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(rule(), encoding="utf-8")
    _, errors = load_ruleset([tmp_path])
    (err,) = errors
    assert "duplicate rule id 'my-rule'" in err.message and "a.yaml:2" in err.message
    assert "重複" in err.message_ja and "a.yaml:2" in err.message_ja


def test_missing_rule_file_and_empty_directory(tmp_path):
    _, errors = load_ruleset([tmp_path / "none.yaml"])
    assert "存在しない" in errors[0].message_ja
    (tmp_path / "empty").mkdir()
    _, errors = load_ruleset([tmp_path / "empty"])
    assert "見つからない" in errors[0].message_ja


@pytest.mark.parametrize("text,en,ja", [
    ("organizations:\n\t- name: 総務省\n", "tab character", "タブ"),
    ("organizations:\n  - name: 総務省\n    alias: [総務]\n", "unknown field 'alias'", "未知の項目"),
    ("organisations: []\n", "unknown field", "未知の項目"),
    ("organizations:\n  - name: 総務省: 本省\n", "put the whole text in quotes", "引用符"),
])
def test_vocabulary_mistakes_are_explained_in_both_languages(tmp_path, text, en, ja):
    path = tmp_path / "orgs.yaml"
    path.write_text(text, encoding="utf-8")
    errors = load_vocabulary(path)
    assert isinstance(errors, list) and errors
    assert en in " ".join(e.message for e in errors) and ja in " ".join(e.message_ja for e in errors)
    assert all(e.code == "rule" and "入力を検査できない" not in e.message_ja for e in errors)


def test_unknown_vocabulary_suggests_the_one_meant(tmp_path):
    vocab = tmp_path / "vocabularies"
    vocab.mkdir()
    (vocab / "ministries.yaml").write_text("organizations:\n  - name: 総務省\n", encoding="utf-8")
    errors = errors_of(tmp_path, rule(check="vocabulary", with_="{field: title, vocabulary: ministry}"))
    text = " ".join(e.message for e in errors)
    assert "did you mean 'ministries'?" in text or "unknown vocabulary 'ministry'" in text
    assert any("語彙「ministry」がない" in e.message_ja for e in errors)


@pytest.mark.parametrize("lang,words", [("ja", "「pattern」の誤りか"), ("en", "did you mean 'pattern'?")])
def test_cli_shows_rule_errors_in_the_chosen_language(tmp_path, lang, words):
    (tmp_path / "r.yaml").write_text(rule(check="patern"), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    result = CliRunner().invoke(main, ["lint", "--lang", lang, "--rules", str(tmp_path / "r.yaml"), str(data)])
    assert result.exit_code == 2
    assert words in result.output and "r.yaml:8:" in result.output


# Random damage to a valid rule file: whatever goes wrong is said in both languages, never a traceback.
_PIECES = st.sampled_from(["\t", ":", ": ", "- ", "  ", "{", "}", "'", '"', "x", "\n", "[", "]", "*a", "&a", "!!python",
                           "check: patern", "select: nope", "with: {field: nope}", "(?=", "#", "ja: ", "見出し"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(0, 400), cut=st.integers(0, 8), insert=st.lists(_PIECES, max_size=3))
def test_any_rule_file_error_has_both_texts(tmp_path, at, cut, insert):
    base = rule()
    at = min(at, len(base))
    text = base[:at] + "".join(insert) + base[at + cut:]
    path = tmp_path / "h.yaml"
    path.write_text(text, encoding="utf-8")
    _, errors = load_ruleset([path])
    for e in errors:
        assert e.message.strip() and e.message_ja.strip()
        assert JAPANESE.search(e.message_ja) and "入力を検査できない" not in e.message_ja, e.message
        assert e.line >= 1 and e.file == path.as_posix()

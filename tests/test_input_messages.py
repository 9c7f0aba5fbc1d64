"""Input errors in plain words, Japanese and English: YAML slips, misspelt fields, broken headers."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.domain.load import load_text
from checker.source.inputs import InputError
from checker.source.messages import _JA, did_you_mean, japanese_of

HEAD = "document:\n  id: r\n  kind: roadmap\n  title: t\n"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def only_error(text: str) -> InputError:
    result = load_text(text, "f.yaml")
    assert isinstance(result, list) and len(result) == 1, result
    return result[0]


# (name, text, words the English message must hold, words the Japanese one must hold, line)
SLIPS = [
    ("tab", HEAD + "reform_items:\n\t- number: 15\n", "tab character", "タブ", 6),
    ("tab-in-header", "document:\n\tid: r\n", "tab character", "タブ", 2),
    ("colon-in-title", HEAD.replace("title: t", "title: 重要課題: 地方財政") + "reform_items: []\n",
     "put the whole text in quotes", "引用符", 4),
    ("colon-in-list-item", HEAD + "reform_items:\n  - number: 15\n    title: 改革項目: 自治体クラウド\n",
     "put the whole text in quotes", "引用符", 7),
    ("missing-dash", HEAD + "reform_items:\n  - number: 15\n    title: t\n    responsible:\n      - 総務省\n      財務省\n",
     "'-' missing before a list item", "「-」がない", 11),
    ("over-indented-key", "document:\n  id: r\n  kind: roadmap\n    title: t\n", "indented more than", "字下げ", 4),
    ("under-indented-key", "document:\n  id: r\n kind: roadmap\n", "indentation does not line up", "字下げ", 3),
    ("list-item-out-of-line", "reform_items:\n  - number: 1\n   - number: 2\n", "does not line up", "字下げ", 3),
    ("unclosed-quote", HEAD + 'reform_items:\n  - number: 15\n    title: "業務の簡素化\n', "never closed", "引用符", None),
]


@pytest.mark.parametrize("name,text,en,ja,line", SLIPS, ids=[s[0] for s in SLIPS])
def test_yaml_slip_is_explained_in_both_languages_with_the_parser_text_as_detail(name, text, en, ja, line):
    err = only_error(text)
    assert err.code == "yaml-syntax"
    assert en in err.message and "(YAML parser: " in err.message
    assert ja in err.message_ja and JAPANESE.search(err.message_ja) and "YAMLパーサー" in err.message_ja
    if line is not None:
        assert err.line == line


@pytest.mark.parametrize("typo,meant,where", [
    ("responsable", "responsible", "reform_items:\n  - number: 15\n    title: t\n    {typo}: [総務省]\n"),
    ("shedule", "schedule", "reform_items:\n  - number: 15\n    title: t\n    {typo}: []\n"),
    ("fiscal_year", "fiscal_years", "reform_items:\n  - number: 15\n    title: t\n    schedule:\n"
                                    "      - {{id: s1, text: x, {typo}: [2017]}}\n"),
    ("reportson", "reports_on", None),
])
def test_misspelt_field_gets_did_you_mean(typo, meant, where):
    text = (HEAD + where.format(typo=typo)) if where else HEAD.replace("title: t", f"title: t\n  {typo}: r")
    err = only_error(text)
    assert f"unknown field '{typo}'" in err.message and f"did you mean '{meant}'?" in err.message
    assert f"「{meant}」の誤りか" in err.message_ja


def test_unrelated_unknown_field_lists_what_is_allowed():
    err = only_error(HEAD + "reform_items:\n  - number: 15\n    title: t\n    zzz: 1\n")
    assert "allowed: number, title, responsible" in err.message and "使える項目" in err.message_ja


def test_did_you_mean_needs_a_close_name():
    assert did_you_mean("responsable", ["number", "responsible"]) == "responsible"
    assert did_you_mean("colour", ["number", "responsible"]) is None


@pytest.mark.parametrize("text,en,ja", [
    ("document: foo\nreform_items: []\n", "`document:` must be a mapping", "字下げして書く"),
    ("document:\nreform_items: []\n", "`document:` must be a mapping", "字下げして書く"),
    ("reform_items: []\n", "`document:` is missing", "見出しがない"),
    ("document: {id: r, title: t}\n", "document.kind is missing; write one of roadmap", "document.kind がない"),
    ("document: {id: r, kind: memo, title: t}\n", "must be one of roadmap, progress_report, kpi_status (got 'memo')",
     "いずれかにする"),
])
def test_broken_header_says_what_to_write(text, en, ja):
    err = only_error(text)
    assert en in err.message and ja in err.message_ja
    assert "(got None)" not in err.message


def test_every_message_the_loader_makes_has_its_own_japanese():
    """Each kind of English message has a row in the table, so no Japanese text falls back to English."""
    samples = [
        "file is 30,000,000 bytes, over the limit of 20,971,520 (raise it with --max-file-size)",
        "cannot read file: Permission denied", "cannot read directory: Permission denied",
        "directory loop (symlink) skipped", "no such file or directory",
        "duplicate key 'id' (first defined on line 2)", "a mapping key must be a plain scalar",
        "merge keys (<<) are not supported", "YAML tag !!python/object is not allowed: x",
        "the file holds no YAML document (empty, or only comments)", "line 3 is longer than 1000000 characters",
        "several YAML documents in one file; put each document in its own file",
        "document id 'r' is already used by a.yaml",
        "document.reports_on names 'x', which no document has (known ids: r); lint its file too, or keep it in "
        "this file's directory tree",
        "supersedes forms a cycle: a → b → a", "reform_items[0].number is required but missing",
        "document.published: write the date as YYYY-MM-DD (e.g. 2017-04-01) (got 'x')",
        "reform_items[0].kpis[0].tier: write a number in half-width digits (半角数字), e.g. 1 (got 'x')",
        "reform_items[0].kpis[0].tier: Input should be 1 or 2 (got 3)",
    ]
    for message in samples:
        ja = japanese_of(message)
        assert not ja.startswith("入力を検査できない"), message
        assert JAPANESE.search(ja), message
    assert len(_JA) >= len(samples)


def test_input_error_fills_japanese_unless_given():
    assert InputError("f", 1, 1, "no such file or directory", "missing").message_ja == "ファイルまたはディレクトリが存在しない"
    assert InputError("f", 1, 1, "x", "c", "独自").message_ja == "独自"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cli_input_error_follows_lang_and_fills_both(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "bad.yaml").write_text(HEAD + "reform_items:\n  - number: 15\n    title: t\n    responsable: []\n",
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "bad.yaml"), "--format", "json", "--lang", lang,
                                       "--as-of", "2017-12-31"])
    assert result.exit_code == 2
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["rule"] == "input-error"
    assert finding["message_en"].startswith("unknown field 'responsable'")
    assert "「responsible」の誤りか" in finding["message_ja"]
    assert finding["message"] == finding[f"message_{lang}"]

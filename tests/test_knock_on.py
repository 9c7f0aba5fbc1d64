"""A document that fails to load is reported once, where it fails; its dependants are not blamed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import api
from checker.cli import main
from checker.domain.load import id_in_text

ROADMAPS = Path(__file__).resolve().parent.parent / "roadmaps"
AS_OF = "2017-12-31"


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROADMAPS, tmp_path / "roadmaps")
    return tmp_path / "roadmaps"


BREAKS = {
    "field-typo": ("    responsible:", "    responsable:"),
    "yaml-tab": ("  - number: 15\n", "\t- number: 15\n"),
    "colon-in-text": ('title: "経済・財政再生計画 改革工程表 2016改定版"', "title: 改革工程表: 2016改定版"),
    "bad-kind": ("kind: roadmap", "kind: roadmapp"),
}


def _break(corpus: Path, how: str) -> None:
    path = corpus / "kaikaku-2016-it.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = BREAKS[how]
    assert old in text, how
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lint(corpus: Path, lang: str = "en"):
    return CliRunner().invoke(main, ["lint", str(corpus), "--as-of", AS_OF, "--format", "json", "--lang", lang])


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_one_broken_roadmap_is_reported_once_and_its_reviews_are_not_blamed(corpus, how):
    before = json.loads(_lint(corpus).stdout)["findings"]
    _break(corpus, how)
    result = _lint(corpus)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    findings = report["findings"]
    errors = [f for f in findings if f["rule"] == "input-error"]
    assert len(errors) == 1 and errors[0]["location"]["file"].endswith("kaikaku-2016-it.yaml")
    # Nobody else is blamed for the missing roadmap ...
    assert not any("no document has" in f["message"] for f in findings)
    # ... and every other document is still checked: the findings of documents that do not depend on the
    # broken one are all still there.
    independent = ("kaikaku-2015-it.yaml", "kaikaku-2016-local.yaml", "progress-2017-local.yaml",
                   "kpi-status-2017-local.yaml")
    still = {(f["rule"], f["fingerprint"]) for f in findings}
    for f in before:
        # (Comparisons with the broken edition itself, between revisions or with the original of a re-listed
        # KPI, are the checks skipped.)
        if f["location"]["file"].endswith(independent) and f["rule"] not in {"count-changed-between-revisions",
                                                                              "relisted-kpi-differs"}:
            assert (f["rule"], f["fingerprint"]) in still, f["message"]
    # One note says which checks were skipped, in the summary and on stderr.
    notes = report["summary"]["notes"]
    assert len(notes) == 1 and "kaikaku-2016-it" in notes[0] and "skipped" in notes[0]
    assert "kaikaku-2016-it" in result.stderr and "skipped" in result.stderr


def test_note_follows_lang(corpus):
    _break(corpus, "field-typo")
    result = _lint(corpus, "ja")
    notes = json.loads(result.stdout)["summary"]["notes"]
    assert notes and "省略" in notes[0]


def test_text_report_shows_the_note(corpus):
    _break(corpus, "bad-kind")
    result = CliRunner().invoke(main, ["lint", str(corpus), "--as-of", AS_OF, "--no-cache"])
    assert "note: kaikaku-2016-it" in result.stdout


def test_a_reference_to_a_document_nobody_has_is_still_reported(corpus):
    (corpus / "kaikaku-2016-it.yaml").unlink()
    report = api.run(api.LintOptions(paths=(str(corpus),), as_of=__import__("datetime").date(2017, 12, 31)))
    messages = [e.message for e in report.input_errors]
    assert any("reports_on names 'kaikaku-2016-it', which no document has" in m and "lint its file too" in m
               for m in messages)
    assert report.summary.notes == ()


@pytest.mark.parametrize("text,doc_id", [
    ("document:\n  id: kaikaku-2016-it\n  kind: roadmap\n\t\n", "kaikaku-2016-it"),
    ("# comment\ndocument:\n  # the id\n  kind: roadmap\n  id: 'a-b'\nreform_items: [\n", "a-b"),
    ("document: {id: x1, kind: roadmap, title: t: u}\n", "x1"),
    ("reform_items: []\n", None),
    ("notes:\n  id: nope\n", None),
])
def test_id_of_a_file_that_cannot_be_parsed(text, doc_id):
    assert id_in_text(text) == doc_id


def test_markdown_report_shows_the_note(corpus):
    _break(corpus, "field-typo")
    result = CliRunner().invoke(main, ["lint", str(corpus), "--as-of", AS_OF, "--format", "markdown", "--no-cache"])
    assert "> Note: kaikaku-2016-it" in result.stdout

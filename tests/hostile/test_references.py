"""Broken references between documents: a review of nothing, one id twice, a supersedes cycle."""

from __future__ import annotations

from tests.helpers.hostile import assert_input_error, lint, roadmap, write_corpus

PROGRESS = """\
document: {id: progress-x, kind: progress_report, title: 改革工程の進捗状況, reports_on: kaikaku-nowhere}
reform_items:
  - number: 15
    entries: []
"""


def test_reports_on_naming_no_document(tmp_path):
    directory = write_corpus(tmp_path / "c", {"progress.yaml": PROGRESS, "road.yaml": roadmap("kaikaku-2016")})
    run = lint(str(directory))
    error = assert_input_error(run, "progress.yaml", "document.reports_on names 'kaikaku-nowhere', which no document has",
                               1, PROGRESS.index("kaikaku-nowhere") + 1)
    assert "known ids: good, kaikaku-2016, progress-x" in error["message"]


def test_two_documents_with_one_id(tmp_path):
    directory = write_corpus(tmp_path / "c", {"a.yaml": roadmap("dup"), "b.yaml": roadmap("dup")})
    run = lint(str(directory))
    error = assert_input_error(run, "b.yaml", "document id 'dup' is already used by", 1, 16)
    assert error["message"].endswith("/a.yaml")


def test_supersedes_cycle(tmp_path):
    directory = write_corpus(tmp_path / "c", {"a.yaml": roadmap("road-a", supersedes="road-b"),
                                              "b.yaml": roadmap("road-b", supersedes="road-a")})
    run = lint(str(directory))
    assert_input_error(run, "a.yaml", "supersedes forms a cycle: road-a → road-b → road-a", 1)
    assert_input_error(run, "b.yaml", "supersedes forms a cycle: road-b → road-a → road-b", 1)


def test_supersedes_itself(tmp_path):
    directory = write_corpus(tmp_path / "c", {"a.yaml": roadmap("road-a", supersedes="road-a")})
    assert_input_error(lint(str(directory)), "a.yaml", "supersedes forms a cycle: road-a → road-a", 1)


def test_supersedes_naming_no_document(tmp_path):
    directory = write_corpus(tmp_path / "c", {"a.yaml": roadmap("road-a", supersedes="road-0")})
    assert_input_error(lint(str(directory)), "a.yaml", "document.supersedes names 'road-0', which no document has", 1)

"""Linting some files of a corpus loads the documents they reference and reports on the named files only."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import api
from checker.cli import main
from checker.source.context import context_files, header_refs

ROADMAPS = Path(__file__).resolve().parent.parent / "roadmaps"
AS_OF = dt.date(2017, 12, 31)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    shutil.copytree(ROADMAPS, tmp_path / "repo" / "data")
    return tmp_path / "repo"


def _run(*paths: Path, **kw) -> api.LintReport:
    return api.run(api.LintOptions(paths=tuple(str(p) for p in paths), as_of=AS_OF, **kw))


def test_one_progress_file_is_checked_against_its_roadmap(repo):
    full = _run(repo / "data")
    report = _run(repo / "data" / "progress-2017-it.yaml")
    assert report.input_errors == ()
    mine = {(f.rule, f.fingerprint) for f in full.findings if f.location.file.endswith("progress-2017-it.yaml")}
    assert {(f.rule, f.fingerprint) for f in report.findings} == mine and mine
    assert {f.location.file for f in report.findings} == {str(repo / "data" / "progress-2017-it.yaml")}
    assert report.summary.files == (str(repo / "data" / "progress-2017-it.yaml"),)
    # The roadmap it reports on, and the edition that one supersedes.
    assert sorted(Path(c).name for c in report.summary.context) == ["kaikaku-2015-it.yaml", "kaikaku-2016-it.yaml"]


def test_reference_found_in_a_sibling_directory_up_to_the_repository_root(repo):
    (repo / "reviews").mkdir()
    shutil.move(repo / "data" / "kpi-status-2017-local.yaml", repo / "reviews" / "kpi.yaml")
    report = _run(repo / "reviews" / "kpi.yaml")
    assert report.input_errors == ()
    assert [Path(c).name for c in report.summary.context] == ["kaikaku-2016-local.yaml"]


def test_search_stops_at_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROADMAPS, tmp_path / "outside")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    shutil.copy(ROADMAPS / "progress-2017-it.yaml", tmp_path / "repo" / "p.yaml")
    report = _run(tmp_path / "repo" / "p.yaml")
    assert report.summary.context == ()
    assert any("which no document has" in e.message for e in report.input_errors)
    # ... unless the place is given.
    with_context = _run(tmp_path / "repo" / "p.yaml", context_paths=(str(tmp_path / "outside"),))
    assert with_context.input_errors == () and len(with_context.summary.context) == 2


def test_context_files_are_not_reported_even_when_broken(repo):
    roadmap = repo / "data" / "kaikaku-2015-it.yaml"
    roadmap.write_text(roadmap.read_text(encoding="utf-8").replace("kind: roadmap", "kind: roadmapp"),
                       encoding="utf-8")
    report = _run(repo / "data" / "progress-2017-it.yaml")
    assert report.input_errors == () and report.exit_code() in (0, 1)
    assert all(f.location.file.endswith("progress-2017-it.yaml") for f in report.findings)
    assert any("kaikaku-2015-it" in en for en, _ in report.summary.notes)


def test_directories_and_complete_file_sets_need_no_context(repo):
    assert context_files([str(repo / "data")]) == []
    files = [str(repo / "data" / n) for n in ("progress-2017-it.yaml", "kaikaku-2016-it.yaml", "kaikaku-2015-it.yaml")]
    assert context_files(files) == []


def test_pre_commit_style_cli_call_reports_only_the_named_file(repo, monkeypatch):
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["lint", "data/kpi-status-2017-it.yaml", "--as-of", "2017-12-31",
                                       "--format", "json", "-v"])
    report = json.loads(result.stdout)
    assert result.exit_code in (0, 1), result.output  # findings, but no input error
    assert {f["location"]["file"] for f in report["findings"]} == {"data/kpi-status-2017-it.yaml"}
    assert "loaded as context" in result.stderr and "data/kaikaku-2016-it.yaml" in result.stderr


@pytest.mark.parametrize("text,expected", [
    ("document:\n  id: p\n  kind: progress_report\n  reports_on: r\n", ("p", ["r"])),
    ("# c\ndocument:\n  # x\n  id: \"p\"\n\n  supersedes: 'q'\n  reports_on: r  # note\nreform_items: []\n",
     ("p", ["r", "q"])),
    ("document: {id: p, kind: roadmap, supersedes: q}\n", ("p", ["q"])),
    ("reform_items:\n  - id: x\n", (None, [])),
    ("document:\n  id: p\nreform_items:\n  - reports_on: zzz\n", ("p", [])),
])
def test_header_refs(text, expected):
    assert header_refs(text) == expected

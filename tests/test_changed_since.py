"""--changed-since REF: rules see the whole corpus, but only findings in files changed since REF are reported."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.source.changed import ChangedSinceError, changed_files

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "roadmaps", tmp_path / "roadmaps")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "roadmaps")
    git(tmp_path, "commit", "-q", "-m", "seed")
    return tmp_path


def lint_json(repo: Path, *args: str):
    result = CliRunner().invoke(main, ["lint", str(repo / "roadmaps"), "--as-of", "2017-12-31",
                                       "--format", "json", *args])
    return result, (json.loads(result.stdout) if result.stdout else None)


def files_of(report: dict) -> set[str]:
    return {Path(f["location"]["file"]).name for f in report["findings"]}


def test_nothing_changed_reports_nothing_but_checks_everything(repo):
    result, report = lint_json(repo, "--changed-since", "HEAD")
    assert result.exit_code == 0, result.output
    assert report["findings"] == [] and report["summary"]["files"] == 7
    assert report["changed_since"] == "HEAD"
    text = CliRunner().invoke(main, ["lint", str(repo / "roadmaps"), "--changed-since", "HEAD"]).stdout
    assert text.rstrip().endswith("in 7 files; only files changed since HEAD")


def test_only_findings_in_the_changed_file_are_reported(repo):
    _, full = lint_json(repo)
    assert len(files_of(full)) > 1
    path = repo / "roadmaps" / "kaikaku-2016-it.yaml"
    path.write_text("# touched\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result, report = lint_json(repo, "--changed-since", "HEAD")
    assert result.exit_code == 1
    assert files_of(report) == {"kaikaku-2016-it.yaml"}
    expected = [f for f in full["findings"] if f["location"]["file"].endswith("kaikaku-2016-it.yaml")]
    assert [f["fingerprint"] for f in report["findings"]] == [f["fingerprint"] for f in expected]
    # Cross-document findings still see the unchanged 2015 edition (related location in another file).
    assert any(r["file"].endswith("kaikaku-2015-it.yaml") for f in report["findings"] for r in f["related"])


def test_committed_and_untracked_changes_count(repo):
    git(repo, "tag", "base")
    path = repo / "roadmaps" / "progress-2017-it.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "touch progress")
    shutil.copy(repo / "roadmaps" / "kaikaku-2016-local.yaml", repo / "roadmaps" / "copy.yaml")
    changed = {p.name for p in changed_files("base", repo / "roadmaps")}
    assert changed == {"progress-2017-it.yaml", "copy.yaml"}


@pytest.mark.parametrize("ref", ["no-such-ref", "--output=x", ""])
def test_bad_ref_is_a_clear_error(repo, ref):
    result, _ = lint_json(repo, "--changed-since", ref)
    assert result.exit_code == 2
    assert "--changed-since" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_outside_a_git_work_tree_is_a_clear_error(tmp_path):
    shutil.copytree(REPO / "roadmaps", tmp_path / "roadmaps")
    with pytest.raises(ChangedSinceError, match="not in a git work tree"):
        changed_files("HEAD", tmp_path / "roadmaps")

"""--new-since REF: only findings the tree at REF did not have (same rules and options), wherever they are."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.source.git_tree import GitRefError, tree_at

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OLD_KPI = "・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】"
NEW_KPI = "・電子申請の利用率【目標：2020年度までに50%】"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "roadmaps", root / "roadmaps")
    (root / "roadmap-check.toml").write_text('paths = ["roadmaps"]\nas-of = "2017-12-31"\n', encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "seed")
    monkeypatch.chdir(root)
    return root


def lint(*args: str):
    result = CliRunner().invoke(main, ["lint", "--format", "json", *args])
    return result, (json.loads(result.stdout) if result.stdout.startswith("{") else None)


def keyed(report: dict) -> dict[str, dict]:
    return {f["fingerprint"]: f for f in report["findings"]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_new_gives_exit_0_and_no_findings(repo):
    full, report = lint()
    assert full.exit_code == 1 and report["findings"]  # old debt, errors included
    result, report = lint("--new-since", "HEAD")
    assert result.exit_code == 0, result.output
    assert report["findings"] == [] and report["summary"]["files"] == 7
    assert report["new_since"] == {"ref": "HEAD", "matched": len(lint()[1]["findings"])}
    assert lint()[1]["new_since"] is None
    schema = json.loads((REPO / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    text = CliRunner().invoke(main, ["lint", "--new-since", "HEAD"])
    assert text.exit_code == 0 and "only findings new since HEAD" in text.stdout


def test_one_edit_gives_exactly_the_new_findings_even_in_untouched_files(repo):
    _, before = lint()
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    _, after = lint()
    expected = {fp for fp in keyed(after) if fp not in keyed(before)}
    assert expected  # the edit does make new findings
    result, report = lint("--new-since", "HEAD")
    assert result.exit_code == 1
    assert set(keyed(report)) == expected
    # one of them is in a file the edit did not touch: the KPI status table no longer finds its KPI
    untouched = [f for f in report["findings"] if f["location"]["file"] == "roadmaps/kpi-status-2017-it.yaml"]
    # (and the renamed KPI has no row there)
    assert sorted(f["rule"] for f in untouched) == ["kpi-status-row-missing", "kpi-status-row-unmatched"]
    # old debt in the touched file is not reported (it is still there: a plain lint shows it)
    debt = [f for f in after["findings"] if f["location"]["file"] == "roadmaps/kaikaku-2016-it.yaml"
            and f["rule"] == "kpi-target-missing"]
    assert debt and not set(keyed({"findings": debt})) & set(keyed(report))
    # --changed-since filters by location instead: the touched file's old debt, and not the untouched file
    _, changed = lint("--changed-since", "HEAD")
    assert {f["location"]["file"] for f in changed["findings"]} == {"roadmaps/kaikaku-2016-it.yaml"}


def test_sarif_of_a_new_since_run_records_the_ref_and_validates(repo):
    from tests.test_report_schemas import sarif_errors

    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    _, report = lint("--new-since", "HEAD")

    def sarif(*args: str) -> dict:
        result = CliRunner().invoke(main, ["lint", "--format", "sarif", "--new-since", "HEAD", *args])
        assert sarif_errors(result.stdout) == []
        return json.loads(result.stdout)["runs"][0]

    run = sarif()
    assert run["properties"] == {"as_of": "2017-12-31", "new_since": {"ref": "HEAD", "matched":
                                 report["new_since"]["matched"]}}
    assert {r["partialFingerprints"]["roadmapCheck/v1"] for r in run["results"]} == set(keyed(report))
    assert run["results"] and {r["baselineState"] for r in run["results"]} == {"new"}
    # with --changed-since as well, both narrowings apply and both are recorded: the one new finding is in
    # a file the edit did not touch, so nothing is left
    both = sarif("--changed-since", "HEAD")
    assert both["properties"]["changed_since"] == "HEAD" and both["properties"]["new_since"]["ref"] == "HEAD"
    assert both["results"] == []


def test_exit_code_follows_the_new_findings_only(repo):
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    assert lint("--new-since", "HEAD", "--fail-on", "error")[0].exit_code == 1  # the new finding is an error
    assert lint("--new-since", "HEAD", "--select", "kpi-target-missing")[0].exit_code == 0  # only old debt


def test_committed_history_and_paths_named_any_way(repo):
    git(repo, "tag", "base")
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    git(repo, "commit", "-q", "-am", "rename a KPI")
    relative = keyed(lint("--new-since", "base")[1])
    assert len(relative) >= 1 and lint("--new-since", "HEAD")[1]["findings"] == []
    absolute = lint(str(repo / "roadmaps"), "--new-since", "base")[1]
    assert set(keyed(absolute)) == set(relative)
    assert {f["location"]["file"] for f in absolute["findings"]} <= {
        str(repo / "roadmaps" / n) for n in ("kaikaku-2016-it.yaml", "kpi-status-2017-it.yaml")}


def test_from_a_subdirectory_names_files_as_the_working_tree_run_does(repo, monkeypatch):
    git(repo, "tag", "base")
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    monkeypatch.chdir(repo / "roadmaps")
    result, report = lint(".", "--new-since", "base", "--isolated", "--as-of", "2017-12-31")
    assert result.exit_code == 1, result.output
    files = {f["location"]["file"] for f in report["findings"]}
    assert "kpi-status-2017-it.yaml" in files
    assert all(not f.startswith("/") and "roadmap-check-ref" not in f for f in files)


def test_a_directory_that_did_not_exist_at_ref_makes_every_finding_new(repo):
    shutil.copytree(repo / "roadmaps", repo / "more")  # untracked: not at HEAD
    result, report = lint("more", "--new-since", "HEAD")
    plain_result, plain = lint("more")
    assert result.exit_code == plain_result.exit_code == 1
    assert set(keyed(report)) == set(keyed(plain)) and report["findings"]


def test_input_errors_always_pass_through(repo):
    (repo / "roadmaps" / "broken.yaml").write_text("document: [\n", encoding="utf-8")
    result, report = lint("--new-since", "HEAD")
    assert result.exit_code == 2
    assert [f["rule"] for f in report["findings"]] == ["input-error"]


@pytest.mark.parametrize("ref", ["no-such-ref", "--output=x", "", "HEAD~5"])
def test_a_ref_git_does_not_know_exits_2_with_a_clear_message(repo, ref):
    result, _ = lint("--new-since", ref)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--new-since" in result.stderr and ("unknown git revision" in result.stderr or "not a git ref"
                                                in result.stderr)
    assert "Traceback" not in result.stderr


def test_outside_a_git_work_tree_exits_2(tmp_path, monkeypatch):
    shutil.copytree(REPO / "roadmaps", tmp_path / "plain" / "roadmaps")
    monkeypatch.chdir(tmp_path / "plain")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result, _ = lint("roadmaps", "--new-since", "HEAD", "--isolated")
    assert result.exit_code == 2 and "not in a git work tree" in result.stderr


def test_a_path_outside_the_work_tree_is_refused(repo, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(REPO / "roadmaps", outside)
    with pytest.raises(GitRefError, match="outside the git work tree"), tree_at("HEAD", ["roadmaps", str(outside)]):
        pass


def test_the_ref_tree_holds_the_committed_bytes_and_is_removed(repo):
    committed = (repo / "roadmaps" / "kaikaku-2016-it.yaml").read_bytes()
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    (repo / ".gitattributes").write_text("roadmaps/*.yaml export-ignore\n", encoding="utf-8")
    with tree_at("HEAD", ["roadmaps"]) as tree:
        root = Path(tree.paths[0])
        assert (root / "kaikaku-2016-it.yaml").read_bytes() == committed  # not the edited working tree
        assert sorted(p.name for p in root.iterdir()) == sorted(p.name for p in (repo / "roadmaps").iterdir())
        assert tree.to_work(str(root / "kaikaku-2016-it.yaml")) == "roadmaps/kaikaku-2016-it.yaml"
    assert not root.exists()


def test_the_kept_ref_tree_is_reused_and_a_tampered_one_is_rewritten(repo, tmp_path):
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    first = keyed(lint("--new-since", "HEAD")[1])
    trees = [p for p in (tmp_path / "cache" / "ref-trees").iterdir() if p.is_dir()]
    assert len(trees) == 1  # kept in the (temporary) cache directory, so that the run cache can answer
    kept = trees[0] / "roadmaps" / "kaikaku-2016-it.yaml"
    assert kept.read_bytes() == subprocess.run(["git", "show", "HEAD:roadmaps/kaikaku-2016-it.yaml"], cwd=repo,
                                               capture_output=True, check=True).stdout
    assert keyed(lint("--new-since", "HEAD")[1]) == first
    # another ref, then this one again: the same directory, brought to each ref's bytes in place
    git(repo, "commit", "-q", "-am", "rename a KPI")
    assert lint("--new-since", "HEAD")[1]["findings"] == []
    assert keyed(lint("--new-since", "HEAD~1")[1]) == first
    assert [p for p in (tmp_path / "cache" / "ref-trees").iterdir() if p.is_dir()] == trees
    # someone edits the kept copy: it no longer holds the ref's bytes, so it is written anew
    kept.write_text(kept.read_text(encoding="utf-8").replace(OLD_KPI, NEW_KPI), encoding="utf-8")
    (trees[0] / "roadmaps" / "extra.yaml").write_text("document: {}\n", encoding="utf-8")
    assert keyed(lint("--new-since", "HEAD~1")[1]) == first
    assert OLD_KPI in kept.read_text(encoding="utf-8") and not (trees[0] / "roadmaps" / "extra.yaml").exists()
    # without the cache: a temporary tree, the same answer
    assert keyed(lint("--new-since", "HEAD~1", "--no-cache")[1]) == first
    assert [p for p in (tmp_path / "cache" / "ref-trees").iterdir() if p.is_dir()] == trees


def test_with_a_baseline_old_findings_are_matched_not_stale(repo):
    made = CliRunner().invoke(main, ["baseline", "create", "--output", "debt.json"])
    assert made.exit_code == 0, made.output
    edit(repo / "roadmaps" / "kaikaku-2016-it.yaml", OLD_KPI, NEW_KPI)
    _, alone = lint("--new-since", "HEAD")
    result, both = lint("--new-since", "HEAD", "--baseline", "debt.json")
    assert result.exit_code == 1
    assert set(keyed(both)) == set(keyed(alone))  # new since HEAD, and not in a baseline made at HEAD
    # the findings the edit removed are stale baseline entries; the old debt still present is matched
    stale = {e["entity"] for e in both["baseline"]["stale"]}
    assert stale and all("運用コスト" in e or "運用コ" in e for e in stale)
    assert both["summary"]["baseline_matched"] > 0

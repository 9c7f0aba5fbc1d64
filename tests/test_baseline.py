"""Baselines: create, then only new findings are reported; line shifts are not new; stale entries are listed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.engine import accepted as acc
from tests.helpers.sample import FINDINGS

REPO = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2017-12-31"]
NEW_DEFECT = ('        text: "・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】"',
              '        text: "・クラウド導入市区町村数【2014年度：550団体 目標：倍増(約1,000団体)を図る】"')


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "roadmaps"
    shutil.copytree(REPO / "roadmaps", root)
    return root


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_create_then_lint_with_baseline_is_clean_until_a_new_defect(corpus, tmp_path):
    base = tmp_path / "baseline.json"
    created = cli("baseline", "create", str(corpus), *AS_OF, "--output", str(base))
    assert created.exit_code == 0, created.output
    data = json.loads(base.read_text(encoding="utf-8"))
    assert data["entries"] and {"fingerprint", "rule", "document", "entity", "message", "file"} <= set(data["entries"][0])

    clean = cli("lint", str(corpus), *AS_OF, "--baseline", str(base), "--format", "json")
    assert clean.exit_code == 0, clean.output
    report = json.loads(clean.stdout)
    assert report["findings"] == [] and report["summary"]["baseline_matched"] == len(data["entries"])
    assert "matched" in clean.stderr

    path = corpus / "kaikaku-2015-it.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*NEW_DEFECT), encoding="utf-8")
    dirty = cli("lint", str(corpus), *AS_OF, "--baseline", str(base), "--format", "json")
    assert dirty.exit_code == 1, dirty.output
    new = json.loads(dirty.stdout)["findings"]
    assert [f["rule"] for f in new] == ["kpi-deadline-missing"]
    assert new[0]["location"]["file"].endswith("kaikaku-2015-it.yaml")


def test_inserting_lines_above_a_finding_does_not_make_it_new(corpus, tmp_path):
    base = tmp_path / "b.json"
    assert cli("baseline", "create", str(corpus), *AS_OF, "-o", str(base)).exit_code == 0
    path = corpus / "kaikaku-2016-it.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# a comment\n# and another\n\n" + text, encoding="utf-8")
    result = cli("lint", str(corpus), *AS_OF, "--baseline", str(base), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["baseline_stale"] == 0


def test_stale_entries_are_listed_and_fail_baseline_check(corpus, tmp_path):
    base = tmp_path / "b.json"
    assert cli("baseline", "create", str(corpus), *AS_OF, "-o", str(base)).exit_code == 0
    assert cli("baseline", "check", str(corpus), *AS_OF, "-b", str(base)).exit_code == 0
    path = corpus / "kaikaku-2015-it.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"・歳出効率化の成果 (事後的に検証する指標)"\n        ex_post: true\n',
        '"・歳出効率化の成果【目標：2018年度までに1割削減】"\n'), encoding="utf-8")
    lint = cli("lint", str(corpus), *AS_OF, "--baseline", str(base), "--format", "json")
    assert lint.exit_code == 0  # fixing a defect is not a failure of lint…
    stale = json.loads(lint.stdout)["baseline"]["stale"]
    assert [s["rule"] for s in stale] == ["kpi-target-missing"]
    assert "stale baseline entry" in lint.stderr
    check = cli("baseline", "check", str(corpus), *AS_OF, "-b", str(base))
    assert check.exit_code == 1  # …but the baseline should be refreshed
    assert "stale: kpi-target-missing kaikaku-2015-it" in check.stdout


def test_baseline_check_fails_on_new_findings(corpus, tmp_path):
    base = tmp_path / "b.json"
    assert cli("baseline", "create", str(corpus), *AS_OF, "-o", str(base)).exit_code == 0
    path = corpus / "kaikaku-2015-it.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*NEW_DEFECT), encoding="utf-8")
    result = cli("baseline", "check", str(corpus), *AS_OF, "-b", str(base))
    assert result.exit_code == 1 and "kpi-deadline-missing" in result.stdout


@pytest.mark.parametrize("content", ["not json", "[]", '{"tool": "roadmap-check", "schema_version": 9, "entries": []}',
                                     '{"tool": "roadmap-check", "schema_version": 1, "entries": [{}]}'])
def test_bad_baseline_file_is_a_clear_error(corpus, tmp_path, content):
    base = tmp_path / "b.json"
    base.write_text(content, encoding="utf-8")
    result = cli("lint", str(corpus), *AS_OF, "--baseline", str(base))
    assert result.exit_code == 2 and str(base) in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_baseline_file_is_exit_2(corpus, tmp_path):
    result = cli("lint", str(corpus), *AS_OF, "--baseline", str(tmp_path / "none.json"))
    assert result.exit_code == 2 and "cannot read baseline" in result.stderr


def test_baseline_create_refuses_on_input_errors(corpus, tmp_path):
    (corpus / "broken.yaml").write_text("document: [\n", encoding="utf-8")
    base = tmp_path / "b.json"
    result = cli("baseline", "create", str(corpus), *AS_OF, "-o", str(base))
    assert result.exit_code == 2 and not base.exists()


def test_baseline_file_is_sorted_deduplicated_and_round_trips(tmp_path):
    made = acc.from_findings([*FINDINGS, *FINDINGS])
    # Suppressed findings and input errors are not debt to accept.
    assert {e.rule for e in made.entries} == {"kpi-deadline-missing", "count-changed-between-revisions",
                                              "schedule-actor-unknown"}
    path = tmp_path / "b.json"
    acc.write(path, made)
    assert acc.load(path) == made
    assert acc.dumps(made) == path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".b.json.*"))  # the atomic write left no temp file


def test_compare_matches_by_fingerprint_and_scopes_stale_entries():
    made = acc.from_findings(FINDINGS)
    match = acc.compare(FINDINGS, made)
    assert match.matched == 3 and match.stale == ()
    assert {f.rule for f in match.new} == {"kpi-target-missing", "input-error"}  # suppressed / input errors pass
    nothing = acc.compare([], made, in_scope=lambda e: e.rule != "schedule-actor-unknown")
    assert {e.rule for e in nothing.stale} == {"kpi-deadline-missing", "count-changed-between-revisions"}

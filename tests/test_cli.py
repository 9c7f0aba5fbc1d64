"""The lint command through click's CliRunner: formats and outputs, exit codes, stdout/stderr discipline."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker import api
from checker.cli import default_lang, main, pair_outputs
from tests.helpers.shared import SARIF_SCHEMA_FILE

REPO = Path(__file__).resolve().parent.parent
ROADMAPS = str(REPO / "roadmaps")
AS_OF = ["--as-of", "2017-12-31"]
SARIF_SCHEMA = SARIF_SCHEMA_FILE  # found from a worktree under /work/wt too


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def validate_json(path: Path, schema: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [e.message for e in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))]


def test_done_when_sarif_and_json_files_plus_text_on_stdout(tmp_path):
    sarif, js = tmp_path / "r.sarif", tmp_path / "r.json"
    result = cli("lint", ROADMAPS, *AS_OF, "--format", "sarif", "--output", str(sarif), "--format", "json",
                 "--output", str(js), "--format", "text")
    assert result.exit_code == 1, result.output
    assert "[kpi-target-missing]" in result.stdout
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?, \d+ info in 7 files", result.stdout.rstrip().splitlines()[-1])
    assert f"wrote sarif report to {sarif}" in result.stderr and str(sarif) not in result.stdout
    report_schema = json.loads((REPO / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert validate_json(js, report_schema) == []
    if SARIF_SCHEMA.exists():
        assert validate_json(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))) == []
    assert len(json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]) == len(
        json.loads(js.read_text(encoding="utf-8"))["findings"])


def test_stdout_carries_only_the_report():
    result = cli("lint", ROADMAPS, *AS_OF, "--format", "json", "--verbose")
    json.loads(result.stdout)  # nothing but the report
    assert result.exit_code == 1


@pytest.mark.parametrize(("fail_on", "select", "code"), [
    ("error", "kpi-target-missing", 1), ("never", "kpi-target-missing", 0), ("error", "kpi-status-name-differs", 0),
    ("warning", "kpi-status-name-differs", 0), ("info", "kpi-status-name-differs", 1)])
def test_fail_on_decides_exit_code(fail_on, select, code):
    result = cli("lint", ROADMAPS, *AS_OF, "--fail-on", fail_on, "--select", select, "--quiet")
    assert result.exit_code == code, result.output
    assert f"[{select}]" in result.stdout


def test_select_and_ignore_take_lists():
    only = json.loads(cli("lint", ROADMAPS, *AS_OF, "-f", "json", "--select", "kpi-target-missing,kpi-deadline-missing").stdout)
    assert {f["rule"] for f in only["findings"]} == {"kpi-target-missing", "kpi-deadline-missing"}
    rest = json.loads(cli("lint", ROADMAPS, *AS_OF, "-f", "json", "--ignore", "kpi-target-missing",
                          "--ignore", "kpi-deadline-missing").stdout)
    assert not {f["rule"] for f in rest["findings"]} & {"kpi-target-missing", "kpi-deadline-missing"}


@pytest.mark.parametrize("args", [
    ["--select", "no-such-rule"], ["--format", "yaml"], ["--fail-on", "sometimes"], ["--as-of", "2017/12/31"],
    ["--output", "a.txt", "--format", "json"], ["--format", "json", "--format", "text"],
    ["--format", "json", "--output", "a", "--output", "b"], ["--max-file-size", "0"], ["--lang", "fr"]])
def test_usage_errors_exit_2_without_traceback(args, tmp_path):
    result = cli("lint", ROADMAPS, *AS_OF, *[a if a not in ("a", "b", "a.txt") else str(tmp_path / a) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""


def test_output_without_format_writes_text(tmp_path):
    out = tmp_path / "sub" / "report.txt"
    result = cli("lint", ROADMAPS, *AS_OF, "--output", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert "[kpi-target-missing]" in out.read_text(encoding="utf-8")
    assert re.search(r"\d+ errors?, ", result.stderr)  # the summary line goes to stderr when stdout has no report


def test_pair_outputs_follows_option_order():
    order = ["formats", "outputs", "formats", "formats", "outputs"]
    assert pair_outputs(order, ("sarif", "text", "json"), ("a", "b")) == [("sarif", "a"), ("text", None), ("json", "b")]
    assert pair_outputs([], (), ()) == [("text", None)]


def test_bad_rule_file_exits_2_with_file_line(tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text("rules:\n  - id: x\n    severity: fatal\n", encoding="utf-8")
    result = cli("lint", ROADMAPS, *AS_OF, "--rules", str(rules))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{rules.as_posix()}:" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_unreadable_input_exits_2_and_appears_in_every_format(tmp_path, fmt):
    shutil.copytree(REPO / "roadmaps", tmp_path / "r")
    (tmp_path / "r" / "broken.yaml").write_text("document: {id: x\n", encoding="utf-8")
    result = cli("lint", str(tmp_path / "r"), str(tmp_path / "missing.yaml"), *AS_OF, "--format", fmt)
    assert result.exit_code == 2
    assert "input-error" in result.stdout and "broken.yaml" in result.stdout and "missing.yaml" in result.stdout
    # The other files were still checked.
    assert "kpi-target-missing" in result.stdout


def test_max_file_size_and_verbose_skipped(tmp_path):
    shutil.copytree(REPO / "roadmaps", tmp_path / "r")
    (tmp_path / "r" / "notes.txt").write_text("not yaml", encoding="utf-8")
    result = cli("lint", str(tmp_path / "r"), *AS_OF, "--verbose", "--max-file-size", "100", "-f", "json")
    assert result.exit_code == 2
    assert "skipped (not YAML):" in result.stderr and "notes.txt" in result.stderr
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert len(messages) == 7 and all("over the limit of 100" in m for m in messages)


def test_lang_from_option_and_environment():
    ja = cli("lint", ROADMAPS, *AS_OF, "--select", "kpi-target-missing", env={"LC_ALL": "ja_JP.UTF-8"})
    en = cli("lint", ROADMAPS, *AS_OF, "--select", "kpi-target-missing", "--lang", "en",
             env={"LC_ALL": "ja_JP.UTF-8"})
    assert "定量的な目標が設定されていない" in ja.stdout and "has no quantitative target" in en.stdout


@pytest.mark.parametrize(("env", "lang"), [({"LC_ALL": "ja_JP.UTF-8"}, "ja"), ({"LANG": "ja"}, "ja"),
                                           ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
                                           ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en")])
def test_default_lang(monkeypatch, env, lang):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert default_lang() == lang


def test_unexpected_exception_is_one_line_and_exit_2(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(api, "run", boom)
    result = cli("lint", ROADMAPS)
    assert result.exit_code == 2
    assert "internal error: RuntimeError: disk on fire" in result.stderr and "Traceback" not in result.output


def test_unwritable_output_is_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = cli("lint", ROADMAPS, *AS_OF, "-f", "json", "-o", str(blocker / "r.json"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_clean_corpus_exits_0(tmp_path):
    result = cli("lint", ROADMAPS, *AS_OF, "--select", "kpi-field-contradicts-text", "-f", "sarif")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


def test_version_and_help():
    assert cli("--version").exit_code == 0
    help_text = cli("lint", "--help").stdout
    assert "--changed-since" in help_text and "--format" in help_text

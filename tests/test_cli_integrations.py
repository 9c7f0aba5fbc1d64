"""The pre-commit hook, the GitHub Action and the README's commands use flags the CLI really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from checker.cli import main

REPO = Path(__file__).resolve().parent.parent


def lint_flags() -> set[str]:
    command = main.commands["lint"]
    return {opt for p in command.params for opt in getattr(p, "opts", [])}


def test_pre_commit_hook_runs_whole_corpus_reporting_new_findings():
    (hook,) = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "roadmap-check" and hook["entry"] == "roadmap-check lint"
    assert hook["pass_filenames"] is False
    assert hook["args"][hook["args"].index("--new-since") + 1] == "HEAD"
    assert re.search(hook["files"], "roadmaps/kaikaku-2016-it.yaml") and re.search(hook["files"], "roadmaps/a.yml")
    assert not re.search(hook["files"], "rules/kpi.yaml")
    assert {a for a in hook["args"] if a.startswith("-")} <= lint_flags()


def test_action_runs_lint_with_sarif_and_github_and_exposes_exit_code():
    action = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert "exit-code" in action["outputs"]
    script = next(s["run"] for s in action["runs"]["steps"] if s.get("id") == "lint")
    assert "--format sarif --output" in script and "--format github" in script
    assert "${{" not in script  # inputs come through env, never pasted into the script
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", script))
    assert used <= lint_flags() and "--new-since" in used
    assert "new-since" in action["inputs"] and action["inputs"]["new-since"]["default"] == ""


def test_readme_keeps_the_two_commands_and_its_lint_examples_parse():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)", setup, re.M)
    assert commands == ["make lint", "make test"]
    assert "# yaml-language-server: $schema=" in readme
    for line in re.findall(r"^(?:\s*- run: .*?&& )?\s*(roadmap-check lint[^\n#]*)", readme, re.M):
        args = shlex.split(line)[1:]
        flags = {a for a in args if a.startswith("--")}
        assert flags <= lint_flags(), line
    for sub in ("rules list", "rules show", "rules test", "rules docs", "schema data", "schema rules",
                "baseline create", "baseline check"):
        assert f"roadmap-check {sub}" in readme
        assert CliRunner().invoke(main, [*sub.split(), "--help"]).exit_code == 0

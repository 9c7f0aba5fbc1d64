"""The README's commands work as written: every `roadmap-check …` line of its sh blocks, run in a copy of
the repository (so that the files they write land in a temporary directory)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def tour_commands() -> list[str]:
    lines = [ln.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S) for ln in block.splitlines()]
    return [ln for ln in lines if ln.startswith("roadmap-check ")]


def test_the_tour_is_found():
    commands = tour_commands()
    assert len(commands) >= 15 and "roadmap-check lint" in [c.split("#")[0].strip() for c in commands]
    # right after `make lint` / `make test`, roadmap-check is in .venv: the README says how to reach it
    setup = README.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    assert ". .venv/bin/activate" in setup and ".venv/bin/roadmap-check" in setup


@pytest.mark.parametrize("command", tour_commands())
def test_tour_command_runs_as_written(command, tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "repo"
    for name in ("roadmaps", "docs"):
        shutil.copytree(REPO / name, work / name)
    shutil.copy(REPO / "pyproject.toml", work / "pyproject.toml")
    monkeypatch.chdir(work)
    args = shlex.split(command, comments=True)[1:]
    if args[:2] == ["baseline", "check"] or "--baseline" in args:  # the tour creates it first
        assert CliRunner().invoke(main, ["baseline", "create", "roadmaps/", "--output",
                                         "roadmap-check-baseline.json"]).exit_code == 0
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), f"{command}\n{result.output}"
    assert "Traceback" not in result.output and "internal error" not in result.output
    if args[0] == "lint" and "--output" not in args:
        assert re.search(r"\d+ (errors?|エラー)", result.stdout) or "エラー" in result.stdout

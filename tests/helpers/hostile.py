"""Fixture builders for the hostile suite: a good document with a known finding, bad files beside it, CLI runs.

Every bad file is generated in a temporary directory from Python (no binary files are committed). Each
run puts GOOD_DOC beside the bad file and checks that GOOD_DOC's finding is still reported: one broken
file must never hide the findings of the others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from checker.cli import main

REPO = Path(__file__).resolve().parents[2]
# The child records its own peak RSS (VmHWM, reset by exec) when it exits: ru_maxrss from wait4 would
# also count the parent's size at fork time, which Linux carries across exec.
_CHILD = """\
import atexit, sys
out = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as status, open(out, "w") as fh:
        fh.write(next((line.split()[1] for line in status if line.startswith("VmHWM:")), "0"))
atexit.register(_peak)
from checker.cli import main
sys.argv[0] = "roadmap-check"
main()
"""
AS_OF = "2017-12-31"

GOOD_NAME = "good.yaml"
GOOD_RULE = "reform-item-responsible-missing"
"""The rule GOOD_DOC breaks: its reform item names no responsible ministry."""
GOOD_DOC = """\
document: {id: good, kind: roadmap, title: 改革工程表, revision: 2016}
reform_items:
  - number: 15
    title: 業務の簡素化・標準化
    responsible: []
"""


def roadmap(doc_id: str, **meta: str) -> str:
    """A small valid roadmap (with a responsible ministry, so it adds no finding of GOOD_RULE)."""
    extra = "".join(f", {k}: {v}" for k, v in meta.items())
    return (f"document: {{id: {doc_id}, kind: roadmap, title: 改革工程表, revision: 2016{extra}}}\n"
            "reform_items:\n  - number: 15\n    title: 業務の簡素化\n    responsible: [総務省]\n")


def write_corpus(directory: Path, files: dict[str, bytes | str]) -> Path:
    """GOOD_DOC plus `files` (name → content) in `directory`; returns the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / GOOD_NAME).write_text(GOOD_DOC, encoding="utf-8")
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
    return directory


@dataclass(frozen=True)
class Run:
    """One lint run: exit code, the parsed JSON report (None when stdout is not JSON), stdout and stderr."""

    exit_code: int
    report: dict[str, Any] | None
    stdout: str
    stderr: str
    seconds: float = 0.0
    max_rss: int = 0
    """Peak resident set size of the process in bytes (subprocess runs only)."""

    def findings(self, rule: str | None = None) -> list[dict[str, Any]]:
        found = (self.report or {}).get("findings", [])
        return [f for f in found if rule is None or f["rule"] == rule]

    def input_errors(self, file_suffix: str = "") -> list[dict[str, Any]]:
        return [f for f in self.findings("input-error") if f["location"]["file"].endswith(file_suffix)]


def _parse(stdout: str) -> dict[str, Any] | None:
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def lint(*args: str, json_report: bool = True) -> Run:
    """`roadmap-check lint ARGS --format json` in-process through click's CliRunner."""
    extra = ["--format", "json"] if json_report else []
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--as-of", AS_OF, *extra, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}") from result.exception
    return Run(result.exit_code, _parse(result.stdout), result.stdout, result.stderr)


def lint_subprocess(*args: str, timeout: float = 60) -> Run:
    """The same in a child process, measuring wall time and the child's own peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(os.devnull, "rb") as stdin, _Capture() as out, _Capture() as err, _Capture() as peak:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, f"/proc/self/fd/{peak.fh.fileno()}", "lint",
                                 "--no-cache", "--as-of", AS_OF, "--format", "json", *args], pass_fds=(peak.fh.fileno(),),
                                stdin=stdin, stdout=out.fh, stderr=err.fh, cwd=REPO, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise AssertionError(f"lint did not finish in {timeout} s: {args}")
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so that Popen does not wait again
    stdout, stderr = out.text, err.text
    # VmHWM is in KiB; without /proc, fall back on ru_maxrss (also KiB on Linux, and an over-estimate).
    rss_kib = int(peak.text or 0) or usage.ru_maxrss
    return Run(proc.returncode, _parse(stdout), stdout, stderr, seconds, rss_kib * 1024)


class _Capture:
    """A temporary file for a child's output (pipes could fill up and block a child being polled)."""

    def __enter__(self) -> _Capture:
        import tempfile

        self.fh = tempfile.TemporaryFile()
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.seek(0)
        self.text = self.fh.read().decode("utf-8", "replace")
        self.fh.close()


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "internal error" not in run.stderr, run.stderr[-2000:]


def assert_good_still_checked(run: Run) -> None:
    """GOOD_DOC, beside the bad file, was still linted and its finding reported."""
    hits = [f for f in run.findings(GOOD_RULE) if f["location"]["file"].endswith(GOOD_NAME)]
    assert len(hits) == 1, f"expected {GOOD_RULE} on {GOOD_NAME}; got {run.findings()}"
    assert hits[0]["location"]["line"] == 5


def assert_input_error(run: Run, file_suffix: str, fragment: str, line: int | None = None,
                       column: int | None = None) -> dict[str, Any]:
    """Exit 2, one input error for the file whose message holds `fragment` (at line:column if given)."""
    assert_no_traceback(run)
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    errors = run.input_errors(file_suffix)
    assert errors, f"no input error for {file_suffix}: {run.findings()}"
    messages = [e["message"] for e in errors]
    match = [e for e in errors if fragment in e["message"]]
    assert match, f"{fragment!r} not in {messages}"
    if line is not None:
        assert match[0]["location"]["line"] == line, match[0]
    if column is not None:
        assert match[0]["location"]["column"] == column, match[0]
    assert_good_still_checked(run)
    return match[0]


def check_bad_file(tmp_path: Path, name: str, content: bytes | str, fragment: str, line: int | None = None,
                   column: int | None = None) -> dict[str, Any]:
    """Lint GOOD_DOC and one bad file; the bad one is an input error, the good one is still checked."""
    directory = write_corpus(tmp_path / "corpus", {name: content})
    return assert_input_error(lint(str(directory)), name, fragment, line, column)


# ---------------------------------------------------------------- rule files

RULE = """\
rules:
  - id: my-rule
    severity: error
    title: {ja: タイトル, en: Title}
    select: reform_items
    check: required
    with: {fields: [responsible]}
    message:
      ja: "改革項目「{reform_item.title}」"
      en: "Reform item '{reform_item.title}'"
    rationale: because
    examples:
      fail: [{title: t, responsible: []}]
      pass: [{title: t, responsible: [総務省]}]
"""
"""A valid rule file of one rule; tests break it one way at a time."""


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle`'s first occurrence in `text`."""
    return text[:text.index(needle)].count("\n") + 1


def assert_rule_error(run, file: str, line: int, fragment: str) -> None:
    """Exit 2, `file:line:` and the message on stderr, and no report: nothing was linted."""
    assert_no_traceback(run)
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    assert run.stdout == "", "a broken ruleset must not lint anything"
    lines = [s for s in run.stderr.splitlines() if s.startswith(f"roadmap-check: {file}:{line}:")]
    assert any(fragment in s for s in lines), run.stderr

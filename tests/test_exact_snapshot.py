"""Regression tests for issue 17, case 2: the bytes a run is keyed on are the bytes it parses. A file
that changes while it is being checked stops the run ("changed while being checked", exit 2) and
nothing is stored, so no later run of the original bytes ever reports what the changed ones said."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import api
from checker.accel import pool
from checker.accel.cache import wait_for_writes
from checker.accel.parallel import can_fork
from checker.cli import main
from tests.differential import isolate

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"
AS_OF = dt.date(2017, 12, 31)
VICTIM = "progress-2017-local.yaml"


@pytest.fixture
def docs(tmp_path, monkeypatch) -> Path:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setattr(pool, "MIN_BYTES", 10**12)  # the tests that want the pool say so
    d = tmp_path / "docs"
    shutil.copytree(ROADMAPS, d)
    return d


def _changes_after_first_read(monkeypatch, target: Path, new: bytes) -> None:
    """The first read of `target` (the run hashing it) sees its bytes; every later one sees `new`, as if
    someone saved the file just after the run hashed it."""
    real = Path.read_bytes
    reads = {"n": 0}

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target.resolve():
            reads["n"] += 1
            if reads["n"] > 1:
                return new
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def _run(d: Path, cache: bool = True, jobs: int = 1) -> api.LintReport:
    try:
        return api.run(api.LintOptions(paths=(str(d),), as_of=AS_OF, cache=cache, jobs=jobs))
    finally:
        wait_for_writes()


EDITS = {
    "broken": b"document: [unclosed\n",
    "other count": (ROADMAPS / VICTIM).read_bytes().replace("全国で56グループ".encode(), "全国で58グループ".encode()),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_changed_mid_run_stops_the_run_and_poisons_nothing(docs, monkeypatch, edit, jobs):
    if jobs == 2:
        if not can_fork():
            pytest.skip("the pool forks")
        monkeypatch.setattr(pool, "MIN_BYTES", 0)
    expected = _run(docs, cache=False, jobs=jobs)
    with monkeypatch.context() as m:
        _changes_after_first_read(m, docs / VICTIM, EDITS[edit])
        with pytest.raises(api.ApiError, match="changed while it was being checked"):
            _run(docs, jobs=jobs)
    # The file is as it was: every later run reports it as it is, first from scratch, then from the cache.
    assert _run(docs, jobs=jobs).findings == expected.findings
    assert _run(docs, jobs=jobs).findings == expected.findings


def test_changed_mid_run_is_exit_2_on_the_command_line(docs, monkeypatch):
    _changes_after_first_read(monkeypatch, docs / VICTIM, EDITS["broken"])
    result = CliRunner().invoke(main, ["lint", str(docs), "--as-of", "2017-12-31"])
    assert result.exit_code == 2
    assert f"{VICTIM} changed while it was being checked" in result.output


def test_a_file_added_mid_run_stops_the_run(docs, monkeypatch):
    from checker.accel import run_cache

    real = run_cache.discover

    def discover_then_add(paths):
        found = real(paths)
        (docs / "late.yaml").write_bytes((docs / VICTIM).read_bytes().replace(b"progress-2017-local", b"late"))
        return found

    monkeypatch.setattr(run_cache, "discover", discover_then_add)
    with pytest.raises(api.ApiError, match=r"late\.yaml changed while it was being checked"):
        _run(docs)
    monkeypatch.setattr(run_cache, "discover", real)
    assert _run(docs).findings == _run(docs, cache=False).findings


def test_a_rule_file_changed_mid_run_stores_nothing(docs, monkeypatch):
    from checker.rules import rule_files

    real = rule_files.rules_digest
    calls = {"n": 0}

    def digest(paths):
        calls["n"] += 1
        return real(paths) if calls["n"] == 1 else "something else"

    monkeypatch.setattr(rule_files, "rules_digest", digest)
    with pytest.raises(api.ApiError, match="changed while it was being checked"):
        _run(docs)
    monkeypatch.setattr(rule_files, "rules_digest", real)
    from checker.accel.cache import Cache

    assert not [k for k, _, _ in Cache().store.items() if k == "run"]  # nothing stored under the old digest

"""Regression tests for issue 17, cases 3 and 5: a pending marker whose writer is gone costs no wait, and a
cache that cannot be used says so once (`cache off: <reason>`), with --verbose saying what it did."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.accel import cache_writes
from checker.accel.cache import Cache, make_key, wait_for_writes
from checker.accel.cache_writes import marker_bytes, process_start
from checker.cli import main

REPO = Path(__file__).resolve().parents[1]
ROADMAPS = REPO / "roadmaps"


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, str]:
    values = {"ROADMAP_CHECK_CACHE_DIR": str(tmp_path / "cache")}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


def _gone_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _timed_get(cache: Cache, key: str) -> tuple[object, float]:
    start = time.perf_counter()
    value = cache.get("run", key)
    return value, time.perf_counter() - start


def test_a_marker_whose_writer_is_gone_is_ignored_at_once(tmp_path):
    cache = Cache(tmp_path / "cache")
    key = make_key("gone", 1)
    marker = cache._marker("run", key)
    marker.parent.mkdir(parents=True)
    marker.write_bytes(marker_bytes(_gone_pid(), 30.0))
    value, took = _timed_get(cache, key)
    assert value is None and took < 1.0
    assert not marker.exists()


def test_a_marker_whose_pid_was_reused_is_ignored(tmp_path):
    if process_start(os.getpid()) is None:
        pytest.skip("no /proc: start times cannot be read")
    cache = Cache(tmp_path / "cache")
    key = make_key("reused", 1)
    marker = cache._marker("run", key)
    marker.parent.mkdir(parents=True)
    info = json.loads(marker_bytes(os.getpid(), 30.0))
    info["start"] = str(int(info["start"]) - 1)  # this pid, but an earlier process
    marker.write_bytes(json.dumps(info).encode())
    value, took = _timed_get(cache, key)
    assert value is None and took < 1.0 and not marker.exists()


def test_a_live_writer_is_waited_for_no_longer_than_its_work(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        cache = Cache(tmp_path / "cache")
        key = make_key("slow", 1)
        marker = cache._marker("run", key)
        marker.parent.mkdir(parents=True)
        marker.write_bytes(marker_bytes(sleeper.pid, 0.3))  # computing the entry took 0.3 s
        value, took = _timed_get(cache, key)
        assert value is None and 0.2 < took < 2.0
        assert marker.exists()  # its writer lives: it may still come, for a later reader
    finally:
        sleeper.kill()
        sleeper.wait()


def test_an_old_empty_marker_is_bounded_too(tmp_path):
    cache = Cache(tmp_path / "cache")
    key = make_key("old kind", 1)
    marker = cache._marker("run", key)
    marker.parent.mkdir(parents=True)
    marker.write_bytes(b"")
    old = time.time() - cache_writes.PENDING_TIMEOUT - 1
    os.utime(marker, (old, old))
    assert _timed_get(cache, key)[1] < 1.0 and not marker.exists()


def test_a_run_killed_just_after_it_announces_costs_the_next_run_no_wait(tmp_path, env):
    """The issue's case: the killed run leaves its marker in pending/; the same state linted again must not
    wait 10 s for a writer that no longer exists."""
    docs = tmp_path / "docs"
    shutil.copytree(ROADMAPS, docs)
    killed = ("import os, sys\n"
              "from checker.accel import cache\n"
              "cache.os.fork = lambda: os._exit(9)  # killed right after announcing its entry\n"
              "from checker.cli import main\n"
              f"sys.argv = ['roadmap-check', 'lint', {str(docs)!r}, '--as-of', '2017-12-31', '-q']\n"
              "main()\n")
    run = subprocess.run([sys.executable, "-c", killed], env={**os.environ, **env}, capture_output=True)
    assert run.returncode == 9
    assert list((tmp_path / "cache" / "pending").iterdir())  # the marker it left
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["lint", str(docs), "--as-of", "2017-12-31", "-f", "json"])
    assert time.perf_counter() - start < 5.0 and result.exit_code == 1
    wait_for_writes()  # this run's own detached writer, which announced the same entry again
    assert not list((tmp_path / "cache" / "pending").iterdir())
    assert "whole run was reused" in CliRunner().invoke(main, ["lint", str(docs), "--as-of", "2017-12-31",
                                                                 "-f", "json", "-v"]).stderr


def _lint(*args: str) -> object:
    return CliRunner().invoke(main, ["lint", str(ROADMAPS), "--as-of", "2017-12-31", "-f", "json", *args])


def test_a_cache_directory_that_is_a_file_says_cache_off_once(tmp_path, env, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(blocker))
    result = _lint()
    assert result.exit_code == 1
    said = [line for line in result.stderr.splitlines() if "cache" in line]
    assert len(said) == 1 and said[0].startswith("roadmap-check: cache off: ") and str(blocker) in said[0]
    assert json.loads(result.stdout)["findings"]  # the report is whole all the same


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only directories")
def test_a_read_only_cache_directory_says_cache_off(tmp_path, env):
    (tmp_path / "cache").mkdir()
    os.chmod(tmp_path / "cache", 0o555)
    try:
        result = _lint()
    finally:
        os.chmod(tmp_path / "cache", 0o755)
    assert result.exit_code == 1 and result.stderr.count("cache off:") == 1


def test_pending_as_a_file_degrades_but_still_caches(tmp_path, env):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "pending").write_text("in the way", encoding="utf-8")
    first = _lint("--verbose")
    assert first.exit_code == 1 and first.stderr.count("cache degraded: cannot write") == 1
    again = _lint("--verbose")  # the whole-run entry was written in place: the next run reuses it
    assert "the whole run was reused" in again.stderr and again.stdout == first.stdout


def test_verbose_says_what_the_cache_did(tmp_path, env):
    docs = tmp_path / "docs"
    shutil.copytree(ROADMAPS, docs)

    def lint() -> str:
        result = CliRunner().invoke(main, ["lint", str(docs), "--as-of", "2017-12-31", "-v", "-f", "json"])
        assert result.exit_code == 1
        return next(line for line in result.stderr.splitlines() if "roadmap-check: cache:" in line)

    cold = lint()
    assert "documents 0 reused, 7 parsed" in cold and "0 reused" in cold and "whole-run entry stored" in cold
    assert "whole run was reused" in lint()
    victim = docs / "progress-2017-local.yaml"
    victim.write_bytes(victim.read_bytes() + b"# an edit\n")
    edited = lint()
    assert "documents 6 reused, 1 parsed" in edited
    reused, rerun = (int(x) for x in
                     edited.split("groups ")[1].split(";")[0].replace(" reused,", "").replace(" re-run", "").split())
    assert reused > 0 and 0 < rerun < reused
    assert "cache" not in CliRunner().invoke(main, ["lint", str(docs), "--as-of", "2017-12-31", "-f", "json"]).stderr

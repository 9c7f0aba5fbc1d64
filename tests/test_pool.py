"""Documents loaded and linted by worker processes (checker.accel.pool): the same findings and errors as one process."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import api
from checker.accel import pool
from checker.accel.parallel import can_fork
from checker.accel.runner import GroupRunner, PoolRunner
from checker.accel.stub import DocumentStub
from checker.cli import main
from checker.domain.load import discover

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"
AS_OF = dt.date(2019, 12, 31)
pytestmark = pytest.mark.skipif(not can_fork(), reason="the pool forks")


@pytest.fixture
def generated(tmp_path) -> Path:
    """A corpus of several policy areas, with one file that does not load."""
    from benchmarks.generate import generate

    corpus = tmp_path / "generated"
    generate(8000, "normal", corpus, seed=2)
    (corpus / "area-000" / "broken.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    return corpus


def _run(paths, monkeypatch, *, pooled: bool, workers: str = "2", cache: bool = False) -> api.LintReport:
    monkeypatch.setattr(pool, "MIN_BYTES", 0 if pooled else 10**12)
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", workers)
    return api.run(api.LintOptions(paths=tuple(str(p) for p in paths), as_of=AS_OF, cache=cache))


def _same(a: api.LintReport, b: api.LintReport) -> None:
    assert a.findings == b.findings
    assert a.input_errors == b.input_errors


def test_pooled_run_equals_one_process(generated, monkeypatch):
    alone = _run([generated, ROADMAPS], monkeypatch, pooled=False, workers="1")
    assert alone.findings and alone.input_errors  # something to compare, the broken file included
    for workers in ("2", "3"):
        _same(_run([generated, ROADMAPS], monkeypatch, pooled=True, workers=workers), alone)


def test_pooled_run_through_the_cache_equals_one_process(generated, monkeypatch, tmp_path):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    alone = _run([generated], monkeypatch, pooled=False, workers="1")
    cold = _run([generated], monkeypatch, pooled=True, cache=True)
    _same(cold, alone)
    victim = sorted(generated.glob("area-001/progress-*.yaml"))[0]
    victim.write_bytes(victim.read_bytes() + b"# an edit\n")
    changed = _run([generated], monkeypatch, pooled=True, cache=True)  # stubs in the parent, workers parse
    _same(changed, _run([generated], monkeypatch, pooled=False, workers="1"))


def test_workers_are_gone_after_the_run(generated, monkeypatch):
    started: list[pool.DocumentPool] = []
    original = pool.DocumentPool.load

    def recording(self, files):
        started.append(self)
        return original(self, files)

    monkeypatch.setattr(pool.DocumentPool, "load", recording)
    _run([generated], monkeypatch, pooled=True)
    procs = [proc for p in started for proc in p.workers_started]
    assert started and all(not p.procs and not p.conns for p in started)
    from checker.accel.cache import wait_for_writes

    wait_for_writes()  # the workers end on their own once told; this waits for them
    assert procs and not any(proc.is_alive() for proc in procs)


def test_a_failing_worker_stops_the_run_with_a_message_not_a_traceback(generated, monkeypatch):
    def broken(self, jobs, paths, as_of):
        raise ValueError("simulated bug in a worker")

    monkeypatch.setattr(pool._Worker, "run", broken)  # the forked workers inherit the patch
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "2")
    result = CliRunner().invoke(main, ["lint", str(generated), "--no-cache", "--as-of", "2019-12-31"])
    assert result.exit_code == 2
    assert "simulated bug in a worker" in result.output and "Traceback (most recent call last)" not in result.output


def test_shares_are_contiguous_and_cover_every_file(tmp_path):
    files = []
    for i, size in enumerate([10, 10, 50, 10, 10, 10]):
        f = tmp_path / f"f{i}.yaml"
        f.write_bytes(b"x" * size)
        files.append((f, f.name))
    shares = pool._shares(files, 2)
    assert [f for share in shares for f in share] == files
    assert all(share for share in shares)


def test_small_corpora_are_loaded_in_process(monkeypatch, tmp_path):
    shutil.copytree(ROADMAPS, tmp_path / "r")
    files = discover([tmp_path / "r"])[0]
    assert files and not pool.pays(files, api.DEFAULT_LIMITS, None, 2)
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    assert pool.pays(files, api.DEFAULT_LIMITS, None, 2) and not pool.pays(files, api.DEFAULT_LIMITS, None, 1)


def test_a_run_after_an_edit_loads_in_process_from_summaries(generated, monkeypatch, tmp_path):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "2")
    from checker.accel.cache import Cache
    from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

    ruleset, _ = load_ruleset([DEFAULT_RULES_DIR])
    cache = Cache()
    files = discover([generated])[0]
    assert pool.pays(files, api.DEFAULT_LIMITS, cache, 2)  # nothing cached yet: workers parse
    first = PoolRunner(2, ruleset, cache=cache)
    assert first.load([generated], api.DEFAULT_LIMITS).documents and first.pool is not None
    first.close()
    cache.flush()
    assert not pool.pays(files, api.DEFAULT_LIMITS, cache, 2)  # every file summarised: stubs, no workers
    again = GroupRunner(2, cache=cache).load([generated], api.DEFAULT_LIMITS).documents
    assert again and all(isinstance(d, DocumentStub) for d in again)


def test_a_document_another_worker_loaded_must_still_hold_the_same_bytes(tmp_path):
    from checker.accel.stub import InputChanged
    from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

    ruleset, _ = load_ruleset([DEFAULT_RULES_DIR])
    path = tmp_path / "kaikaku-2015-it.yaml"
    path.write_bytes((ROADMAPS / "kaikaku-2015-it.yaml").read_bytes())
    worker = pool._Worker(None, ruleset, api.DEFAULT_LIMITS, None)  # type: ignore[arg-type]
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert worker.doc(path.as_posix(), path, digest).digest == digest
    other = pool._Worker(None, ruleset, api.DEFAULT_LIMITS, None)  # type: ignore[arg-type]
    path.write_bytes(path.read_bytes() + b"# edited meanwhile\n")
    with pytest.raises(InputChanged):
        other.doc(path.as_posix(), path, digest)


def test_without_processes_to_start_the_corpus_is_loaded_here(generated, monkeypatch):
    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")

    import multiprocessing.process

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

    runner = PoolRunner(2, load_ruleset([DEFAULT_RULES_DIR])[0])
    assert runner.load([generated], api.DEFAULT_LIMITS).documents and runner.pool is None

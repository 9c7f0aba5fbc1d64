"""Rules run in forked workers give exactly the findings of one process, in the same order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker import engine, parallel
from checker.load import load_paths
from checker.ruleset import DEFAULT_RULES_DIR, load_ruleset

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"


@pytest.mark.skipif(not parallel.can_fork(), reason="fork is not available on this platform")
def test_workers_give_the_same_findings_as_one_process(monkeypatch):
    ruleset, errors = load_ruleset([DEFAULT_RULES_DIR])
    assert errors == []
    loaded = load_paths([ROADMAPS])
    monkeypatch.setattr(engine, "PARALLEL_MIN_LINES", 0)
    runs = {}
    for workers in ("1", "2", "3"):
        monkeypatch.setenv("ROADMAP_CHECK_WORKERS", workers)
        runs[workers] = engine.lint(loaded.documents, ruleset, dt.date(2019, 4, 1)).findings
    assert runs["1"], "the corpus has findings to compare"
    assert runs["2"] == runs["1"]
    assert runs["3"] == runs["1"]


def test_balanced_chunks_cover_every_item_once():
    chunks = parallel.balanced_chunks([5.0, 1.0, 4.0, 2.0, 3.0], 2)
    assert sorted(i for c in chunks for i in c) == [0, 1, 2, 3, 4]
    totals = sorted(sum([5.0, 1.0, 4.0, 2.0, 3.0][i] for i in c) for c in chunks)
    assert totals == [7.0, 8.0]


def test_worker_count_honours_the_environment(monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "3")
    assert parallel.worker_count() == 3
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "zero")
    assert 1 <= parallel.worker_count() <= 8


@pytest.mark.skipif(not parallel.can_fork(), reason="fork is not available on this platform")
def test_incremental_groups_in_workers_give_the_same_findings(monkeypatch):
    from tests.test_incremental import CountingStore

    ruleset, _ = load_ruleset([DEFAULT_RULES_DIR])
    docs = load_paths([ROADMAPS]).documents
    monkeypatch.setattr(engine, "PARALLEL_MIN_LINES", 0)
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "1")
    one = engine.lint(docs, ruleset, dt.date(2019, 4, 1), store=CountingStore().store()).findings
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "2")
    store = CountingStore()
    two = engine.lint(docs, ruleset, dt.date(2019, 4, 1), store=store.store()).findings
    assert one and two == one
    assert store.misses == len(store.entries) > 1  # every group was computed in a worker and stored


def test_affinity_chunks_keep_a_home_on_one_worker():
    # Two areas of three jobs each, every job reading its area's two documents (expensive to build).
    costs = [3.0, 2.0, 1.0, 3.0, 2.0, 1.0]
    needs = [["a1", "a2"]] * 3 + [["b1", "b2"]] * 3
    build = dict.fromkeys(["a1", "a2", "b1", "b2"], 10.0)
    homes = ["a"] * 3 + ["b"] * 3
    chunks = parallel.affinity_chunks(costs, needs, build, homes, 2)
    assert sorted(chunks) == [[0, 1, 2], [3, 4, 5]]


def test_affinity_chunks_split_a_home_larger_than_a_share():
    # One area holds all the work: its jobs are spread, and the homeless job goes where it is cheaper.
    costs = [8.0, 8.0, 8.0, 8.0, 1.0]
    needs = [["d1"], ["d2"], ["d3"], ["d4"], ["d1", "d2"]]
    build = dict.fromkeys(["d1", "d2", "d3", "d4"], 1.0)
    chunks = parallel.affinity_chunks(costs, needs, build, ["a", "a", "a", "a", None], 2)
    assert sorted(i for c in chunks for i in c) == [0, 1, 2, 3, 4]
    assert len(chunks) == 2 and all(len([i for i in c if i < 4]) == 2 for c in chunks)
    assert any(4 in c and {0, 1} & set(c) for c in chunks)

"""Rules run in forked workers give exactly the findings of one process, in the same order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.accel import parallel
from checker.accel.runner import ForkedRunner, GroupRunner
from checker.domain.load import load_paths
from checker.engine import run as engine
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"


@pytest.mark.skipif(not parallel.can_fork(), reason="fork is not available on this platform")
def test_workers_give_the_same_findings_as_one_process(monkeypatch):
    ruleset, errors = load_ruleset([DEFAULT_RULES_DIR])
    assert errors == []
    loaded = load_paths([ROADMAPS])
    runs = {workers: engine.lint(loaded.documents, ruleset, dt.date(2019, 4, 1),
                                 run=ForkedRunner(workers, min_lines=0).run).findings for workers in (1, 2, 3)}
    assert runs[1], "the corpus has findings to compare"
    assert runs[1] == engine.lint(loaded.documents, ruleset, dt.date(2019, 4, 1)).findings
    assert runs[2] == runs[1]
    assert runs[3] == runs[1]


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
    from tests.helpers.stores import CountingStore

    ruleset, _ = load_ruleset([DEFAULT_RULES_DIR])
    docs = load_paths([ROADMAPS]).documents
    one = engine.lint(docs, ruleset, dt.date(2019, 4, 1), run=GroupRunner(1, CountingStore().store()).run).findings
    store = CountingStore()
    two = engine.lint(docs, ruleset, dt.date(2019, 4, 1), run=GroupRunner(2, store.store(), min_lines=0).run).findings
    assert one and two == one
    assert store.misses == len(store.entries) > 1  # every group was computed in a worker and stored


def _record_pid(i: int) -> tuple[int, int]:
    import os

    return i, os.getpid()


@pytest.mark.skipif(not parallel.can_fork(), reason="fork is not available on this platform")
def test_units_run_whole_in_one_worker_and_results_keep_item_order():
    units = [[4, 0, 2], [1], [3, 5]]
    out = parallel.map_forked_units(_record_pid, list(range(6)), units, 2)
    assert [i for i, _ in out] == list(range(6))
    for unit in units:
        assert len({out[i][1] for i in unit}) == 1  # one process ran the whole unit


@pytest.mark.skipif(not parallel.can_fork(), reason="fork is not available on this platform")
def test_units_started_now_are_collected_later_in_item_order():
    import os

    collect = parallel.start_forked_units(_record_pid, list(range(5)), [[3], [0, 1], [2, 4]], 2)
    out = collect()
    assert [i for i, _ in out] == list(range(5))
    assert os.getpid() not in {pid for _, pid in out}  # even one unit would run in a worker
    assert parallel.start_forked_units(_record_pid, [], [], 2)() == []
    one = parallel.start_forked_units(_record_pid, [7], [[0]], 2)()
    assert one[0][0] == 7 and one[0][1] != os.getpid()


def test_units_keep_an_area_together_unless_it_is_more_than_a_share():
    from checker.accel import incremental
    from checker.domain.corpus import Corpus

    docs = load_paths([ROADMAPS]).documents  # every bundled document is in one area
    corpus = Corpus(docs)
    ruleset, _ = load_ruleset([DEFAULT_RULES_DIR])
    rules = tuple(ruleset.rules[:1])
    todo = [incremental._Job(str(i), rules, (d,)) for i, d in enumerate(corpus.documents)]
    costs = [1.0] * len(todo)
    one_worker = incremental._units(corpus, todo, costs, 1)
    assert one_worker == [list(range(len(todo)))]  # one area, one unit
    two_workers = incremental._units(corpus, todo, costs, 2)
    assert sorted(i for u in two_workers for i in u) == list(range(len(todo)))
    assert all(len(u) == 1 for u in two_workers)  # the area is more than half the work: split

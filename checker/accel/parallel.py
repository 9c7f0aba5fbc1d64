"""Use every core on large corpora: run groups of rules in forked worker processes.

Forking (not spawning) lets the workers share the parent's memory: the loaded corpus, the compiled
rules and the shared collections are inherited, not sent; only findings (small) cross back. Results
are put back in a fixed order, so the output is the same whatever the number of workers. Small
inputs, platforms without fork, and ROADMAP_CHECK_WORKERS=1 run in-process.

Loading here is not parallelised: pickling loaded documents back to the parent cost more than the
second core saved (11.2 s against 7.3 s in one process on 100,000 cells). checker.accel.pool parallelises it
another way, with workers that keep the documents they load and lint them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from checker.timing import phase

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_LINES = 20_000
"""Below this many input lines, starting workers (~60 ms) costs more than it saves."""

# The function and items a forked worker runs; set in the parent just before the fork.
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count() -> int:
    """Workers to use: ROADMAP_CHECK_WORKERS, else the CPUs this process may run on (at most 8)."""
    env = os.environ.get("ROADMAP_CHECK_WORKERS", "")
    if env.isdigit() and int(env) >= 1:
        return int(env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _run_chunk(indices: list[int]) -> list[tuple[int, Any]]:
    assert _JOB is not None
    fn, items = _JOB
    with phase(f"worker ({len(indices)} items)"):
        return [(i, fn(items[i])) for i in indices]


def map_forked(fn: Callable[[T], R], items: Sequence[T], chunks: list[list[int]]) -> list[R]:
    """fn over items, each chunk of indices in its own forked worker; results in item order.

    The parent takes no part: with as many chunks as cores, the workers use every core.
    """
    return map_forked_units(fn, items, chunks, len(chunks))


def map_forked_units(fn: Callable[[T], R], items: Sequence[T], units: list[list[int]], workers: int) -> list[R]:
    """fn over items in `workers` forked processes that take units of indices from a queue as they free up.

    A unit is work that shares what it builds (the jobs of one policy area share its documents'
    entities), so it runs whole in one worker, which keeps what it built for its later units. Give
    units largest first: taking them as they come balances the cores whatever the cost estimates
    got wrong, which placing them beforehand could not (on 100,000 cells one worker ran 4.1 s and
    the other 2.6 s). Results are in item order whatever ran where.
    """
    if workers <= 1 or len(units) <= 1 or not can_fork():
        return [fn(item) for item in items]
    return start_forked_units(fn, items, units, workers)()


def start_forked_units(fn: Callable[[T], R], items: Sequence[T], units: list[list[int]], workers: int
                       ) -> Callable[[], list[R]]:
    """map_forked_units, started now and collected later: the workers run while the caller does other
    work (an incremental run reads its cached groups meanwhile). Returns the function that waits for
    the results, in item order; call it exactly once. Without fork, the work runs when it is called."""
    global _JOB
    if not units:
        return lambda: []
    if not can_fork():
        return lambda: [fn(item) for item in items]
    _JOB = (fn, items)
    try:
        # The workers are forked here, so they see _JOB as it is now, whatever the parent does next.
        pool = multiprocessing.get_context("fork").Pool(max(1, min(workers, len(units))))
    finally:
        _JOB = None
    try:
        parts = pool.imap_unordered(_run_chunk, units, chunksize=1)
    except BaseException:
        pool.terminate()
        raise

    def collect() -> list[R]:
        try:
            done = list(parts)
        finally:
            pool.terminate()
        out: list[Any] = [None] * len(items)
        for part in done:
            for i, result in part:
                out[i] = result
        return out

    return collect


def balanced_chunks(costs: Sequence[float], workers: int) -> list[list[int]]:
    """Split item indices into `workers` chunks of about equal total cost (largest first, greedy)."""
    bins: list[list[int]] = [[] for _ in range(max(1, workers))]
    totals = [0.0] * len(bins)
    for i in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        b = totals.index(min(totals))
        bins[b].append(i)
        totals[b] += costs[i]
    return [sorted(b) for b in bins if b]

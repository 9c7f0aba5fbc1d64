"""Differential runs for exactness tests: the same corpus linted four ways must give one answer.

cached (cold, then warm) and uncached, with one worker and with several, with the thresholds that keep
small corpora in one process lowered, so that the forked and pooled paths really run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from checker import api
from checker.accel import pool
from checker.accel import runner as ar
from checker.accel.cache import wait_for_writes

WAYS = ("uncached/1", "uncached/3", "cached/1", "cached/3")


def outcome(report: api.LintReport) -> tuple[Any, ...]:
    """What must not depend on how a run was made: findings (with locations and messages), input errors."""
    return (report.findings, report.input_errors, report.summary.files)


class _ForkedEvenSmall(ar.ForkedRunner):
    def __init__(self, workers: int, min_lines: int = 0):
        super().__init__(workers, 0)


class _GroupsEvenSmall(ar.GroupRunner):
    def __init__(self, workers: int, store: Any = ar.NO_STORE, cache: Any = None, digests: Any = None,
                 min_lines: int = 0):
        super().__init__(workers, store, cache, digests, 0)


def isolate(monkeypatch: Any, tmp: Path) -> None:
    """A private cache for the test, and forked and pooled paths even on a small corpus."""
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp / "cache"))
    monkeypatch.setattr(pool, "MIN_BYTES", 0)
    monkeypatch.setattr(ar, "ForkedRunner", _ForkedEvenSmall)
    monkeypatch.setattr(ar, "GroupRunner", _GroupsEvenSmall)


def run_way(way: str, paths: list[Path], monkeypatch: Any, as_of: dt.date, rules: tuple[Path, ...] = (),
            select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> tuple[Any, ...]:
    cache, workers = way.split("/")
    options = api.LintOptions(paths=tuple(str(p) for p in paths), rules=rules, as_of=as_of, select=select,
                              ignore=ignore, cache=cache == "cached", jobs=int(workers))
    try:
        return outcome(api.run(options))
    finally:
        wait_for_writes()


def four_ways(paths: list[Path], monkeypatch: Any, as_of: dt.date, **kw: Any) -> dict[str, tuple[Any, ...]]:
    """The outcome of each way (the cached ones twice: cold or partly warm, then warm)."""
    out = {}
    for way in WAYS:
        out[way] = run_way(way, paths, monkeypatch, as_of, **kw)
        if way.startswith("cached"):
            out[way + "/again"] = run_way(way, paths, monkeypatch, as_of, **kw)
    return out


def assert_same(results: dict[str, tuple[Any, ...]]) -> None:
    first_way, first = next(iter(results.items()))
    for way, got in results.items():
        assert got == first, f"{way} differs from {first_way}: {describe(first, got)}"


def describe(a: tuple[Any, ...], b: tuple[Any, ...]) -> str:
    """How two outcomes differ, briefly: counts, findings only one has, order, errors."""
    if a[0] == "error" or b[0] == "error":
        return f"{a!r:.300} vs {b!r:.300}"
    fa, fb = list(a[0]), list(b[0])
    only_a = [f for f in fa if f not in fb][:3]
    only_b = [f for f in fb if f not in fa][:3]
    order = "" if only_a or only_b or fa == fb else "; same findings in another order: " + repr(
        next((x, y) for x, y in zip(fa, fb, strict=False) if x != y))
    return (f"{len(fa)} vs {len(fb)} findings; only first: {only_a}; only second: {only_b}{order}; "
            f"errors differ: {a[1] != b[1]}; files differ: {a[2] != b[2]}")

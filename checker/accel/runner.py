"""The runners that use worker processes and the cache (checker.api picks one per run; see engine.run.Runner).

- ForkedRunner: no cache; on a large corpus, groups of rules run in forked workers;
- GroupRunner: rules run per group of the documents they can depend on, and each group's findings are
  kept in a GroupStore (the cache) and reused while its documents are unchanged (checker.accel.incremental);
  groups to run go to forked workers on a large corpus;
- PoolRunner: worker processes load the files, keep them and run the groups (checker.accel.pool).

Each gives the findings engine.run.SerialRunner gives (tests compare them), in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.accel.cache import Cache
from checker.accel.doc_cache import cached_loader
from checker.accel.incremental import NO_STORE, GroupStore, run_incremental
from checker.accel.parallel import PARALLEL_MIN_LINES, balanced_chunks, can_fork, map_forked
from checker.accel.pool import DocumentPool
from checker.checks.base import Context
from checker.domain.corpus import COLLECTIONS, Corpus
from checker.domain.findings import Finding
from checker.domain.load import LoadedDocument, LoadResult, discover, load_file, load_paths, same_files
from checker.engine.run import SerialRunner, run_rule, run_rules
from checker.rules.ruleset import Rule, Ruleset
from checker.source.inputs import Limits
from checker.timing import phase

# Check kinds whose rules share work through Corpus.memo (claim matching, the facts of counts): they
# run in one process.
_SHARED_WORK = {"reference": "matching", "coverage": "matching", "kpi_coverage": "matching",
                "target_agrees": "matching", "consistent": "counts"}
# Rough cost per selected entity, relative to a simple field check (~0.8 µs; measured per rule on
# a generated 100,000-cell corpus (benchmarks/generate.py), each rule timed alone, 2026-11).
_COST = {"reference": 13.0, "coverage": 2.0, "consistent": 3.0, "deadline_passed": 3.0, "vocabulary": 3.0,
         "kpi_category": 20.0, "relisted": 6.0}


def _rule_groups(rules: list[Rule], corpus: Corpus) -> tuple[list[list[Rule]], list[float]]:
    groups: dict[str, list[Rule]] = {}
    for r in rules:
        groups.setdefault(_SHARED_WORK.get(r.spec.check, r.id), []).append(r)
    ordered = [groups[k] for k in sorted(groups)]
    costs = [sum(len(corpus.collection(r.spec.select)) * _COST.get(r.spec.check, 1.0) for r in g)
             for g in ordered]
    return ordered, costs


def _run_rule_group(job: tuple[list[Rule], Context]) -> list[Finding]:
    group, ctx = job
    return [f for rule in group for f in run_rule(rule, ctx.corpus, ctx)]


def prebuild_collections(corpus: Corpus) -> None:
    """Build every collection's entities now, so that forked workers inherit them."""
    for d in corpus.documents:
        for name in COLLECTIONS:
            corpus.entities_of(name, d)


class ForkedRunner(SerialRunner):
    """Loads here; on a large corpus, groups of rules run in `workers` forked workers (nothing cached)."""

    def __init__(self, workers: int, min_lines: int = PARALLEL_MIN_LINES):
        self.workers, self.min_lines = workers, min_lines

    def run(self, rules: list[Rule], ctx: Context) -> list[Finding]:
        corpus = ctx.corpus
        size = sum(d.line_count for d in corpus.documents)
        if self.workers < 2 or len(rules) < 2 or size < self.min_lines or not can_fork():
            return run_rules(rules, ctx)
        groups, costs = _rule_groups(rules, corpus)
        prebuild_collections(corpus)
        chunks = balanced_chunks(costs, self.workers)
        results = map_forked(_run_rule_group, [(g, ctx) for g in groups], chunks)
        return [f for part in results for f in part]


def cache_store(cache: Cache, key: Callable[..., str]) -> GroupStore:
    """The cache's group entries as a GroupStore; `key(*parts)` must cover the rule files and the code."""
    return GroupStore(lambda k: cache.get("group", k), lambda k, v: cache.put("group", k, v), key,
                      lambda k: cache.has("group", k))


class GroupRunner(SerialRunner):
    """Loads here (through the document cache, when given one); runs rules per group of documents,
    reusing the findings `store` holds for each group (see the module docstring)."""

    def __init__(self, workers: int, store: GroupStore = NO_STORE, cache: Cache | None = None,
                 digests: dict[str, str] | None = None, min_lines: int = PARALLEL_MIN_LINES):
        self.workers, self.store, self.cache, self.digests = workers, store, cache, digests
        self.min_lines = min_lines
        """Below this many lines, groups run here: starting workers would cost more than they save."""

    def load(self, paths: list[str | Path], limits: Limits) -> LoadResult:
        loader = load_file if self.cache is None else cached_loader(self.cache, self.digests)
        return load_paths(paths, limits, loader, self.digests if self.cache is not None else None)

    def run(self, rules: list[Rule], ctx: Context) -> list[Finding]:
        return run_incremental(ctx, rules, self.store, self.workers, min_lines=self.min_lines)


class PoolRunner(GroupRunner):
    """Worker processes load the files and keep them, then run the groups of documents (checker.accel.pool);
    it falls back to loading here when no processes can be had."""

    def __init__(self, workers: int, ruleset: Ruleset, store: GroupStore = NO_STORE, cache: Cache | None = None,
                 digests: dict[str, str] | None = None):
        super().__init__(workers, store, cache, digests)
        self.ruleset = ruleset
        self.pool: DocumentPool | None = None

    def load(self, paths: list[str | Path], limits: Limits) -> LoadResult:
        files, errors, skipped = discover(paths)
        if self.digests is not None:
            same_files(files, self.digests)  # none added or removed since the run hashed them
        pool = DocumentPool(self.ruleset, limits, self.cache, self.workers)
        try:
            results = pool.load([(f, f.as_posix(), (self.digests or {}).get(f.as_posix())) for f in files])
        except OSError:  # no processes or pipes to be had: load here instead
            pool.close()
            return super().load(paths, limits)
        except BaseException:
            pool.close()
            raise
        self.pool = pool
        documents = [r for r in results if isinstance(r, LoadedDocument)]
        errors.extend(e for r in results if not isinstance(r, LoadedDocument) for e in r)
        return LoadResult(documents, errors, skipped)

    def run(self, rules: list[Rule], ctx: Context) -> list[Finding]:
        if self.pool is None:
            return super().run(rules, ctx)
        return run_incremental(ctx, rules, self.store, self.workers, self.pool)

    def close(self) -> None:
        if self.pool is not None:
            with phase("worker pool close"):
                self.pool.close()
            self.pool = None


__all__ = ["NO_STORE", "ForkedRunner", "GroupRunner", "PoolRunner", "cache_store", "prebuild_collections"]

"""Incremental linting: each rule runs per group of the documents it can depend on, cached per group.

A check kind declares its scope (checks.base.Check.scope): a `document` rule reads one document; a
`roadmap` rule a roadmap and the reviews that report on it; a `revision` rule every document of one
edition; an `area` rule every document of one policy area. Each group is linted with what its
documents may read by reference, and gives only the findings in the documents it owns
(checker.accel.groups), so the groups together give exactly the findings of one run over the corpus,
and the findings of a group can be cached under the digests of its documents: after one file
changes, only the groups that hold it run again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.accel.groups import Group, GroupResult, PlannedGroup, id_index, kept, plan, run_owned
from checker.accel.parallel import PARALLEL_MIN_LINES, can_fork, start_forked_units
from checker.accel.pool import DocumentPool, PoolJob
from checker.checks.base import Context
from checker.domain.corpus import COLLECTIONS, Corpus
from checker.domain.findings import Finding
from checker.domain.load import LoadedDocument
from checker.engine.run import run_rule
from checker.rules.ruleset import Rule
from checker.timing import phase

_ENTITY_COST = 12.0
"""Building a document's entities costs about as much as this many rules on it (job costs are lines
× rules): 2.3 s against 4.2 s for ~24 rule-lines per line on 100,000 cells."""


def groups(corpus: Corpus, scope: str, kinds: frozenset[str] | None = None) -> list[Group]:
    """The documents each group of `scope` is linted with (owned and context: checker.accel.groups.plan)."""
    return [list(g.members) for g in plan(corpus, scope, kinds)]


@dataclass(frozen=True)
class _Job:
    """One group of documents to lint with the rules of one scope."""

    key: str
    rules: tuple[Rule, ...]
    group: tuple[LoadedDocument, ...]
    planned: PlannedGroup | None = None
    scope: str = ""


def _run_job(job_and_context: tuple[_Job, Context]) -> GroupResult:
    job, ctx = job_and_context
    corpus = ctx.corpus
    if len(job.group) == len(corpus.documents):  # the whole corpus: every lookup resolves as in it
        sub, seen = corpus, {}
    else:
        sub = corpus.subset(list(job.group))
        seen = sub.record_lookups()
    sub_ctx = ctx if sub is corpus else Context(sub, ctx.as_of, ctx.vocabularies)
    owned = job.planned.owned if job.planned is not None else frozenset(d.file for d in job.group)
    return GroupResult(run_owned(job.rules, sub, sub_ctx, owned), tuple(sorted(seen.items())))


@dataclass(frozen=True)
class GroupStore:
    """Where incremental runs keep the findings of each group of documents."""

    get: Callable[[str], Any]
    put: Callable[[str, Any], None]
    key: Callable[..., str]
    """Makes a key from parts; it must also cover the rule files, vocabularies and code version."""
    has: Callable[[str], bool] | None = None
    """Whether an entry is there, without reading it (lets the missing groups start first)."""


NO_STORE = GroupStore(lambda key: None, lambda key, value: None, lambda *parts: repr(parts))
"""Keeps nothing: every group runs (a document pool works by groups, with or without a cache)."""


def run_incremental(ctx: Context, rules: list[Rule], store: GroupStore, workers: int = 1,
                    pool: DocumentPool | None = None, min_lines: int = PARALLEL_MIN_LINES) -> list[Finding]:
    """Findings of `rules`, reusing the cached findings of every group whose documents are unchanged.

    `store.get`/`store.put` read and write cache entries by key; `store.key(*parts)` makes a key;
    `store.has(key)` says, cheaply, whether an entry is there (then the groups without one start running
    in forked workers while the others are read). The key of a group holds the scope, the rules (their
    full specs), --as-of, the name and digest of every document the group is linted with and the files
    it owns. Groups not in the cache run in up to `workers` forked workers when the corpus has
    `min_lines` lines or more, or in `pool`. Each finding is taken from the group that owns its file; a
    scope whose groups cannot give exactly the findings of a whole run runs over the whole corpus
    (checker.accel.groups).
    """
    corpus, as_of, get, put, has = ctx.corpus, ctx.as_of, store.get, store.put, store.has
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
        by_scope.setdefault(r.check.scope, []).append(r)
    jobs = _keyed_jobs(corpus, by_scope, as_of, store.key)
    if pool is not None:  # its workers hold the documents; the pool stores each group's findings as they come
        results, todo = _read(jobs, get)
        with phase(f"rules ({len(todo)} groups to run)"):
            for job, result in zip(todo, _run_in_pool(pool, todo, corpus, as_of) if todo else [], strict=True):
                results[job.key] = result
    else:
        # The groups without an entry start running, and the entries there are read meanwhile; those
        # that turn out unreadable (corrupt, or written under another key) run afterwards. Without
        # `has`, every entry counts as there, so all are read first.
        there = [has(job.key) if has is not None else True for job in jobs]
        absent = [job for job, present in zip(jobs, there, strict=True) if not present]
        collect = _start(absent, ctx, workers, min_lines)
        results, unreadable = _read([job for job, present in zip(jobs, there, strict=True) if present], get)
        with phase(f"rules ({len(absent)} groups to run, waited for)"):
            fresh = collect()
        with phase(f"rules ({len(unreadable)} groups not read back)"):
            fresh += _start(unreadable, ctx, workers, min_lines)()
        with phase("cache writes (groups)"):
            for job, result in zip(absent + unreadable, fresh, strict=True):
                put(job.key, result)
                results[job.key] = result
    return _assemble(ctx, by_scope, jobs, results)


def _assemble(ctx: Context, by_scope: dict[str, list[Rule]], jobs: list[_Job],
              results: dict[str, GroupResult]) -> list[Finding]:
    """Each scope's findings from its groups, or from one run over the corpus where a group escaped."""
    index = id_index(ctx.corpus)
    findings: list[Finding] = []
    for scope in sorted(by_scope):
        pairs = [(job.planned, results[job.key]) for job in jobs if job.scope == scope and job.planned is not None]
        found = kept(pairs, index)
        if found is None:
            ESCAPES.append(scope)
            with phase(f"rules (scope {scope} over the whole corpus)"):
                found = [f for r in sorted(by_scope[scope], key=lambda r: r.id) for f in run_rule(r, ctx.corpus, ctx)]
        findings.extend(found)
    return findings


ESCAPES: list[str] = []
"""Scopes that ran over the whole corpus because a group escaped (for tests)."""


def _run_in_pool(pool: DocumentPool, todo: list[_Job], corpus: Corpus, as_of: dt.date) -> list[GroupResult]:
    jobs = [PoolJob(job.key, tuple(r.id for r in job.rules), tuple(d.file for d in job.group),
                    tuple(sorted(job.planned.owned)) if job.planned is not None else ()) for job in todo]
    costs = _costs(todo)
    return pool.run(jobs, _units(corpus, todo, costs, pool.workers), as_of)


def _keyed_jobs(corpus: Corpus, by_scope: dict[str, list[Rule]], as_of: dt.date,
                key_of: Callable[..., str]) -> list[_Job]:
    """Every group of every scope, with the key its findings are cached under."""
    jobs = []
    for scope in sorted(by_scope):
        scoped = tuple(sorted(by_scope[scope], key=lambda r: r.id))
        # The rules' full specs, hashed once: the key of each group repeats it (429 groups on 100,000 cells).
        spec = hashlib.sha256("\x1f".join(r.spec.model_dump_json() for r in scoped).encode()).hexdigest()
        kinds = frozenset(k for r in scoped for k in COLLECTIONS[r.spec.select].doc_kinds)
        for planned in plan(corpus, scope, kinds):
            # The owned files too: two groups may be linted with the same documents (two with one id each
            # read the other) and give the findings of different ones.
            key = key_of("group", scope, spec, as_of, tuple((d.file, d.id, d.digest) for d in planned.members),
                         tuple(sorted(planned.owned)))
            jobs.append(_Job(key, scoped, planned.members, planned, scope))
    return jobs


def _read(jobs: list[_Job], get: Callable[[str], Any]) -> tuple[dict[str, GroupResult], list[_Job]]:
    """(results of the jobs whose entry reads back, by key; the jobs whose entry does not)."""
    found: dict[str, GroupResult] = {}
    missing: list[_Job] = []
    with phase("cache lookups (groups)"):
        for job in jobs:
            hit = get(job.key)
            if isinstance(hit, GroupResult) and all(isinstance(f, Finding) for f in hit.findings):
                found[job.key] = hit
            else:
                missing.append(job)
    return found, missing


def _start(todo: list[_Job], ctx: Context, workers: int, min_lines: int) -> Callable[[], list[GroupResult]]:
    """Start the jobs; the function returned waits for their results, in job order."""
    corpus = ctx.corpus
    jobs = [(job, ctx) for job in todo]
    if not todo or workers < 2 or not can_fork() or \
            sum(d.line_count for d in corpus.documents) < min_lines:
        return lambda: [_run_job(j) for j in jobs]
    # The workers build the entities their jobs read (built here before forking, they took a second
    # of one core on 100,000 cells while the other idled); jobs on the same documents go to the same
    # worker, so that few documents are built twice. Even one job goes to a worker: this process
    # reads the cached groups meanwhile.
    return start_forked_units(_run_job, jobs, _units(corpus, todo, _costs(todo), workers), workers)


def _costs(todo: list[_Job]) -> list[float]:
    """Rough cost of each job: lines of its documents times its rules (for ordering, not timing)."""
    return [float(sum(d.line_count for d in job.group) * len(job.rules)) for job in todo]


def _units(corpus: Corpus, todo: list[_Job], costs: list[float], workers: int) -> list[list[int]]:
    """Jobs by policy area (their documents' entities are built once, where the area runs), largest first.

    A job that spans areas is a unit of its own, and so is every job of an area that alone is more than
    a worker's share (one huge area, as in the one-large-item benchmark): that area's entities are then
    built in more than one worker, which still beats leaving the other cores idle.
    """
    by_home: dict[Any, list[int]] = {}
    for i, job in enumerate(todo):
        home = _home(corpus, job)
        by_home.setdefault(home if home is not None else ("job", i), []).append(i)

    def cost(unit: list[int]) -> float:
        docs = {id(d): d.line_count for i in unit for d in todo[i].group}
        return sum(costs[i] for i in unit) + sum(docs.values()) * _ENTITY_COST

    share = sum(cost([i]) for i in range(len(todo))) / max(1, workers)
    units: list[list[int]] = []
    for unit in by_home.values():
        units.extend([[i] for i in unit] if len(unit) > 1 and cost(unit) > share else [unit])
    return sorted(units, key=lambda unit: (-cost(unit), unit[0]))


def _home(corpus: Corpus, job: _Job) -> tuple[str, str | None] | None:
    """The policy area all documents of a job belong to (None when they span areas): the jobs of one
    area read the same documents, so they are best run by one worker."""
    areas = {corpus.area_of(d) for d in job.group}
    return ("area", areas.pop()) if len(areas) == 1 else None

"""Incremental linting: each rule runs per group of the documents it can depend on, cached per group.

A check kind declares its scope (checks.base.Check.scope): a `document` rule reads one document; a
`roadmap` rule a roadmap and the reviews that report on it; a `revision` rule every document of one
edition; an `area` rule every document of one policy area. Running a rule on each group separately
gives the same findings as one run over the corpus, so the findings of a group can be cached under
the digests of its documents: after one file changes, only the groups that hold it run again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.accel.parallel import can_fork, start_forked_units, worker_count
from checker.accel.timing import phase
from checker.checks.base import Context
from checker.domain.corpus import COLLECTIONS, Corpus
from checker.domain.findings import Finding
from checker.rules.ruleset import Rule, Ruleset
from checker.source.load import LoadedDocument

Group = list[LoadedDocument]

_ENTITY_COST = 12.0
"""Building a document's entities costs about as much as this many rules on it (job costs are lines
× rules): 2.3 s against 4.2 s for ~24 rule-lines per line on 100,000 cells."""


def groups(corpus: Corpus, scope: str, kinds: frozenset[str] | None = None) -> list[Group]:
    """The documents a rule of `scope` must see together, in a deterministic order.

    `kinds` narrows an edition or area group to the document kinds its rules select (a check on
    roadmap KPIs across an edition need not re-run when a progress report of that edition changes).
    """
    docs = corpus.documents
    if kinds is not None and scope in ("revision", "area"):
        docs = [d for d in docs if d.kind in kinds]
    if scope == "document":
        return [[d] for d in docs]
    if scope == "corpus":
        return [list(docs)]
    out: dict[tuple[Any, ...], Group] = {}
    for d in docs:
        if scope == "roadmap":
            target = corpus.target_of(d)
            key: tuple[Any, ...] = ("doc", target.id if target is not None else d.id)
        elif scope == "revision":
            rev = corpus.revision_of(d)
            key = ("rev", rev) if rev is not None else ("doc", d.id)
        elif scope == "area":
            key = ("area", corpus.area_of(d) or "")
        else:
            raise ValueError(f"unknown scope {scope!r}")
        out.setdefault(key, []).append(d)
    return [out[k] for k in sorted(out, key=repr)]


@dataclass(frozen=True)
class _Job:
    """One group of documents to lint with the rules of one scope."""

    key: str
    rules: tuple[Rule, ...]
    group: tuple[LoadedDocument, ...]


def _run_job(job_and_context: tuple[_Job, Corpus, Ruleset, dt.date]) -> tuple[Finding, ...]:
    job, corpus, ruleset, as_of = job_and_context
    from checker.engine.run import run_rule  # the engine calls this module

    sub = corpus if len(job.group) == len(corpus.documents) else corpus.subset(list(job.group))
    ctx = Context(sub, as_of, ruleset.vocabularies)
    return tuple(f for r in job.rules for f in run_rule(r, sub, ctx))


def run_incremental(corpus: Corpus, rules: list[Rule], ruleset: Ruleset, as_of: dt.date,
                    get: Callable[[str], Any], put: Callable[[str, Any], None],
                    key_of: Callable[..., str], pool: Any = None,
                    has: Callable[[str], bool] | None = None) -> list[Finding]:
    """Findings of `rules`, reusing the cached findings of every group whose documents are unchanged.

    `get`/`put` read and write cache entries by key; `key_of(*parts)` makes a key; `has(key)` says,
    cheaply, whether an entry is there (then the groups without one start running in forked workers
    while the others are read). The key of a group holds the scope, the rules (their full specs),
    --as-of, and the name and digest of every document. Groups not in the cache run in forked
    workers when there is much to do (see checker.accel.parallel).
    """
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
        by_scope.setdefault(r.check.scope, []).append(r)
    jobs = _keyed_jobs(corpus, by_scope, as_of, key_of)
    if pool is not None:  # its workers hold the documents; the pool stores each group's findings as they come
        findings, todo = _read(jobs, get)
        with phase(f"rules ({len(todo)} groups to run)"):
            results = _run_in_pool(pool, todo, corpus, as_of) if todo else []
    else:
        # The groups without an entry start running, and the entries there are read meanwhile; those
        # that turn out unreadable (corrupt, or written under another key) run afterwards. Without
        # `has`, every entry counts as there, so all are read first.
        there = [has(job.key) if has is not None else True for job in jobs]
        absent = [job for job, present in zip(jobs, there, strict=True) if not present]
        collect = _start(absent, corpus, ruleset, as_of)
        findings, unreadable = _read([job for job, present in zip(jobs, there, strict=True) if present], get)
        with phase(f"rules ({len(absent)} groups to run, waited for)"):
            results = collect()
        with phase(f"rules ({len(unreadable)} groups not read back)"):
            results += _start(unreadable, corpus, ruleset, as_of)()
        with phase("cache writes (groups)"):
            for job, found in zip(absent + unreadable, results, strict=True):
                put(job.key, found)
    for found in results:
        findings.extend(found)
    return findings


def _run_in_pool(pool: Any, todo: list[_Job], corpus: Corpus, as_of: dt.date) -> list[tuple[Finding, ...]]:
    from checker.accel.pool import PoolJob

    jobs = [PoolJob(job.key, tuple(r.id for r in job.rules), tuple(d.file for d in job.group)) for job in todo]
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
        for group in groups(corpus, scope, kinds):
            key = key_of("group", scope, spec, as_of, tuple((d.file, d.id, d.digest) for d in group))
            jobs.append(_Job(key, scoped, tuple(group)))
    return jobs


def _read(jobs: list[_Job], get: Callable[[str], Any]) -> tuple[list[Finding], list[_Job]]:
    """(findings of the jobs whose entry reads back, the jobs whose entry does not)."""
    findings: list[Finding] = []
    missing: list[_Job] = []
    with phase("cache lookups (groups)"):
        for job in jobs:
            hit = get(job.key)
            if isinstance(hit, tuple) and all(isinstance(f, Finding) for f in hit):
                findings.extend(hit)
            else:
                missing.append(job)
    return findings, missing


def _start(todo: list[_Job], corpus: Corpus, ruleset: Ruleset, as_of: dt.date
           ) -> Callable[[], list[tuple[Finding, ...]]]:
    """Start the jobs; the function returned waits for their findings, in job order."""
    from checker.engine.run import PARALLEL_MIN_LINES

    jobs = [(job, corpus, ruleset, as_of) for job in todo]
    if not todo or worker_count() < 2 or not can_fork() or \
            sum(d.line_count for d in corpus.documents) < PARALLEL_MIN_LINES:
        return lambda: [_run_job(j) for j in jobs]
    # The workers build the entities their jobs read (built here before forking, they took a second
    # of one core on 100,000 cells while the other idled); jobs on the same documents go to the same
    # worker, so that few documents are built twice. Even one job goes to a worker: this process
    # reads the cached groups meanwhile.
    return start_forked_units(_run_job, jobs, _units(corpus, todo, _costs(todo), worker_count()), worker_count())


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

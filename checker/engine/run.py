"""Runs compiled rules over the corpus and stamps each hit with rule id, severity, location and messages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from checker.accel.parallel import balanced_chunks, can_fork, map_forked, worker_count
from checker.checks.base import Context, Hit, RelatedHit
from checker.domain.corpus import COLLECTIONS, Corpus, Entity
from checker.domain.findings import Finding, Location, Related, sort_findings
from checker.rules.builtin_rules import INPUT_ERROR_RULE, builtin_finding
from checker.rules.ruleset import Rule, Ruleset
from checker.rules.selection import wanted
from checker.rules.templates import render_all
from checker.source.load import InputError, LoadedDocument, PathKey, paused_gc


def dotted_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def locate(doc: LoadedDocument, path: PathKey) -> Location:
    s = doc.span(path)
    return Location(doc.file, s.line, s.column, s.end_line, s.end_column, dotted_path(path), doc.id)


def _related(r: RelatedHit) -> Related:
    s = r.entity.doc.span((*r.entity.path, *r.field))
    return Related(r.entity.doc.file, s.line, s.column, r.note, r.note_ja or r.note)


def finding_path(e: Entity, field: PathKey) -> PathKey:
    """Where a hit points: the field itself when the file writes it, else the field it is read from."""
    path = (*e.path, *field)
    if field and path not in e.doc.spans:
        source = COLLECTIONS[e.collection].derived.get(str(field[0])) if e.collection in COLLECTIONS else None
        if source is not None:
            return (*e.path, source)
    return path


def to_finding(rule: Rule, hit: Hit) -> Finding:
    e: Entity = hit.entity
    ns = {**e.ns, **hit.vars} if hit.vars else e.ns  # most hits add no values: no copy then
    spec = rule.spec
    entity_key = f"{e.key}|{hit.key}" if hit.key else e.key
    hint = spec.hint
    message, message_ja, hint_en, hint_ja = render_all(
        (spec.message.en, spec.message.ja, hint.en if hint else "", hint.ja if hint else ""), ns)
    finding = Finding(
        rule=spec.id,
        severity=rule.severity,
        message=message,
        message_ja=message_ja,
        location=locate(e.doc, finding_path(e, hit.field)),
        entity=entity_key,
        related=tuple(_related(r) for r in hit.related),
        title=spec.title.en,
        title_ja=spec.title.ja,
        hint=hint_en,
        hint_ja=hint_ja,
    )
    _ = finding.fingerprint  # computed here, in the worker, and cached with the finding
    return finding


def run_rule(rule: Rule, corpus: Corpus, ctx: Context) -> list[Finding]:
    return [to_finding(rule, h) for h in rule.check.run(selected(rule, corpus), ctx)]


def selected(rule: Rule, corpus: Corpus) -> list[Entity]:
    """The entities a rule checks: its collection, through its `where` filter.

    Filtered once per corpus for each distinct filter: rules that read the same slice (both count
    rules take the schedule and progress texts, 200,000 entities filtered on 100,000 cells) share it.
    """
    entities = corpus.collection(rule.spec.select)
    if rule.where is None:
        return entities
    key = ("where", rule.spec.select, json.dumps(rule.spec.where, sort_keys=True, ensure_ascii=False))
    found = corpus.memo.get(key)
    if found is None:
        found = corpus.memo[key] = [e for e in entities if rule.where(e)]
    return found


def input_error_finding(err: InputError) -> Finding:
    """Unreadable or invalid input, reported like any finding so that every format shows it."""
    return builtin_finding(INPUT_ERROR_RULE, err.message, err.message,
                           Location(err.file, err.line, err.column, err.line, err.column, "", ""),
                           f"{err.file}|{err.code}|{err.line}")


@dataclass
class LintResult:
    findings: list[Finding]
    input_errors: list[InputError] = field(default_factory=list)


def selected_rules(ruleset: Ruleset, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    sel, ign = set(select), set(ignore)
    return [r for r in ruleset.rules if wanted(r.id, sel, ign)]


# Check kinds whose rules share work through Corpus.memo (claim matching, the facts of counts): they
# run in one process.
_SHARED_WORK = {"reference": "matching", "coverage": "matching", "consistent": "counts"}
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


def _run_group(job: tuple[list[Rule], Corpus, Context]) -> list[Finding]:
    group, corpus, ctx = job
    return [f for rule in group for f in run_rule(rule, corpus, ctx)]


def prebuild_collections(corpus: Corpus, documents: set[int]) -> None:
    """Build every collection's entities of the documents (by id()) now, so forked workers inherit them."""
    for d in corpus.documents:
        if id(d) in documents:
            for name in COLLECTIONS:
                corpus.entities_of(name, d)


PARALLEL_MIN_LINES = 20_000
"""Below this many input lines, starting workers (~60 ms) costs more than it saves."""


def run_rules(rules: list[Rule], corpus: Corpus, ctx: Context) -> list[Finding]:
    """Every rule over the corpus; on a large corpus, groups of rules run in forked workers."""
    workers = worker_count()
    size = sum(d.line_count for d in corpus.documents)
    if workers < 2 or len(rules) < 2 or size < PARALLEL_MIN_LINES or not can_fork():
        return [f for rule in rules for f in run_rule(rule, corpus, ctx)]
    groups, costs = _rule_groups(rules, corpus)
    prebuild_collections(corpus, {id(d) for d in corpus.documents})
    chunks = balanced_chunks(costs, workers)
    results = map_forked(_run_group, [(g, corpus, ctx) for g in groups], chunks)
    return [f for part in results for f in part]


@dataclass(frozen=True)
class GroupStore:
    """Where incremental runs keep the findings of each group of documents (see checker.accel.incremental)."""

    get: Callable[[str], Any]
    put: Callable[[str, Any], None]
    key: Callable[..., str]
    """Makes a key from parts; it must also cover the rule files, vocabularies and code version."""
    has: Callable[[str], bool] | None = None
    """Whether an entry is there, without reading it (lets the missing groups start first)."""


def lint(documents: list[LoadedDocument], ruleset: Ruleset, as_of: dt.date,
         select: Iterable[str] = (), ignore: Iterable[str] = (), input_errors: Iterable[InputError] = (),
         store: GroupStore | None = None, pool: Any = None) -> LintResult:
    """Lint loaded documents; input errors (files that failed to load) are reported alongside.

    With a `store`, rules run per group of the documents they depend on and each group's findings are
    reused while its documents are unchanged; the findings are the same either way. With a `pool`
    (checker.accel.pool.DocumentPool, which loaded the documents), its workers run the groups.
    """
    if pool is not None and store is None:  # the pool works by groups: run them all, keep none
        store = GroupStore(lambda key: None, lambda key, value: None, lambda *parts: repr(parts))
    with paused_gc():  # entities and indexes are long-lived: see paused_gc
        corpus = Corpus(documents)
        errors = [*input_errors, *corpus.errors]
        ctx = Context(corpus, as_of, ruleset.vocabularies)
        findings: list[Finding] = [input_error_finding(e) for e in errors]
        rules = selected_rules(ruleset, select, ignore)
        if store is None:
            findings.extend(run_rules(rules, corpus, ctx))
        else:
            from checker.accel.incremental import run_incremental

            findings.extend(run_incremental(corpus, rules, ruleset, as_of, store.get, store.put, store.key, pool,
                                            store.has))
    return LintResult(sort_findings(findings), errors)

"""Runs compiled rules over the corpus and stamps each hit with rule id, severity, location and messages.

Pure functions (run_rule, run_rules, run_group) and the Runner interface: how a run loads its files and
runs its rules. SerialRunner does both here, in one process; checker.accel.runner's runners call the
functions above from forked workers and through the cache, and checker.api.get_runner picks one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from checker.checks.base import Context, Hit, RelatedHit
from checker.domain.corpus import COLLECTIONS, Corpus, Entity
from checker.domain.findings import Finding, Location, Related, sort_findings
from checker.domain.load import LoadedDocument, LoadResult, load_paths
from checker.rules.builtin_rules import INPUT_ERROR_RULE, builtin_finding
from checker.rules.ruleset import Rule, Ruleset
from checker.rules.selection import wanted
from checker.rules.templates import render_all
from checker.source.inputs import InputError, Limits, failed_ids, paused_gc
from checker.source.spans import PathKey, dotted_path


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
    return builtin_finding(INPUT_ERROR_RULE, err.message, err.message_ja,
                           Location(err.file, err.line, err.column, err.line, err.column, "", ""),
                           f"{err.file}|{err.code}|{err.line}")


@dataclass
class LintResult:
    findings: list[Finding]
    input_errors: list[InputError] = field(default_factory=list)


def selected_rules(ruleset: Ruleset, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    sel, ign = set(select), set(ignore)
    return [r for r in ruleset.rules if wanted(r.id, sel, ign)]


def run_rules(rules: list[Rule], ctx: Context) -> list[Finding]:
    """Every rule over the context's corpus, one after another, in this process."""
    return [f for rule in rules for f in run_rule(rule, ctx.corpus, ctx)]


def run_group(rules: Iterable[Rule], ctx: Context, documents: list[LoadedDocument]) -> list[Finding]:
    """The rules over some documents of the corpus: those a rule's scope must see together (see
    checks.base.Check.scope), for which this gives the findings a run over the whole corpus would."""
    corpus = ctx.corpus
    sub = corpus if len(documents) == len(corpus.documents) else corpus.subset(documents)
    sub_ctx = ctx if sub is corpus else Context(sub, ctx.as_of, ctx.vocabularies)
    return [f for rule in rules for f in run_rule(rule, sub, sub_ctx)]


RuleRunner = Callable[[list[Rule], Context], list[Finding]]
"""Runs rules over a corpus: run_rules, or one of checker.accel.runner's (in workers, through a cache)."""


class Runner(Protocol):
    """How a run loads its files and runs its rules. SerialRunner below does both in this process; the
    runners of checker.accel.runner use forked workers and the cache (checker.api picks one per run)."""

    def load(self, paths: list[str | Path], limits: Limits) -> LoadResult: ...

    def run(self, rules: list[Rule], ctx: Context) -> list[Finding]: ...

    def close(self) -> None: ...


class SerialRunner:
    """Loads and lints in this process, with nothing cached: the reference every other runner must match."""

    def load(self, paths: list[str | Path], limits: Limits) -> LoadResult:
        return load_paths(paths, limits)

    def run(self, rules: list[Rule], ctx: Context) -> list[Finding]:
        return run_rules(rules, ctx)

    def close(self) -> None:
        pass


def lint(documents: list[LoadedDocument], ruleset: Ruleset, as_of: dt.date,
         select: Iterable[str] = (), ignore: Iterable[str] = (), input_errors: Iterable[InputError] = (),
         run: RuleRunner = run_rules) -> LintResult:
    """Lint loaded documents; input errors (files that failed to load) are reported alongside.

    `run` runs the selected rules over the corpus (Runner.run); the findings are the same whichever does.
    """
    with paused_gc():  # entities and indexes are long-lived: see paused_gc
        input_errors = list(input_errors)
        corpus = Corpus(documents, failed_ids(input_errors, documents))
        errors = [*input_errors, *corpus.errors]
        ctx = Context(corpus, as_of, ruleset.vocabularies)
        findings: list[Finding] = [input_error_finding(e) for e in errors]
        findings.extend(run(selected_rules(ruleset, select, ignore), ctx))
    return LintResult(sort_findings(findings), errors)

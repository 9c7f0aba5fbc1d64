"""Groups of documents that can be linted apart and give exactly the findings of one run over the corpus.

A check kind declares a scope (checks.base.Check.scope); the documents are partitioned by it (the
*owner* groups: every document belongs to exactly one per scope). A group is linted with its owned
documents plus everything they may read by reference (the *context*: the documents named by
`reports_on`, followed on, and every document sharing an id with one of them), and only the findings
located in its owned documents are kept from it. So a review whose area, revision or target differ
from its roadmap's, a `reports_on` that names a review, or two documents with one id, never leave a
rule with less than it reads.

Two checks make a wrong scope visible instead of wrong findings, and both are re-made from a cached
group as well as a fresh one:

* every id a rule looked up while its group ran (Corpus.record_lookups) must resolve to the same file
  in the whole corpus (a rule that follows `supersedes`, say, to a document outside its group);
* every finding a group drops must be one its owner group can make (located in one of its documents).

A group that fails either escapes: the rules of its scope then run over the whole corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from checker.domain.corpus import Corpus
from checker.domain.findings import Finding
from checker.domain.load import LoadedDocument
from checker.engine.run import to_finding

Group = list[LoadedDocument]
SCOPES = ("document", "roadmap", "revision", "area", "corpus")


@dataclass(frozen=True)
class GroupResult:
    """What a group's run yields and the cache keeps: every finding of its members (context included)
    and the ids its rules looked up, with the file each resolved to in the group (None: no such id)."""

    findings: tuple[Finding, ...]
    lookups: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class PlannedGroup:
    """One group of one scope: the documents it is linted with, and the files whose findings it owns."""

    members: tuple[LoadedDocument, ...]
    owned: frozenset[str]
    member_files: frozenset[str]


def _key(corpus: Corpus, scope: str, d: LoadedDocument) -> tuple[Any, ...]:
    if scope == "document":
        return ("file", d.file)
    if scope == "corpus":
        return ("corpus",)
    if scope == "roadmap":
        target = corpus.target_of(d)
        return ("doc", target.id if target is not None else d.id)
    if scope == "revision":
        rev = corpus.revision_of(d)
        return ("rev", rev) if rev is not None else ("doc", d.id)
    if scope == "area":
        return ("area", corpus.area_of(d) or "")
    raise ValueError(f"unknown scope {scope!r}")


def partition(corpus: Corpus, scope: str) -> list[Group]:
    """The owner groups of `scope`: every document in exactly one, in a deterministic order."""
    if scope == "roadmap":
        return _reporting_chains(corpus)
    out: dict[tuple[Any, ...], Group] = {}
    for d in corpus.documents:
        out.setdefault(_key(corpus, scope, d), []).append(d)
    return [out[k] for k in sorted(out, key=repr)]


def _reporting_chains(corpus: Corpus) -> list[Group]:
    """A roadmap with every document that reports on it, and on those, and so on: the documents joined by
    `reports_on` (as lookups resolve it). Keyed by target alone, a target that itself reports on
    something (a roadmap given reports_on, a review of a review) went to its own target's group while
    its reviews stayed in its, and rules that read a review with its target saw neither together."""
    parent = {id(d): d for d in corpus.documents}

    def root(d: LoadedDocument) -> LoadedDocument:
        while parent[id(d)] is not d:
            parent[id(d)] = parent[id(parent[id(d)])]
            d = parent[id(d)]
        return d

    for d in corpus.documents:
        target = corpus.target_of(d)
        if target is not None:
            a, b = root(d), root(target)
            if a is not b:
                first, second = sorted((a, b), key=lambda x: (x.id, x.file))
                parent[id(second)] = first
    out: dict[tuple[str, str], Group] = {}
    for d in corpus.documents:
        r = root(d)
        out.setdefault((r.id, r.file), []).append(d)
    return [out[k] for k in sorted(out)]


def context_of(corpus: Corpus, docs: list[LoadedDocument]) -> list[LoadedDocument]:
    """`docs` and every document they may read by reference, in corpus order: the targets of their
    `reports_on` (followed on: a review of a review) and every document that shares an id with one of
    them (lookups by id take the first of duplicates, which the group must hold too)."""
    by_id: dict[str, list[LoadedDocument]] = corpus.memo.get(("groups", "all-by-id"))  # type: ignore[assignment]
    if by_id is None:
        by_id = {}
        for d in corpus.documents:
            by_id.setdefault(d.id, []).append(d)
        corpus.memo[("groups", "all-by-id")] = by_id
    seen = {id(d) for d in docs}
    stack = list(docs)
    while stack:
        d = stack.pop()
        for ref in (d.id, d.header.reports_on):
            for other in by_id.get(ref, ()) if ref else ():
                if id(other) not in seen:
                    seen.add(id(other))
                    stack.append(other)
    return [d for d in corpus.documents if id(d) in seen]


def plan(corpus: Corpus, scope: str, kinds: frozenset[str] | None = None) -> list[PlannedGroup]:
    """The groups of `scope` to lint. `kinds` narrows an edition or area group to the document kinds its
    rules select (a check on roadmap KPIs across an edition need not re-run when a progress report of
    that edition changes); a group left with none of them is not run."""
    out = []
    for part in partition(corpus, scope):
        chosen = part if kinds is None or scope not in ("revision", "area") else [d for d in part if d.kind in kinds]
        if chosen:
            members = tuple(context_of(corpus, chosen))
            out.append(PlannedGroup(members, frozenset(d.file for d in part), frozenset(d.file for d in members)))
    return out


def run_owned(rules: Any, corpus: Corpus, ctx: Any, owned: frozenset[str]) -> tuple[Finding, ...]:
    """The findings of `rules` over a group's corpus, each rule given the entities of the owned documents
    only: the context is there to be read, and its own findings would be dropped (kept() takes them
    from their owner), so checking it again would only cost time (a roadmap in the group of each of
    its reviews, for every document rule)."""
    out = []
    for rule in rules:
        spec = rule.spec
        # The owned files in the key: jobs of several scopes may share one corpus (the whole one).
        key = ("owned", owned, spec.select, json.dumps(spec.where, sort_keys=True, ensure_ascii=False))
        entities = corpus.memo.get(key)
        if entities is None:
            entities = [e for d in corpus.documents if d.file in owned for e in corpus.entities_of(spec.select, d)]
            if rule.where is not None:
                entities = [e for e in entities if rule.where(e)]
            corpus.memo[key] = entities
        out.extend(to_finding(rule, h) for h in rule.check.run(entities, ctx))
    return tuple(out)


def id_index(corpus: Corpus) -> dict[str, str]:
    """Each id → the file a lookup of it resolves to in the whole corpus."""
    return {i: d.file for i, d in corpus.by_id.items()}


def lookups_hold(result: GroupResult, index: dict[str, str]) -> bool:
    """Whether every id the group's rules looked up resolves as it did in the group."""
    return all(index.get(i) == f for i, f in result.lookups)


def kept(results: list[tuple[PlannedGroup, GroupResult]], index: dict[str, str]) -> list[Finding] | None:
    """The findings of one scope's groups, each from the group that owns its file; None when a group
    escaped (see the module docstring): then the scope must run over the whole corpus."""
    owner: dict[str, PlannedGroup] = {}
    for g, _ in results:
        for f in g.owned:
            owner[f] = g
    out: list[Finding] = []
    for g, result in results:
        if not lookups_hold(result, index):
            return None
        for finding in result.findings:
            file = finding.location.file
            if file in g.owned:
                out.append(finding)
                continue
            home = owner.get(file)
            if home is None or file not in home.member_files:
                return None  # no group can make this finding where it belongs
    return out


__all__ = ["SCOPES", "Group", "GroupResult", "PlannedGroup", "context_of", "id_index", "kept", "lookups_hold",
           "partition", "plan", "run_owned"]

"""All documents loaded together: indexed by id and revision, and exposed as named collections of entities.

A collection ("kpis", "schedule_items", …) is what a rule's `select` names. Each entity carries the
objects its templates may name (`kpi`, `reform_item`, `document`, …), the data path that locates it
in its file, and a stable key (never an index where a name or id exists) for fingerprints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from checker.domain import model as m
from checker.domain.kpi_resolve import ResolvedKpi, resolve_kpi
from checker.domain.kpi_text import kpi_name_key, parse_kpi_text, parse_status_target
from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import normalize_for_match
from checker.source.load import InputError, LoadedDocument, PathKey

# Entities and views are made by the hundred thousand (700,000 on 100,000 cells) and never changed
# after. A frozen dataclass's __init__ sets each field through object.__setattr__, which made them
# four times dearer to build (0.6 s of one core on 100,000 cells); so they are plain slotted
# dataclasses, compared and hashed by value like frozen ones. Nothing assigns to them.
_record = dataclass(slots=True, unsafe_hash=True)


@_record
class Entity:
    """One selectable object: a KPI, a schedule cell, a progress statement, …"""

    collection: str
    doc: LoadedDocument
    path: PathKey
    key: str
    ns: dict[str, Any] = field(compare=False, repr=False)
    """Template namespace: root name → object (the entity itself under its collection's root name)."""

    @property
    def root(self) -> Any:
        return self.ns[COLLECTIONS[self.collection].root]


# ------------------------------------------------------------------ views over the models


@_record
class ScheduleItemView:
    """A schedule cell with the responsible ministries it inherits resolved."""

    id: str
    """Stable id within the reform item, e.g. s1."""
    text: str
    """The cell text, verbatim."""
    fiscal_years: list[int]
    """Fiscal years the cell spans."""
    responsible: list[str]
    """Its own 主担当 (empty when it inherits)."""
    effective_responsible: list[str]
    """Its own, or else the reform item's."""
    inherited: bool
    """True when the cell names no 主担当 of its own and takes the reform item's."""


@_record
class StatementView:
    """A 【府省】 statement of a progress entry."""

    ministry: str | None
    """The ministry in 【】; None when the source omits it."""
    text: str
    """The statement, verbatim, without the 【ministry】 prefix."""
    status: str | None
    """Status in brackets at the end, e.g. 順調."""
    section: str
    """progress (計画期間中の進捗) or next_steps (今後の進展について)."""


@_record
class StatusRowView:
    """A KPIの状況 row with its target text parsed."""

    tier: int
    """1 = 第一階層, 2 = 第二階層."""
    name: str
    """The KPI name as printed, verbatim."""
    target: str
    """目標値 (達成時期), verbatim; '-' where none."""
    actual: m.Actual | None
    """実績値 (時点)."""
    category: str | None
    """区分 A/B/N/F."""
    next: str | None
    """次回の把握時期と今後の方針."""
    parsed_target: Target | None
    """The target read from `target`."""
    parsed_deadline: Deadline | None
    """The deadline (達成時期) read from `target`."""
    parsed_baseline: Baseline | None
    """The starting point read from `target`, when it gives one."""
    name_key: str
    """The name as matched across documents: normalised, without 再掲, tiers and bracketed notes."""


@_record
class TextView:
    """Any text value of the corpus, for rules that read prose (counts, promises, actors)."""

    value: str
    """The text, verbatim."""
    field: str
    """Which field the text comes from: schedule_item, kpi, entry, progress, next_steps, status_target,
    status_next."""
    item: int | None
    """The number of the reform item the text belongs to."""


@dataclass(frozen=True)
class CollectionSpec:
    root: str
    """The template name of the entity itself (kpi, schedule_item, …)."""
    types: dict[str, type]
    """Every template root available to rules on this collection, with its type."""
    doc_kinds: tuple[str, ...]
    derived: dict[str, str] = field(default_factory=dict)
    """Fields read out of another field when not written (a KPI's deadline from its text): a finding
    about such a field points at its source."""


COLLECTIONS: dict[str, CollectionSpec] = {
    "documents": CollectionSpec("document", {"document": m.DocumentMeta}, ("roadmap", "progress_report",
                                                                           "kpi_status")),
    "reform_items": CollectionSpec("reform_item", {"reform_item": m.ReformItem, "document": m.DocumentMeta},
                                   ("roadmap",)),
    "schedule_items": CollectionSpec("schedule_item", {"schedule_item": ScheduleItemView,
                                                       "reform_item": m.ReformItem,
                                                       "document": m.DocumentMeta}, ("roadmap",),
                                     {"effective_responsible": "responsible", "inherited": "responsible"}),
    "kpis": CollectionSpec("kpi", {"kpi": ResolvedKpi, "reform_item": m.ReformItem,
                                   "document": m.DocumentMeta}, ("roadmap",),
                           dict.fromkeys(("name", "baseline", "target", "deadline", "deadline_withheld",
                                          "relisted", "ex_post", "note", "deadline_missing", "target_missing"),
                                         "text")),
    "progress_entries": CollectionSpec("entry", {"entry": m.ProgressEntry, "reform_item": m.ProgressReformItem,
                                                 "document": m.DocumentMeta}, ("progress_report",)),
    "progress_statements": CollectionSpec("statement", {"statement": StatementView, "entry": m.ProgressEntry,
                                                        "reform_item": m.ProgressReformItem,
                                                        "document": m.DocumentMeta}, ("progress_report",)),
    "kpi_status_rows": CollectionSpec("status_row", {"status_row": StatusRowView,
                                                     "reform_item": m.KpiStatusReformItem,
                                                     "document": m.DocumentMeta}, ("kpi_status",),
                                      {"parsed_target": "target", "parsed_deadline": "target",
                                       "parsed_baseline": "target", "name_key": "name"}),
    "texts": CollectionSpec("text", {"text": TextView, "document": m.DocumentMeta}, ("roadmap", "progress_report",
                                                                                  "kpi_status")),
}


T = TypeVar("T")


def _digest(text: str) -> str:
    return hashlib.sha1(normalize_for_match(text).encode("utf-8")).hexdigest()[:12]


def _unique(keys: list[str]) -> list[str]:
    """Make keys unique by suffixing repeats (#2, #3) in order of appearance."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out


# ------------------------------------------------------------------ builders, one per collection


def _documents(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    yield Entity("documents", doc, ("document",), "document", {"document": doc.model.document})


def _reform_items(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    meta = doc.model.document
    for i, item in enumerate(doc.model.reform_items):
        yield Entity("reform_items", doc, ("reform_items", i), f"item:{item.number}",
                     {"reform_item": item, "document": meta})


def _schedule_items(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    meta = doc.model.document
    for i, item in enumerate(doc.model.reform_items):
        keys = _unique([f"item:{item.number}/schedule:{s.id}" for s in item.schedule])
        for j, s in enumerate(item.schedule):
            view = ScheduleItemView(s.id, s.text, list(s.fiscal_years), list(s.responsible),
                                    list(s.responsible or item.responsible), not s.responsible)
            yield Entity("schedule_items", doc, ("reform_items", i, "schedule", j), keys[j],
                         {"schedule_item": view, "reform_item": item, "document": meta})


def _parsed_once(corpus: Corpus, name: str, parse: Callable[[str], T]) -> Callable[[str], T]:
    """`parse` memoised by text for the whole corpus; its results are frozen, so equal texts share one.

    Relisted KPIs (再掲) repeat their text verbatim, and KPI status tables repeat targets year after
    year. The memo lives in the corpus rather than in a global cache so that it goes with the corpus:
    a global one kept its entries scattered through the heap after the run and raised the peak memory
    of a 100,000-cell lint by 80 MB.
    """
    memo: dict[str, T] = corpus.text_memo.setdefault(("parsed", name), {})

    def parse_once(text: str) -> T:
        found = memo.get(text)
        if found is None:
            found = memo[text] = parse(text)
        return found

    return parse_once


def _kpis(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    meta = doc.model.document
    parse = _parsed_once(corpus, "kpi_text", parse_kpi_text)
    for i, item in enumerate(doc.model.reform_items):
        resolved = [resolve_kpi(k, parse(k.text)) for k in item.kpis]
        keys = _unique([f"item:{item.number}/kpi:{k.tier}:{kpi_name_key(r.name or k.text)}"
                        for k, r in zip(item.kpis, resolved, strict=True)])
        for j, r in enumerate(resolved):
            yield Entity("kpis", doc, ("reform_items", i, "kpis", j), keys[j],
                         {"kpi": r, "reform_item": item, "document": meta})


def _progress_entries(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    meta = doc.model.document
    for i, item in enumerate(doc.model.reform_items):
        keys = _unique([f"item:{item.number}/entry:{_digest(e.schedule_item)}" for e in item.entries])
        for j, e in enumerate(item.entries):
            yield Entity("progress_entries", doc, ("reform_items", i, "entries", j), keys[j],
                         {"entry": e, "reform_item": item, "document": meta})


def _progress_statements(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    for entry in corpus.entities_of("progress_entries", doc):
        e = entry.ns["entry"]
        for section in ("progress", "next_steps"):
            for k, st in enumerate(getattr(e, section)):
                view = StatementView(st.ministry, st.text, st.status, section)
                yield Entity("progress_statements", doc, (*entry.path, section, k), f"{entry.key}/{section}:{k}",
                             {"statement": view, **entry.ns})


def _kpi_status_rows(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    meta = doc.model.document
    parse = _parsed_once(corpus, "status_target", parse_status_target)
    for i, item in enumerate(doc.model.reform_items):
        keys = _unique([f"item:{item.number}/status:{r.tier}:{kpi_name_key(r.name)}" for r in item.kpis])
        for j, r in enumerate(item.kpis):
            target, deadline, baseline = parse(r.target)
            view = StatusRowView(r.tier, r.name, r.target, r.actual, r.category, r.next, target, deadline,
                                 baseline, kpi_name_key(r.name))
            yield Entity("kpi_status_rows", doc, ("reform_items", i, "kpis", j), keys[j],
                         {"status_row": view, "reform_item": item, "document": meta})


# Where each kind of document writes prose: (collection, ((attribute of its root, field name), …)).
# The text entity's path is the source entity's path plus the attribute; a field name of None means
# the statement's own section (progress or next_steps).
_TEXT_SOURCES: dict[str, tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]] = {
    "roadmap": (("schedule_items", (("text", "schedule_item"),)), ("kpis", (("text", "kpi"),))),
    "progress_report": (("progress_entries", (("schedule_item", "entry"),)),
                        ("progress_statements", (("text", None),))),
    "kpi_status": (("kpi_status_rows", (("target", "status_target"), ("next", "status_next"))),),
}


def _texts(corpus: Corpus, doc: LoadedDocument) -> Iterator[Entity]:
    """Every prose value, built from the other collections' entities (parsed once, shared)."""
    # One plain loop over a table rather than a generator per value: there are two texts per cell.
    meta = doc.model.document
    for collection, fields in _TEXT_SOURCES.get(doc.kind, _TEXT_SOURCES["kpi_status"]):
        root_name = COLLECTIONS[collection].root
        for e in corpus.entities_of(collection, doc):
            root = e.ns[root_name]
            number = getattr(e.ns.get("reform_item"), "number", None)
            for attr, name in fields:
                value = getattr(root, attr)
                if value:
                    name = name or root.section
                    yield Entity("texts", doc, (*e.path, attr), f"{e.key}/{name}",
                                 {"text": TextView(value, name, number), "document": meta})


_BUILDERS: dict[str, Callable[[Corpus, LoadedDocument], Iterator[Entity]]] = {
    "documents": _documents,
    "reform_items": _reform_items,
    "schedule_items": _schedule_items,
    "kpis": _kpis,
    "progress_entries": _progress_entries,
    "progress_statements": _progress_statements,
    "kpi_status_rows": _kpi_status_rows,
    "texts": _texts,
}


# ------------------------------------------------------------------ the corpus


class Corpus:
    """Documents indexed by id, with lazily built collections and cross-document lookups."""

    def __init__(self, documents: list[LoadedDocument]):
        # Sorted by id (then file, for duplicate ids) so that entity order, and hence which document a
        # cross-document finding lands on, depends neither on input order nor on file names.
        self.documents = sorted(documents, key=lambda d: (d.id, d.file))
        self.by_id: dict[str, LoadedDocument] = {}
        self.errors: list[InputError] = []
        for d in self.documents:
            if d.id in self.by_id:
                first = self.by_id[d.id]
                span = d.span(("document", "id"))
                self.errors.append(InputError(d.file, span.line, span.column,
                                              f"document id {d.id!r} is already used by {first.file}",
                                              "duplicate-id"))
            else:
                self.by_id[d.id] = d
        self._check_references()
        self._collections: dict[str, list[Entity]] = {}
        self._per_doc: dict[tuple[str, int], list[Entity]] = {}
        """(collection, id(document)) → its entities; shared with subsets, since an entity depends only
        on its own document."""
        self.memo: dict[tuple, Any] = {}
        """Results shared between checks within one run (e.g. claim matching used by two rules)."""
        self.text_memo: dict[tuple, Any] = {}
        """Results that depend on a text alone (a parsed KPI, the counts a text states): shared with
        subsets, like the entities, so that a worker running many groups works each text out once."""

    def subset(self, documents: list[LoadedDocument]) -> Corpus:
        """A corpus of some of these documents that reuses the entities already built for them."""
        sub = Corpus(documents)
        sub._per_doc = self._per_doc
        sub.text_memo = self.text_memo
        return sub

    def _check_references(self) -> None:
        for d in self.documents:
            meta = d.header  # the header only: a stub need not parse its file (checker.accel.stub)
            for name in ("reports_on", "supersedes"):
                target = getattr(meta, name)
                if target is not None and target not in self.by_id:
                    span = d.span(("document", name))
                    known = ", ".join(sorted(self.by_id)) or "none"
                    self.errors.append(InputError(d.file, span.line, span.column,
                                                  f"document.{name} names {target!r}, which no document has "
                                                  f"(known ids: {known})", "reference"))
        for d in self.documents:
            seen = [d.id]
            cur = d.header.supersedes
            while cur is not None and cur in self.by_id:
                if cur in seen:
                    if cur == d.id:
                        span = d.span(("document", "supersedes"))
                        chain = " → ".join([*seen, cur])
                        self.errors.append(InputError(d.file, span.line, span.column,
                                                      f"supersedes forms a cycle: {chain}", "reference"))
                    break
                seen.append(cur)
                cur = self.by_id[cur].header.supersedes

    def collection(self, name: str) -> list[Entity]:
        if name not in self._collections:
            self._collections[name] = [e for d in self.documents for e in self.entities_of(name, d)]
        return self._collections[name]

    def target_of(self, doc: LoadedDocument) -> LoadedDocument | None:
        """The roadmap a review reports on."""
        ref = doc.header.reports_on
        return self.by_id.get(ref) if ref else None

    def area_of(self, doc: LoadedDocument) -> str | None:
        """A document's policy area (分野): its own, else that of the roadmap it reports on.

        Reform item numbers restart in every area (each 分野 has its own ①, ②, …), so an item is
        identified by area and number together.
        """
        own = doc.header.area
        if own is not None:
            return own
        target = self.target_of(doc)
        return target.header.area if target is not None else None

    def revision_of(self, doc: LoadedDocument) -> int | None:
        """A document's edition: its own `revision`, else that of the roadmap it reports on."""
        own = doc.header.revision
        if own is not None:
            return own
        target = self.target_of(doc)
        return target.header.revision if target is not None else None

    def entities_of(self, collection: str, doc: LoadedDocument) -> list[Entity]:
        """The entities of one collection that belong to one document, in document order."""
        key = (collection, id(doc))
        found = self._per_doc.get(key)
        if found is None:
            found = list(_BUILDERS[collection](self, doc)) if doc.kind in COLLECTIONS[collection].doc_kinds else []
            self._per_doc[key] = found
        return found

    @cached_property
    def kpis_by_doc(self) -> dict[str, list[Entity]]:
        out: dict[str, list[Entity]] = {}
        for e in self.collection("kpis"):
            out.setdefault(e.doc.id, []).append(e)
        return out

"""All documents loaded together: indexed by id and revision, and exposed as named collections of entities.

A collection ("kpis", "schedule_items", …) is what a rule's `select` names (checker.domain.entities
defines them, and this module builds their entities). Each entity carries the objects its templates may
name (`kpi`, `reform_item`, `document`, …), the data path that locates it in its file, and a stable key
(never an index where a name or id exists) for fingerprints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any, TypeVar

from checker.domain.entities import (
    COLLECTIONS,
    Entity,
    ScheduleItemView,
    StatementView,
    StatusRowView,
    TextView,
)
from checker.domain.kpi_resolve import resolve_kpi
from checker.domain.kpi_text import kpi_name_key, parse_kpi_text, parse_status_target
from checker.domain.load import LoadedDocument
from checker.domain.normalize import normalize_for_match
from checker.source.inputs import InputError

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


class _RecordingIds(dict):
    """Documents by id that note each id looked up and the file it resolved to (Corpus.record_lookups)."""

    def __init__(self, docs: dict[str, LoadedDocument], seen: dict[str, str | None]):
        super().__init__(docs)
        self.seen = seen

    def _note(self, key: Any) -> LoadedDocument | None:
        found = dict.get(self, key)
        if isinstance(key, str):
            self.seen.setdefault(key, found.file if found is not None else None)
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._note(key)
        return default if found is None else found

    def __getitem__(self, key: Any) -> LoadedDocument:
        found = self._note(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self._note(key) is not None


class Corpus:
    """Documents indexed by id, with lazily built collections and cross-document lookups."""

    def __init__(self, documents: list[LoadedDocument], failed: frozenset[str] = frozenset()):
        """`failed`: ids of documents whose files failed to load (reported where they fail); documents
        that refer to them are not blamed, and the checks that compare with them see no such document."""
        # Sorted by id (then file, for duplicate ids) so that entity order, and hence which document a
        # cross-document finding lands on, depends neither on input order nor on file names.
        self.documents = sorted(documents, key=lambda d: (d.id, d.file))
        self.by_id: dict[str, LoadedDocument] = {}
        self.errors: list[InputError] = []
        self.failed = failed
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

    def record_lookups(self) -> dict[str, str | None]:
        """From now on, note every id looked up (by_id, target_of, area_of, …) and the file it resolved to
        (None: no such id). Incremental runs compare these with the whole corpus (checker.accel.groups)."""
        seen: dict[str, str | None] = {}
        self.by_id = _RecordingIds(self.by_id, seen)
        return seen

    def _check_references(self) -> None:
        for d in self.documents:
            meta = d.header  # the header only: a stub need not parse its file (checker.accel.stub)
            for name in ("reports_on", "supersedes"):
                target = getattr(meta, name)
                if target is not None and target not in self.by_id and target not in self.failed:
                    span = d.span(("document", name))
                    known = ", ".join(sorted(self.by_id)) or "none"
                    self.errors.append(InputError(d.file, span.line, span.column,
                                                  f"document.{name} names {target!r}, which no document has "
                                                  f"(known ids: {known}); lint its file too, or keep it in "
                                                  "this file's directory tree", "reference"))
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

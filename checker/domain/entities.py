"""What rules select: entities, the views they offer over the models, and the named collections.

A collection ("kpis", "schedule_items", …) is what a rule's `select` names; checker.domain.corpus builds
its entities from the documents. Each entity carries the objects its templates may name (`kpi`,
`reform_item`, `document`, …), the data path that locates it in its file, and a stable key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.domain import model as m
from checker.domain.kpi_resolve import ResolvedKpi
from checker.domain.load import LoadedDocument
from checker.domain.model import Baseline, Deadline, Target
from checker.source.spans import PathKey

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
                                          "relisted", "ex_post", "note", "deadline_missing", "target_missing",
                                          "kind", "goals", "target_set_by", "target_set_due", "label"),
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


__all__ = ["COLLECTIONS", "CollectionSpec", "Entity", "ScheduleItemView", "StatementView", "StatusRowView",
           "TextView"]

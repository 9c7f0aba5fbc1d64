"""`item_coverage`: every reform item due in the years a progress report covers has an entry in it.

On progress reports (select documents where kind is progress_report): each reform item of the roadmap
named by ``reports_on`` that has a schedule cell due in the years the report ``covers`` (every item
with cells when it states none) must appear in the report. A whole missing item is one hit that lists
its cells; a missing cell of an item that is there is the `coverage` check's. Hits land on the review
(where the omission is), with the roadmap's item as related location. The helpers here serve the
other review-completeness kinds too (checker.checks.review.kpi_coverage, checker.checks.review.item_known).

Passing: a report with an entry for each item due. Failing: the same report without item ⑮.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from checker.checks.base import Check, Context, Hit, RelatedHit, register
from checker.domain.corpus import Entity
from checker.domain.load import LoadedDocument


@dataclass(frozen=True)
class MissingInfo:
    """Template values: {missing.number}, {missing.title}, {missing.roadmap}, {missing.years}, {missing.count},
    {missing.names} (the cells or KPIs, each quoted), {missing.name} (the one KPI, when one)."""

    number: int
    """The reform item's number (⑮ → 15)."""
    title: str
    """The reform item's title in the roadmap."""
    roadmap: str
    """Id of the roadmap the review reports on."""
    years: str
    """The fiscal years the review covers, e.g. 2017 or 2016–2018 (empty when it states none)."""
    count: int
    """How many schedule cells or KPIs are missing."""
    names: str
    """The missing cells or KPIs, each quoted (at most five, then how many more)."""
    name: str = ""
    """The one missing KPI's name, when one is missing."""


def years_text(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"


def quoted(texts: list[str], limit: int = 5, width: int = 40) -> str:
    shown = [f"「{t if len(t) <= width else t[:width - 1] + '…'}」" for t in texts[:limit]]
    more = len(texts) - limit
    return "、".join(shown) + (f" (+{more})" if more > 0 else "")


def item_anchor(doc: LoadedDocument, path: tuple, key: str) -> Entity:
    return Entity("documents", doc, path, key, {"document": doc.model.document})


def at_path(e: Entity, path: tuple) -> Entity:
    """The document entity `e`, pointing at `path` in its file (its key, hence fingerprints, unchanged)."""
    return Entity(e.collection, e.doc, path, e.key, e.ns)


def reviews(entities: list[Entity], ctx: Context, kind: str) -> Iterator[tuple[Entity, LoadedDocument]]:
    for e in entities:
        if e.doc.kind == kind:
            roadmap = ctx.corpus.target_of(e.doc)
            if roadmap is not None and roadmap.kind == "roadmap":
                yield e, roadmap


@register
class ItemCoverage(Check):
    name = "item_coverage"
    scope = "roadmap"
    provides = {"missing": MissingInfo}
    collections = ("documents",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e, roadmap in reviews(entities, ctx, "progress_report"):
            covers = e.doc.model.document.covers
            years = set(range(covers.first, covers.last + 1)) if covers is not None else None
            span = years_text(covers.first, covers.last) if covers is not None else ""
            present = {item.number for item in e.doc.model.reform_items}
            for i, item in enumerate(roadmap.model.reform_items):
                if item.number in present:
                    continue
                due = [s for s in item.schedule if years is None or years.intersection(s.fiscal_years)]
                if not due:
                    continue
                info = MissingInfo(item.number, item.title, roadmap.id, span, len(due), quoted([s.text for s in due]))
                related = RelatedHit(item_anchor(roadmap, ("reform_items", i), f"item:{item.number}"), ("number",),
                                     f"reform item {item.number} of {roadmap.id}", f"{roadmap.id} の改革項目 {item.number}")
                yield Hit(at_path(e, ("reform_items",)), (), {"missing": info}, key=f"item:{item.number}", related=(related,))

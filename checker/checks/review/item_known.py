"""`item_known`: every reform item number of a review exists in the roadmap it reports on.

On reviews (progress reports and KPI status tables): an item number the roadmap lacks is a hit at the
number, naming what the roadmap has ("reform item 99 is not in kaikaku-2016-it (it has: 15)"). The
`reference` check leaves that item's rows alone, so no message names an empty candidate.

Passing: a review of item 15 of a roadmap with item 15. Failing: the same review numbered 99.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from checker.checks.base import Check, Context, Hit, register
from checker.checks.review.item_coverage import at_path
from checker.domain.corpus import Entity


@dataclass(frozen=True)
class ItemInfo:
    """Template values: {item.number}, {item.roadmap}, {item.known} (the roadmap's item numbers)."""

    number: int
    """The item number the review gives."""
    roadmap: str
    """Id of the roadmap the review reports on."""
    known: str
    """The roadmap's item numbers, comma-separated (the first twenty)."""


@register
class ItemKnown(Check):
    name = "item_known"
    scope = "roadmap"
    provides = {"item": ItemInfo}
    collections = ("documents",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            if e.doc.kind not in ("progress_report", "kpi_status"):
                continue
            roadmap = ctx.corpus.target_of(e.doc)
            if roadmap is None or roadmap.kind != "roadmap":
                continue
            numbers = sorted({item.number for item in roadmap.model.reform_items})
            known = set(numbers)
            shown = ", ".join(str(n) for n in numbers[:20]) + (f", … ({len(numbers)} items)" if len(numbers) > 20 else "")
            for i, item in enumerate(e.doc.model.reform_items):
                if item.number in known:
                    continue
                info = ItemInfo(item.number, roadmap.id, shown or "-")
                yield Hit(at_path(e, ("reform_items", i, "number")), (), {"item": info}, key=f"item:{item.number}#{i}")

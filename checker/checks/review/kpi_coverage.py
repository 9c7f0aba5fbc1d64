"""`kpi_coverage`: every KPI of a roadmap has a row in each KPI status table that reports on it.

On KPI status documents (select documents where kind is kpi_status): rows are matched to the roadmap's
KPIs as by the `reference` check (grades: exact and near by default); a KPI no row names is a hit at
the item's rows, and a reform item missing entirely is one hit that lists its KPIs. A KPI listed twice
in an item (kpi-duplicate) is covered by a row for either. Rows that name no KPI are the `reference`
check's (kpi-status-row-unmatched).

Passing: a row for each KPI. Failing: the same table without the row of one KPI.
"""

from __future__ import annotations

from collections.abc import Iterable

from checker.checks.base import Check, Context, Hit, RelatedHit, register
from checker.checks.reference import ReferenceOptions, match_claims
from checker.checks.review.item_coverage import MissingInfo, at_path, item_anchor, quoted, reviews
from checker.domain.corpus import Entity
from checker.domain.kpi_text import kpi_name_key


def _kpi_key(k: Entity) -> tuple[int, int, str]:
    return (k.ns["reform_item"].number, k.root.tier, kpi_name_key(k.root.name or k.root.text))



@register
class KpiCoverage(Check):
    name = "kpi_coverage"
    scope = "roadmap"
    Options = ReferenceOptions
    provides = {"missing": MissingInfo}
    collections = ("documents",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        matches = match_claims(ctx, "kpi_status_rows", self.options)
        wanted = set(self.options.grades)
        for e, roadmap in reviews(entities, ctx, "kpi_status"):
            present = {item.number for item in e.doc.model.reform_items}
            # (item number, tier, name) of the roadmap's KPIs some row names: a KPI listed twice in an item
            # (kpi-duplicate says so) is covered by the row of either.
            covered: set[tuple[int, int, str]] = set()
            for row in ctx.corpus.entities_of("kpi_status_rows", e.doc):
                claim = matches.get(f"{row.doc.id}@{row.key}")
                for part in claim.result.parts if claim is not None else ():
                    cand, _ = claim.candidate(part.candidate)
                    if cand is not None and part.grade in wanted:
                        covered.add(_kpi_key(cand))
            # Grouped once: a roadmap of 100,000 cells has thousands of items (scanning per item was quadratic).
            by_item: dict[int, list[Entity]] = {}
            for k in ctx.corpus.entities_of("kpis", roadmap):
                by_item.setdefault(id(k.ns["reform_item"]), []).append(k)
            index_of = {}
            for j, it in enumerate(e.doc.model.reform_items):
                index_of.setdefault(it.number, j)
            for i, item in enumerate(roadmap.model.reform_items):
                mine = by_item.get(id(item), [])
                if not mine:
                    continue
                if item.number not in present:
                    names = [k.root.name or k.root.text for k in mine]
                    info = MissingInfo(item.number, item.title, roadmap.id, "", len(mine), quoted(names))
                    related = RelatedHit(item_anchor(roadmap, ("reform_items", i), f"item:{item.number}"),
                                         ("kpis",), f"the KPIs of reform item {item.number} of {roadmap.id}",
                                         f"{roadmap.id} の改革項目 {item.number} のKPI")
                    yield Hit(at_path(e, ("reform_items",)), (), {"missing": info}, key=f"item:{item.number}", related=(related,))
                    continue
                index = index_of[item.number]
                for k in mine:
                    if _kpi_key(k) in covered:
                        continue
                    name = k.root.name or k.root.text
                    info = MissingInfo(item.number, item.title, roadmap.id, "", 1, quoted([name]), name)
                    related = RelatedHit(k, ("text",), f"the KPI in {roadmap.id}", f"{roadmap.id} のKPI")
                    yield Hit(at_path(e, ("reform_items", index, "kpis")), (), {"missing": info}, key=k.key,
                              related=(related,))

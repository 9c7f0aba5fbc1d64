"""`coverage`: a schedule cell due in a fiscal year that a progress report covers must be reported on.

For each progress report with ``document.covers`` (the fiscal years it reviews) and each schedule
cell of the roadmap it reports on (same reform item) whose fiscal years meet those years, at least
one progress entry must quote the cell at one of the accepted grades (default exact or near, the
same matching as the `reference` check).

Passing: a report covering FY2017 with an entry quoting the FY2017 cell.
Failing: the same report without that entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from checker.checks.base import Check, Context, Hit, RelatedHit, register
from checker.checks.reference import Grade, ReferenceOptions, match_claims
from checker.domain.corpus import Entity


class CoverageOptions(ReferenceOptions):
    grades: list[Grade] = Field(default_factory=lambda: ["exact", "near"],
                                description="Grades at which an entry counts as reporting on a cell.")


@dataclass(frozen=True)
class ReportInfo:
    """Template values: {report.document} (id), {report.years} (covered fiscal years)."""

    document: str
    """Id of the progress report."""
    years: str
    """The fiscal years it covers, e.g. 2017."""


@register
class Coverage(Check):
    name = "coverage"
    scope = "roadmap"
    Options = CoverageOptions
    provides = {"report": ReportInfo}
    collections = ("schedule_items",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        matches = match_claims(ctx, "progress_entries", self.options)
        wanted = set(self.options.grades)
        # (roadmap id, reform item number, schedule entity key) → reports that quote the cell
        quoted: set[tuple[str, str, str]] = set()
        for entry in ctx.corpus.collection("progress_entries"):
            claim = matches.get(f"{entry.doc.id}@{entry.key}")
            if claim is None:
                continue
            for part in claim.result.parts:
                cand, _ = claim.candidate(part.candidate)
                if cand is not None and part.grade in wanted:
                    quoted.add((entry.doc.id, cand.doc.id, cand.key))
        reports = [d for d in ctx.corpus.documents
                   if d.kind == "progress_report" and d.model.document.covers is not None
                   and ctx.corpus.target_of(d) is not None]
        selected = {(e.doc.id, e.key) for e in entities}
        for report in reports:
            covers = report.model.document.covers
            years = set(range(covers.first, covers.last + 1))
            roadmap = ctx.corpus.target_of(report)
            items = {i.number: i for i in report.model.reform_items}
            for cell in ctx.corpus.entities_of("schedule_items", roadmap):
                number = cell.ns["reform_item"].number
                if (cell.doc.id, cell.key) not in selected or number not in items:
                    continue
                if not years.intersection(cell.root.fiscal_years):
                    continue
                if (report.id, cell.doc.id, cell.key) in quoted:
                    continue
                index = next(i for i, it in enumerate(report.model.reform_items) if it.number == number)
                anchor = Entity("documents", report, ("reform_items", index), f"item:{number}", {})
                span = f"{covers.first}" if covers.first == covers.last else f"{covers.first}–{covers.last}"
                yield Hit(cell, ("text",), {"report": ReportInfo(report.id, span)}, key=f"report:{report.id}",
                          related=(RelatedHit(anchor, (), f"progress report {report.id} has no entry for it",
                                              f"進捗状況 {report.id} に該当する記載がない"),))

"""`years_within`: fiscal years must lie within a document's `fiscal_years`, or within its roadmap's.

Options: ``field`` (a list of years or a year range {first, last}, e.g. schedule_item.fiscal_years or
document.covers) and ``within``: ``document`` (the entity's own document's ``fiscal_years``) or
``roadmap`` (the ``fiscal_years`` of the roadmap the document reports on). Silent when the range is
not stated.

Passing: a cell in FY2017 of a roadmap covering FY2016–FY2018. Failing: a cell in FY2020.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.rules.fields import check_path, getter


class YearsWithinOptions(Options):
    field: str = Field(description="A list of fiscal years or a year range {first, last}.")
    within: Literal["document", "roadmap"] = Field("document", description="Whose fiscal_years bound them.")


@dataclass(frozen=True)
class YearsInfo:
    """Template values: {years.outside} (the years out of range), {years.range} (e.g. 2016–2018),
    {years.source} (the document whose fiscal_years set the range)."""

    outside: str
    """The years outside the range, joined with 、."""
    range: str
    """The allowed range, e.g. 2016–2018."""
    source: str
    """Id of the document whose fiscal_years set the range."""


def _years(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, int)]
    first, last = getattr(value, "first", None), getattr(value, "last", None)
    return list(range(first, last + 1)) if isinstance(first, int) and isinstance(last, int) else []


@register
class YearsWithin(Check):
    name = "years_within"
    scope = "roadmap"
    Options = YearsWithinOptions
    provides = {"years": YearsInfo}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        why = check_path(types_by_root, self.options.field)
        return [f"field {self.options.field!r}: {why}"] if why else []

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        get = getter(self.options.field)
        leaf = tuple(self.options.field.split(".")[1:])
        for e in entities:
            source = e.doc if self.options.within == "document" else ctx.corpus.target_of(e.doc)
            bounds = source.model.document.fiscal_years if source is not None else None
            if bounds is None:
                continue
            outside = sorted({y for y in _years(get(e.ns)) if not bounds.first <= y <= bounds.last})
            if outside:
                span = f"{bounds.first}–{bounds.last}"
                yield Hit(e, leaf, {"years": YearsInfo("、".join(map(str, outside)), span, source.id)})

"""`duplicate`: within one document, no two entities share a key (schedule ids, reform item numbers, KPIs).

Options: ``key`` (dotted fields whose values together form the key, e.g. [reform_item.number,
schedule_item.id]) and ``normalize`` (how text values are compared: ``text`` folds width and spaces,
``kpi_name`` also drops 【再掲】 and bullets, ``none`` compares as written). The hit lands on the second
(and each later) occurrence; the first is its related location.

Passing: schedule ids s1, s2 in one reform item. Failing: s1, s1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, RelatedHit, register
from checker.domain.corpus import Entity
from checker.domain.kpi_text import kpi_name_key
from checker.domain.normalize import normalize_for_match
from checker.rules.fields import check_path, getter


class DuplicateOptions(Options):
    key: list[str] = Field(min_length=1, description="Fields whose values together must be unique per document.")
    normalize: Literal["none", "text", "kpi_name"] = Field("text", description="How text values are compared.")


@dataclass(frozen=True)
class DuplicateInfo:
    """Template values: {duplicate.value} (the repeated key as written), {duplicate.first_line}."""

    value: str
    """The repeated key, its parts joined with " / "."""
    first_line: int
    """The line of the first occurrence."""


def _norm(kind: str):
    if kind == "kpi_name":
        return kpi_name_key
    if kind == "text":
        return lambda s: "".join(normalize_for_match(s).split())
    return lambda s: s


@register
class Duplicate(Check):
    name = "duplicate"
    scope = "document"
    Options = DuplicateOptions
    provides = {"duplicate": DuplicateInfo}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        return [f"key {k!r}: {why}" for k in self.options.key if (why := check_path(types_by_root, k))]

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        getters = [getter(k) for k in self.options.key]
        norm = _norm(self.options.normalize)
        first: dict[tuple, Entity] = {}
        for e in entities:
            values = [g(e.ns) for g in getters]
            if any(v is None for v in values):
                continue
            key = (e.doc.file, e.doc.id, *(norm(v) if isinstance(v, str) else v for v in values))
            seen = first.get(key)
            if seen is None:
                first[key] = e
                continue
            line = seen.doc.span(seen.path).line
            shown = " / ".join(_shown(v) for v in values)
            yield Hit(e, (), {"duplicate": DuplicateInfo(shown, line)}, key="duplicate",
                      related=(RelatedHit(seen, (), "first occurrence", "最初の記載"),))


def _shown(value: object) -> str:
    """A value for a message: whole numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)

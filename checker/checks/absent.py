"""`absent`: the named field must be empty; each element of a non-empty list is reported on its own.

Used for conflicts recorded by the parser, e.g. a written KPI deadline that disagrees with its text.
Each reported element is available to messages as ``{item}`` (its attributes as ``{item.field}``).

Passing (field: conflicts)::  a KPI whose written fields agree with its text.
Failing::  ``deadline: {fiscal_year: 2018}`` on a KPI whose text says 2017年度までに.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, is_missing, register
from checker.domain.corpus import Entity
from checker.rules.fields import field_path, resolve


class AbsentOptions(Options):
    field: str = Field(description="Field path that must be empty (None, blank, '-' or an empty list).")


@register
class Absent(Check):
    name = "absent"
    scope = "document"
    Options = AbsentOptions
    provides = {"item": Any}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        self.path, problems = self.field_option(self.options.field, types_by_root)
        return problems

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            value = resolve(e.ns, self.path)
            if is_missing(value):
                continue
            items = value if isinstance(value, list | tuple) else [value]
            for i, item in enumerate(items):
                # An element that names the field it concerns (a FieldConflict) points at that field.
                sub = getattr(item, "field", None)
                where = (sub,) if isinstance(sub, str) else field_path(self.path)
                yield Hit(e, where, {"item": item}, key=f"{self.path}:{sub or i}")

"""`required`: each named field of the entity must be present and non-empty.

Passing (fields: [responsible])::

    responsible: [総務省地域力創造グループ]

Failing::

    responsible: []

A Deadline whose fiscal year and date are both unset ("目標期限を集中改革期間中に設定") counts as missing.
Field names are relative to the entity (``deadline``) or rooted (``document.reports_on``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, is_missing, register
from checker.domain.corpus import Entity
from checker.rules.fields import field_path, resolve


class RequiredOptions(Options):
    fields: list[str] = Field(min_length=1, description="Fields that must be present and non-empty.")


@register
class Required(Check):
    name = "required"
    scope = "document"
    Options = RequiredOptions
    provides = {"field": str}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        checked = [self.field_option(f, types_by_root) for f in self.options.fields]
        self.paths = [path for path, _ in checked]
        return [why for _, problems in checked for why in problems]

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            for dotted in self.paths:
                if is_missing(resolve(e.ns, dotted)):
                    yield Hit(e, field_path(dotted), {"field": dotted.split(".", 1)[-1]}, key=dotted)

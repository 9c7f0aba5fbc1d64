"""`deadline_passed`: a promise or deadline whose date has passed as of the run's --as-of date.

Options: ``field`` (a text, or a Deadline such as ``deadline`` on kpis); for texts ``pattern`` (RE2)
finds the dates: either a group ``when`` (read as 2017年度, 平成29年度, 2019年3月, 2019年3月31日,
集中改革期間 or 2018年) or groups ``year`` (with ``era`` for 和暦), ``month``, ``day`` and ``fiscal``
(non-empty for a 年度); ``promise`` (RE2, optional) must match in the rest of the clause after the date
(up to the next 、 or 。) for the date to count as a promise ("…に公表予定", "…に試算・公表する").

A fiscal year's deadline passes after 31 March of the following calendar year; a month's after its
last day. Hits carry ``{due}`` (the date), ``{when}`` (the words) and ``{as_of}``.

Passing (as of 2017-12-31)::  2017年度中に公表すべく、現在調査中
Failing (as of 2018-04-01)::  the same text (due 2018-03-31)
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pydantic import Field, model_validator

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.domain.kpi_text import REFORM_PERIOD_LAST_FY
from checker.domain.model import Deadline
from checker.domain.normalize import (
    fiscal_year_bounds,
    month_end,
    nfkc,
    normalize_for_match,
    parse_date,
    replace_wareki,
    wareki_to_year,
)
from checker.rules.fields import attributes, field_path, resolve
from checker.rules.regex import compile_pattern, finditer_many, search_many

_FY = re.compile(r"(\d{4})年度")
_MONTH = re.compile(r"(\d{4})年(\d{1,2})月")
_YEAR = re.compile(r"(\d{4})年")
_CLAUSE_END = re.compile(r"[、。]")


class DeadlineOptions(Options):
    field: str = Field(description="Field path of a text (with `pattern`) or of a Deadline, e.g. deadline on kpis.")
    pattern: str | None = Field(default=None, description="RE2 searched for every date in a text field (all "
                                "matches): a group `when`, or groups year/era/month/day/fiscal.")
    promise: str | None = Field(default=None, description="RE2 searched in the clause after the date (up to 、 "
                                "or 。); when given, only dates it finds a match after count.")

    @model_validator(mode="after")
    def _groups(self) -> DeadlineOptions:
        if self.pattern is not None:
            groups = compile_pattern(self.pattern).groupindex
            if "when" not in groups and "year" not in groups:
                raise ValueError(f"pattern {self.pattern!r} needs a named group 'when' or 'year'")
        if self.promise is not None:
            compile_pattern(self.promise)
        return self


def _clause_after(m: Any) -> str:
    """The rest of a date's clause: what follows it up to the next 、 or 。."""
    rest = m.string[m.end():]
    end = _CLAUSE_END.search(rest)
    return rest[: end.start()] if end else rest


@lru_cache(maxsize=4096)  # a corpus writes few distinct dates, each many times
def due_date(when: str) -> dt.date | None:
    """The last day a deadline allows: 2017年度 → 2018-03-31, 2019年3月 → 2019-03-31, 集中改革期間 → 2019-03-31."""
    s = replace_wareki(normalize_for_match(nfkc(when)))
    if m := _FY.search(s):
        return fiscal_year_bounds(int(m[1]))[1]
    if "集中改革期間" in s:
        return fiscal_year_bounds(REFORM_PERIOD_LAST_FY)[1]
    if date := parse_date(s):
        return date
    try:
        if m := _MONTH.search(s):
            return month_end(int(m[1]), int(m[2]))
    except ValueError:  # 13月 and the like: no date
        return None
    if m := _YEAR.search(s):
        return dt.date(int(m[1]), 12, 31)
    return None


def _when_from_groups(groups: dict[str, str | None]) -> str | None:
    """Rebuild the words of a date from year/era/month/day/fiscal groups."""
    if groups.get("when"):
        return groups["when"]
    year = groups.get("year")
    if not year:
        return None
    try:
        y = wareki_to_year(groups["era"], year) if groups.get("era") else int(nfkc(year))
    except ValueError:
        return None
    if groups.get("fiscal"):
        return f"{y}年度"
    out = f"{y}年"
    if groups.get("month"):
        out += f"{groups['month']}月" + (f"{groups['day']}日" if groups.get("day") else "")
    return out


def _is_text(annotation: Any) -> bool:
    """Whether a field's annotation admits plain text (str, possibly optional)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_text(a) for a in typing.get_args(annotation))
    return annotation is str


def _annotation(types_by_root: dict[str, Any], dotted: str) -> Any:
    head, *rest = dotted.split(".")
    current: Any = types_by_root.get(head)
    for part in rest:
        classes = [a for a in (typing.get_args(current) or (current,)) if isinstance(a, type)]
        current = next((attributes(c)[part] for c in classes if part in attributes(c)), None)
    return current


@register
class DeadlinePassed(Check):
    name = "deadline_passed"
    scope = "document"
    Options = DeadlineOptions
    provides = {"due": dt.date, "when": str, "as_of": dt.date}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        self.path, problems = self.field_option(self.options.field, types_by_root)
        if problems:
            return problems
        if _is_text(_annotation(types_by_root, self.path)) and self.options.pattern is None:
            return [f"{self.options.field!r} is a text: give a `pattern` that finds its dates"]
        self.pattern = compile_pattern(self.options.pattern) if self.options.pattern else None
        self.promise = compile_pattern(self.options.promise) if self.options.promise else None
        return []

    def promises(self, text: str) -> list[tuple[str, dt.date]]:
        """(words, due date) of each dated promise in a text."""
        return self._promises_in(list(self.pattern.finditer(normalize_for_match(text)))) if self.pattern else []

    def _promises_in(self, dates: list[Any], promising: set[str] | None = None) -> list[tuple[str, dt.date]]:
        """(words, due date) of the date matches that promise something in their clause.

        `promising`: the clauses known to hold a promise word (else each clause is searched)."""
        out = []
        for m in dates:
            when = _when_from_groups(m.groupdict())
            due = due_date(when) if when else None
            if due is None:
                continue
            if self.promise is not None:
                clause = _clause_after(m)
                if not (clause in promising if promising is not None else self.promise.search(clause)):
                    continue
            out.append((m.group(0), due))
        return out

    def _promises_of(self, texts: set[str]) -> dict[str, list[tuple[str, dt.date]]]:
        """promises() of many texts: dates and promise words are found in one scan of all of them, since
        most texts hold no date (see regex.finditer_many)."""
        if self.pattern is None:
            return {}
        normal = {t: normalize_for_match(t) for t in texts}
        dates = finditer_many(self.pattern, normal.values())
        promising = None
        if self.promise is not None:
            promising = search_many(self.promise, (_clause_after(m) for found in dates.values() for m in found))
        return {t: self._promises_in(dates[n], promising) for t, n in normal.items() if n in dates}

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        values = [resolve(e.ns, self.path) for e in entities]
        promised = self._promises_of({v for v in values if isinstance(v, str)})
        for e, value in zip(entities, values, strict=True):
            if isinstance(value, Deadline):
                due = value.last_day
                found = [(value.text or str(value.fiscal_year or value.date), due)] if due else []
            elif isinstance(value, str):
                found = promised.get(value, [])
            else:
                continue
            seen: set[str] = set()
            for when, due in found:
                if due < ctx.as_of and when not in seen:
                    seen.add(when)
                    yield Hit(e, field_path(self.path), {"due": due, "when": when, "as_of": ctx.as_of},
                              key=f"{self.path}:{when}")

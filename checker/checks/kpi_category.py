"""`kpi_category`: the 区分 of a KPIの状況 row must agree with the A/B/N/F definitions.

N when there is no data yet (実績値 '-' or missing); F when no quantitative target is set (a row with
neither data nor target may be N or F); otherwise A when (current − initial)/(target − initial) ≥
elapsed/total, else B. Elapsed time runs from the end of the baseline's fiscal year (or the start of
the reporting roadmap's period) to the actual's date; total time to the end of the deadline. For a
direction-only target (増加/縮小), A = moving toward it, B = unchanged or moving away.

Baseline, target and deadline come from the row's own target text, and, where it lacks them, from the
matching KPI of the roadmap the review reports on (same name key; else the same tier and a name at
least ``match_min_score`` similar, e.g. クラウド導入市町村数 for クラウド導入市区町村数). When the
expected 区分 cannot be computed there is no hit. Hits carry ``{expected}``, ``{given}``,
``{progress}`` and ``{elapsed}`` (percent; '-' when not computed).

Passing::  948団体 of a 倍増 from 550 to 約1000 by FY2017, as of 2017-04-01 → 88% ≥ 67% → A
Failing::  the same row marked B
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field
from rapidfuzz import fuzz

from checker.checks.base import Check, Context, Hit, Options, is_missing, register
from checker.domain.corpus import Corpus, Entity, StatusRowView
from checker.domain.kpi_resolve import ResolvedKpi
from checker.domain.kpi_text import kpi_name_key
from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import fiscal_year_bounds, parse_number

# Tolerance for progress ≥ elapsed: a KPI exactly on schedule is A, whatever the float rounding.
_EPS = 1e-9


class CategoryOptions(Options):
    match_min_score: float = Field(default=90.0, ge=0, le=100,
                                   description="Lowest name similarity for taking a roadmap KPI as the row's.")


@dataclass(frozen=True)
class Inputs:
    """What the 区分 depends on, gathered from the row and its roadmap KPI."""

    has_data: bool
    current: float | None
    as_of: dt.date | None
    baseline: Baseline | None
    target: Target | None
    deadline: Deadline | None
    period_start: dt.date | None
    """Start of the reporting roadmap's 集中改革期間 (or its first fiscal year), when the baseline has no year."""


@dataclass(frozen=True)
class Expected:
    categories: frozenset[str]
    progress: float | None = None
    elapsed: float | None = None


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> float | None:
    """Share of [start, end] elapsed at `as_of`, clamped to 0–1; None for an empty period."""
    total = (end - start).days
    if total <= 0:
        return None
    return min(1.0, max(0.0, (as_of - start).days / total))


def classify(progress: float, elapsed: float) -> str:
    return "A" if progress + _EPS >= elapsed else "B"


def _value(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else x


def expected_category(i: Inputs) -> Expected | None:
    """The categories the definitions allow for these inputs, or None when they cannot be computed."""
    if not i.has_data:
        return Expected(frozenset({"N"}) if i.target is not None else frozenset({"N", "F"}))
    if i.target is None:
        return Expected(frozenset({"F"}))
    initial = _value(i.baseline.value) if i.baseline is not None else None
    if i.current is None or initial is None:
        return None
    if i.target.kind == "direction":
        sign = 1 if i.target.direction == "increase" else -1
        return Expected(frozenset({"A" if (i.current - initial) * sign > 0 else "B"}))
    goal = _value(i.target.value)
    if goal is None and i.target.change is not None:
        goal = initial * (1 + i.target.change)
    end = i.deadline.last_day if i.deadline is not None else None
    if i.baseline is not None and i.baseline.fiscal_year is not None:
        start = fiscal_year_bounds(i.baseline.fiscal_year)[1]
    else:
        start = i.period_start
    if goal is None or goal == initial or end is None or start is None or i.as_of is None:
        return None
    elapsed = elapsed_share(start, end, i.as_of)
    if elapsed is None:
        return None
    progress = (i.current - initial) / (goal - initial)
    return Expected(frozenset({classify(progress, elapsed)}), progress, elapsed)


def _kpis_by_item(corpus: Corpus, doc_id: str) -> dict[int | None, list[ResolvedKpi]]:
    """A roadmap's KPIs by reform item number, and all of them under None; grouped once per roadmap
    (memoised per corpus), since scanning a roadmap's thousands of KPIs for each row was quadratic."""
    memo = corpus.memo.setdefault(("kpi_category", "kpis_by_item"), {})
    found = memo.get(doc_id)
    if found is None:
        entities = corpus.kpis_by_doc.get(doc_id, [])
        found = {None: [e.ns["kpi"] for e in entities]}
        for e in entities:
            found.setdefault(e.ns["reform_item"].number, []).append(e.ns["kpi"])
        memo[doc_id] = found
    return found


def roadmap_kpi(corpus: Corpus, entity: Entity, row: StatusRowView, min_score: float) -> ResolvedKpi | None:
    """The KPI of the reported-on roadmap that this row reports: same name key, else a close same-tier name.

    Only the KPIs of the reform item with the row's number are looked at when the roadmap has that item,
    because two items may well have KPIs of the same name (導入団体数) with different baselines.
    """
    target = corpus.target_of(entity.doc)
    if target is None:
        return None
    by_item = _kpis_by_item(corpus, target.id)
    kpis = by_item.get(entity.ns["reform_item"].number) or by_item[None]
    same = [k for k in kpis if kpi_name_key(k.name) == row.name_key]
    if same:
        return next((k for k in same if k.tier == row.tier), same[0])
    scored = [(fuzz.ratio(kpi_name_key(k.name), row.name_key), k) for k in kpis if k.tier == row.tier]
    scored = [(s, k) for s, k in scored if s >= min_score]
    return max(scored, key=lambda sk: sk[0])[1] if scored else None


def _merge_baseline(own: Baseline | None, other: Baseline | None) -> Baseline | None:
    """The row's baseline, with its value (and year) filled from the roadmap when the row names only a year."""
    if own is None:
        return other
    fillable = own.fiscal_year is None or (other is not None and other.fiscal_year in (None, own.fiscal_year))
    if math.isnan(own.value) and other is not None and not math.isnan(other.value) and fillable:
        return other
    return own


def gather(entity: Entity, corpus: Corpus, min_score: float) -> Inputs:
    row: StatusRowView = entity.ns["status_row"]
    kpi = roadmap_kpi(corpus, entity, row, min_score)
    actual = row.actual
    has_data = actual is not None and not is_missing(actual.text)
    current = parse_number(actual.text) if has_data else None
    roadmap = corpus.target_of(entity.doc)
    period_start = None
    if roadmap is not None:
        meta = roadmap.model.document
        span = meta.reform_period or meta.fiscal_years
        period_start = fiscal_year_bounds(span.first)[0] if span else None
    deadline = row.parsed_deadline if row.parsed_deadline is not None and row.parsed_deadline.is_set else (
        kpi.deadline if kpi is not None else row.parsed_deadline)
    return Inputs(
        has_data=has_data, current=current, as_of=actual.as_of if actual else None,
        baseline=_merge_baseline(row.parsed_baseline, kpi.baseline if kpi else None),
        target=row.parsed_target or (kpi.target if kpi else None), deadline=deadline, period_start=period_start,
    )  # fmt: skip


def _percent(x: float | None) -> float | None:
    return None if x is None else round(x * 100, 1)


@register
class KpiCategory(Check):
    name = "kpi_category"
    scope = "roadmap"
    Options = CategoryOptions
    provides = {"expected": str, "given": str, "progress": float, "elapsed": float}
    collections = ("kpi_status_rows",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            given = e.ns["status_row"].category
            if given is None:
                continue
            expected = expected_category(gather(e, ctx.corpus, self.options.match_min_score))
            if expected is None or given in expected.categories:
                continue
            yield Hit(e, ("category",), {"expected": "/".join(sorted(expected.categories)), "given": given,
                                         "progress": _percent(expected.progress),
                                         "elapsed": _percent(expected.elapsed)}, key="category")

"""`kpi_category`: the 区分 of a KPIの状況 row must agree with the A/B/N/F definitions.

F when the KPI has no target (neither the row nor its roadmap KPI states one); N when it has one but the
row has no actual value (実績値 '-' or missing). At or after the deadline, and for targets due every year
(毎年度90%, 水準を維持), A exactly when the target is met (actual ≥ target; ≤ for a decreasing one; strictly
for 超/未満), whatever the baseline, else B. Before the deadline, A when (current − initial)/(target −
initial) ≥ elapsed/total, else B: elapsed time runs from the end of the baseline's fiscal year (or the
start of the reporting roadmap's period) to the actual's date, total time to the end of the deadline;
without a baseline value such a row is not judged. For a direction-only target (増加/縮小), A = moving
toward it from the baseline, B = unchanged or moving away.

Baseline, target and deadline come from the row's own target text, and, where it lacks them, from the
roadmap KPI the row names: the one the reference matching grades exact or near (``near``, the threshold
shared with kpi-status-name-differs; e.g. クラウド導入市町村数 for クラウド導入市区町村数). When the
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
from functools import lru_cache

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, is_missing, register
from checker.checks.reference import ReferenceOptions, match_claims
from checker.domain.corpus import Entity, StatusRowView
from checker.domain.kpi.dates import due
from checker.domain.kpi_resolve import ResolvedKpi
from checker.domain.matching import GRADE_ORDER
from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import fiscal_year_bounds, parse_number

# Tolerance for progress ≥ elapsed: a KPI exactly on schedule is A, whatever the float rounding.
_EPS = 1e-9


class CategoryOptions(Options):
    near: float = Field(default=85.0, ge=0, le=100, description="Name similarity at or above which a roadmap KPI "
                        "is taken as the row's; keep it equal to the near of the kpi_status_rows reference rules.")
    weak: float = Field(default=60.0, ge=0, le=100, description="The weak grade of that matching (shared with the "
                        "reference rules, so that the match is computed once).")


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


def _decreasing(target: Target, initial: float | None, goal: float) -> bool:
    """Whether a target is met from above (削減, 以下, a goal below the baseline)."""
    if target.direction is not None:
        return target.direction == "decrease"
    if target.bound in ("at_most", "below"):
        return True
    return initial is not None and goal < initial


def _met(current: float, goal: float, target: Target, decreasing: bool) -> bool:
    """actual ≥ target (≤ for a decreasing one); strictly so for 超 and 未満."""
    if decreasing:
        return current < goal if target.bound == "below" else current <= goal + _EPS * max(1.0, abs(goal))
    return current > goal if target.bound == "above" else current + _EPS * max(1.0, abs(goal)) >= goal


def expected_category(i: Inputs) -> Expected | None:
    """The categories the definitions allow for these inputs, or None when they cannot be computed.

    F when there is no target; N when there is one but no data. At or after the deadline (and for targets
    due every year: recurring, maintain) A exactly when the target is met, whatever the baseline; before it,
    progress against elapsed time, which needs a baseline value.
    """
    if i.target is None:
        return Expected(frozenset({"F"}))
    if not i.has_data:
        return Expected(frozenset({"N"}))
    initial = _value(i.baseline.value) if i.baseline is not None else None
    if i.current is None:
        return None
    if i.target.kind == "direction":
        if initial is None:
            return None
        sign = 1 if i.target.direction == "increase" else -1
        return Expected(frozenset({"A" if (i.current - initial) * sign > 0 else "B"}))
    goal = _value(i.target.value)
    if goal is None and i.target.change is not None and initial is not None:
        goal = initial * (1 + i.target.change)
    if goal is None and i.target.kind == "maintain":
        goal = initial
    if goal is None or i.as_of is None:
        return None
    end = due(i.deadline)
    due_now = i.target.kind in ("recurring", "maintain") or (end is not None and i.as_of >= end)
    if due_now:
        progress = None if initial is None or goal == initial else (i.current - initial) / (goal - initial)
        met = _met(i.current, goal, i.target, _decreasing(i.target, initial, goal))
        return Expected(frozenset({"A" if met else "B"}), progress, 1.0)
    if i.baseline is not None and i.baseline.fiscal_year is not None:
        start = fiscal_year_bounds(i.baseline.fiscal_year)[1]
    else:
        start = i.period_start
    if initial is None or goal == initial or end is None or start is None:
        return None  # before the deadline, progress needs a baseline
    elapsed = elapsed_share(start, end, i.as_of)
    if elapsed is None:
        return None
    progress = (i.current - initial) / (goal - initial)
    return Expected(frozenset({classify(progress, elapsed)}), progress, elapsed)


@lru_cache(maxsize=16)
def _reference_options(near: float, weak: float) -> ReferenceOptions:
    """Built once per thresholds, not once per row (a pydantic validation each: 15,000 on 100,000 cells)."""
    return ReferenceOptions(grades=["near"], near=near, weak=weak)


def roadmap_kpi(ctx: Context, entity: Entity, options: CategoryOptions) -> ResolvedKpi | None:
    """The KPI of the reported-on roadmap that this row names: the candidate the reference matching (the
    one kpi-status-row-unmatched and kpi-status-name-differs report from) grades exact or near. A row
    graded weak or none is reported unmatched and not judged here, so no row falls between the rules."""
    claims = match_claims(ctx, "kpi_status_rows", _reference_options(options.near, options.weak))
    claim = claims.get(f"{entity.doc.id}@{entity.key}")
    parts = claim.result.parts if claim is not None else ()
    part = max(parts, key=lambda p: (GRADE_ORDER[p.grade], -p.score), default=None)  # the worst part decides
    if part is None or part.grade not in ("exact", "near"):
        return None
    found, _ = claim.candidate(part.candidate)  # type: ignore[union-attr]
    return found.ns["kpi"] if found is not None else None


def _merge_baseline(own: Baseline | None, other: Baseline | None) -> Baseline | None:
    """The row's baseline, with its value (and year) filled from the roadmap when the row names only a year."""
    if own is None:
        return other
    fillable = own.fiscal_year is None or (other is not None and other.fiscal_year in (None, own.fiscal_year))
    if math.isnan(own.value) and other is not None and not math.isnan(other.value) and fillable:
        return other
    return own


def gather(entity: Entity, ctx: Context, options: CategoryOptions | None = None) -> Inputs:
    row: StatusRowView = entity.ns["status_row"]
    corpus = ctx.corpus
    kpi = roadmap_kpi(ctx, entity, options or CategoryOptions())
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
            expected = expected_category(gather(e, ctx, self.options))
            if expected is None or given in expected.categories:
                continue
            yield Hit(e, ("category",), {"expected": "/".join(sorted(expected.categories)), "given": given,
                                         "progress": _percent(expected.progress),
                                         "elapsed": _percent(expected.elapsed)}, key="category")

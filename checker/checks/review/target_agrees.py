"""`target_agrees`: a KPI status row's 目標値 agrees with the target and deadline of the KPI it names.

The row is matched to the roadmap's KPI as by the `reference` check (exact or near by default); both
texts are read by checker.domain.kpi_text, so 約, thousands commas, spacing and 【再掲】 never count.
What is compared: the value, the relative change (倍増, 3割削減), the unit and the deadline's fiscal year,
each only when both sides state it; and a row with no target or deadline where the KPI has one.

Passing: row "2014年度から2017年度までに倍増(約1000団体)" against KPI "目標：2017年度までに倍増(約1,000団体)".
Failing: the same row with 2018年度.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from checker.checks.base import Check, Context, Hit, RelatedHit, register
from checker.checks.reference import Grade, ReferenceOptions, match_claims
from checker.domain.corpus import Entity
from checker.domain.kpi.clause import written_value
from checker.domain.kpi.phrases import default_phrases
from checker.domain.normalize import nfkc


class TargetAgreesOptions(ReferenceOptions):
    grades: list[Grade] = Field(default_factory=lambda: ["exact", "near"],
                                description="Grades at which a row counts as naming the KPI.")


@dataclass(frozen=True)
class TargetInfo:
    """Template values: {target.kpi} (the KPI's target as written), {target.diff} / {target.diff_ja} (what
    differs), {target.roadmap} (the roadmap's id)."""

    kpi: str
    """The roadmap KPI's target as written."""
    diff: str
    """What differs, in English (value, change, unit, deadline)."""
    diff_ja: str
    """What differs, in Japanese."""
    roadmap: str
    """Id of the roadmap whose KPI the row names."""


def _unit(u: str | None) -> str | None:
    return "".join(unicodedata.normalize("NFKC", u).split()) if u else None


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def differences(row_target, row_deadline, kpi_target, kpi_deadline) -> list[tuple[str, str]]:
    """(English, Japanese) for each way the row's target and deadline differ from the KPI's."""
    out: list[tuple[str, str]] = []
    if kpi_target is None:
        return out
    if row_target is None:
        return [("the row states no target", "行に目標値の記載がない")]
    a, b = _num(row_target.value), _num(kpi_target.value)
    if a is not None and b is not None and not math.isclose(a, b, rel_tol=1e-9):  # on scaled values
        wa, wb = _written(row_target, a), _written(kpi_target, b)  # shown as written: 1,600億円, 1.6兆円
        out.append((f"value {wa} against {wb}", f"目標値 {wa}(工程表 {wb})"))
    a, b = _num(row_target.change), _num(kpi_target.change)
    if a is not None and b is not None and not math.isclose(a, b, rel_tol=1e-9):
        out.append((f"change {_change(a)} against {_change(b)}", f"増減率 {_change(a)}(工程表 {_change(b)})"))
    ua, ub = _unit(row_target.unit), _unit(kpi_target.unit)
    if ua and ub and ua != ub:
        out.append((f"unit {ua} against {ub}", f"単位 {ua}(工程表 {ub})"))
    ya = row_deadline.fiscal_year if row_deadline is not None else None
    yb = kpi_deadline.fiscal_year if kpi_deadline is not None else None
    if ya is not None and yb is not None and ya != yb:
        out.append((f"deadline FY{ya} against FY{yb}", f"達成期限 {ya}年度(工程表 {yb}年度)"))
    elif ya is None and yb is not None and (row_deadline is None or not row_deadline.is_set):
        out.append((f"the row states no deadline, the KPI FY{yb}", f"行に達成期限の記載がない(工程表 {yb}年度)"))
    return out


@register
class TargetAgrees(Check):
    name = "target_agrees"
    scope = "roadmap"
    Options = TargetAgreesOptions
    provides = {"target": TargetInfo}
    collections = ("kpi_status_rows",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        matches = match_claims(ctx, "kpi_status_rows", self.options)
        wanted = set(self.options.grades)
        for e in entities:
            claim = matches.get(f"{e.doc.id}@{e.key}")
            if claim is None or not claim.result.parts:
                continue
            part = claim.result.parts[0]
            cand, _ = claim.candidate(part.candidate)
            if cand is None or part.grade not in wanted:
                continue
            row, kpi = e.root, cand.root
            diffs = differences(row.parsed_target, row.parsed_deadline, kpi.target, kpi.deadline)
            if not diffs:
                continue
            info = TargetInfo(kpi.target.text if kpi.target is not None else "-", "; ".join(d[0] for d in diffs),
                              "、".join(d[1] for d in diffs), cand.doc.id)
            yield Hit(e, ("target",), {"target": info},
                      related=(RelatedHit(cand, ("text",), f"the KPI in {cand.doc.id}", f"{cand.doc.id} のKPI"),))


def _written(target, value: float) -> str:
    """The target's value as its text writes it (1,600億円), else the number as read."""
    return written_value(nfkc(target.text), value, default_phrases()) or _shown(value)


def _change(change: float) -> str:
    """A relative change as a reader writes it: ×2 (倍増), ×3 (3倍増), +30% (3割増), -50% (半減)."""
    if change >= 1 and (change + 1).is_integer():
        return f"×{int(change + 1)}"
    return f"{change * 100:+.4g}%"


def _shown(value: object) -> str:
    """A value for a message: whole numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)

"""`kpi_arithmetic`: a relative KPI target (倍増, 半減, 3割削減) applied to the baseline must give the stated value.

Options: ``tolerance`` (relative deviation allowed for an exact stated value, default 0.005: rounding
of the last digit) and ``approximate_tolerance`` (for 約/概ね values, default 0.05: rounding to two
significant figures). Hits carry ``{expected}`` (baseline × (1 + change)), ``{stated}`` and
``{deviation}`` (percent, signed: stated below expected is negative).

Passing::  【2014年度：550団体 目標：2017年度までに倍増(1,100団体)】
Failing::  【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)】   (expected 1,100; −9.1%)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.domain.model import Baseline, Target


class ArithmeticOptions(Options):
    tolerance: float = Field(default=0.005, ge=0, lt=1, description="Allowed |deviation| for exact values.")
    approximate_tolerance: float = Field(default=0.05, ge=0, lt=1,
                                         description="Allowed |deviation| for 約/概ね values.")


@dataclass(frozen=True)
class Arithmetic:
    """The result of applying a relative target to its baseline."""

    expected: float
    """baseline × (1 + change)."""
    stated: float
    deviation: float
    """(stated − expected) / expected; 0 when both are 0."""


def target_arithmetic(baseline: Baseline | None, target: Target | None) -> Arithmetic | None:
    """Compare baseline × (1 + change) with the stated value; None when the KPI does not state both."""
    if baseline is None or target is None or target.change is None or target.value is None:
        return None
    if math.isnan(baseline.value) or math.isnan(target.value):
        return None
    # Units must agree when both are given: 550団体 against 30% is not an arithmetic question.
    if baseline.unit and target.unit and baseline.unit != target.unit:
        return None
    expected = baseline.value * (1 + target.change)
    if expected == 0:
        deviation = 0.0 if target.value == 0 else math.inf
    else:
        deviation = (target.value - expected) / abs(expected)
    return Arithmetic(expected, target.value, deviation)


def disagrees(result: Arithmetic, approximate: bool, options: ArithmeticOptions) -> bool:
    limit = options.approximate_tolerance if approximate else options.tolerance
    # A hair of slack so that a deviation exactly at the limit counts as within it despite float error.
    return abs(result.deviation) > limit + 1e-12


@register
class KpiArithmetic(Check):
    name = "kpi_arithmetic"
    scope = "document"
    Options = ArithmeticOptions
    provides = {"expected": float, "stated": float, "deviation": float}
    collections = ("kpis",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            kpi = e.ns["kpi"]
            result = target_arithmetic(kpi.baseline, kpi.target)
            if result is None or not disagrees(result, kpi.target.approximate, self.options):
                continue
            deviation = round(result.deviation * 100, 1) if math.isfinite(result.deviation) else result.deviation
            yield Hit(e, ("text",), {"expected": round(result.expected, 6), "stated": result.stated,
                                     "deviation": deviation}, key="arithmetic")

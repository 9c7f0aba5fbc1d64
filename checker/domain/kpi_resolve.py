"""A KPI's effective fields: those written out win over those parsed from its text; disagreements are kept."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from checker.domain.kpi.dates import due
from checker.domain.kpi_text import Goal, KpiKind, ParsedKpi, kpi_name_key, parse_kpi_text
from checker.domain.model import Baseline, Deadline, Kpi, Target


@dataclass(frozen=True)
class FieldConflict:
    """A written field of a KPI that disagrees with what its text says."""

    field: str
    """Which field disagrees, e.g. deadline."""
    written: object
    """The value written out in the data."""
    parsed: object
    """The value the KPI's text gives."""


@dataclass(frozen=True, slots=True)
class ResolvedKpi:
    """A KPI's effective fields: written fields win over parsed ones; disagreements are kept."""

    tier: int
    """1 = 第一階層 (output), 2 = 第二階層 (outcome)."""
    text: str
    """The KPI as printed, verbatim."""
    name: str
    """The KPI's name: written out, else the text before 【…】."""
    baseline: Baseline | None
    """Starting point: written out, else read from the text."""
    target: Target | None
    """Target: written out, else read from the text."""
    deadline: Deadline | None
    """Deadline of the target: written out, else read from the text."""
    relisted: bool
    """再掲: listed again from another area."""
    ex_post: bool
    """事後的に検証する指標: verified after the fact, by design without a target."""
    note: str | None
    """Remarks in the text after the name or after the 【…】 block, joined with "; "."""
    deadline_withheld: str | None
    """The words that withhold a deadline (目標期限を…に設定), else None."""
    parsed: ParsedKpi
    """Everything read from the text alone, before written fields win."""
    conflicts: tuple[FieldConflict, ...] = ()
    """Written fields that disagree with the text."""
    kind: KpiKind = "none"
    """absolute / relative / direction / recurring / maintain (the target's kind), none or to-be-set."""
    goals: tuple[Goal, ...] = ()
    """Every target with its deadline (stages, sub-populations), as parsed from the text."""
    target_set_by: Deadline | None = None
    """For kind to-be-set: when the target is to be set (unset when the text gives no date)."""
    label: str = ""
    """The name with its remarks in (), as the KPIの状況 rows are matched against it."""

    @property
    def target_set_due(self) -> dt.date | None:
        """The last day by which a to-be-set target was to be set."""
        return due(self.target_set_by)

    @property
    def deadline_missing(self) -> bool:
        """True when no deadline is set (absent, or withheld such as 目標期限を…に設定)."""
        return self.deadline is None or not self.deadline.is_set

    @property
    def deadline_note(self) -> str:
        """The words that withhold the deadline, in brackets after a space, or nothing when there are none
        (so that a message never shows an empty "(-)")."""
        return f" ({self.deadline_withheld})" if self.deadline_withheld else ""

    @property
    def target_missing(self) -> bool:
        """True when no quantitative or directional target could be found."""
        return self.target is None


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


def _model_conflict(field: str, written, parsed) -> FieldConflict | None:
    """Compare the fields a writer set explicitly (but not free text) with the parsed model.

    A parsed None or NaN means the text is silent, which is no disagreement, except that a
    withheld deadline (目標期限を…に設定) positively says that there is no date yet.
    """
    if written is None or parsed is None:
        return None
    withheld = isinstance(parsed, Deadline) and not parsed.is_set
    for key in written.model_fields_set - {"text"}:
        w, p = getattr(written, key), getattr(parsed, key)
        if (p is None and not withheld) or (isinstance(p, float) and math.isnan(p)):
            continue
        if not _same(w, p):
            return FieldConflict(field, written, parsed)
    return None


def _label(kpi: Kpi, parsed: ParsedKpi) -> str:
    """The parsed label, unless a written name says something else than the text."""
    if kpi.name is None or kpi_name_key(kpi.name) == kpi_name_key(parsed.name):
        return parsed.label or parsed.name
    return kpi.name


_WRITABLE = ("name", "baseline", "target", "deadline", "relisted", "ex_post")


def resolve_kpi(kpi: Kpi, parsed: ParsedKpi | None = None) -> ResolvedKpi:
    """Combine a KPI's written fields with those parsed from its text; written fields win.

    `parsed` is `parse_kpi_text(kpi.text)` when the caller has it already (the corpus parses each
    distinct text once).
    """
    if parsed is None:
        parsed = parse_kpi_text(kpi.text)
    conflicts: list[FieldConflict] = []
    if kpi.name is not None and parsed.name and kpi_name_key(kpi.name) != kpi_name_key(parsed.name):
        conflicts.append(FieldConflict("name", kpi.name, parsed.name))
    for field in ("baseline", "target", "deadline"):
        if conflict := _model_conflict(field, getattr(kpi, field), getattr(parsed, field)):
            conflicts.append(conflict)
    for field in ("relisted", "ex_post"):
        written = getattr(kpi, field)
        if written is not None and written != getattr(parsed, field):
            conflicts.append(FieldConflict(field, written, getattr(parsed, field)))

    deadline = kpi.deadline if kpi.deadline is not None else parsed.deadline
    withheld = deadline.text if deadline is not None and not deadline.is_set else None
    chosen = {f: getattr(kpi, f) if getattr(kpi, f) is not None else getattr(parsed, f) for f in _WRITABLE}
    kind = kpi.target.kind if kpi.target is not None else parsed.kind
    return ResolvedKpi(
        tier=kpi.tier, text=kpi.text, note=parsed.note, deadline_withheld=withheld, parsed=parsed,
        conflicts=tuple(conflicts), kind=kind, goals=parsed.goals,
        target_set_by=parsed.target_set_by if kind == "to-be-set" else None, label=_label(kpi, parsed), **chosen,
    )  # fmt: skip

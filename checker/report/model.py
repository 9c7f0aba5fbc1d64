"""The report model: a read-only, plain-data view of the corpus for visual reports (--format html).

Built by checker.report.model_build from a loaded corpus (the api layer calls it); formatters read it
and never load files. Every element a finding can point at carries a `spot` (file, data path, lines)
and an `anchor` (its HTML id), which is how findings are placed on the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

DiffOp = tuple[str, str]
"""(op, text): op is "equal", "delete" (in the cell, not the claim) or "insert" (in the claim only)."""


@dataclass(frozen=True)
class Spot:
    """Where an element is written: findings at this file and data path (or below it) belong to it."""

    anchor: str
    file: str
    path: str
    """Dotted data path as findings write it (reform_items[0].schedule[2]); "" for the whole file."""
    line: int
    end_line: int


@dataclass(frozen=True)
class ClaimRef:
    """A progress claim (one bullet part of a 改革工程 entry) that quotes a schedule cell."""

    grade: str
    """exact, near or weak (none is never attached to a cell)."""
    score: float
    text: str
    diff: tuple[DiffOp, ...]
    """Character differences between the cell's text and the claim's; empty for exact quotes."""
    document: str
    entry_anchor: str


@dataclass(frozen=True)
class Cell:
    """A schedule cell (工程表の1コマ), placed on the fiscal-year columns it spans."""

    id: str
    text: str
    fiscal_years: tuple[int, ...]
    responsible: tuple[str, ...]
    """Its own 主担当; empty when it inherits the reform item's."""
    first_column: int
    """0-based column of its first year (clamped to the drawn columns)."""
    span: int
    """How many year columns it spans (at least 1)."""
    in_reform_period: bool
    reviewed: bool
    """A progress report on this roadmap covers one of its years: it should quote the cell."""
    claims: tuple[ClaimRef, ...]
    spot: Spot


@dataclass(frozen=True)
class StatusRef:
    """A KPIの状況 row that reports on a roadmap KPI."""

    document: str
    category: str | None
    actual: str | None
    actual_as_of: str | None
    row_anchor: str


@dataclass(frozen=True)
class Slot:
    """A table cell of the drawing: the schedule cells stacked in it (none for a gap), `span` columns wide."""

    cells: tuple[Cell, ...]
    span: int


@dataclass(frozen=True)
class Kpi:
    """A KPI with what the checker read from its text (written fields win over parsed ones)."""

    tier: int
    text: str
    name: str
    target: str | None
    """The words read as the target (倍増(約1,000団体)); None when none was found."""
    target_kind: str | None
    """absolute, relative or direction."""
    target_value: str | None
    """The target as read: 約1,000団体, +100%, -30%, increase."""
    deadline: str | None
    """The deadline read: a fiscal year (2017) or a date (2018-03-31); None when none is set."""
    deadline_withheld: str | None
    """The words that withhold a deadline (目標期限を…に設定)."""
    baseline: str | None
    relisted: bool
    ex_post: bool
    status: tuple[StatusRef, ...]
    spot: Spot


@dataclass(frozen=True)
class ReformItem:
    """A reform item of a roadmap: its schedule packed into rows as the published table draws it."""

    number: int
    title: str
    responsible: tuple[str, ...]
    rows: tuple[tuple[Slot, ...], ...]
    """Table rows, each a sequence of slots left to right that together span every year column."""
    cells: tuple[Cell, ...]
    """The cells in document order (every cell appears in `rows` once)."""
    undated: tuple[Cell, ...]
    """Cells with no fiscal year: drawn across every column."""
    kpis_tier1: tuple[Kpi, ...]
    kpis_tier2: tuple[Kpi, ...]
    spot: Spot


@dataclass(frozen=True)
class Statement:
    ministry: str | None
    text: str
    status: str | None
    section: str
    """progress (計画期間中の進捗) or next_steps (今後の進展について)."""
    spot: Spot


@dataclass(frozen=True)
class Entry:
    """A row of 改革工程の進捗状況: the claim, how it matched the roadmap, and the statements."""

    schedule_item: str
    grade: str | None
    """The worst grade of its parts; None when the report's roadmap is not in the corpus."""
    cells: tuple[tuple[str, str], ...]
    """(anchor, cell id) of the cells its parts quote (exact, near or weak)."""
    progress: tuple[Statement, ...]
    next_steps: tuple[Statement, ...]
    spot: Spot


@dataclass(frozen=True)
class StatusRow:
    tier: int
    name: str
    target: str
    actual: str | None
    actual_as_of: str | None
    category: str | None
    next: str | None
    kpi_anchor: str | None
    """The roadmap KPI this row reports on, when one matches."""
    spot: Spot


@dataclass(frozen=True)
class SectionItem:
    """A reform item of a progress report (entries) or a KPI status table (rows)."""

    number: int
    title: str | None
    entries: tuple[Entry, ...] = ()
    rows: tuple[StatusRow, ...] = ()
    spot: Spot | None = None


@dataclass(frozen=True)
class Document:
    id: str
    kind: str
    """roadmap, progress_report or kpi_status."""
    file: str
    title: str
    published_text: str | None
    revision: int | None
    area: str | None
    key_issue: str | None
    reports_on: str | None
    reports_on_anchor: str | None
    years: tuple[int, ...]
    """The drawn fiscal-year columns (roadmaps)."""
    reform_period: tuple[int, int] | None
    period_columns: tuple[int, int] | None
    """(first column, number of columns) of the reform period among `years`; None when not drawn."""
    reviewed_by: tuple[str, ...]
    """Ids of the progress reports that report on this roadmap."""
    covers: tuple[int, int] | None
    reform_items: tuple[ReformItem, ...] = ()
    sections: tuple[SectionItem, ...] = ()
    spot: Spot | None = None


@dataclass(frozen=True)
class ReportModel:
    """Every document of the run, roadmaps first, in a stable order."""

    documents: tuple[Document, ...]

    def spots(self) -> list[Spot]:
        """Every element a finding can be placed on (documents, items, cells, KPIs, entries, …)."""
        out: list[Spot] = []
        for d in self.documents:
            if d.spot is not None:
                out.append(d.spot)
            for item in d.reform_items:
                out.append(item.spot)
                out += [c.spot for c in item.cells]
                out += [k.spot for k in (*item.kpis_tier1, *item.kpis_tier2)]
            for s in d.sections:
                if s.spot is not None:
                    out.append(s.spot)
                for e in s.entries:
                    out.append(e.spot)
                    out += [st.spot for st in (*e.progress, *e.next_steps)]
                out += [r.spot for r in s.rows]
        return out

"""The importer's middle form: a table's header and body cells, where each came from, and guesses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class SourceError(Exception):
    """A source that cannot be read, with why (shown to the user; exit code 2)."""


class P(NamedTuple):
    """An imported value and where it was read (page and cell, sheet and cell, or line)."""

    value: Any
    where: str


def plain(obj: Any) -> Any:
    """The value with every P unwrapped, as the loader sees it."""
    if isinstance(obj, P):
        return plain(obj.value)
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


@dataclass(frozen=True)
class Cell:
    """One cell of a table. `col`/`last` are the grid columns it spans (None: the source gave none)."""

    text: str
    col: int | None
    last: int | None
    where: str
    top: float = 0.0
    """Vertical position for reading order: a line number, a row number, or page*10000 + y."""

    @property
    def span(self) -> range:
        if self.col is None:
            return range(0)
        return range(self.col, (self.last if self.last is not None else self.col) + 1)


@dataclass
class Section:
    """One table found in a source, with the headings that apply to it."""

    kind: str
    """roadmap | progress_report | kpi_status"""
    source: str
    where: str
    title: P | None = None
    headings: dict[str, P] = field(default_factory=dict)
    """key_issue, item (改革項目) → heading text."""
    header: list[Cell] = field(default_factory=list)
    body: list[Cell] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key: str = ""
    """Set by the source reader: the extraction's own position (for ordering and messages)."""
    merged_cells: bool = False
    """True when the source may have run several cells into one field, separated by a space (text
    extractions): schedule cells are then split at spaces between sentences, as a guess."""


@dataclass
class Imported:
    """A document made from one or several sections: the data with provenance, guesses and notes."""

    kind: str
    data: dict[str, Any]
    sources: list[str]
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relisting: bool = False
    area_slug: str | None = None

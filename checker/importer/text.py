"""Text extractions of the published tables: tab-separated rows, the `<p>` cell variant, several tables a file."""

from __future__ import annotations

import re

from checker.importer.cells import years_of
from checker.importer.grid import Cell, P, Section

_KEY_ISSUE = re.compile(r"^\s*重要課題\s*[:：]\s*(.+?)\s*$")
_ITEM = re.compile(r"^\s*改革項目\s*[:：]\s*(.+?)\s*$")
_P_CELL = re.compile(r"<p>(.*?)</p>", re.S)
PROGRESS_TITLE = "改革工程の進捗状況"
KPI_TITLE = "KPIの状況"


def is_roadmap_title(line: str) -> bool:
    return "改革工程表" in line and "\t" not in line


def _is_roadmap_header(fields: list[str]) -> bool:
    filled = [f.strip() for f in fields if f.strip()]
    return bool(filled) and all(
        "集中改革期間" in f or years_of(f) or f.upper().startswith("KPI") or "主担当" in f for f in filled)


def _is_review_header(kind: str, fields: list[str]) -> bool:
    filled = {f.strip() for f in fields if f.strip()}
    if kind == "progress_report":
        return bool(filled) and filled <= {"改革工程", "改革工程の進捗", "計画期間中の進捗", "今後の進展について"}
    return bool(filled) and all(f.startswith(("KPI", "目標値", "実績値", "区分", "次回")) for f in filled)


def _cells(fields: list[str], n: int) -> list[Cell]:
    out: list[Cell] = []
    for i, field in enumerate(fields):
        if "<p>" in field:
            for k, m in enumerate(_P_CELL.finditer(field)):
                if m.group(1).strip():
                    out.append(Cell(m.group(1).strip(), None, None, f"line {n}, field {i + 1}, <p> {k + 1}",
                                    n + (k + 1) / 1000))
        elif field.strip():
            out.append(Cell(field.strip(), i, i, f"line {n}, field {i + 1}", float(n)))
    return out


def read_text(text: str, source: str) -> tuple[list[Section], list[str]]:
    """Every table in a text extraction, and notes on the lines that belong to none."""
    rows = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        fields = line.split("\t")
        rows.append((n, line, fields, _cells(fields, n) if "\t" in line else []))
    return read_rows(rows, source, merged_cells=True)


def read_rows(rows: list[tuple[int, str, list[str], list[Cell]]], source: str, unit: str = "line",
              merged_cells: bool = False) -> tuple[list[Section], list[str]]:
    """The tables of a sequence of rows: (number, the row as one line, its fields, its cells). A row of
    one field is a title or heading; others are table rows."""
    sections: list[Section] = []
    notes: list[str] = []
    headings: dict[str, P] = {}
    issues: list[tuple[int, P]] = []
    ends: list[tuple[Section, int]] = []
    current: Section | None = None
    in_header = False
    first = last = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            current.where = f"{unit}s {first}-{last}"
            if current.body:
                sections.append(current)
                ends.append((current, last))
            else:
                notes.append(f"{source}: {current.where}: a {current.kind} table with no rows; skipped")
        current = None

    for n, line, fields, row_cells in rows:
        if not line.strip():
            continue
        if not row_cells:
            stripped = line.strip()
            key, item = _KEY_ISSUE.match(stripped), _ITEM.match(stripped)
            if key or item:
                close()
                if key:
                    headings = {"key_issue": P(key.group(1), f"{unit} {n}")}
                    issues.append((n, headings["key_issue"]))
                else:
                    headings["item"] = P(item.group(1), f"{unit} {n}")
                continue
            kind = ("roadmap" if is_roadmap_title(stripped) else "progress_report" if stripped == PROGRESS_TITLE
                    else "kpi_status" if stripped.replace(" ", "") == KPI_TITLE else None)
            close()
            if kind is None:
                notes.append(f"{source}: {unit} {n}: not part of any table; skipped")
                continue
            if kind == "roadmap":
                headings = {}
            current = Section(kind, source, "", P(stripped, f"{unit} {n}"), dict(headings), key=f"{source}:{n}",
                              merged_cells=merged_cells)
            in_header, first, last = True, n, n
            continue
        if current is None:
            notes.append(f"{source}: {unit} {n}: a table row outside any table; skipped")
            continue
        last = n
        header = (_is_roadmap_header(fields) if current.kind == "roadmap"
                  else _is_review_header(current.kind, fields))
        if in_header and header:
            current.header.extend(row_cells)
            continue
        in_header = False
        current.body.extend(row_cells)
    close()
    for section, end in ends:
        following = [p for n, p in issues if n > end]
        if section.kind == "roadmap" and following:
            section.headings["following_key_issue"] = following[0]
    return sections, notes

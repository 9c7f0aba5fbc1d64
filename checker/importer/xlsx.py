"""Excel workbooks (openpyxl): the same three tables on a sheet, merged cells giving the spans."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from checker.importer.grid import Cell, Section, SourceError
from checker.importer.text import read_rows

# A workbook is a zip: refuse one that unpacks to more than this (a zip bomb) before openpyxl reads it.
MAX_UNPACKED = 256 * 1024 * 1024
MAX_CELLS = 2_000_000


def read_xlsx(path: Path, progress: Callable[[str], None]) -> tuple[list[Section], list[str]]:
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            if "xl/workbook.xml" not in zf.namelist():
                raise SourceError("a zip file but not an .xlsx workbook (no xl/workbook.xml)")
    except zipfile.BadZipFile:
        raise SourceError("not a readable .xlsx workbook (the zip container is damaged)") from None
    if unpacked > MAX_UNPACKED:
        raise SourceError(f"workbook unpacks to {unpacked:,} bytes, over the limit of {MAX_UNPACKED:,}")
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    sections: list[Section] = []
    notes: list[str] = []
    for ws in wb.worksheets:
        if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
            raise SourceError(f"sheet {ws.title} has {ws.max_row:,} × {ws.max_column:,} cells, over the limit "
                              f"of {MAX_CELLS:,}")
        progress(f"{path.name}: sheet {ws.title}")
        spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
        rows = []
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            fields = ["" if v is None else str(v) for v in row]
            filled = [(c, v) for c, v in enumerate(fields) if v.strip()]
            if len(filled) <= 1 and (not filled or filled[0][0] == 0):
                rows.append((r, fields[0] if fields else "", fields, []))
                continue
            cells = [Cell(v.strip(), c, spans.get((r, c + 1), c + 1) - 1,
                          f"sheet {ws.title} cell {get_column_letter(c + 1)}{r}", float(r))
                     for c, v in filled]
            rows.append((r, "\t".join(fields), fields, cells))
        found, more = read_rows(rows, f"{path.name} [{ws.title}]", unit="row")
        sections.extend(found)
        notes.extend(more)
    return sections, notes

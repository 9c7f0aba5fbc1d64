"""Excel workbooks (openpyxl, read-only and streamed): the three tables on a sheet, merged cells as spans."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from checker.importer.grid import Cell, Section, SourceError
from checker.importer.text import read_rows

# A workbook is a zip: one that unpacks to more than this (a zip bomb, or far more than any published
# table) is refused before it is read. Sheets are streamed (read-only mode), so memory stays bounded by
# the rows of one table, and a sheet of more cells than MAX_CELLS is refused while it is read.
MAX_UNPACKED = 128 * 1024 * 1024
MAX_CELLS = 2_000_000
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            if "xl/workbook.xml" not in zf.namelist():
                raise SourceError("a zip file but not an .xlsx workbook (no xl/workbook.xml)")
    except zipfile.BadZipFile:
        raise SourceError("not a readable .xlsx workbook (the zip container is damaged)") from None
    if unpacked > MAX_UNPACKED:
        raise SourceError(f"workbook unpacks to {unpacked:,} bytes, over the limit of {MAX_UNPACKED:,}")


def _merged(wb: Any, ws: Any) -> dict[tuple[int, int], int]:
    """(row, first column) → last column of every merged range, read from the sheet's XML (read-only
    worksheets do not parse merges; openpyxl keeps the sheet's path in `_worksheet_path`)."""
    from openpyxl.utils.cell import range_boundaries

    spans: dict[tuple[int, int], int] = {}
    path = getattr(ws, "_worksheet_path", None)
    if path is None:
        return spans
    with wb._archive.open(path) as fh:
        for _event, elem in iterparse(fh):
            if elem.tag == f"{_NS}mergeCell":
                min_col, min_row, max_col, _max_row = range_boundaries(elem.get("ref"))
                spans[(min_row, min_col)] = max_col
            elif elem.tag == f"{_NS}row":
                elem.clear()  # rows are read by openpyxl; keep none here
    return spans


def read_xlsx(path: Path, progress: Callable[[str], None]) -> tuple[list[Section], list[str]]:
    _check_zip(path)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    sections: list[Section] = []
    notes: list[str] = []
    try:
        for ws in wb.worksheets:
            progress(f"{path.name}: sheet {ws.title}")
            spans = _merged(wb, ws)
            rows, seen = [], 0
            for r, row in enumerate(ws.iter_rows(values_only=True), 1):
                seen += len(row)
                if seen > MAX_CELLS:
                    raise SourceError(f"sheet {ws.title} has more than {MAX_CELLS:,} cells")
                fields = ["" if v is None else str(v) for v in row]
                filled = [(c, v) for c, v in enumerate(fields) if v.strip()]
                if len(filled) <= 1 and (not filled or filled[0][0] == 0):
                    rows.append((r, fields[0] if fields else "", fields, []))
                    continue
                cells = [Cell(v.strip(), c, spans.get((r, c + 1), c + 1) - 1,
                              f"sheet {ws.title} cell {get_column_letter(c + 1)}{r}", float(r)) for c, v in filled]
                rows.append((r, "\t".join(fields), fields, cells))
            found, more = read_rows(rows, f"{path.name} [{ws.title}]", unit="row")
            sections.extend(found)
            notes.extend(more)
    except SourceError:
        raise
    except Exception as exc:  # a damaged sheet inside a well-formed zip
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    finally:
        wb.close()
    return sections, notes

"""One PDF page → what it holds (its lines, a roadmap grid's cells, review tables' cells), read without the
pages around it, so that pages can be read in worker processes and put together in order afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.importer.cells import years_of
from checker.importer.grid import Cell, Section
from checker.importer.pdf.roadmap import roadmap_page
from checker.importer.pdf.text import inside, join, lines_of

REVIEW_HEADER_WORDS = ("改革工程", "計画期間中", "今後の進展", "KPI", "目標値", "実績値", "区分", "次回")


@dataclass
class Table:
    """A ruled table of a review page: its vertical extent and cells."""

    top: float
    bottom: float
    header: list[Cell]
    body: list[Cell]
    found: bool
    columns: int = 0
    """Columns of the ruling (empty cells included)."""


@dataclass
class PageData:
    n: int
    lines: list[tuple[str, float]] = field(default_factory=list)
    """Each text line of the page and its top."""
    image: bool = False
    roadmap_title: tuple[str, float] | None = None
    year_headers: bool = False
    """Fiscal-year labels among the first lines: a roadmap page, or one continuing a roadmap."""
    roadmap: Section | None = None
    review_kind: str | None = None
    tables: list[Table] = field(default_factory=list)
    error: str | None = None


def extract(page: Any, n: int, name: str) -> PageData:
    chars = [c for c in page.chars if c["text"].strip() or c["text"] == " "]
    if not chars:
        return PageData(n, image=bool(page.images))
    text_lines = [(join([line]), line[0]["top"]) for line in lines_of(chars)]
    data = PageData(n, text_lines)
    # The roadmap title among the first lines only: a review's cell may name 改革工程表 too.
    data.roadmap_title = next(((t, top) for t, top in text_lines[:3] if "改革工程表" in t), None)
    data.year_headers = any(years_of(t) for t, _ in text_lines[:6])
    if data.roadmap_title or data.year_headers:
        grid = Section("roadmap", name, f"page {n}")
        if roadmap_page(page, chars, n, grid, []):
            data.roadmap = grid
    if data.roadmap_title:
        return data
    titles = [t for t, _ in text_lines]
    data.review_kind = ("progress_report" if any("計画期間中の進捗" in t or t == "改革工程の進捗状況" for t in titles)
                        else "kpi_status" if any("実績値" in t or t == "KPIの状況" for t in titles) else None)
    if data.review_kind:
        for t, table in enumerate(sorted(page.find_tables(), key=lambda tb: tb.bbox[1]), 1):
            data.tables.append(_review_table(table, chars, n, t))
    return data


def extract_pages(pdf: Any, start: int, end: int, name: str) -> list[PageData]:
    """Pages start…end-1 of an open PDF, each freed after use; a page that cannot be read says why."""
    out = []
    for i in range(start, end):
        page = pdf.pages[i]
        try:
            out.append(extract(page, i + 1, name))
        except Exception as exc:  # a damaged page is skipped, not the file
            out.append(PageData(i + 1, error=type(exc).__name__))
        finally:
            page.close()
    return out


def extract_range(path: str, start: int, end: int, name: str) -> list[PageData]:
    """The same in a worker process, which opens the PDF itself."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return extract_pages(pdf, start, end, name)


def _review_table(table: Any, chars: list[dict[str, Any]], n: int, t: int) -> Table:
    """A ruled review table → header and body cells (spans from the cell widths)."""
    xs = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c} |
                {round(c[2], 1) for row in table.rows for c in row.cells if c})
    out = Table(table.bbox[1], table.bbox[3], [], [], False, max(0, len(xs) - 1))
    for r, row in enumerate(table.rows, 1):
        texts = []
        for bbox in row.cells:
            if bbox is None:
                continue
            col = sum(1 for x in xs if x < bbox[0] - 1)
            last = sum(1 for x in xs if x < bbox[2] - 1) - 1
            text = join(lines_of(inside(chars, *bbox)), bbox[2])
            texts.append(Cell(text, col, max(col, last), f"page {n}, table {t}, row {r}, column {col + 1}",
                              n * 100000 + bbox[1]))
        if not any(c.text for c in texts):
            continue
        if all(c.text.startswith(REVIEW_HEADER_WORDS) for c in texts if c.text):
            if not out.body:  # header rows lead the table; a page repeats them
                out.header.extend(texts)
            continue
        out.found = True
        out.body.extend(c for c in texts if c.text)
    return out

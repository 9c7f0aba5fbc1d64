"""PDF (pdfplumber) → sections: the 改革工程表 grid by geometry, the two review tables by their rulings."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.importer.cells import years_of
from checker.importer.grid import Cell, P, Section, SourceError
from checker.importer.pdf_text import inside, join, lines_of

_KEY_ISSUE = re.compile(r"重要課題\s*[:：]\s*(.+)")
_ITEM = re.compile(r"改革項目\s*[:：]\s*(.+)")


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(path)
        _ = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise SourceError("the PDF is encrypted (password protected); save an unprotected copy first") from None
    except PSException as exc:
        raise SourceError(f"not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors (PdfminerException(PDFPasswordIncorrect())): look inside.
        inner = [exc, *exc.args, exc.__cause__, exc.__context__]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in inner):
            raise SourceError("the PDF is encrypted (password protected); save an unprotected copy first") from None
        raise SourceError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    return pdf


def read_pdf(path: Path, progress: Callable[[str], None], max_pages: int) -> tuple[list[Section], list[str]]:
    pdf = _open(path)
    try:
        count = len(pdf.pages)
        if count > max_pages:
            raise SourceError(f"{count:,} pages, over the limit of {max_pages:,}")
        reader = _Reader(path.name)
        for number in range(count):
            if number and number % 50 == 0:
                progress(f"{path.name}: page {number}/{count}")
            try:
                page = pdf.pages[number]
                reader.page(page, number + 1)
            except SourceError:
                raise
            except Exception as exc:  # a damaged page is skipped, not the file
                reader.notes.append(f"{path.name}: page {number + 1}: cannot be read ({type(exc).__name__}); skipped")
            finally:
                if number < len(pdf.pages):
                    pdf.pages[number].close()
        reader.finish(count)
        return reader.sections, reader.notes
    finally:
        pdf.close()


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.sections: list[Section] = []
        self.notes: list[str] = []
        self.headings: dict[str, P] = {}
        self.current: Section | None = None
        self.image_pages: list[int] = []
        self.issues: list[tuple[int, P]] = []  # (page, 重要課題 heading), for re-listed roadmaps before them
        self.skipped: list[int] = []

    def finish(self, count: int) -> None:
        for section in self.sections:  # as in text extractions: the heading after a roadmap, if any
            last = int(section.where.rsplit("-", 1)[-1].split()[-1])
            following = [p for page, p in self.issues if page > last]
            if section.kind == "roadmap" and following:
                section.headings["following_key_issue"] = following[0]
        if self.image_pages:
            self.notes.append(f"{self.name}: pages {_ranges(self.image_pages)} are images only (scanned); "
                              "OCR is out of scope, so they were not read")
        if self.skipped:
            self.notes.append(f"{self.name}: {len(self.skipped)} of {count} pages hold none of the three tables "
                              f"(pages {_ranges(self.skipped)}); skipped")
        if not self.sections and self.image_pages and len(self.image_pages) == count:
            raise SourceError("every page is an image (a scanned PDF); OCR is out of scope")

    def page(self, page: Any, n: int) -> None:
        chars = [c for c in page.chars if c["text"].strip() or c["text"] == " "]
        if not chars:
            (self.image_pages if page.images else self.skipped).append(n)
            return
        text_lines = [(join([line]), line) for line in lines_of(chars)]
        titles = [t for t, _ in text_lines]
        # A roadmap page: its title line (among the first lines: a review's cell may name 改革工程表 too), or
        # a page of year headers continuing a roadmap.
        heads = text_lines[:3]
        if any("改革工程表" in t for t, _ in heads) or (any(years_of(t) for t in titles[:6]) and self._kind("roadmap")):
            from checker.importer.pdf_roadmap import roadmap_page

            title = next(((t, ln) for t, ln in heads if "改革工程表" in t), None)
            section = self._section("roadmap", title, n)
            if not roadmap_page(page, chars, n, section, self.notes):
                self.skipped.append(n)
            self._headings(text_lines, n)
            return
        kind = ("progress_report" if any("計画期間中の進捗" in t or t == "改革工程の進捗状況" for t in titles)
                else "kpi_status" if any("実績値" in t or t == "KPIの状況" for t in titles) else None)
        if kind is None:
            self.skipped.append(n)
            return
        title_text = "改革工程の進捗状況" if kind == "progress_report" else "KPIの状況"
        # Each table takes the headings printed above it (several short tables may share a page).
        above, found = 0.0, False
        for t, table in enumerate(sorted(page.find_tables(), key=lambda tb: tb.bbox[1]), 1):
            before = [(x, ln) for x, ln in text_lines if above <= ln[0]["top"] < table.bbox[1]]
            new_item = self._headings(before, n)
            title = next(((x, ln) for x, ln in before if x == title_text), None)
            section = self._section(kind, title, n, new=new_item)
            found = _review_table(table, chars, n, t, section) or found
            above = table.bbox[3]
        self._headings([(x, ln) for x, ln in text_lines if ln[0]["top"] >= above], n)
        if not found:
            self.skipped.append(n)

    def _headings(self, lines: list[tuple[str, Any]], n: int) -> bool:
        """重要課題 / 改革項目 headings among `lines`; True when one was seen (a new table begins)."""
        seen = False
        for text, line in lines:
            key, item = _KEY_ISSUE.search(text), _ITEM.search(text)
            if key:
                self.headings = {"key_issue": P(key.group(1).strip(), f"page {n}, y {line[0]['top']:.0f}")}
                self.issues.append((n, self.headings["key_issue"]))
            elif item:
                self.headings["item"] = P(item.group(1).strip(), f"page {n}, y {line[0]['top']:.0f}")
            seen = seen or bool(key or item)
        return seen

    def _kind(self, kind: str) -> bool:
        return self.current is not None and self.current.kind == kind

    def _section(self, kind: str, title: tuple[str, Any] | None, n: int, new: bool = False) -> Section:
        """A new section at a title or heading (or a table of another kind); else the table goes on."""
        cur = self.current
        same = not new and cur is not None and cur.kind == kind and (title is None or cur.title is None
                                                         or (cur.title.value == title[0] and kind == "roadmap"))
        if same and cur is not None:
            first = cur.where.split("-")[0]
            cur.where = f"{first}-{n}" if not first.endswith(f" {n}") else first
            return cur
        headings = {} if kind == "roadmap" else dict(self.headings)
        where = f"page {n}, y {title[1][0]['top']:.0f}" if title else f"page {n}"
        section = Section(kind, self.name, f"page {n}", P(title[0], where) if title else None, headings,
                          key=f"{self.name}:{n}")
        self.sections.append(section)
        self.current = section
        return section


def _ranges(pages: list[int]) -> str:
    out, start = [], pages[0]
    for a, b in zip(pages, [*pages[1:], None], strict=True):
        if b != a + 1:
            out.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ", ".join(out)


def _review_table(table: Any, chars: list[dict[str, Any]], n: int, t: int, section: Section) -> bool:
    """A ruled review table → header and body cells (spans from the cell widths); True when it has rows."""
    found = False
    xs = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c} |
                {round(c[2], 1) for row in table.rows for c in row.cells if c})
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
        header = all(c.text.startswith(("改革工程", "計画期間中", "今後の進展", "KPI", "目標値", "実績値",
                                        "区分", "次回")) for c in texts if c.text)
        if header:
            if not section.body:  # the header rows of the first table; later pages repeat them
                section.header.extend(texts)
            continue
        found = True
        section.body.extend(c for c in texts if c.text)
    return found

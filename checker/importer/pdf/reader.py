"""PDF (pdfplumber) → sections: the 改革工程表 grid by geometry, the two review tables by their rulings."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from checker.importer.grid import P, Section, SourceError
from checker.importer.pdf.pages import PageData, Table, extract_pages, extract_range

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


# Pages are read in worker processes when a PDF has at least this many (spawning a worker and importing
# pdfplumber costs about a second; one page about a sixth of one).
PARALLEL_FROM = 40


def workers() -> int:
    env = os.environ.get("ROADMAP_CHECK_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(4, usable))


def read_pdf(path: Path, progress: Callable[[str], None], max_pages: int) -> tuple[list[Section], list[str]]:
    """The tables of a PDF, read page by page (in worker processes for a long one); every page is freed
    after use, so memory grows with the tables read, not with the pages."""
    pdf = _open(path)
    try:
        count = len(pdf.pages)
        if count > max_pages:
            raise SourceError(f"{count:,} pages, over the limit of {max_pages:,}")
        reader = _Reader(path.name)
        jobs = workers()
        if jobs == 1 or count < PARALLEL_FROM:
            for start in range(0, count, 50):
                for data in extract_pages(pdf, start, min(start + 50, count), path.name):
                    reader.take(data)
                if start + 50 < count:
                    progress(f"{path.name}: page {start + 50}/{count}")
    finally:
        pdf.close()
    if jobs > 1 and count >= PARALLEL_FROM:
        _read_in_workers(path, count, jobs, reader, progress)
    reader.finish(count)
    return reader.sections, reader.notes


def _read_in_workers(path: Path, count: int, jobs: int, reader: _Reader, progress: Callable[[str], None]) -> None:
    """Chunks of pages read by `jobs` processes, handed to the reader in page order (so the result is the
    same as reading them one after another)."""
    size = max(5, count // (jobs * 4))
    starts = list(range(0, count, size))
    ends = [min(s + size, count) for s in starts]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        for chunk in pool.map(extract_range, [str(path)] * len(starts), starts, ends, [path.name] * len(starts)):
            for data in chunk:
                reader.take(data)
            progress(f"{path.name}: page {chunk[-1].n}/{count}")


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

    def take(self, d: PageData) -> None:
        """The next page, in order: a roadmap page extends the roadmap; a review table goes on or starts a
        new one at a title or heading."""
        n = d.n
        if d.error:
            self.notes.append(f"{self.name}: page {n}: cannot be read ({d.error}); skipped")
            return
        if not d.lines:
            (self.image_pages if d.image else self.skipped).append(n)
            return
        if d.roadmap_title or (d.year_headers and self._kind("roadmap")):
            section = self._section("roadmap", d.roadmap_title, n)
            if d.roadmap is None:
                self.skipped.append(n)
            else:
                if not section.header:
                    section.header.extend(d.roadmap.header)
                section.body.extend(d.roadmap.body)
            self._headings(d.lines, n)
            return
        if d.review_kind is None:
            self.skipped.append(n)
            return
        title_text = "改革工程の進捗状況" if d.review_kind == "progress_report" else "KPIの状況"
        # Each table takes the headings printed above it (several short tables may share a page).
        above, found = 0.0, False
        for t, table in enumerate(d.tables, 1):
            before = [(x, top) for x, top in d.lines if above <= top < table.top]
            if not table.header and not self._continues(d.review_kind, table):
                self.notes.append(f"{self.name}: page {n}, table {t}: no 改革工程の進捗状況 or KPIの状況 header and "
                                  "not the continuation of one (other columns); skipped")
                above = table.bottom
                continue
            new_item = self._headings(before, n)
            title = next(((x, top) for x, top in before if x == title_text), None)
            section = self._section(d.review_kind, title, n, new=new_item)
            if not section.body:
                section.header.extend(table.header)
            section.body.extend(table.body)
            found = table.found or found
            above = table.bottom
        self._headings([(x, top) for x, top in d.lines if top >= above], n)
        if not found:
            self.skipped.append(n)

    def _continues(self, kind: str, table: Table) -> bool:
        """A table without header rows goes on the current table of its kind when it has as many columns."""
        cur = self.current
        if cur is None or cur.kind != kind or not cur.header or not table.body:
            return False
        width = max(c.last if c.last is not None else c.col or 0 for c in cur.header) + 1
        return table.columns == width

    def _headings(self, lines: list[tuple[str, float]], n: int) -> bool:
        """重要課題 / 改革項目 headings among `lines`; True when one was seen (a new table begins)."""
        seen = False
        for text, top in lines:
            key, item = _KEY_ISSUE.search(text), _ITEM.search(text)
            if key:
                self.headings = {"key_issue": P(key.group(1).strip(), f"page {n}, y {top:.0f}")}
                self.issues.append((n, self.headings["key_issue"]))
            elif item:
                self.headings["item"] = P(item.group(1).strip(), f"page {n}, y {top:.0f}")
            seen = seen or bool(key or item)
        return seen

    def _kind(self, kind: str) -> bool:
        return self.current is not None and self.current.kind == kind

    def _section(self, kind: str, title: tuple[str, float] | None, n: int, new: bool = False) -> Section:
        """A new section at a title or heading (or a table of another kind); else the table goes on."""
        cur = self.current
        same = not new and cur is not None and cur.kind == kind and (title is None or cur.title is None
                                                         or (cur.title.value == title[0] and kind == "roadmap"))
        if same and cur is not None:
            first = cur.where.split("-")[0]
            cur.where = f"{first}-{n}" if not first.endswith(f" {n}") else first
            return cur
        headings = {} if kind == "roadmap" else dict(self.headings)
        where = f"page {n}, y {title[1]:.0f}" if title else f"page {n}"
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

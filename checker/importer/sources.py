"""Which reader a source needs (PDF, .xlsx or a text extraction), and the limits every reader keeps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.importer.grid import Section, SourceError

# Bounds that keep a hostile source from taking the machine: a text extraction or workbook larger than
# this is refused before it is read; a PDF is read page by page (each page's objects freed after it), so
# only its page count is bounded (--max-pages).
MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_XLSX_BYTES = 64 * 1024 * 1024
MAX_PDF_PAGES = 5000


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:65536]:
        raise SourceError("not a text extraction, PDF or .xlsx workbook (binary content)")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("not UTF-8 or Shift_JIS text, and not a PDF or .xlsx workbook")


def read_source(path: Path, progress: Callable[[str], None], max_pages: int = MAX_PDF_PAGES
                ) -> tuple[list[Section], list[str]]:
    """The tables of one source; SourceError when it cannot be read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise SourceError("is a directory")
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF") or suffix == ".pdf":
        if not head.startswith(b"%PDF"):
            raise SourceError("named .pdf but is not a PDF (no %PDF header)")
        from checker.importer.pdf.reader import read_pdf

        return read_pdf(path, progress, max_pages)
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
        if size > MAX_XLSX_BYTES:
            raise SourceError(f"workbook is {size:,} bytes, over the limit of {MAX_XLSX_BYTES:,}")
        from checker.importer.xlsx import read_xlsx

        return read_xlsx(path, progress)
    if size > MAX_TEXT_BYTES:
        raise SourceError(f"text is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,}")
    from checker.importer.text import read_text

    return read_text(_decode(path.read_bytes()), path.name)

"""Documents known from the cache by their header: the file is parsed only if a rule needs its body.

An incremental run reuses the findings of every group of documents that did not change, so most
documents are never looked into; they are needed only to work out the groups (their id, kind and
`document:` header) and for suppression comments. The cache keeps that much of each file (a
DocumentSummary, a few hundred bytes) instead of the whole parsed document, and a DocumentStub stands
for the document until something reads its model or source map, when it parses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.domain.load import LoadedDocument, load_file
from checker.source.inputs import InputChanged, Limits
from checker.source.spans import PathKey, Span, SpanMap, nearest_span


@dataclass(frozen=True)
class DocumentSummary:
    """What the cache keeps of a loaded document (see the module docstring)."""

    file: str
    digest: str
    """sha256 of the file's bytes: the stub parses the file again only if they still match."""
    header: Any
    """The validated `document:` header (checker.domain.model.DocumentMeta)."""
    header_spans: dict[PathKey, int]
    """Packed spans of the root and of every path under `document` (for errors about ids and references)."""
    line_count: int
    marked_lines: dict[int, str] = field(default_factory=dict)
    key_spans: SpanMap = field(default_factory=SpanMap)
    """As LoadedDocument.key_spans: kept only for files with suppression comments."""

    @classmethod
    def of(cls, doc: LoadedDocument) -> DocumentSummary:
        return cls(doc.file, doc.digest, doc.model.document, _header_spans(doc.spans), doc.line_count,
                   doc.marked_lines, doc.key_spans)


def _header_spans(spans: SpanMap) -> dict[PathKey, int]:
    """The root's span and those under `document`. Spans are recorded in document order (a value before
    its children, siblings in turn), so the header's are one run: stop after it, not after the file."""
    out: dict[PathKey, int] = {}
    inside = False
    for path, packed in spans.raw.items():
        if path and path[0] == "document":
            inside = True
            out[path] = packed
        elif inside:
            break
        elif not path:
            out[path] = packed
    return out


class DocumentStub(LoadedDocument):
    """A LoadedDocument whose model and spans are parsed from its file on first use.

    id, kind, header, digest, line_count, marked_lines, key_spans and the spans of the header come
    from the summary; anything else parses the file, which must still hold the bytes summarised.
    """

    def __init__(self, summary: DocumentSummary, path: Path, limits: Limits):
        # LoadedDocument is a frozen dataclass: set the plain fields the way its own __init__ does.
        for name, value in (("file", summary.file), ("key_spans", summary.key_spans),
                            ("line_count", summary.line_count), ("marked_lines", summary.marked_lines),
                            ("digest", summary.digest)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "_source", (path, limits))
        object.__setattr__(self, "_loaded", None)

    def _load(self) -> LoadedDocument:
        loaded = self._loaded
        if loaded is None:
            path, limits = self._source
            result = load_file(path, self.file, limits)
            if not isinstance(result, LoadedDocument) or result.digest != self.digest:
                raise InputChanged(self.file)
            object.__setattr__(self, "_loaded", result)
            loaded = result
        return loaded

    @property  # type: ignore[override]
    def model(self) -> Any:
        return self._load().model

    @property  # type: ignore[override]
    def spans(self) -> SpanMap:
        return self._load().spans

    @property
    def header(self) -> Any:
        return self.summary.header

    @property
    def id(self) -> str:
        return self.summary.header.id

    @property
    def kind(self) -> str:
        return self.summary.header.kind

    @property
    def parsed(self) -> bool:
        """Whether the file has been parsed (tests and benchmarks check that unchanged files are not)."""
        return self._loaded is not None

    def span(self, path: PathKey) -> Span:
        p = tuple(path)
        if p and p[0] != "document":
            return super().span(p)
        return nearest_span(SpanMap(self.summary.header_spans), p)

    def __repr__(self) -> str:
        return f"DocumentStub(file={self.file!r}, parsed={self.parsed})"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


__all__ = ["DocumentStub", "DocumentSummary", "InputChanged"]

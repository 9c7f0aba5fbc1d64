"""YAML files → validated models with a source map; every failure becomes a file:line InputError.

This module finds files, reads them within the size limit, decodes them (checker.source.encoding), has
checker.source.yaml_tree build plain values and spans, and validates the values against the models of
checker.domain.model. One unreadable file never stops the others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.error import YAMLError

from checker.domain.model import MODEL_BY_KIND
from checker.source.encoding import DecodeFailure, decode_bytes
from checker.source.inputs import (
    DEFAULT_LIMITS,
    YAML_SUFFIXES,
    InputChanged,
    InputError,
    Limits,
    discover,
    paused_gc,
    read_bounded,
)
from checker.source.schema_errors import describe_validation_error
from checker.source.spans import PathKey, Span, SpanMap, nearest_span
from checker.source.yaml_tree import Builder, BuildError, compose_text, error_from_build, error_from_yaml

if TYPE_CHECKING:
    from checker.source.yaml_fast import Built

# Names other modules import from here: the loader is their one entry point to documents.
__all__ = ["DEFAULT_LIMITS", "YAML_SUFFIXES", "FileLoader", "InputError", "Limits", "LoadResult", "LoadedDocument",
           "PathKey", "Span", "SpanMap", "discover", "load_bytes", "load_file", "load_paths", "load_text",
           "paused_gc", "read_bounded", "same_files", "validate"]


@dataclass(frozen=True)
class LoadedDocument:
    """One validated document and everything the engine needs to point back into its file."""

    file: str
    model: Any
    spans: SpanMap = field(repr=False, compare=False)
    """Path of every value → its Span (stored packed)."""
    key_spans: SpanMap = field(repr=False, compare=False)
    """Spans of mapping keys, which suppression comments need (a key opens the block it covers). Kept
    only for files that hold such a comment: on a large corpus they are a sixth of the memory."""
    line_count: int = 0
    marked_lines: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    """The lines (1-based) that mention roadmap-check, i.e. the suppression comments; the other lines
    of the file are not kept."""
    digest: str = ""

    @property
    def id(self) -> str:
        return self.model.document.id

    @property
    def kind(self) -> str:
        return self.model.document.kind

    @property
    def header(self) -> Any:
        """The `document:` header (checker.domain.model.DocumentMeta): all that grouping documents reads, and all
        that a checker.accel.stub.DocumentStub knows without parsing its file."""
        return self.model.document

    def span(self, path: PathKey) -> Span:
        """The span of `path`, or of its nearest ancestor that has one."""
        return nearest_span(self.spans, path)


@dataclass
class LoadResult:
    documents: list[LoadedDocument]
    errors: list[InputError]
    skipped: list[str] = field(default_factory=list)


_HEADER_ID = re.compile(r"^document:[ \t]*(?:\{[^\n]*?\bid:[ \t]*|\n(?:[ \t]+[^\n]*\n|[ \t]*#[^\n]*\n|\n)*?[ \t]+id:[ \t]*)"
                        r"[\"']?([^\"'\s,}#]+)", re.M)


def id_in_text(text: str) -> str | None:
    """The `document.id` of a file that cannot be parsed, read from its text when the header is intact."""
    m = _HEADER_ID.search(text[:20_000])
    return m.group(1) if m else None


def _header_id(data: Any) -> str | None:
    """The `document.id` of data that failed to validate, when it is there to read."""
    header = data.get("document") if isinstance(data, dict) else None
    found = header.get("id") if isinstance(header, dict) else None
    return found if isinstance(found, str) and found else None


SUPPRESSION_MARK = "roadmap-check"
"""Lines that contain this are kept with a document, for suppression comments."""


def validate(data: Any, file: str, builder: Builder | Built, lines: list[str], digest: str,
             rebuild: Callable[[], Builder | Built] | None = None) -> LoadedDocument | list[InputError]:
    """Validate plain values against the model for their declared kind.

    `rebuild` composes the text again with key spans, for an error message when `builder` has none.
    """
    if not isinstance(data, dict):
        span = builder.spans.get((), Span(1, 1, 1, 1))
        return [InputError(file, span.line, span.column,
                           "a document must be a mapping with `document:` and `reform_items:`", "schema")]
    header = data.get("document")
    if not isinstance(header, dict):
        span = builder.spans.get(("document",)) or Span(1, 1, 1, 1)
        shown = "nothing" if header is None else repr(header)[:60]
        message = ("`document:` is missing; start the file with a `document:` header holding id, kind and title"
                   if "document" not in data else
                   f"`document:` must be a mapping of id, kind, title, … indented under it (got {shown})")
        return [InputError(file, span.line, span.column, message, "schema")]
    kind = header.get("kind")
    model_cls: type[BaseModel] | None = MODEL_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model_cls is None:
        span = builder.spans.get(("document", "kind")) or builder.spans.get(("document",)) or Span(1, 1, 1, 1)
        kinds = ", ".join(MODEL_BY_KIND)
        message = (f"document.kind is missing; write one of {kinds}" if kind is None else
                   f"document.kind must be one of {kinds} (got {kind!r})")
        return [InputError(file, span.line, span.column, message, "schema", document_id=_header_id(data))]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        if builder.key_spans is None and rebuild is not None:
            builder = rebuild()
        return [InputError(file, *where, message, "schema", document_id=_header_id(data))
                for where, message in describe_validation_error(exc, model_cls, builder.spans,
                                                                builder.key_spans or SpanMap())]
    # The fast path leaves out key spans exactly when the text never mentions the tool: no scan then.
    skip_scan = builder.key_spans is None and rebuild is not None
    marked = {} if skip_scan else {n: line for n, line in enumerate(lines, 1) if SUPPRESSION_MARK in line}
    if marked and builder.key_spans is None and rebuild is not None:  # pragma: no cover - load_text asks
        builder = rebuild()
    return LoadedDocument(file, model, builder.spans, builder.key_spans if marked else SpanMap(), len(lines), marked,
                          digest)


def load_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedDocument | list[InputError]:
    """Decode, parse and validate one file's bytes. Never raises for bad input."""
    if len(raw) > limits.max_bytes:
        return [InputError(file, 1, 1, f"file is {len(raw):,} bytes, over the limit of {limits.max_bytes:,} "
                           "(raise it with --max-file-size)", "too-large")]
    decoded = decode_bytes(raw)
    if isinstance(decoded, DecodeFailure):
        return [InputError(file, decoded.line, decoded.column, decoded.message, "encoding")]
    digest = hashlib.sha256(raw).hexdigest()
    return load_text(decoded, file, limits, digest)


def load_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS, digest: str = ""
              ) -> LoadedDocument | list[InputError]:
    """Parse and validate decoded text."""
    # Key spans serve suppression comments (which name the tool) and error messages (made again then).
    marks = SUPPRESSION_MARK in text
    try:
        data, builder = compose_text(text, file, limits, key_spans=marks)
    except BuildError as exc:
        return [replace(error_from_build(file, exc), document_id=id_in_text(text))]
    except YAMLError as exc:
        return [replace(error_from_yaml(file, exc, text), document_id=id_in_text(text))]
    except RecursionError:  # pragma: no cover - the depth limit normally fires first
        return [InputError(file, 1, 1, "nesting too deep", "too-deep")]
    return validate(data, file, builder, text.splitlines(), digest or hashlib.sha256(
        text.encode("utf-8", "surrogatepass")).hexdigest(), lambda: compose_text(text, file, limits)[1])


def load_file(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
              ) -> LoadedDocument | list[InputError]:
    """Read one file from disk. Unreadable files become an InputError, never an exception."""
    name = display or str(path)
    raw = read_bounded(path, name, limits)
    return raw if isinstance(raw, list) else load_bytes(raw, name, limits)


FileLoader = Callable[[Path, str, Limits], "LoadedDocument | list[InputError]"]
"""Loads one file given its path, the name to report it under, and the limits (load_file, or a cached one)."""


def same_files(files: list[Path], digests: dict[str, str]) -> None:
    """InputChanged when the files found now are not those a run hashed at its start (one added or removed
    meanwhile): the run would lint files its key does not name."""
    names = {f.as_posix() for f in files}
    for name in sorted(names.symmetric_difference(digests)):
        raise InputChanged(name)


def load_paths(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS, load: FileLoader = load_file,
               digests: dict[str, str] | None = None) -> LoadResult:
    """Load every YAML file under `paths` with `load`; one bad file never stops the others.

    The accel layer passes a loader that reuses documents loaded before (checker.accel.doc_cache), and
    `digests` (name → sha256, as the run's key was made from): the files found must be those (else
    InputChanged), and the loader checks that every file it reads still holds the bytes hashed.
    """
    files, errors, skipped = discover(paths)
    if digests is not None:
        same_files(files, digests)
    documents: list[LoadedDocument] = []
    with paused_gc():
        for f in files:
            result = load(f, f.as_posix(), limits)
            if isinstance(result, LoadedDocument):
                documents.append(result)
            else:
                errors.extend(result)
    return LoadResult(documents, errors, skipped)

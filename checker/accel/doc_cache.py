"""Document entries of the cache: one file's load result, kept as a summary (checker.accel.stub) by content digest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from checker.accel.cache import Cache, code_digest, make_key
from checker.accel.stub import DocumentStub, DocumentSummary
from checker.domain.load import FileLoader, LoadedDocument, load_bytes
from checker.source.inputs import InputChanged, InputError, Limits, read_bounded


def _doc_key(display: str, digest: str, limits: Limits) -> str:
    return make_key("doc", code_digest(), display, digest, limits)


def summarised_bytes(files: Iterable[Path], limits: Limits, cache: Cache, digests: dict[str, str] | None = None
                     ) -> int:
    """How many bytes of these files the cache holds a document summary of (the files as they are now).

    `digests` (name → sha256, as checker.accel.run_cache.cached_run took them) saves reading the files again.
    """
    total = 0
    for f in files:
        name = f.as_posix()
        try:
            if digests is not None and name in digests:
                digest, size = digests[name], f.stat().st_size
            else:
                raw = f.read_bytes()
                digest, size = hashlib.sha256(raw).hexdigest(), len(raw)
        except OSError:
            continue
        if cache.has("doc", _doc_key(name, digest, limits)):
            total += size
    return total


def load_file_cached(path: Path, display: str, limits: Limits, cache: Cache, digest: str | None = None
                     ) -> LoadedDocument | list[InputError]:
    """load.load_file, or a stub standing for it when these bytes were loaded before under this name.

    The cache keeps a summary of each document, not the document (checker.accel.stub): an incremental run
    parses only the files whose findings it cannot reuse, and writing whole documents cost a cold run
    more than parsing them again costs a warm one. `digest`: the file's sha256 when the caller took it
    already (a run keys itself on every file's); a stub found by it is not read at all here, and a stub
    checks the bytes against it when it does read them; bytes that differ from it raise InputChanged.
    """
    raw = None
    if digest is None:
        raw = read_bounded(path, display, limits)
        if isinstance(raw, list):
            return raw
        digest = hashlib.sha256(raw).hexdigest()
    key = _doc_key(display, digest, limits)
    hit = cache.get("doc", key)
    if isinstance(hit, DocumentSummary):
        return DocumentStub(hit, path, limits)
    if isinstance(hit, list) and all(isinstance(e, InputError) for e in hit):
        return hit
    if raw is None:  # not there under the digest the caller took: read it, and parse what was hashed
        # The run is keyed on the bytes it hashed first: bytes that differ now (or none) would be
        # linted and then stored under that key, for every later run of those bytes to report. Read
        # whole, as hashing read them (load_bytes applies the size limit to what was read).
        try:
            raw = path.read_bytes()
        except OSError:
            raise InputChanged(display) from None
        if hashlib.sha256(raw).hexdigest() != digest:
            raise InputChanged(display)
    result = load_bytes(raw, display, limits)
    cache.put("doc", key, DocumentSummary.of(result) if isinstance(result, LoadedDocument) else result)
    return result


def cached_loader(cache: Cache, digests: Mapping[str, str] | None = None) -> FileLoader:
    """A loader for checker.domain.load.load_paths that goes through the cache; `digests` as for load_file_cached."""
    def load(path: Path, display: str, limits: Limits) -> LoadedDocument | list[InputError]:
        return load_file_cached(path, display, limits, cache, digests.get(display) if digests else None)

    return load


__all__ = ["cached_loader", "load_file_cached", "summarised_bytes"]

"""On-disk cache of loaded documents and of whole lint results, keyed by content digests and code version.

Where: ``$ROADMAP_CHECK_CACHE_DIR`` when set, else the user's cache directory
(``platformdirs.user_cache_dir("roadmap-check")``, e.g. ``~/.cache/roadmap-check``). The user cache
directory rather than a folder in the repository, so that a pre-commit hook, several worktrees and CI
steps share it and nothing needs ignoring in git; CI can point the variable at a cached folder.

What: two kinds of entry, each a pickle behind a header that names its key.

* ``doc``: one file's load result (a LoadedDocument, or its input errors), keyed by the sha256 of the
  file's bytes, its display name, the load limits and the code digest.
* ``run``: a whole run's findings after suppressions, keyed by every file's name and digest, the
  files skipped, the rule files and vocabularies (their bytes), the active rule ids, ``--as-of`` and
  the code digest. A warm run with no file changed therefore reads bytes, hashes them and unpickles
  the findings: it never parses YAML or runs a rule.

Never wrong: every input a finding depends on is in the key, and the code digest covers every
source file of the package plus the Python and pydantic versions, so an upgrade or a local edit
starts a fresh cache. Safe under concurrent runs: entries are written to a temporary file and
renamed into place (os.replace is atomic), so a reader sees a whole entry or none. A corrupt,
truncated or foreign entry is ignored, deleted and rewritten; an unwritable directory only means no
caching. Pickles are loaded from the user's own cache directory only: point the variable at a
directory nobody else can write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache as memoise
from pathlib import Path
from typing import Any

from checker.load import (
    DEFAULT_LIMITS,
    InputError,
    Limits,
    LoadedDocument,
    LoadResult,
    discover,
    load_bytes,
    load_paths,
    paused_gc,
)

CACHE_ENV = "ROADMAP_CHECK_CACHE_DIR"
FORMAT = 1
"""Bump when the layout of entries changes (the code digest already covers changes of the classes)."""
_MAGIC = b"roadmap-check-cache\n"


def default_directory() -> Path:
    """$ROADMAP_CHECK_CACHE_DIR, else the platform's user cache directory for roadmap-check."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir  # lazily: only runs that use the cache pay for it

    return Path(user_cache_dir("roadmap-check", appauthor=False))


@memoise
def code_digest() -> str:
    """Digest of every source file of the checker package, the Python version and pydantic's."""
    import pydantic

    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def make_key(*parts: Any) -> str:
    """A sha256 over the reprs of `parts` (strings, numbers, dates, tuples of those)."""
    return hashlib.sha256("\x1f".join(repr(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()


def ruleset_digest(rule_files: Iterable[str], rule_ids: Iterable[str]) -> str:
    """Digest of the rule files' bytes, the vocabularies beside them, and which rules are active."""
    h = hashlib.sha256()
    files = sorted(set(rule_files))
    vocab = sorted({v.as_posix() for f in files for v in (Path(f).parent / "vocabularies").glob("*.yaml")})
    for name in [*files, *vocab]:
        h.update(name.encode() + b"\0")
        try:
            h.update(Path(name).read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    h.update("\x1f".join(sorted(rule_ids)).encode())
    return h.hexdigest()


class Cache:
    """A directory of pickled entries; every failure to read or write is a miss, never an error."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory is not None else default_directory()
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        header = _MAGIC + key.encode() + b"\n"
        try:
            if not data.startswith(header):
                raise ValueError("foreign or truncated entry")
            with paused_gc():  # unpickling builds many objects: see load.paused_gc
                value = pickle.loads(memoryview(data)[len(header):])
        except Exception:  # a corrupt entry of any kind is a miss; drop it so that it is rewritten
            self.misses += 1
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_MAGIC + key.encode() + b"\n")
                    out.write(payload)
                os.replace(tmp, path)  # atomic: concurrent readers see the old entry or the new one
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return  # an unwritable cache only costs speed


def load_file_cached(path: Path, display: str, limits: Limits, cache: Cache) -> LoadedDocument | list[InputError]:
    """load.load_file, reusing the result for identical bytes under the same name, limits and code."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return [InputError(display, 1, 1, f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                               "(raise it with --max-file-size)", "too-large")]
        raw = path.read_bytes()
    except OSError as exc:
        return [InputError(display, 1, 1, f"cannot read file: {exc.strerror or exc}", "unreadable")]
    key = make_key("doc", code_digest(), display, hashlib.sha256(raw).hexdigest(), limits)
    hit = cache.get("doc", key)
    if isinstance(hit, LoadedDocument) or (isinstance(hit, list) and all(isinstance(e, InputError) for e in hit)):
        return hit
    result = load_bytes(raw, display, limits)
    cache.put("doc", key, result)
    return result


@dataclass(frozen=True)
class RunResult:
    """What a lint run computes from the files: findings (suppressions applied) and what was checked."""

    findings: tuple[Any, ...]
    input_errors: tuple[InputError, ...]
    skipped: tuple[str, ...]
    files: tuple[str, ...]


def _digests(paths: Iterable[str | Path]) -> tuple[list[tuple[str, str]], list[InputError], list[str]] | None:
    """(name, sha256) of every file the run would load; None when one cannot be read (no run caching)."""
    files, errors, skipped = discover(paths)
    out = []
    for f in files:
        try:
            out.append((f.as_posix(), hashlib.sha256(f.read_bytes()).hexdigest()))
        except OSError:
            return None
    return out, errors, skipped


def cached_run(paths: Iterable[str | Path], limits: Limits, run_key_parts: tuple[Any, ...],
               compute: Callable[[LoadResult], tuple[Iterable[Any], Iterable[InputError]]],
               cache: Cache | None) -> RunResult:
    """Load and lint through the cache.

    `run_key_parts` must hold everything besides the files that the findings depend on (the
    ruleset digest, the active rule ids, --as-of); `compute` turns a LoadResult into (findings,
    input errors). Without a cache this is simply load + compute.
    """
    paths = list(paths)
    listing = _digests(paths) if cache is not None else None
    key = None
    if listing is not None:
        digests, errors, skipped = listing
        key = make_key("run", code_digest(), limits, run_key_parts, digests,
                       [(e.file, e.line, e.column, e.message, e.code) for e in errors], skipped)
        hit = cache.get("run", key) if cache is not None else None
        if isinstance(hit, RunResult):
            return hit
    loaded = load_paths(paths, limits, cache=cache)
    findings, input_errors = compute(loaded)
    files = sorted({d.file for d in loaded.documents} | {e.file for e in loaded.errors})
    result = RunResult(tuple(findings), tuple(input_errors), tuple(loaded.skipped), tuple(files))
    if cache is not None and key is not None:
        # Store only if no file changed between hashing and loading, so the key names what was linted.
        loaded_digests = {d.file: d.digest for d in loaded.documents}
        if all(loaded_digests.get(name, digest) == digest for name, digest in listing[0]):
            cache.put("run", key, result)
    return result


__all__ = ["CACHE_ENV", "DEFAULT_LIMITS", "Cache", "RunResult", "cached_run", "code_digest", "default_directory",
           "load_file_cached", "make_key", "ruleset_digest"]

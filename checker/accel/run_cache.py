"""The whole-run cache entry: a run's findings keyed by every file's digest and the run's options.

A warm run with no file changed lists and hashes the files, finds this entry and reports what it holds:
it never parses YAML or a rule, nor imports the modules that would (see checker.api).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.accel.cache import Cache, code_digest, make_key
from checker.engine.result import RunResult
from checker.source.inputs import InputChanged, InputError, Limits, discover
from checker.timing import phase

if TYPE_CHECKING:
    from checker.domain.load import LoadResult


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
               compute: Callable[[LoadResult], tuple[Iterable[Any], Iterable[InputError], Iterable[Any]]],
               cache: Cache | None,
               load: Callable[..., LoadResult], changed: Callable[[], bool] | None = None) -> RunResult:
    """Load and lint through the cache.

    `run_key_parts` must hold everything besides the files that the findings depend on, in a form
    that costs nothing to compute (the rule files' digest, --select, --ignore, --as-of): a hit returns
    before any rule is parsed or any heavy module imported. `compute` turns a LoadResult into
    (findings, input errors, rule infos). Without a cache this is simply load + compute. `changed()`:
    whether the rules changed since run_key_parts hashed them (then InputChanged, and nothing stored).
    `load(paths, limits, cache, digests)` loads, given the sha256 of each file by name when they were
    taken (checker.api loads with the run's runner, which may be a pool of workers).
    """
    paths = list(paths)
    with phase("file digests"):
        listing = _digests(paths) if cache is not None else None
    key = None
    if listing is not None:
        digests, errors, skipped = listing
        key = make_key("run", code_digest(), limits, run_key_parts, digests,
                       [(e.file, e.line, e.column, e.message, e.code) for e in errors], skipped)
        with phase("run cache lookup"):
            hit = cache.get("run", key) if cache is not None else None
        if isinstance(hit, RunResult):
            return hit
    started = time.perf_counter()
    with phase("load"):
        digests = dict(listing[0]) if listing is not None else None
        loaded = load(paths, limits, cache, digests)
    findings, input_errors, rules = compute(loaded)
    files = sorted({d.file for d in loaded.documents} | {e.file for e in loaded.errors})
    result = RunResult(tuple(findings), tuple(input_errors), tuple(loaded.skipped), tuple(files), tuple(rules))
    if cache is not None and key is not None:
        # Every read of a file checks its bytes against the digest taken here (checker.accel.doc_cache), so
        # what was linted is what the key names; this is the last word on it before anything is stored.
        loaded_digests = {d.file: d.digest for d in loaded.documents}
        for name, digest in listing[0]:
            if loaded_digests.get(name, digest) != digest:
                raise InputChanged(name)
        if changed is not None and changed():  # what the key holds besides the files (the rules) changed meanwhile
            raise InputChanged("the rule files")
        with phase("cache write (run, detached)"):
            # Readers elsewhere wait for the entry no longer than computing it took here.
            cache.put_detached("run", key, result, work=time.perf_counter() - started)
    return result


__all__ = ["cached_run"]

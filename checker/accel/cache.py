"""On-disk cache of loaded documents and of whole lint results, keyed by content digests and code version.

Where: ``$ROADMAP_CHECK_CACHE_DIR`` when set, else the user's cache directory
(``platformdirs.user_cache_dir("roadmap-check")``, e.g. ``~/.cache/roadmap-check``). The user cache
directory rather than a folder in the repository, so that a pre-commit hook, several worktrees and CI
steps share it and nothing needs ignoring in git; CI can point the variable at a cached folder.

What: three kinds of entry, each plain data (JSON, checker.accel.cache_codec) behind a header that names
its key and a sha256 of the payload (which catches a truncated or damaged entry).

* ``doc``: a summary of one file's load result (checker.accel.doc_cache), keyed by the sha256 of the
  file's bytes, its display name, the load limits and the code digest.
* ``group``: the findings of one group of documents under the rules of one scope (checker.accel.incremental).
* ``run``: a whole run's findings after suppressions and what reports say of its rules
  (checker.accel.run_cache), keyed by every file's name and digest, the files skipped, the rule files and
  vocabularies (their bytes), ``--select``, ``--ignore``, ``--as-of`` and the code digest. Every part
  of that key is bytes or options, so a warm run with no file changed lists and hashes files and
  reads the findings back: it never parses YAML or a rule, nor imports the modules that would.

Trust: entries are data, never pickles, so reading the cache builds findings and summaries and runs no
code, whoever wrote the directory (a CI cache restored from a pull request, a shared folder); nothing
needs a secret. What is not in an entry's shape is a miss, deleted and rewritten. The cache is trusted
as far as its directory: whoever can write entries there can make a run report what they wrote, as
they could by editing the files checked, so CI should keep the cache of untrusted branches apart.

Never wrong: every input a finding depends on is in the key, and the code digest covers every
source file of the package plus the Python and pydantic versions, so an upgrade or a local edit
starts a fresh cache. Safe under concurrent runs: entries are rows of one SQLite database in the
directory (checker.accel.cache_store), so a reader sees a whole entry or none and parallel processes share
it. A corrupt, truncated or foreign entry is ignored, deleted and rewritten; a database that is not
one is started anew; an unwritable directory only means no caching.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from functools import cache as memoise
from pathlib import Path
from typing import Any

from checker.accel.cache_codec import decode, encode
from checker.accel.cache_store import EntryStore
from checker.accel.cache_writes import WRITER as _WRITER
from checker.accel.cache_writes import (
    announce,
    claim,
    detach_stdio,
    retire,
    still_announced,
    wait_announced,
    wait_for_writes,
    wait_later,
)
from checker.source.inputs import paused_gc

CACHE_ENV = "ROADMAP_CHECK_CACHE_DIR"
MAX_MB_ENV = "ROADMAP_CHECK_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1024
"""The cache's size in all, trimmed oldest first by each run's detached writer (a cold lint of 100,000 cells
stores about 31 MB)."""
KEEP_DETACHED = 16
"""Whole-run entries kept (the newest): one is stored for every state of the files a run sees, and only an
identical state reuses it, while group and document entries serve every state that shares them."""
FORMAT = 5
"""Bump when the layout of entries changes (the code digest already covers changes of the classes)."""
_MAGIC = b"roadmap-check-cache 3\n"
_SUM_BYTES = hashlib.sha256().digest_size


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
    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{_pydantic_version()}".encode())
    root = Path(__file__).resolve().parent.parent  # the whole checker package
    # The C fast path of the loader too (its source, or the built module where only that is installed).
    for p in sorted(q for pattern in ("*.py", "*.c", "*.so", "*.pyd") for q in root.rglob(pattern)):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def _pydantic_version() -> str:
    """pydantic's version file, read rather than imported: importing pydantic costs a tenth of a second,
    and a warm run (answered from the cache) otherwise never needs it. The first sys.path entry that
    holds the package is the one an import would take."""
    for entry in sys.path:
        try:
            return (Path(entry or ".") / "pydantic" / "version.py").read_text(encoding="utf-8")
        except OSError:
            continue
    import pydantic  # pragma: no cover - an unusual install (a zip, say): ask the package itself

    return pydantic.VERSION


def max_bytes() -> int:
    """$ROADMAP_CHECK_CACHE_MAX_MB in bytes, else DEFAULT_MAX_MB (a value that is not a positive number counts
    as unset)."""
    value = os.environ.get(MAX_MB_ENV, "")
    megabytes = int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_MB
    return megabytes * 1024 * 1024


def make_key(*parts: Any) -> str:
    """A sha256 over the reprs of `parts` (strings, numbers, dates, tuples of those)."""
    return hashlib.sha256("\x1f".join(repr(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    """A directory of entries of plain data; every failure to read or write is a miss, never an error."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory is not None else default_directory()
        self.store = EntryStore(self.directory)
        self.hits = 0
        self.misses = 0
        self.problems: list[str] = []
        """How the cache works less well than it should (said once on stderr: see notes)."""
        self.counts: dict[tuple[str, str], int] = {}
        """(kind, "hit" | "miss" | "put") → how many (for --verbose)."""

    def _count(self, kind: str, what: str) -> None:
        self.counts[(kind, what)] = self.counts.get((kind, what), 0) + 1

    def off_reason(self) -> str | None:
        """Why nothing is cached or read back (a directory or database that cannot be used), or None."""
        return self.store.problem if self.store.broken else None

    def notes(self) -> list[str]:
        """What to say on stderr about the cache: `cache off: <reason>`, or how it was degraded (once each)."""
        off = self.off_reason()
        if off is not None:
            return [f"cache off: {off}"]
        said = list(dict.fromkeys(self.problems))
        if self.store.problem:
            said.append(self.store.problem)
        return [f"cache degraded: {p}" for p in said]

    def summary(self) -> str:
        """What the cache did in this run, for --verbose."""
        def n(kind: str, what: str) -> int:
            return self.counts.get((kind, what), 0)

        if self.off_reason() is not None:
            return "cache: off (nothing was reused or stored)"
        if n("run", "hit"):
            return "cache: the whole run was reused (no file, rule or option changed)"
        return (f"cache: documents {n('doc', 'hit')} reused, {n('doc', 'miss')} parsed; groups "
                f"{n('group', 'hit')} reused, {n('group', 'put')} re-run; whole-run entry "
                f"{'stored' if n('run', 'put') else 'not stored'}")

    def flush(self) -> None:
        """Wait until every entry put so far (by any Cache of this process, its detached writers too) is stored."""
        _WRITER.flush()

    @staticmethod
    def _sum(kind: str, key: str, payload: bytes | memoryview) -> bytes:
        digest = hashlib.sha256(_MAGIC + kind.encode() + b"\0" + key.encode() + b"\0")
        digest.update(payload)
        return digest.digest()

    def put_detached(self, kind: str, key: str, value: Any, prepare: Callable[[Any], Any] | None = None,
                     work: float | None = None) -> None:
        """put(prepare(value)), prepared, encoded and written by a forked child while this process goes on.

        For the one large entry of a run (every finding: a fifth of a second to prepare and encode on
        100,000 cells). The entry is announced now and the child forked later, once the report is out:
        at the next flush() or get() in this process, at the latest when it ends (see
        checker.accel.cache_writes). flush() and every get() in this process wait for the child; the end
        of the process does not: readers elsewhere wait for the announced entry. Where fork is missing,
        a plain put(), now. `work`: seconds the run took to compute the value (readers elsewhere wait no
        longer than that for it).
        """
        def prepared() -> Any:
            return value if prepare is None else prepare(value)

        if not hasattr(os, "fork"):  # pragma: no cover - Windows
            self._put_and_trim(kind, key, prepared())
            return
        self._count(kind, "put")
        marker = self._marker(kind, key)
        problem = announce(marker, work)
        if problem is not None:
            # pending/ cannot be written (a file of that name, no permission): no reader could wait for a
            # detached writer, and the writer stores only while announced. Written here, then.
            self.problems.append(f"{problem} (entries are written before the run ends instead)")
            self._put_and_trim(kind, key, prepared())
            return
        _WRITER.defer(lambda: self._fork_writer(kind, key, prepared, marker))

    def _fork_writer(self, kind: str, key: str, prepared: Callable[[], Any], marker: Path) -> None:
        try:
            pid = os.fork()
        except OSError:  # no process to be had: write it here
            retire(marker)
            self._put_and_trim(kind, key, prepared())
            return
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
            try:
                detach_stdio()
                claim(marker)  # readers now wait for this process, and stop as soon as it is gone
                data = self._entry(kind, key, prepared())
                # Not if the cache was cleared meanwhile (the marker went with it): a run after
                # `rm -rf` of the cache must be a cold one.
                if data is not None and still_announced(marker):
                    self.store.put(kind, key, data)
                    self.store.trim(max_bytes(), keep={kind: KEEP_DETACHED})  # the cache stays bounded
            finally:
                retire(marker)
                os._exit(0)
        _WRITER.mine().children.append(pid)

    def _put_and_trim(self, kind: str, key: str, value: Any) -> None:
        self.put(kind, key, value)
        self.store.trim(max_bytes(), keep={kind: KEEP_DETACHED})

    def _marker(self, kind: str, key: str) -> Path:
        """Where an entry being written by a detached child is announced (see checker.accel.cache_writes)."""
        return self.directory / "pending" / f"{kind}-{key}"

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there (it may still turn out unreadable: get() is the judge)."""
        return self.store.has(kind, key)

    def get(self, kind: str, key: str) -> Any | None:
        _WRITER.flush()  # read what this process's detached writers wrote, not a miss
        value = self._get(kind, key)
        self._count(kind, "miss" if value is None else "hit")
        return value

    def _get(self, kind: str, key: str) -> Any | None:
        data = self.store.get(kind, key)
        # Being written by another run's detached writer? Then it is worth the wait.
        if data is None and wait_announced(self._marker(kind, key), lambda: self.store.has(kind, key)):
            data = self.store.get(kind, key)
        if data is None:
            self.misses += 1
            return None
        header = _MAGIC + key.encode() + b"\n"
        start = len(header) + _SUM_BYTES
        try:
            if not data.startswith(header) or len(data) < start:
                raise ValueError("foreign or truncated entry")
            payload = memoryview(data)[start:]
            if data[len(header):start] != self._sum(kind, key, payload):
                raise ValueError("damaged entry")
            with paused_gc():  # reading builds many objects: see inputs.paused_gc
                value = decode(payload)
        except Exception:  # a corrupt entry of any kind is a miss; drop it so that it is rewritten
            self.misses += 1
            self.store.delete(kind, key)
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        data = self._entry(kind, key, value)
        if data is not None:
            self._count(kind, "put")
            self.store.put(kind, key, data)

    def put_packed(self, kind: str, key: str, payload: bytes) -> None:
        """put() of a value pack() made already (checker.accel.pool's workers encode group findings once, for
        the pipe to the parent and for the cache)."""
        self._count(kind, "put")
        self.store.put(kind, key, self._framed(kind, key, payload))

    def _entry(self, kind: str, key: str, value: Any) -> bytes | None:
        """The bytes of an entry, or None when it cannot be made (a value of no kind cache_codec knows)."""
        payload = pack(value)
        return None if payload is None else self._framed(kind, key, payload)

    def _framed(self, kind: str, key: str, payload: bytes) -> bytes:
        """An entry as stored: the header naming its key, the sha256 of kind, key and payload, the payload."""
        return b"".join((_MAGIC, key.encode(), b"\n", self._sum(kind, key, payload), payload))


def pack(value: Any) -> bytes | None:
    """The payload of an entry for `value`, or None when it is of no kind the cache keeps."""
    return encode(value)


def unpack(payload: bytes | memoryview) -> Any:
    """The value of a payload pack() made (checker.accel.pool's workers send their findings so)."""
    return decode(payload)


__all__ = ["CACHE_ENV", "DEFAULT_MAX_MB", "KEEP_DETACHED", "MAX_MB_ENV", "Cache", "code_digest",
           "default_directory", "make_key", "max_bytes", "pack", "unpack", "wait_for_writes", "wait_later"]

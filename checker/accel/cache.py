"""On-disk cache of loaded documents and of whole lint results, keyed by content digests and code version.

Where: ``$ROADMAP_CHECK_CACHE_DIR`` when set, else the user's cache directory
(``platformdirs.user_cache_dir("roadmap-check")``, e.g. ``~/.cache/roadmap-check``). The user cache
directory rather than a folder in the repository, so that a pre-commit hook, several worktrees and CI
steps share it and nothing needs ignoring in git; CI can point the variable at a cached folder.

What: three kinds of entry, each a pickle behind a header that names its key and an HMAC-SHA256 tag.

* ``doc``: a summary of one file's load result (checker.accel.doc_cache), keyed by the sha256 of the
  file's bytes, its display name, the load limits and the code digest.
* ``group``: the findings of one group of documents under the rules of one scope (checker.accel.incremental).
* ``run``: a whole run's findings after suppressions and what reports say of its rules
  (checker.accel.run_cache), keyed by every file's name and digest, the files skipped, the rule files and
  vocabularies (their bytes), ``--select``, ``--ignore``, ``--as-of`` and the code digest. Every part
  of that key is bytes or options, so a warm run with no file changed lists and hashes files and
  unpickles the findings: it never parses YAML or a rule, nor imports the modules that would.

Trust: unpickling runs code named by the bytes it reads, and the cache directory may hold files we
did not write (a CI cache restored from an untrusted pull request, a shared folder). So every entry
carries HMAC-SHA256 over its kind, key and payload under a 32-byte secret kept *outside* the cache
directory, in ``platformdirs.user_config_dir("roadmap-check")/cache-key`` (``$ROADMAP_CHECK_CACHE_KEY_FILE``
overrides it), created atomically with mode 0600 on first use. An entry whose tag does not verify is
never unpickled: it is a miss, deleted and rewritten. A cache directory restored from elsewhere was
written under another secret, so its entries simply miss. When the secret cannot be created or read
(or is readable or writable by others, or sits inside the cache directory), caching is off.

Never wrong: every input a finding depends on is in the key, and the code digest covers every
source file of the package plus the Python and pydantic versions, so an upgrade or a local edit
starts a fresh cache. Safe under concurrent runs: entries are rows of one SQLite database in the
directory (checker.accel.cache_store), so a reader sees a whole entry or none and parallel processes share
it. A corrupt, truncated or foreign entry is ignored, deleted and rewritten; a database that is not
one is started anew; an unwritable directory only means no caching.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache as memoise
from pathlib import Path
from typing import Any

from checker.accel.cache_store import EntryStore
from checker.accel.cache_writes import WRITER as _WRITER
from checker.accel.cache_writes import (
    announce,
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
KEY_ENV = "ROADMAP_CHECK_CACHE_KEY_FILE"
FORMAT = 4
"""Bump when the layout of entries changes (the code digest already covers changes of the classes)."""
_MAGIC = b"roadmap-check-cache 2\n"
_SECRET_BYTES = 32
_TAG_BYTES = hashlib.sha256().digest_size


def default_directory() -> Path:
    """$ROADMAP_CHECK_CACHE_DIR, else the platform's user cache directory for roadmap-check."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir  # lazily: only runs that use the cache pay for it

    return Path(user_cache_dir("roadmap-check", appauthor=False))


def default_key_file() -> Path:
    """$ROADMAP_CHECK_CACHE_KEY_FILE, else cache-key in the platform's user config directory for roadmap-check."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("roadmap-check", appauthor=False)) / "cache-key"


def _private(fd: int) -> bool:
    """True when the open key file is ours alone (POSIX: owned by us, no group or other bits)."""
    if os.name != "posix":
        return True  # no POSIX modes to check; the config directory's ACLs protect it
    st = os.fstat(fd)
    return st.st_uid == os.geteuid() and not st.st_mode & 0o077


def _read_secret(path: Path) -> bytes | None:
    """The secret in `path`; None when it is absent. ValueError when it is malformed or not private."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not _private(fd):
            raise ValueError(f"{path} is readable or writable by others")
        secret = f.read(_SECRET_BYTES + 1)
    if len(secret) != _SECRET_BYTES:
        raise ValueError(f"{path} does not hold {_SECRET_BYTES} bytes")
    return secret


def load_secret(path: Path | None = None) -> bytes | None:
    """The cache's HMAC secret, creating it (32 random bytes, mode 0600) if absent; None when impossible.

    Created by writing a private temporary file beside it and hard-linking it into place: link()
    fails if the name exists, so concurrent first runs agree on one secret and no reader ever sees a
    partly written file.
    """
    path = Path(path) if path is not None else default_key_file()
    try:
        secret = _read_secret(path)
        if secret is not None:
            return secret
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # mkstemp makes it 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(_SECRET_BYTES))
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another run made it first: use theirs
                os.link(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return _read_secret(path)
    except (OSError, ValueError):
        return None


def _inside(path: Path, directory: Path) -> bool:
    """Whether `path` lies in `directory` (after resolving both as far as they exist)."""
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except (OSError, RuntimeError):
        return True  # cannot tell: assume the worst


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
    """A directory of authenticated pickled entries; every failure to read or write is a miss, never an error.

    `secret` defaults to load_secret() (the user's key file); when there is none, the cache is
    disabled: get() always misses and put() stores nothing.
    """

    def __init__(self, directory: Path | None = None, secret: bytes | None = None):
        self.directory = Path(directory) if directory is not None else default_directory()
        if secret is None:
            key_file = default_key_file()
            # A key stored in the cache directory would travel with it, and so would trust.
            secret = None if _inside(key_file, self.directory) else load_secret(key_file)
        self.secret = secret
        self.store = EntryStore(self.directory)
        self.hits = 0
        self.misses = 0

    def flush(self) -> None:
        """Wait until every entry put so far (by any Cache of this process, its detached writers too) is stored."""
        _WRITER.flush()

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    def _tag(self, kind: str, key: str, payload: bytes | memoryview) -> bytes:
        assert self.secret is not None
        mac = hmac.new(self.secret, _MAGIC + kind.encode() + b"\0" + key.encode() + b"\0", hashlib.sha256)
        mac.update(payload)
        return mac.digest()

    def put_detached(self, kind: str, key: str, value: Any, prepare: Callable[[Any], Any] | None = None) -> None:
        """put(prepare(value)), prepared, pickled and written by a forked child while this process goes on.

        For the one large entry of a run (every finding: a fifth of a second to prepare and pickle on
        100,000 cells). flush() and every get() in this process wait for the child; the end of the
        process does not: the entry is announced, and readers elsewhere wait for it (see
        checker.accel.cache_writes). Where fork is missing, a plain put().
        """
        def prepared() -> Any:
            return value if prepare is None else prepare(value)

        if self.secret is None:
            return
        if not hasattr(os, "fork"):  # pragma: no cover - Windows
            self._put_and_trim(kind, key, prepared())
            return
        marker = self._marker(kind, key)
        announce(marker)
        try:
            pid = os.fork()
        except OSError:  # no process to be had: write it here
            retire(marker)
            self._put_and_trim(kind, key, prepared())
            return
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
            try:
                detach_stdio()
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
        if self.secret is not None:
            self.store.trim(max_bytes(), keep={kind: KEEP_DETACHED})

    def _marker(self, kind: str, key: str) -> Path:
        """Where an entry being written by a detached child is announced (see checker.accel.cache_writes)."""
        return self.directory / "pending" / f"{kind}-{key}"

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there (it may still turn out unreadable: get() is the judge)."""
        return self.secret is not None and self.store.has(kind, key)

    def get(self, kind: str, key: str) -> Any | None:
        _WRITER.flush()  # read what this process's detached writers wrote, not a miss
        if self.secret is None:
            self.misses += 1
            return None
        data = self.store.get(kind, key)
        # Being written by another run's detached writer? Then it is worth the wait.
        if data is None and wait_announced(self._marker(kind, key), lambda: self.store.has(kind, key)):
            data = self.store.get(kind, key)
        if data is None:
            self.misses += 1
            return None
        header = _MAGIC + key.encode() + b"\n"
        start = len(header) + _TAG_BYTES
        try:
            if not data.startswith(header) or len(data) < start:
                raise ValueError("foreign or truncated entry")
            payload = memoryview(data)[start:]
            # Verify before unpickling: bytes we did not write under our secret never reach pickle.
            if not hmac.compare_digest(data[len(header):start], self._tag(kind, key, payload)):
                raise ValueError("entry not written under this user's cache key")
            with paused_gc():  # unpickling builds many objects: see load.paused_gc
                value = pickle.loads(payload)
        except Exception:  # a corrupt entry of any kind is a miss; drop it so that it is rewritten
            self.misses += 1
            self.store.delete(kind, key)
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        data = self._entry(kind, key, value)
        if data is not None:
            self.store.put(kind, key, data)

    def put_packed(self, kind: str, key: str, payload: bytes) -> None:
        """put() of a value pack() made already (checker.accel.pool's workers pickle group findings once, for
        the pipe to the parent and for the cache)."""
        if self.secret is not None:
            self.store.put(kind, key, self._framed(kind, key, payload))

    def _entry(self, kind: str, key: str, value: Any) -> bytes | None:
        """The bytes of an entry, or None when it cannot be made (no key, or an unpicklable value)."""
        if self.secret is None:
            return None
        payload = pack(value)
        return None if payload is None else self._framed(kind, key, payload)

    def _framed(self, kind: str, key: str, payload: bytes) -> bytes:
        """An entry as stored: the header naming its key, the tag over kind, key and payload, the payload."""
        return b"".join((_MAGIC, key.encode(), b"\n", self._tag(kind, key, payload), payload))


def pack(value: Any) -> bytes | None:
    """The payload of an entry for `value`, or None when it cannot be pickled."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def unpack_own(payload: bytes) -> Any:
    """A payload that this run's own forked worker packed and sent over its pipe: the same trust as the
    pickles multiprocessing itself sends over that pipe (never bytes read from the cache directory)."""
    return pickle.loads(payload)


__all__ = ["CACHE_ENV", "DEFAULT_MAX_MB", "KEEP_DETACHED", "KEY_ENV", "MAX_MB_ENV", "Cache", "code_digest",
           "default_directory", "default_key_file", "load_secret", "make_key", "max_bytes", "pack", "unpack_own",
           "wait_for_writes", "wait_later"]

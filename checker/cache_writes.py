"""Cache entries written off the main path: a background thread for small ones, a forked child for one
large one, and whatever other processes' writes a run must wait for (checker.pool's workers).

Creating hundreds of small files is system calls, which run without the GIL while the next group is
linted (on 100,000 cells, 731 files took about half a second in the foreground). Readers of the cache
in this process (Cache.get) and the end of the process wait for everything pending, so callers never
see the difference.

The forked child is the exception at exit: a run does not wait for it (pickling every finding took a
fifth of a second after the report was out). It announces its entry with a marker file beside it, and
a reader in another process that finds the marker but no entry waits for the entry (see wait_announced).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Writer:
    """What this process has pending: writes on its background thread, detached children, other waits.

    One per process: a forked child makes its own (the parent's thread is not in it).
    """

    def __init__(self) -> None:
        self.pool: Any = None
        self.pid = 0
        self.pending: list[Any] = []
        self.children: list[int] = []
        """Forked processes writing one large entry each (Cache.put_detached), waited for by flush()."""
        self.waits: list[Callable[[], None]] = []
        """Other processes' writes to wait for (checker.pool's workers), registered by wait_later()."""
        self.owner = os.getpid()
        """The process the two lists above belong to: a forked child starts with none of its own."""

    def mine(self) -> Writer:
        if self.owner != os.getpid():
            self.children, self.waits, self.owner = [], [], os.getpid()
        return self

    def submit(self, path: Path, parts: tuple[bytes, ...]) -> None:
        if self.pool is None or self.pid != os.getpid():
            from concurrent.futures import ThreadPoolExecutor

            self.pool, self.pid, self.pending = ThreadPoolExecutor(1, "roadmap-check-cache"), os.getpid(), []
        try:
            self.pending.append(self.pool.submit(write_atomically, path, parts))
        except RuntimeError:  # no thread to be had (or shutting down): write it here
            write_atomically(path, parts)

    def flush_thread(self) -> None:
        """Wait for the background thread (idle, it holds no lock a fork would copy)."""
        if self.pending and self.pid == os.getpid():
            pending, self.pending = self.pending, []
            for future in pending:
                future.result()

    def flush(self, children: bool = True) -> None:
        """Wait for the background thread, the registered waits and (with `children`) the forked writers."""
        self.flush_thread()
        self.mine()
        if children:
            waiting, self.children = self.children, []
            for pid in waiting:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        waits, self.waits = self.waits, []
        for wait in waits:
            wait()


WRITER = Writer()
# A process never ends with entries half written (or not at all), except a forked writer's: it goes on
# alone, its entry announced (detach_stdio, announce, retire).
atexit.register(WRITER.flush, children=False)

PENDING_SUFFIX = ".pending"
PENDING_TIMEOUT = 10.0
"""Seconds after which an announced entry that never came is given up (its writer was killed)."""


def pending_marker(path: Path) -> Path:
    return path.with_name(path.name + PENDING_SUFFIX)


def announce(path: Path) -> None:
    """Mark `path` as being written by a process that is about to start (before the fork, so no reader
    can look between the start of the writer and the marker)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        pending_marker(path).write_bytes(b"")


def retire(path: Path) -> None:
    """The writer is done (or gave up): readers stop waiting."""
    with contextlib.suppress(OSError):
        pending_marker(path).unlink()


def wait_announced(path: Path) -> bool:
    """Wait while `path` is announced but not yet there; True once it is there.

    A marker older than PENDING_TIMEOUT is stale (its writer was killed) and is removed.
    """
    import time

    marker = pending_marker(path)
    while True:
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:  # no marker (any more): the entry is there now, or will not come
            return path.exists()
        if path.exists():
            return True
        if age > PENDING_TIMEOUT:
            retire(path)
            return False
        time.sleep(0.005)


def detach_stdio() -> None:
    """In a forked writer: let go of the terminal and pipes, so that whoever reads this process's
    output (a shell pipe, subprocess.run) sees it end when the run ends, not when the write does."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)


def wait_later(wait: Callable[[], None]) -> None:
    """Have wait_for_writes() (and every cache read, and the end of the process) call `wait` first."""
    WRITER.mine().waits.append(wait)


def wait_for_writes() -> None:
    """Return once every entry put by this process is on disk (readers of the cache already wait)."""
    WRITER.flush()


def write_atomically(path: Path, parts: tuple[bytes, ...], announced: bool = False) -> None:
    """Write an entry whole or not at all; `announced`: only while its marker is there (see announce)."""
    marker = pending_marker(path)
    try:
        if announced and not marker.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    out.write(part)
            if announced and not marker.exists():  # the cache was cleared while this was written
                Path(tmp).unlink(missing_ok=True)
                return
            os.replace(tmp, path)  # atomic: concurrent readers see the old entry or the new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return  # an unwritable cache only costs speed


__all__ = ["WRITER", "Writer", "announce", "detach_stdio", "pending_marker", "retire", "wait_announced",
           "wait_for_writes", "wait_later", "write_atomically"]

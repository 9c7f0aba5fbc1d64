"""Cache entries written off the main path: a background thread for small ones, a forked child for one
large one, and whatever other processes' writes a run must wait for (checker.pool's workers).

Creating hundreds of small files is system calls, which run without the GIL while the next group is
linted (on 100,000 cells, 731 files took about half a second in the foreground). Readers of the cache
(Cache.get) and the end of the process wait for everything pending, so callers never see the
difference.
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

    def flush(self) -> None:
        if self.pending and self.pid == os.getpid():
            pending, self.pending = self.pending, []
            for future in pending:
                future.result()
        self.mine()
        children, self.children = self.children, []
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        waits, self.waits = self.waits, []
        for wait in waits:
            wait()


WRITER = Writer()
atexit.register(WRITER.flush)  # a process never ends with entries half written (or not at all)


def wait_later(wait: Callable[[], None]) -> None:
    """Have wait_for_writes() (and every cache read, and the end of the process) call `wait` first."""
    WRITER.mine().waits.append(wait)


def wait_for_writes() -> None:
    """Return once every entry put by this process is on disk (readers of the cache already wait)."""
    WRITER.flush()


def write_atomically(path: Path, parts: tuple[bytes, ...]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    out.write(part)
            os.replace(tmp, path)  # atomic: concurrent readers see the old entry or the new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return  # an unwritable cache only costs speed


__all__ = ["WRITER", "Writer", "wait_for_writes", "wait_later", "write_atomically"]

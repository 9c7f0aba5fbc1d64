"""Cache writes off the main path: one large entry written by a forked child, and whatever other
processes' writes a run must wait for (checker.accel.pool's workers).

Small entries are written in place (checker.accel.cache_store: a row of a SQLite database, a tenth of a
millisecond). The one large entry of a run (every finding: a fifth of a second to prepare and encode
on 100,000 cells) is written by a forked child while the report renders. Readers of the cache in this
process (Cache.get) wait for everything pending, and so does the end of the process, except for that
child: a run does not wait for it. It announces its entry with a marker file, and a reader in another
process that finds the marker but no entry waits for the entry (see wait_announced).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path


class Writer:
    """What this process has pending: detached children and other processes' writes to wait for.

    One per process: a forked child starts with none of its own.
    """

    def __init__(self) -> None:
        self.children: list[int] = []
        """Forked processes writing one large entry each (Cache.put_detached), waited for by flush()."""
        self.waits: list[Callable[[], None]] = []
        """Other processes' writes to wait for (checker.accel.pool's workers), registered by wait_later()."""
        self.owner = os.getpid()
        """The process the two lists above belong to."""

    def mine(self) -> Writer:
        if self.owner != os.getpid():
            self.children, self.waits, self.owner = [], [], os.getpid()
        return self

    def flush(self, children: bool = True) -> None:
        """Wait for the registered waits and (with `children`) the forked writers."""
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
# A process never ends with other processes' writes unfinished, except a forked writer's: it goes on
# alone, its entry announced (detach_stdio, announce, retire).
atexit.register(WRITER.flush, children=False)

PENDING_TIMEOUT = 10.0
"""Seconds after which an announced entry that never came is given up (its writer was killed)."""


def announce(marker: Path) -> None:
    """Mark an entry as being written by a process about to start (before the fork, so that no reader
    can look between the start of the writer and the marker)."""
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_bytes(b"")


def still_announced(marker: Path) -> bool:
    """False once the cache was cleared (the marker went with it): the writer then stores nothing."""
    return marker.exists()


def retire(marker: Path) -> None:
    """The writer is done (or gave up): readers stop waiting."""
    with contextlib.suppress(OSError):
        marker.unlink()


def wait_announced(marker: Path, present: Callable[[], bool]) -> bool:
    """Wait while an entry is announced but not yet `present()`; True once it is.

    A marker older than PENDING_TIMEOUT is stale (its writer was killed) and is removed.
    """
    while True:
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:  # no marker (any more): the entry is there now, or will not come
            return present()
        if present():
            return True
        if age > PENDING_TIMEOUT:
            retire(marker)
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
    """Return once every entry put by this process is stored (readers of the cache already wait)."""
    WRITER.flush()


__all__ = ["PENDING_TIMEOUT", "WRITER", "Writer", "announce", "detach_stdio", "retire", "still_announced",
           "wait_announced", "wait_for_writes", "wait_later"]

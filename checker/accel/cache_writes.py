"""Cache writes off the main path: one large entry written by a forked child, and whatever other
processes' writes a run must wait for (checker.accel.pool's workers).

Small entries are written in place (checker.accel.cache_store: a row of a SQLite database, a tenth of a
millisecond). The one large entry of a run (every finding: a fifth of a second to prepare and encode
on 100,000 cells) is written by a forked child, started once the report is out: when the process ends,
or earlier when this process reads the cache again (Writer.defer). Forked before the report, the child
encoded while the report rendered, and the report took 0.25-0.40 s instead of 0.42-0.82 s on 100,000
cells after one edit (copy-on-write faults on the findings both touch, and a core less). Readers of the
cache in this process (Cache.get) wait for everything pending, and so does the end of the process,
except for that child: a run does not wait for it. Its entry is announced as soon as it is deferred,
with a marker file naming the writing process (this one, then the child once it claims it) and how long
the work took, and a reader in another process that finds the marker but no entry waits for the entry
while that process lives, never longer than the work (see wait_announced).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Writer:
    """What this process has pending: detached children and other processes' writes to wait for.

    One per process: a forked child starts with none of its own.
    """

    def __init__(self) -> None:
        self.children: list[int] = []
        """Forked processes writing one large entry each (Cache.put_detached), waited for by flush()."""
        self.waits: list[Callable[[], None]] = []
        """Other processes' writes to wait for (checker.accel.pool's workers), registered by wait_later()."""
        self.deferred: list[Callable[[], None]] = []
        """Writers to start later (defer()): by release(), which flush() and the end of the process call."""
        self.owner = os.getpid()
        """The process the lists above belong to."""

    def mine(self) -> Writer:
        if self.owner != os.getpid():
            self.children, self.waits, self.deferred, self.owner = [], [], [], os.getpid()
        return self

    def defer(self, start: Callable[[], None]) -> None:
        """Have `start` (which forks a writer) called by the next flush(), at the latest when the process ends."""
        self.mine().deferred.append(start)

    def release(self) -> None:
        """Start the deferred writers now."""
        self.mine()
        starting, self.deferred = self.deferred, []
        for start in starting:
            start()

    def flush(self, children: bool = True) -> None:
        """Start the deferred writers; wait for the registered waits and (with `children`) the forked writers."""
        self.release()
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
# alone, its entry announced (detach_stdio, announce, retire). A deferred writer is started here at the
# latest (atexit: after the report is written).
atexit.register(WRITER.flush, children=False)

PENDING_TIMEOUT = 10.0
"""Seconds after which an announced entry that never came is given up, whatever its marker says."""
DEFAULT_WORK = 1.0
"""Seconds a reader waits at most for an entry whose marker does not say how long the work took."""


def process_start(pid: int) -> str | None:
    """When process `pid` started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat, in clock
    ticks since boot); None where that cannot be read. With the pid it names one process for good: a
    pid reused by a later process has another start time."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()  # after the name, which may hold spaces and parentheses
    return fields[19].decode() if len(fields) > 19 else None


def _host() -> str:
    import socket

    return socket.gethostname()


def marker_bytes(pid: int, work: float) -> bytes:
    """What a marker says: the writing process (pid, start time, host) and how long the work it saves took."""
    return json.dumps({"pid": pid, "start": process_start(pid), "host": _host(), "work": round(work, 3)}).encode()


def announce(marker: Path, work: float | None = None) -> str | None:
    """Mark an entry as being written by this process or one it is about to fork (before the fork, so that
    no reader can look between the start of the writer and the marker); `work`: the seconds the run
    took to compute the entry, which is as long as a reader would take to compute it instead. Returns
    why the marker cannot be written (then no reader could wait for the entry: write it in place), or
    None."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_bytes(marker_bytes(os.getpid(), DEFAULT_WORK if work is None else work))
    except OSError as exc:
        return f"cannot write {exc.filename or marker}: {exc.strerror or exc}"
    return None


def claim(marker: Path) -> None:
    """In the forked writer: put its own pid in the marker (atomically), so that readers stop waiting as
    soon as it is gone; not if the marker went meanwhile (the cache was cleared)."""
    try:
        info = json.loads(marker.read_bytes())
        tmp = marker.with_name(f".{marker.name}.{os.getpid()}")
        tmp.write_bytes(marker_bytes(os.getpid(), float(info.get("work", DEFAULT_WORK))))
        os.replace(tmp, marker)
    except (OSError, ValueError, AttributeError, TypeError):
        return


def still_announced(marker: Path) -> bool:
    """False once the cache was cleared (the marker went with it): the writer then stores nothing."""
    return marker.exists()


def retire(marker: Path) -> None:
    """The writer is done (or gave up): readers stop waiting."""
    with contextlib.suppress(OSError):
        marker.unlink()


def _alive(info: dict[str, Any]) -> bool:
    """Whether the process a marker names may still be writing (True when that cannot be told)."""
    pid = info.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if info.get("host") != _host():
        return True  # a cache directory shared between machines: only the time bound applies
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process (EPERM): it exists
        pass
    start = info.get("start")
    if start is not None:
        now = process_start(pid)
        if now is not None and now != start:
            return False  # the pid was reused by another process
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    """A writer that ended but was not reaped (its parent still runs) is a zombie: gone for our purposes."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return True
    fields = stat[stat.rfind(b")") + 2:].split()
    return not fields or fields[0] not in (b"Z", b"X")


def _read_marker(marker: Path) -> tuple[dict[str, Any], float] | None:
    """(what the marker says, its age in seconds); None when there is no marker. A marker that cannot be
    parsed (the older, empty kind) says nothing: only the time bounds apply to it."""
    try:
        age = time.time() - marker.stat().st_mtime
        data = marker.read_bytes()
    except OSError:
        return None
    try:
        info = json.loads(data) if data else {}
    except ValueError:
        info = {}
    return (info if isinstance(info, dict) else {}), age


def wait_announced(marker: Path, present: Callable[[], bool]) -> bool:
    """Wait while an entry is announced but not yet `present()`; True once it is.

    Never longer than the work the entry saves (the `work` its marker states, at most PENDING_TIMEOUT,
    counted from when it was announced): waiting longer would cost more than computing it. A marker
    whose writer is gone (no such process, or its pid now another process's) is removed at once.
    """
    while True:
        found = _read_marker(marker)
        if found is None:  # no marker (any more): the entry is there now, or will not come
            return present()
        info, age = found
        if present():
            return True
        if "pid" in info and not _alive(info):
            retire(marker)
            return present()
        work = info.get("work")
        limit = min(PENDING_TIMEOUT, float(work) if isinstance(work, int | float) and work >= 0 else PENDING_TIMEOUT)
        if age > limit:
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


__all__ = ["DEFAULT_WORK", "PENDING_TIMEOUT", "WRITER", "Writer", "announce", "claim", "detach_stdio", "marker_bytes",
           "process_start", "retire", "still_announced", "wait_announced", "wait_for_writes", "wait_later"]

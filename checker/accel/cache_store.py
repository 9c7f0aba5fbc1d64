"""Where cache entries live: one SQLite database in the cache directory, rows of (kind, key, bytes).

One file rather than a file per entry: a cold lint of 100,000 cells stores about 730 entries, and
creating that many files on this machine's ext4 took half a second of the two cores the run needs
(sqlite: 0.06 s, and reading them back 0.01 s instead of 0.05). SQLite also gives what the files
gave: a reader sees a whole entry or none, and runs in parallel processes may share the directory
(WAL mode, waiting up to BUSY_TIMEOUT for one another's writes).

What the bytes say, and whether to trust them, is checker.accel.cache's business; this module only stores
them. Every failure (a directory that cannot be written, a locked or corrupt database) makes the
store answer "nothing there" and drop writes, never raise: a cache only costs speed. A database
that is not one (truncated, overwritten) is moved aside once and started anew.

A connection never crosses a fork (SQLite forbids it, and a child's new connection would inherit the
parent's lock bookkeeping): every open one is closed just before any fork (os.register_at_fork), and
each process opens its own on first use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import weakref
from pathlib import Path

DB_NAME = "entries-2.sqlite3"
"""Versioned: a change of the table's layout starts a new file (and leaves the old one unused)."""
BUSY_TIMEOUT = 30.0
"""Seconds a write waits for another process's (the pool's workers write side by side)."""


_OPEN: weakref.WeakSet[EntryStore] = weakref.WeakSet()
"""Stores with a connection open in this process: closed before every fork."""


def _close_before_fork() -> None:
    for store in list(_OPEN):
        store.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_before_fork)


class EntryStore:
    """The entries of one cache directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / DB_NAME
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._broken = False
        self.problem = ""
        """The first failure to open, read or write the database, for the run to report (empty: none)."""

    @property
    def broken(self) -> bool:
        """Whether the database could not be opened at all (then nothing is cached)."""
        return self._broken

    def _note(self, exc: BaseException, doing: str) -> None:
        if not self.problem:
            where = getattr(exc, "filename", None) or self.path
            self.problem = f"cannot {doing} {where}: {getattr(exc, 'strerror', None) or exc}"

    def _db(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._connection is None or self._pid != os.getpid():
            # (After a fork the connection is None: _close_before_fork closed it in the parent.)
            self._connection, self._pid = None, os.getpid()
            _OPEN.add(self)
            try:
                self._connection = self._open()
            except sqlite3.DatabaseError:  # not a database: start anew, once
                self._set_aside()
                try:
                    self._connection = self._open()
                except (sqlite3.Error, OSError) as exc:
                    self._broken = True
                    self._note(exc, "open")
            except (sqlite3.Error, OSError) as exc:
                self._broken = True
                self._note(exc, "open")
        return self._connection

    def _open(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Private, as the entry files were (mkstemp's 0600): findings quote the user's documents. SQLite
        # gives its -wal and -shm files the database's mode.
        # Not through a symbolic link planted in a shared directory (O_NOFOLLOW: then no caching).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            # WAL: readers never wait for the writer; NORMAL: no fsync per write (a crash of the machine
            # may lose the last entries, never corrupt the file), which a cache can afford.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # A rowid table, not WITHOUT ROWID: its (kind, key) index then holds only the keys, so a
            # lookup never reads a row's bytes. Stored in the index itself, a run's 13 MB entry was read
            # whole by every search that passed it (a miss took 30 ms).
            db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
                       "size INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, key))")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def _failed(self, exc: sqlite3.Error) -> None:
        """A query failed: a corrupt database is started anew next time, anything else just misses."""
        self._note(exc, "use")
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self._connection = None
            self._set_aside()

    def get(self, kind: str, key: str) -> bytes | None:
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute("SELECT data FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return None if row is None else bytes(row[0])

    def has(self, kind: str, key: str) -> bool:
        db = self._db()
        if db is None:
            return False
        try:
            return db.execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone() is not None
        except sqlite3.Error as exc:
            self._failed(exc)
            return False

    def put(self, kind: str, key: str, data: bytes) -> None:
        db = self._db()
        if db is None:
            return
        try:
            db.execute("INSERT OR REPLACE INTO entries (kind, key, size, data) VALUES (?, ?, ?, ?)",
                       (kind, key, len(data), data))
        except sqlite3.Error as exc:
            self._failed(exc)

    def delete(self, kind: str, key: str) -> None:
        db = self._db()
        if db is None:
            return
        try:
            db.execute("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))
        except sqlite3.Error as exc:
            self._failed(exc)

    def trim(self, max_bytes: int, keep: dict[str, int] | None = None) -> None:
        """Keep the cache bounded: at most `keep[kind]` entries of each kind named there, then, oldest
        written first, no more than `max_bytes` in all (cut to three quarters of it when over, so that
        not every run trims). Space freed is reused by later entries; the file does not grow past it.
        """
        db = self._db()
        if db is None:
            return
        try:
            for kind, count in (keep or {}).items():
                db.execute("DELETE FROM entries WHERE kind = ? AND rowid NOT IN "
                           "(SELECT rowid FROM entries WHERE kind = ? ORDER BY rowid DESC LIMIT ?)", (kind, kind, count))
            total = db.execute("SELECT coalesce(sum(size), 0) FROM entries").fetchone()[0]
            if total > max_bytes:
                goal, freed, last = total - max_bytes * 3 // 4, 0, None
                for rowid, size in db.execute("SELECT rowid, size FROM entries ORDER BY rowid").fetchall():
                    freed += size
                    last = rowid
                    if freed >= goal:
                        break
                if last is not None:
                    db.execute("DELETE FROM entries WHERE rowid <= ?", (last,))
        except sqlite3.Error as exc:
            self._failed(exc)

    def size(self) -> int:
        """Bytes of all entries (for tests and inspection)."""
        db = self._db()
        if db is None:
            return 0
        try:
            return int(db.execute("SELECT coalesce(sum(size), 0) FROM entries").fetchone()[0])
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0

    def close(self) -> None:
        """Close this process's connection (a later call opens a new one)."""
        if self._connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    def items(self) -> list[tuple[str, str, bytes]]:
        """Every entry (for tests and inspection): (kind, key, bytes)."""
        db = self._db()
        if db is None:
            return []
        try:
            return [(k, key, bytes(d)) for k, key, d in db.execute("SELECT kind, key, data FROM entries ORDER BY 1, 2")]
        except sqlite3.Error as exc:
            self._failed(exc)
            return []


__all__ = ["BUSY_TIMEOUT", "DB_NAME", "EntryStore"]

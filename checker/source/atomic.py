"""Atomic file writes (temp file in the same directory + os.replace): a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_bytes(path: str | Path, data: bytes, *, make_parents: bool = True) -> None:
    """Write `data` to `path` atomically; on any failure the old file (if any) is left untouched.

    A path that is not a regular file (/dev/null, /dev/stdout, a named pipe, a terminal) is written
    in place: renaming a temp file over it would replace the device or pipe itself (as root,
    `--output /dev/null` once turned /dev/null into a plain file).
    """
    target = Path(path)
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except OSError:  # not there yet (or unreadable): the atomic path reports any real problem
        special = False
    if special:
        with open(target, "wb") as fh:
            fh.write(data)
        return
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    # The temp file must live in the target's directory: os.replace is only atomic within one filesystem.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; otherwise what open() would give (mkstemp's 0600 is too strict)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path: str | Path, text: str, *, make_parents: bool = True) -> None:
    """Write UTF-8 text atomically (newlines as given: reports are byte-for-byte deterministic)."""
    write_bytes(path, text.encode("utf-8"), make_parents=make_parents)

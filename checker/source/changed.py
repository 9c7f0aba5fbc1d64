"""Files changed since a git ref (`git diff --name-only REF` plus untracked files), for --changed-since."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class ChangedSinceError(Exception):
    """A ref git does not know, no git, or not a git work tree."""


def _git(args: list[str], cwd: Path) -> str:
    git = shutil.which("git")
    if git is None:
        raise ChangedSinceError("--changed-since needs git, and git is not on PATH")
    # No shell, arguments as a list: a ref is never interpreted by anything but git.
    proc = subprocess.run([git, *args], cwd=cwd, capture_output=True, check=False,
                          env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedSinceError(detail[-1] if detail else f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout.decode("utf-8", "surrogateescape")


def work_dir(paths: list[str]) -> Path:
    """Where to ask git: the first linted path's directory (the repo holding the data), else the cwd."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            return p
        if p.parent.is_dir():
            return p.parent
    return Path.cwd()


def changed_files(ref: str, where: Path) -> frozenset[Path]:
    """Resolved paths of files changed since `ref` (committed, staged, unstaged) and untracked files."""
    if not ref or ref.startswith("-"):
        raise ChangedSinceError(f"--changed-since: {ref!r} is not a git ref")
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], where).strip())
    except ChangedSinceError as exc:
        raise ChangedSinceError(f"--changed-since: {where} is not in a git work tree ({exc})") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    except ChangedSinceError:
        raise ChangedSinceError(f"--changed-since: unknown git revision {ref!r}") from None
    # -z: names raw (no octal quoting of Japanese file names); --no-renames: a rename's old path is listed too.
    diff = _git(["diff", "--name-only", "--no-renames", "-z", ref, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], top)
    names = [n for n in (diff + untracked).split("\0") if n]
    return frozenset((top / n).resolve() for n in names)


def is_changed(file: str, changed: frozenset[Path]) -> bool:
    return Path(file).resolve() in changed

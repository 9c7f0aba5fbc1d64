"""The YAML files under the linted paths as they were at a git ref, written to a temporary directory (--new-since).

git runs without a shell, its arguments a list, and pathspecs literal: a ref or a path is never
interpreted by anything but git as a ref or a path. The blobs are read with `git ls-tree` and
`git cat-file --batch` rather than `git archive`, which would apply export-ignore and export-subst
attributes and so change what is linted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from checker.source.changed import work_dir
from checker.source.inputs import YAML_SUFFIXES


class GitRefError(Exception):
    """No git, not a work tree, a ref git does not know, or a path outside the work tree."""


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitRefError("--new-since needs git, and git is not on PATH")
    proc = subprocess.run([git, "--literal-pathspecs", *args], cwd=cwd, input=stdin, capture_output=True,
                          check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitRefError(detail[-1] if detail else f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


@dataclass(frozen=True)
class RefTree:
    """The linted paths as they were at a ref: where they are now on disk, and how to name them back."""

    ref: str
    commit: str
    paths: tuple[str, ...]
    """The linted paths inside the temporary tree (only those that existed at the ref)."""
    prefixes: tuple[tuple[str, str], ...]
    """(path in the temporary tree, the working-tree path it stands for), longest first."""

    def to_work(self, name: str) -> str:
        """A file name of the ref run as the same file is named in the working-tree run."""
        for tmp, work in self.prefixes:
            if name == tmp:
                return work
            if name.startswith(tmp + os.sep) or name.startswith(tmp + "/"):
                return str(Path(work) / name[len(tmp) + 1:])
        return name


def _commit(ref: str, top: Path) -> str:
    if not ref or ref.startswith("-"):
        raise GitRefError(f"--new-since: {ref!r} is not a git ref")
    try:
        return _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                    top).decode().strip()
    except GitRefError:
        raise GitRefError(f"--new-since: unknown git revision {ref!r} (a branch, tag or commit; "
                          "fetch it first in a shallow clone)") from None


def _blobs(commit: str, rels: list[str], top: Path) -> list[tuple[str, str]]:
    """(path from the top, blob id) of every YAML file under `rels` at `commit` (symlinks and submodules not)."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *rels], top)
    out = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, oid = meta.split(b" ")
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode in (b"100644", b"100755") and path.endswith(YAML_SUFFIXES):
            out.append((path, oid.decode()))
    return out


def _write_blobs(blobs: list[tuple[str, str]], top: Path, root: Path) -> None:
    if not blobs:
        return
    data = _git(["cat-file", "--batch"], top, "".join(f"{oid}\n" for _, oid in blobs).encode())
    pos = 0
    for path, _oid in blobs:
        header_end = data.index(b"\n", pos)
        size = int(data[pos:header_end].split(b" ")[2])
        body = data[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1  # the body is followed by a newline
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def _blob_id(data: bytes) -> str:
    """git's object id of a blob with these bytes (sha1 over "blob SIZE\\0" and the bytes)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _holds(root: Path, blobs: list[tuple[str, str]]) -> bool:
    """Whether `root` holds exactly these files with exactly these bytes (nothing more, nothing changed)."""
    try:
        present = {p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()}
        if present != {path for path, _ in blobs}:
            return False
        return all(_blob_id((root / path).read_bytes()) == oid for path, oid in blobs)
    except OSError:
        return False


def _kept_tree(base: Path, key: str, blobs: list[tuple[str, str]], top: Path) -> Path | None:
    """The tree for `key` under `base`, reused when it still holds these blobs, else written anew.

    Kept so that a second run against the same ref names the same files, and the whole-run cache
    (keyed on file names and bytes) answers it. None when `base` cannot be written.
    """
    trees = base / "ref-trees"
    target = trees / key
    try:
        if _holds(target, blobs):
            os.utime(target)  # most recently used: kept by the pruning below
            return target
        trees.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=trees))
        _write_blobs(blobs, top, fresh)
        shutil.rmtree(target, ignore_errors=True)
        try:
            fresh.rename(target)
        except OSError:  # another run put it there first: theirs holds the same bytes
            shutil.rmtree(fresh, ignore_errors=True)
            return target if _holds(target, blobs) else None
        _prune(trees)
        return target
    except OSError:
        return None


def _prune(trees: Path, keep: int = 8) -> None:
    """Keep the `keep` most recently used trees (a few refs: HEAD, the base branch, a tag or two)."""
    entries = sorted((p for p in trees.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def tree_at(ref: str, paths: tuple[str, ...] | list[str], keep_in: Path | None = None) -> Iterator[RefTree]:
    """The YAML files under `paths` at `ref`, on disk: in a temporary directory removed afterwards, or,
    with `keep_in` (the cache directory), in a directory kept there and reused while its bytes match."""
    where = work_dir(list(paths))
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], where).decode("utf-8", "surrogateescape").strip())
    except GitRefError as exc:
        raise GitRefError(f"--new-since: {where} is not in a git work tree ({exc})") from None
    top = top.resolve()
    commit = _commit(ref, top)
    rels: list[tuple[str, str]] = []
    for p in paths:
        try:
            rel = Path(p).resolve().relative_to(top)
        except ValueError:
            raise GitRefError(f"--new-since: {p} is outside the git work tree {top}") from None
        rels.append((p, rel.as_posix()))
    pathspecs = [] if any(r == "." for _, r in rels) else sorted({r for _, r in rels})
    blobs = _blobs(commit, pathspecs, top)
    with contextlib.ExitStack() as stack:
        root = None
        if keep_in is not None:
            key = hashlib.sha256("\0".join([commit, *pathspecs]).encode("utf-8", "surrogateescape")).hexdigest()[:32]
            root = _kept_tree(keep_in, key, blobs, top)
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="roadmap-check-ref-")))
            _write_blobs(blobs, top, root)
        present = [(p, root / r if r != "." else root) for p, r in rels]
        present = [(p, q) for p, q in present if q.exists()]
        prefixes = sorted(((str(q), str(Path(p))) for p, q in present), key=lambda t: -len(t[0]))
        yield RefTree(ref, commit, tuple(str(q) for _, q in present), tuple(prefixes))


__all__ = ["GitRefError", "RefTree", "tree_at"]

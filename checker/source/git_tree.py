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


def _sync(root: Path, blobs: list[tuple[str, str]], top: Path) -> None:
    """Make `root` hold exactly these blobs: files whose bytes already match are left alone (so their
    names and digests, and with them the cache's entries, stay the same); others are written or removed."""
    wanted = dict(blobs)
    present = [p for p in root.rglob("*") if not p.is_dir()] if root.is_dir() else []
    for p in present:
        rel = p.relative_to(root).as_posix()
        if rel not in wanted:
            p.unlink()
    stale = []
    for path, oid in blobs:
        try:
            if _blob_id((root / path).read_bytes()) == oid:
                continue
        except OSError:
            pass
        stale.append((path, oid))
    _write_blobs(stale, top, root)
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        with contextlib.suppress(OSError):
            d.rmdir()  # only empty ones go


@contextlib.contextmanager
def _kept_tree(base: Path, key: str, blobs: list[tuple[str, str]], top: Path) -> Iterator[Path | None]:
    """One tree per repository and set of paths, kept under `base` and brought to the ref's bytes in place.

    After a commit, the tree at HEAD differs from the last one in the committed files only, so the
    ref run is an incremental one (unchanged files keep their names and bytes: the cache answers
    for them), and a second run against the same ref is answered by the whole-run cache. Held under
    an exclusive lock until the ref run is over, since runs against other refs share it. Yields
    None when `base` cannot be used (no fcntl, not writable): the caller takes a temporary directory.
    """
    try:
        import fcntl
    except ImportError:  # not on this platform
        yield None
        return
    trees = base / "ref-trees"
    try:
        trees.mkdir(parents=True, exist_ok=True)
        lock = (trees / f"{key}.lock").open("a")
    except OSError:
        yield None
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            root = trees / key
            root.mkdir(exist_ok=True)
            _sync(root, blobs, top)
            os.utime(root)  # most recently used: kept by the pruning
            _prune(trees, keep_name=key)
        except OSError:
            yield None
            return
        yield root


def _prune(trees: Path, keep_name: str, keep: int = 8) -> None:
    """Keep the `keep` most recently used trees (a few repositories or path sets); the others go."""
    entries = sorted((p for p in trees.iterdir() if p.is_dir() and p.name != keep_name),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep - 1:]:
        shutil.rmtree(old, ignore_errors=True)
        with contextlib.suppress(OSError):
            (trees / f"{old.name}.lock").unlink()


@contextlib.contextmanager
def tree_at(ref: str, paths: tuple[str, ...] | list[str], keep_in: Path | None = None) -> Iterator[RefTree]:
    """The YAML files under `paths` at `ref`, on disk: in a temporary directory removed afterwards, or,
    with `keep_in` (the cache directory), in a directory kept there per repository and paths (see _kept_tree)."""
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
            key = hashlib.sha256("\0".join([str(top), *pathspecs]).encode("utf-8", "surrogateescape")).hexdigest()[:32]
            root = stack.enter_context(_kept_tree(keep_in, key, blobs, top))
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="roadmap-check-ref-")))
            _write_blobs(blobs, top, root)
        present = [(p, root / r if r != "." else root) for p, r in rels]
        present = [(p, q) for p, q in present if q.exists()]
        prefixes = sorted(((str(q), str(Path(p))) for p, q in present), key=lambda t: -len(t[0]))
        yield RefTree(ref, commit, tuple(str(q) for _, q in present), tuple(prefixes))


__all__ = ["GitRefError", "RefTree", "tree_at"]

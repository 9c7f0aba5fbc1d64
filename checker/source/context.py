"""Context for linting some files of a corpus: the documents they reference, found in their directory tree.

A pre-commit hook passes the changed files only; a progress report alone cannot be checked against the
roadmap it reports on. So when files (not directories) are named, the documents their headers name in
`reports_on` and `supersedes` (and, in turn, what those name) are looked for by id: first under each
named file's directory, then in its parents up to the repository root (the first directory holding
.git), and in any extra paths given. Only the `document:` header of a candidate file is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from checker.source.inputs import YAML_SUFFIXES

_HEAD_BYTES = 16_384
"""The header sits at the top of a document; reading this much of each candidate file finds it."""

_BLOCK = re.compile(r"^document:[ \t]*(\{[^\n]*\}|(?:\n(?:[ \t]+[^\n]*|[ \t]*(?:#[^\n]*)?))*)", re.M)
_FIELD = re.compile(r"(?:^|[{,\n])[ \t]*(id|reports_on|supersedes):[ \t]*[\"']?([^\"'\s,}#]+)")


def header_refs(text: str) -> tuple[str | None, list[str]]:
    """(the document's id, the ids its header references) read from the `document:` block of its text."""
    m = _BLOCK.search(text)
    if m is None:
        return None, []
    fields: dict[str, str] = {}
    for name, value in _FIELD.findall(m.group(1)):
        fields.setdefault(name, value)
    refs = [fields[k] for k in ("reports_on", "supersedes") if k in fields]
    return fields.get("id"), refs


def _is_file(path: Path) -> bool:
    """Path.is_file, False for a name the file system refuses (too long, …): discovery reports those."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _head(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return f.read(_HEAD_BYTES).decode("utf-8-sig", "replace")
    except OSError:
        return ""


def _yaml_files(directory: Path, skip: set[Path]) -> Iterator[Path]:
    """YAML files under `directory` (hidden directories skipped), in a stable order."""
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry) and not entry.is_symlink():
            if entry.resolve() not in skip:
                yield from _yaml_files(entry, skip)
        elif entry.suffix.lower() in YAML_SUFFIXES and _is_file(entry):
            yield entry


def _search_roots(named: list[Path], extra: Iterable[str]) -> list[Path]:
    """Each named file's directory, then its parents up to the repository root; then the extra paths."""
    roots: list[Path] = []
    for f in named:
        d = f.parent
        while True:
            if d not in roots:
                roots.append(d)
            if (d / ".git").exists() or d.resolve().parent == d.resolve():
                break
            d = d.parent
    return roots + [Path(p) for p in extra if Path(p) not in roots]


def context_files(paths: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """Files to load beside `paths` so that the named files' references resolve; [] when no file is named
    or nothing is missing. Ids that are found nowhere stay missing (the corpus reports them)."""
    paths = list(paths)
    named = [Path(p) for p in paths if _is_file(Path(p))]
    if not named:
        return []
    given: dict[str, Path] = {}
    wanted: list[str] = []
    for p in paths:
        files = [Path(p)] if _is_file(Path(p)) else list(_yaml_files(Path(p), set())) if _is_dir(Path(p)) else []
        for f in files:
            doc_id, refs = header_refs(_head(f))
            if doc_id:
                given.setdefault(doc_id, f)
            wanted.extend(refs)
    missing = [r for r in dict.fromkeys(wanted) if r not in given]
    if not missing:
        return []
    taken = {f.resolve() for f in given.values()} | {Path(p).resolve() for p in paths if _is_file(Path(p))}
    found: dict[str, Path] = {}
    searched: set[Path] = set()
    for root in _search_roots(named, extra):
        if not missing:
            break
        # Every header under this root, then the missing ids resolved against them, transitively (a
        # roadmap found may supersede another that sits earlier in the same directory).
        index: dict[str, tuple[Path, list[str]]] = {}
        for f in [root] if _is_file(root) else _yaml_files(root, searched) if _is_dir(root) else []:
            if f.resolve() not in taken:
                doc_id, refs = header_refs(_head(f))
                if doc_id:
                    index.setdefault(doc_id, (f, refs))
        if _is_dir(root):
            searched.add(root.resolve())
        progress = True
        while progress:
            progress = False
            for doc_id in list(missing):
                if doc_id in index:
                    f, refs = index.pop(doc_id)
                    found[doc_id] = f
                    missing.remove(doc_id)
                    missing.extend(r for r in refs if r not in given and r not in found and r not in missing)
                    progress = True
    return [f.as_posix() for f in found.values()]


__all__ = ["context_files", "header_refs"]

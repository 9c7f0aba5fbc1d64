"""What a run reads, before any YAML is parsed: file discovery, bounded reads, limits and InputError.

Import-light on purpose (no ruamel, no pydantic): a warm run, answered from the run cache, lists and
hashes the files and never needs the loader.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from costing unbounded time or memory (all configurable)."""

    max_bytes: int = 20 * 1024 * 1024
    """Largest file read. The biggest real document is a few hundred KiB; 20 MiB leaves 50x room."""
    max_depth: int = 64
    """Deepest nesting of mappings and lists. Real documents nest 7 levels."""
    max_nodes: int = 250_000
    """Most values one file may hold or expand to, aliases included: stops "billion laughs" before building.
    The largest real document has about 2,000 values, the largest benchmark file about 110,000; 250,000
    keeps the worst file under max_bytes near 5 s and 350 MB."""
    max_line_chars: int = 1_000_000
    """Longest line accepted (characters)."""


DEFAULT_LIMITS = Limits()


class InputChanged(Exception):
    """A file changed (or vanished) between the start of a run and the moment its body was needed."""

    def __init__(self, file: str):
        super().__init__(f"{file} changed while it was being checked; run again")
        self.file = file


@dataclass(frozen=True)
class InputError:
    """A file that could not be read, parsed or validated, with where and why."""

    file: str
    line: int
    column: int
    message: str
    code: str
    """Short machine-readable reason: encoding, yaml-syntax, duplicate-key, schema, too-large, …"""
    message_ja: str = ""
    """The message in Japanese; filled from the English one (checker.source.messages) when not given."""
    document_id: str | None = None
    """The id the file's header gives, when it can be read although the file failed to load: its
    dependants (reviews that report on it) are then not blamed for a missing document."""

    def __post_init__(self) -> None:
        if not self.message_ja:
            from checker.source.messages import japanese_of  # re and difflib only

            object.__setattr__(self, "message_ja", japanese_of(self.message))

    def text(self, lang: str) -> str:
        return self.message_ja if lang == "ja" else self.message


def failed_ids(errors: Iterable[InputError], documents: Iterable = ()) -> frozenset[str]:
    """Ids of documents that failed to load (when their header could still be read), less those that
    another file did load under the same id (`documents`: anything with an `id`)."""
    loaded = {d.id for d in documents}
    return frozenset(e.document_id for e in errors if e.document_id and e.document_id not in loaded)


def read_bounded(path: Path, name: str, limits: Limits) -> bytes | list[InputError]:
    """A file's bytes, or an InputError when it is too large (checked before reading) or unreadable."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return [InputError(name, 1, 1, f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                               "(raise it with --max-file-size)", "too-large")]
        return path.read_bytes()
    except OSError as exc:
        return [InputError(name, 1, 1, f"cannot read file: {exc.strerror or exc}", "unreadable")]


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError], list[str]]:
    """Expand files and directories into a sorted list of YAML files.

    Returns (files, errors for paths that do not exist or loop, non-YAML files skipped).
    """
    found: set[Path] = set()
    errors: list[InputError] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        try:  # a name longer than the file system allows (a configured path, say) raises, not returns False
            is_dir = p.is_dir()
            present = is_dir or p.exists() or p.is_symlink()
        except OSError as exc:
            errors.append(InputError(str(p), 1, 1, f"cannot read: {exc.strerror or exc}", "unreadable"))
            continue
        if is_dir:
            seen_dirs: set[tuple[int, int]] = set()
            stack = [p]
            while stack:
                d = stack.pop()
                try:
                    st = d.stat()
                    if (st.st_dev, st.st_ino) in seen_dirs:
                        errors.append(InputError(str(d), 1, 1, "directory loop (symlink) skipped", "unreadable"))
                        continue
                    seen_dirs.add((st.st_dev, st.st_ino))
                    entries = sorted(d.iterdir())
                except OSError as exc:
                    errors.append(InputError(str(d), 1, 1, f"cannot read directory: {exc.strerror or exc}",
                                             "unreadable"))
                    continue
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError as exc:
                        errors.append(InputError(str(entry), 1, 1, f"cannot read: {exc.strerror or exc}",
                                                 "unreadable"))
                        continue
                    if is_dir:
                        stack.append(entry)
                    elif entry.suffix.lower() in YAML_SUFFIXES:
                        found.add(entry)
                    else:
                        skipped.append(str(entry))
        elif present:
            found.add(p)
        else:
            errors.append(InputError(str(p), 1, 1, "no such file or directory", "missing"))
    return sorted(found, key=lambda q: q.as_posix()), errors, sorted(skipped)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived, acyclic objects.

    Each collection walks every live object, so on a large corpus the collector would run thousands
    of times over a growing heap: pausing it cuts a cold lint of 10,000 cells by about a quarter.
    Cycles made meanwhile are collected once it runs again.

    On the way out the survivors are frozen (moved out of the collector's generations): they are the
    corpus, needed until the run ends, and otherwise every later collection walks all of them again
    (seconds on 100,000 cells). Reference counting still frees them when they are dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


__all__ = ["DEFAULT_LIMITS", "YAML_SUFFIXES", "InputChanged", "InputError", "Limits", "discover", "failed_ids", "paused_gc", "read_bounded"]

"""Which files a ruleset is read from (rule files and the vocabularies beside them), and their digest.

Import-light on purpose: a warm run keys the run cache on these files' bytes without parsing a rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from checker.source.shipped import shipped_rules_dir

DEFAULT_RULES_DIR = shipped_rules_dir()


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """The rule files named by `paths`: each directory's *.yaml/*.yml (not recursive), each file as given."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.glob("*.y*ml") if q.suffix in (".yaml", ".yml"))
        else:
            out.append(p)
    return out


def vocabulary_dir(path: Path) -> Path:
    """Where the vocabularies of a rule directory or file live: vocabularies/ inside or beside it."""
    return (path if path.is_dir() else path.parent) / "vocabularies"


def vocabulary_files(paths: Iterable[Path]) -> list[Path]:
    """The vocabulary files of `paths`, in load order: the one list that both loading and the digest read,
    so that a run's cache key covers exactly the vocabularies it loaded."""
    return [vf for p in paths if vocabulary_dir(p).is_dir() for vf in sorted(vocabulary_dir(p).glob("*.yaml"))]


def rules_digest(paths: Iterable[Path]) -> str:
    """sha256 over the names and bytes of every rule and vocabulary file `paths` name, in load order.

    Everything a ruleset is made of, so two runs with equal digests (and equal --select/--ignore)
    run the same rules; a file that cannot be read counts as its own distinct content.
    """
    paths = list(paths) or [DEFAULT_RULES_DIR]
    h = hashlib.sha256()
    for name, files in (("vocabularies", vocabulary_files(paths)), ("rules", rule_files(paths))):
        h.update(f"{name}\0{len(files)}\0".encode())
        for f in files:
            h.update(f.as_posix().encode("utf-8", "surrogatepass") + b"\0")
            try:
                data = f.read_bytes()
            except OSError as exc:
                data = f"<unreadable: {exc.errno}>".encode()
            h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


__all__ = ["DEFAULT_RULES_DIR", "rule_files", "rules_digest", "vocabulary_dir", "vocabulary_files"]

"""Files the team shares beside the repository (/work/shared): found from a clone or from a worktree under /work/wt."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shared(*parts: str) -> Path:
    """The first `shared/<parts>` in a directory above the repository; the nearest one when none exists,
    so that a test that needs it skips with a path a reader can act on."""
    for d in REPO.parents:
        candidate = d.joinpath("shared", *parts)
        if candidate.exists():
            return candidate
    return REPO.parent.joinpath("shared", *parts)


SARIF_SCHEMA_FILE = shared("schemas", "sarif-schema-2.1.0.json")

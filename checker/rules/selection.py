"""Which rules a run keeps under --select and --ignore: one test, used by the API and the engine alike."""

from __future__ import annotations

from collections.abc import Collection


def wanted(rule_id: str, select: Collection[str] = (), ignore: Collection[str] = ()) -> bool:
    """Whether a rule runs: named by `select` (or `select` is empty) and not named by `ignore`."""
    return (not select or rule_id in select) and rule_id not in ignore


__all__ = ["wanted"]

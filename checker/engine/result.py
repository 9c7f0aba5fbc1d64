"""What a lint run computes from its files, before reporting (checker.accel.run_cache keeps it whole).

A module of its own, importing next to nothing: a warm run answered from the run cache reads it
without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.source.inputs import InputError


@dataclass(frozen=True)
class RunResult:
    """What a lint run computes from the files: findings (suppressions applied) and what was checked."""

    findings: tuple[Any, ...]
    input_errors: tuple[InputError, ...]
    skipped: tuple[str, ...]
    files: tuple[str, ...]
    rules: tuple[Any, ...] = ()
    """What reports say about each active rule (domain.findings.RuleInfo): a hit then parses no rule file."""
    notes: tuple[tuple[str, str], ...] = ()
    """(English, Japanese) notes for the report's summary, when made before the result was narrowed."""

"""Accepted findings: the fingerprints a baseline file lists, so that old debt does not block new work.

Names: users know the file as the *baseline* (`--baseline`, `baseline create`), as in other linters; the
code calls its contents AcceptedFindings, because `Baseline` in checker.domain.model is a KPI's
starting value (基準値), a different thing.

A fingerprint comes from Finding.fingerprint (rule + document id + entity, never the line), so inserting
lines above a finding does not make it new. The file is JSON, sorted, with the rule, document, entity and
message beside each fingerprint so that people can read and review it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from checker.domain.findings import TOOL_NAME, Finding, visible
from checker.rules.builtin_rules import INPUT_ERROR_RULE
from checker.source.atomic import write_text

BASELINE_VERSION = 1
DEFAULT_BASELINE = "roadmap-check-baseline.json"


class AcceptedFindingsError(Exception):
    """A baseline file that cannot be read or is not a baseline."""


@dataclass(frozen=True)
class StaleEntry:
    """A baseline entry that matched no finding in this run (the debt was paid, or the entity moved)."""

    fingerprint: str
    rule: str
    document: str
    entity: str
    message: str = ""


@dataclass(frozen=True)
class AcceptedFinding:
    """One accepted finding."""

    fingerprint: str
    rule: str
    document: str
    entity: str
    file: str
    """Where the finding was when the baseline was made (for people, and for --changed-since scoping)."""
    message: str


@dataclass(frozen=True)
class AcceptedFindings:
    """The contents of a baseline file."""

    entries: tuple[AcceptedFinding, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


@dataclass(frozen=True)
class Comparison:
    """The result of comparing findings with a baseline."""

    new: tuple[Finding, ...]
    """Findings not in the baseline (suppressed and input-error findings always pass through)."""
    matched: int
    """How many findings the baseline covered."""
    stale: tuple[AcceptedFinding, ...]
    """Entries that matched nothing (in scope)."""


def from_findings(findings: Iterable[Finding]) -> AcceptedFindings:
    """A baseline of the findings a run reports (suppressed and input-error findings are left out)."""
    entries: dict[str, AcceptedFinding] = {}
    for f in findings:
        if f.suppressed is not None or f.rule == INPUT_ERROR_RULE:
            continue
        entries.setdefault(f.fingerprint, AcceptedFinding(f.fingerprint, f.rule, f.location.document, f.entity,
                                                        f.location.file, f.message))
    ordered = sorted(entries.values(), key=lambda e: (e.document, e.rule, e.entity, e.fingerprint))
    return AcceptedFindings(tuple(ordered))


def dumps(baseline: AcceptedFindings) -> str:
    data = {"schema_version": BASELINE_VERSION, "tool": TOOL_NAME,
            "entries": [{"fingerprint": e.fingerprint, "rule": e.rule, "document": visible(e.document),
                         "entity": visible(e.entity), "file": visible(e.file), "message": visible(e.message)}
                        for e in baseline.entries]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(path: str | Path, baseline: AcceptedFindings) -> None:
    write_text(path, dumps(baseline))


def load(path: str | Path) -> AcceptedFindings:
    """Read a baseline file; every problem is a AcceptedFindingsError with the file name in its message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise AcceptedFindingsError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AcceptedFindingsError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL_NAME or not isinstance(data.get("entries"), list):
        raise AcceptedFindingsError(f"{path}: not a {TOOL_NAME} baseline (create one with `{TOOL_NAME} baseline create`)")
    if data.get("schema_version") != BASELINE_VERSION:
        raise AcceptedFindingsError(f"{path}: baseline schema_version {data.get('schema_version')!r} is not supported "
                            f"(expected {BASELINE_VERSION})")
    entries = []
    for i, raw in enumerate(data["entries"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str):
            raise AcceptedFindingsError(f"{path}: entry {i} has no fingerprint")
        entries.append(AcceptedFinding(raw["fingerprint"], str(raw.get("rule", "")), str(raw.get("document", "")),
                                     str(raw.get("entity", "")), str(raw.get("file", "")),
                                     str(raw.get("message", ""))))
    return AcceptedFindings(tuple(entries))


def compare(findings: Iterable[Finding], baseline: AcceptedFindings,
            in_scope: Callable[[AcceptedFinding], bool] = lambda e: True) -> Comparison:
    """Split findings into new ones and baseline-matched ones; list in-scope entries that matched nothing.

    `in_scope` limits which entries can be stale: one for a rule that did not run (--select/--ignore) or a
    file not looked at (--changed-since) is not stale, just not checked this time.
    """
    known = baseline.fingerprints
    new: list[Finding] = []
    seen: set[str] = set()
    matched = 0
    for f in findings:
        if f.suppressed is None and f.rule != INPUT_ERROR_RULE and f.fingerprint in known:
            matched += 1
            seen.add(f.fingerprint)
        else:
            new.append(f)
    stale = tuple(e for e in baseline.entries if e.fingerprint not in seen and in_scope(e))
    return Comparison(tuple(new), matched, stale)


def stale_entries(match: Comparison) -> tuple[StaleEntry, ...]:
    """The report's view of stale entries."""
    return tuple(StaleEntry(e.fingerprint, e.rule, e.document, e.entity, e.message) for e in match.stale)

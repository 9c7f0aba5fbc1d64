"""Inline suppressions: `# roadmap-check: ignore[RULE_ID, …] reason` on a finding's line or an ancestor's.

A comment applies to a finding in the same file when it sits on the finding's own line, or on the line
that opens an enclosing block: an enclosing key (`kpis:`) or list item (`- tier: 2`). So a comment on
`- tier: 2` covers every finding inside that KPI, and one on `kpis:` every KPI of the item. The file's
root does not count, so one comment never silences a whole file by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from checker.domain.findings import Finding, Location
from checker.domain.load import LoadedDocument
from checker.rules.builtin_rules import (
    INPUT_ERROR_RULE,
    MESSAGES,
    NO_REASON_RULE,
    UNUSED_RULE,
    builtin_finding,
)
from checker.source.spans import PathKey, dotted_path

UNSUPPRESSIBLE = frozenset({INPUT_ERROR_RULE, NO_REASON_RULE, UNUSED_RULE})

# A YAML comment starts at line start or after whitespace; ids are whatever sits in the brackets.
_MARKER = re.compile(r"(?:^|\s)#\s*roadmap-check:\s*ignore\[([^\]]*)\]([^\n]*)$")
_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


@dataclass(frozen=True)
class Suppression:
    """One suppression comment."""

    file: str
    document: str
    line: int
    column: int
    """1-based column of the '#'."""
    rules: tuple[str, ...]
    reason: str
    anchor: str
    """Data path of the deepest node starting on the comment's line (stable name for fingerprints)."""


def parse_path(dotted: str) -> PathKey:
    """Invert engine.dotted_path: 'reform_items[0].kpis[2]' → ('reform_items', 0, 'kpis', 2)."""
    out: list[str | int] = []
    for m in _PATH_PART.finditer(dotted):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)


def _anchor(doc: LoadedDocument, line: int) -> str:
    paths = [p for p, s in doc.spans.items() if s.line == line and p]
    return dotted_path(max(paths, key=lambda p: (len(p), str(p)))) if paths else f"line:{line}"


def scan(doc: LoadedDocument) -> list[Suppression]:
    """Every suppression comment in a loaded document."""
    found = []
    for number, text in sorted(doc.marked_lines.items()):
        if "roadmap-check" not in text:
            continue
        m = _MARKER.search(text)
        if m is None:
            continue
        ids = tuple(dict.fromkeys(i.strip() for i in m.group(1).split(",") if i.strip()))
        column = text.index("#", m.start()) + 1
        found.append(Suppression(doc.file, doc.id, number, column, ids, m.group(2).strip(), _anchor(doc, number)))
    return found


def covering_lines(doc: LoadedDocument, f: Finding) -> set[int]:
    """Lines on which a suppression comment covers finding `f`."""
    lines = {f.location.line}
    path = parse_path(f.location.path)
    for k in range(1, len(path) + 1):
        prefix = path[:k]
        # A key opens its block on the key's line (`kpis:`); a list item on its dash line (`- tier: 2`).
        # Not the value's own start: a list value starts on its first item's line, which would let a
        # comment on the first item cover its siblings.
        span = doc.key_spans.get(prefix) if isinstance(prefix[-1], str) else doc.spans.get(prefix)
        if span is not None:
            lines.add(span.line)
    return lines


def _meta(rule: str, s: Suppression, ids: str, key: str, unknown: bool = False) -> Finding:
    """A finding about suppression `s`, its message from builtin_rules.MESSAGES."""
    loc = Location(s.file, s.line, s.column, s.line, s.column, s.anchor if not s.anchor.startswith("line:")
                   else "", s.document)
    en, ja = (text.format(ids=ids) for text in MESSAGES[rule])
    if unknown:
        en, ja = en + MESSAGES["no-such-rule"][0], ja + MESSAGES["no-such-rule"][1]
    return builtin_finding(rule, en, ja, loc, f"suppression@{s.anchor}|{key}")


def apply(findings: Iterable[Finding], documents: Iterable[LoadedDocument], active: set[str],
          known: set[str], report: set[str] | None = None) -> list[Finding]:
    """Mark suppressed findings and add findings about the suppressions themselves.

    `active`: ids of the rules that ran (a suppression of a rule that did not run is not judged unused);
    `known`: every rule id that exists (a suppression of an unknown id is always unused, it is a typo);
    `report`: which of the two suppression rules to report (default both).
    """
    report = {NO_REASON_RULE, UNUSED_RULE} if report is None else report
    documents = list(documents)
    if not any(d.marked_lines for d in documents):  # no suppression comment anywhere: nothing to do
        return list(findings)
    docs = {d.file: d for d in documents}
    by_file: dict[str, list[Suppression]] = {file: scan(d) for file, d in docs.items()}
    used: set[tuple[str, int, str]] = set()
    out: list[Finding] = []
    for f in findings:
        doc = docs.get(f.location.file)
        sups = by_file.get(f.location.file) if doc is not None and f.rule not in UNSUPPRESSIBLE else None
        if sups:
            lines = covering_lines(doc, f)
            hit = next((s for s in sups if s.line in lines and f.rule in s.rules), None)
            if hit is not None:
                used.add((hit.file, hit.line, f.rule))
                f = replace(f, suppressed=hit.reason)
        out.append(f)
    for sups in by_file.values():
        for s in sups:
            ids = ", ".join(s.rules) or "(none)"
            if NO_REASON_RULE in report and not s.reason:
                out.append(_meta(NO_REASON_RULE, s, ids, "no-reason"))
            unused = [r for r in s.rules if (r in active or r not in known) and (s.file, s.line, r) not in used]
            if not s.rules:
                unused = ["(none)"]
            if UNUSED_RULE in report:
                for r in unused:
                    out.append(_meta(UNUSED_RULE, s, r, f"unused:{r}", unknown=r not in known and r != "(none)"))
    return out


__all__ = ["NO_REASON_RULE", "UNUSED_RULE", "Suppression", "apply", "covering_lines", "parse_path", "scan"]

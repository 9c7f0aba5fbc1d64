"""JSON report: the versioned, fixed shape of docs/data-format.md (schema: checker/schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from checker.domain.findings import TOOL_NAME, Finding, Severity
from checker.report.summary import Counts, RunSummary

SCHEMA_VERSION = 1


_LABELS = {s: s.label for s in Severity}
"""Enum member names are properties: read once, not once per finding."""


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    """One finding as the report writes it (for orjson: location and related stay dataclasses)."""
    loc = f.location
    return {
        "rule": f.rule,
        "severity": _LABELS[f.severity],
        "title": f.title_in(lang),
        "message": f.text(lang),
        "message_ja": f.message_ja,
        "message_en": f.message,
        "hint": f.hint_in(lang),
        # orjson writes a dataclass as an object of its fields in order, which is the report's shape for
        # both (tests/test_report_schemas.py validates it): no dicts to build for 29,000 findings.
        "location": loc,
        "related": f.related,
        "fingerprint": f.fingerprint,
        "suppressed": f.suppressed,
    }


def report_dict(findings: Sequence[Finding], run: RunSummary, lang: str = "en") -> dict[str, Any]:
    c = Counts.of(findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": run.version},
        "as_of": run.as_of.isoformat(),
        "lang": lang,
        "summary": {"error": c.error, "warning": c.warning, "info": c.info, "files": len(run.files),
                    "suppressed": c.suppressed, "baseline_matched": run.baseline_matched,
                    "baseline_stale": len(run.baseline_stale),
                    **({"notes": run.notes_in(lang)} if run.notes else {})},
        "findings": [finding_dict(f, lang) for f in findings],
        "baseline": None if run.baseline is None else {
            "file": run.baseline,
            "stale": [{"fingerprint": s.fingerprint, "rule": s.rule, "document": s.document,
                       "entity": s.entity, "message": s.message} for s in run.baseline_stale],
        },
        "changed_since": run.changed_since,
        "new_since": None if run.new_since is None else {"ref": run.new_since, "matched": run.new_since_matched},
    }


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    """Suppressed findings are included (with their reason) so that reviewers can audit them.

    The report is indented, except that each finding is one line, written compactly by orjson: json.dumps
    with an indent falls back to the pure-Python encoder, which took seconds on 100,000 cells, and even
    its C encoder took a third of a second for 29,000 findings, a quarter of a warm run.
    """
    return render_bytes(findings, run, lang).decode("utf-8")


def render_bytes(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> bytes:
    """render() as UTF-8, which orjson writes: a report saved to a file is not decoded and encoded again
    (25 MB on 100,000 cells)."""
    data = report_dict(findings, run, lang)
    items = data["findings"]
    head = json.dumps({**data, "findings": []}, ensure_ascii=False, indent=2).encode("utf-8")  # key order
    if not items:
        return head + b"\n"
    # All findings in one orjson call, then one per line: every finding object opens with its "rule"
    # key, and inside a string the same characters would have their quotes escaped, so `},{"rule":`
    # occurs only between two findings.
    body = orjson.dumps(items)[1:-1].replace(b'},{"rule":', b'},\n    {"rule":')
    before, after = head.split(b'"findings": []', 1)
    return b"".join((before, b'"findings": [\n    ', body, b"\n  ]", after, b"\n"))

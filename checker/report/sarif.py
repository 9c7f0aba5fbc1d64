"""SARIF 2.1.0 report for code-scanning tools (validated in tests against the official schema)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from checker.domain.findings import TOOL_NAME, Finding, Location, Related, RuleInfo, Severity
from checker.report.summary import RunSummary

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "roadmapCheck/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(file: str) -> str:
    """A URI reference for a file name as reported: relative paths stay relative (to the repo root). The
    bytes of a name that is not UTF-8 (held as lone surrogates) are percent-encoded as they are (%FF)."""
    posix = file.replace("\\", "/")
    absolute = PurePosixPath(posix).is_absolute() or PureWindowsPath(file).is_absolute()
    raw = (posix if posix.startswith("/") else "/" + posix) if absolute else posix
    encoded = quote(raw.encode("utf-8", "surrogateescape") if _encodable_raw(raw) else raw.encode("utf-8", "backslashreplace"))
    return "file://" + encoded if absolute else encoded


def _encodable_raw(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False


def _region(line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None and end_column is not None and (end_line, end_column) >= (line, column):
        region.update(endLine=max(end_line, 1), endColumn=max(end_column, 1))
    return region


def _location(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(loc.file)},
        "region": _region(loc.line, loc.column, loc.end_line, loc.end_column)}}
    if loc.document or loc.path:
        name = f"{loc.document}/{loc.path}" if loc.path else loc.document
        out["logicalLocations"] = [{"fullyQualifiedName": name}]
    return out


def _related(i: int, r: Related, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": i, "physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.file)},
                                                         "region": _region(r.line, r.column)}}
    note = r.text(lang)
    if note:
        out["message"] = {"text": note}
    return out


def _descriptor(r: RuleInfo, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id,
        "name": "".join(part.capitalize() for part in r.id.split("-")),
        "shortDescription": {"text": r.title_in(lang)},
        "fullDescription": {"text": r.rationale},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "properties": {"title_ja": r.title_ja, "title_en": r.title},
    }
    hint = r.hint_in(lang)
    out["help"] = {"text": f"{r.rationale}\n\n{hint}" if hint else r.rationale}
    return out


def _result(f: Finding, index: int, lang: str, compared: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVELS[f.severity],
        "message": {"text": f.text(lang)},
        "locations": [_location(f.location)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"message_ja": f.message_ja, "message_en": f.message},
    }
    if f.related:
        out["relatedLocations"] = [_related(i, r, lang) for i, r in enumerate(f.related, 1)]
    # An empty list says "suppressions were evaluated and none applies"; absence would mean "unknown".
    suppression: dict[str, Any] = {"kind": "inSource"}
    if f.suppressed:
        suppression["justification"] = f.suppressed
    out["suppressions"] = [suppression] if f.suppressed is not None else []
    if compared:  # against a baseline file or the tree at --new-since: every reported result is new
        out["baselineState"] = "new"
    return out


def _run_properties(run: RunSummary) -> dict[str, Any]:
    """What narrowed the run, in the same shapes as the JSON report, so that a SARIF viewer can tell a
    gate run (--new-since, --changed-since) from a full one; absent keys: not used."""
    props: dict[str, Any] = {"as_of": run.as_of.isoformat()}
    if run.new_since is not None:
        props["new_since"] = {"ref": run.new_since, "matched": run.new_since_matched}
    if run.changed_since is not None:
        props["changed_since"] = run.changed_since
    return props


def sarif_dict(findings: Sequence[Finding], run: RunSummary, lang: str = "en") -> dict[str, Any]:
    rules = run.rule_infos(findings)
    index = {r.id: i for i, r in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": run.version, "semanticVersion": run.version,
                                "rules": [_descriptor(r, lang) for r in rules]}},
            # ruamel's marks count characters, i.e. code points (the same as UTF-16 units for Japanese).
            "columnKind": "unicodeCodePoints",
            "properties": _run_properties(run),
            "results": [_result(f, index[f.rule], lang, run.baseline is not None or run.new_since is not None)
                        for f in findings],
        }],
    }


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    return json.dumps(sarif_dict(findings, run, lang), ensure_ascii=False, indent=2) + "\n"

"""JUnit XML for CI test tabs (GitLab, Jenkins): one testsuite per file, one testcase per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from checker.domain.findings import Finding
from checker.report.summary import TOOL_NAME, RunSummary


def _line(f: Finding, lang: str) -> str:
    loc = f.location
    return f"{loc.file}:{loc.line}:{loc.column}: {f.severity.label}: {f.text(lang)}"


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    """A rule with unsuppressed findings in a file fails its testcase; suppressed-only ones are skipped."""
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_case[(f.location.file, f.rule)].append(f)
    rules = [r.id for r in run.rule_infos(findings)]
    files = sorted({*run.files, *(f.location.file for f in findings)})
    root = ET.Element("testsuites", name=TOOL_NAME)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for file in files:
        suite = ET.SubElement(root, "testsuite", name=file)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for rule in rules:
            case = ET.SubElement(suite, "testcase", classname=file, name=rule)
            counts["tests"] += 1
            hits = by_case.get((file, rule), [])
            active = [f for f in hits if f.suppressed is None]
            if active:
                counts["failures"] += 1
                worst = max(f.severity for f in active)
                failure = ET.SubElement(case, "failure", type=worst.label,
                                        message=f"{len(active)} finding(s); first at {_line(active[0], lang)}")
                failure.text = "\n".join(_line(f, lang) for f in active)
            elif hits:
                counts["skipped"] += 1
                reasons = "; ".join(sorted({f.suppressed or "" for f in hits} - {""}))
                ET.SubElement(case, "skipped", message=f"suppressed: {reasons}" if reasons else "suppressed")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""JUnit XML for CI test tabs (GitLab, Jenkins): one testsuite per file, one testcase per rule.

A test case fails only for findings at or above --fail-on (RunSummary.fail_on), so that the test tab
agrees with the job's exit code; findings below it leave the case passing, their text in system-out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from checker.domain.findings import TOOL_NAME, Finding, Severity
from checker.report.summary import RunSummary


def _line(f: Finding, lang: str) -> str:
    loc = f.location
    return f"{loc.file}:{loc.line}:{loc.column}: {f.severity.label}: {f.text(lang)}"


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    """A rule with unsuppressed findings at or above fail-on in a file fails its testcase; one with lower
    findings passes and lists them in system-out; one with suppressed findings only is skipped."""
    threshold = None if run.fail_on == "never" else Severity.parse(run.fail_on)
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
            failing = [f for f in active if threshold is not None and f.severity >= threshold]
            if failing:
                counts["failures"] += 1
                worst = max(f.severity for f in failing)
                failure = ET.SubElement(case, "failure", type=worst.label,
                                        message=f"{len(failing)} finding(s); first at {_line(failing[0], lang)}")
                failure.text = "\n".join(_line(f, lang) for f in failing)
            if len(failing) < len(active):  # below --fail-on: reported, but not a failure
                ET.SubElement(case, "system-out").text = "\n".join(
                    _line(f, lang) for f in active if f not in failing)
            elif hits and not active:
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

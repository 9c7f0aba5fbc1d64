"""JUnit agrees with the exit code: only findings at or above --fail-on fail a test case; lower ones pass
with their text in system-out; the counts follow the severities of the findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.domain.findings import Finding, Location, Severity, sort_findings
from checker.report import render
from checker.report.summary import RunSummary

REPO = Path(__file__).resolve().parent.parent


def finding(file: str, rule: str, severity: Severity, n: int, suppressed: str | None = None) -> Finding:
    return Finding(rule, severity, f"{rule} message {n}", f"{rule} の指摘 {n}", Location(file, n, 1, n, 5, "", "doc"),
                   f"entity-{n}", suppressed=suppressed)


def run_of(findings, fail_on: str) -> RunSummary:
    return RunSummary("t", dt.date(2017, 12, 31), tuple(sorted({f.location.file for f in findings})), fail_on=fail_on)


MIXED = sort_findings([
    finding("a.yaml", "r-error", Severity.ERROR, 1), finding("a.yaml", "r-error", Severity.ERROR, 2),
    finding("a.yaml", "r-warning", Severity.WARNING, 3), finding("a.yaml", "r-info", Severity.INFO, 4),
    finding("b.yaml", "r-warning", Severity.WARNING, 5), finding("b.yaml", "r-info", Severity.INFO, 6),
    finding("b.yaml", "r-mixed", Severity.INFO, 7), finding("b.yaml", "r-mixed", Severity.ERROR, 8),
    finding("b.yaml", "r-error", Severity.ERROR, 9, suppressed="accepted"),
])


@pytest.mark.parametrize(("fail_on", "failures", "passing_with_output"), [
    # (file, rule) cases: a: r-error, r-warning, r-info; b: r-warning, r-info, r-mixed (+ r-error suppressed)
    ("error", 2, 5),     # a/r-error and b/r-mixed fail; b/r-mixed's info goes to system-out too
    ("warning", 4, 3),   # + a/r-warning, b/r-warning
    ("info", 6, 0),
    ("never", 0, 6),
])
def test_failures_follow_fail_on(fail_on, failures, passing_with_output):
    root = ET.fromstring(render("junit", MIXED, run_of(MIXED, fail_on)))
    assert root.get("failures") == str(failures)
    assert root.get("skipped") == "1"  # the suppressed-only case
    assert root.get("tests") == str(2 * 4)  # every file × every rule named
    outs = root.findall(".//system-out")
    assert len(outs) == passing_with_output
    for case in root.iter("testcase"):
        failure = case.find("failure")
        if failure is not None:
            # a failure lists only findings at or above fail-on, and its type is the worst of them
            lines = failure.text.splitlines()
            assert all(Severity.parse(line.split(": ")[1]) >= Severity.parse(fail_on) for line in lines)
            assert failure.get("type") == max(Severity.parse(line.split(": ")[1]) for line in lines).label


def test_lower_findings_keep_their_text_in_system_out():
    root = ET.fromstring(render("junit", MIXED, run_of(MIXED, "error"), "ja"))
    case = root.find("testsuite[@name='b.yaml']/testcase[@name='r-mixed']")
    assert case.find("failure") is not None and "r-mixed の指摘 8" in case.find("failure").text
    assert case.find("system-out").text == "b.yaml:7:1: info: r-mixed の指摘 7"
    warning_case = root.find("testsuite[@name='a.yaml']/testcase[@name='r-warning']")
    assert warning_case.find("failure") is None and "r-warning の指摘 3" in warning_case.find("system-out").text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["x.yaml", "y.yaml", "z.yaml"]), st.sampled_from(["r1", "r2", "r3"]),
                          st.sampled_from(list(Severity)), st.booleans()), max_size=25),
       st.sampled_from(["error", "warning", "info", "never"]))
def test_failed_cases_are_exactly_the_cases_that_fail_the_job(rows, fail_on):
    findings = sort_findings([finding(f, r, s, i + 1, "ok" if sup else None) for i, (f, r, s, sup) in enumerate(rows)])
    root = ET.fromstring(render("junit", findings, run_of(findings, fail_on)))
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    expected = {(f.location.file, f.rule) for f in findings
                if f.suppressed is None and threshold is not None and f.severity >= threshold}
    failed = {(c.get("classname"), c.get("name")) for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == expected
    assert root.get("failures") == str(len(expected))


def test_cli_passes_fail_on_to_junit(tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    counts = {}
    for fail_on in ("error", "warning", "info"):
        out = tmp_path / f"{fail_on}.xml"
        result = CliRunner().invoke(main, ["lint", str(REPO / "roadmaps"), "--as-of", "2017-12-31", "--isolated",
                                           "--fail-on", fail_on, "--format", "junit", "--output", str(out),
                                           "--format", "json", "--output", str(tmp_path / "r.json")])
        assert result.exit_code == 1, result.output
        counts[fail_on] = int(ET.parse(out).getroot().get("failures"))
    # the bundled roadmaps have errors, warnings and infos: each lower threshold fails more cases
    assert 0 < counts["error"] < counts["warning"] < counts["info"]
    result = CliRunner().invoke(main, ["lint", str(REPO / "roadmaps"), "--as-of", "2017-12-31", "--isolated",
                                       "--fail-on", "never", "--format", "junit"])
    assert result.exit_code == 0 and ET.fromstring(result.stdout).get("failures") == "0"


def test_summary_fail_on_defaults_to_error():
    # a formatter given a RunSummary built without fail_on (library callers) behaves like --fail-on error
    root = ET.fromstring(render("junit", MIXED, dataclasses.replace(run_of(MIXED, "error"))))
    plain = ET.fromstring(render("junit", MIXED, RunSummary("t", dt.date(2017, 12, 31), ("a.yaml", "b.yaml"))))
    assert plain.get("failures") == root.get("failures") == "2"

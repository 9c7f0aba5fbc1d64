"""Formatter details the golden files show but do not explain: escaping, colour, structure, suppressions."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.report import github, markdown, render, sarif
from tests.helpers.sample import EMPTY_RUN, FINDINGS, ODD, RUN


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_github_escaping_round_trips_and_leaves_no_delimiters(text):
    data, prop = github.escape_data(text), github.escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert not {",", ":", "\n", "\r"} & set(prop)
    assert _unescape(data) == text and _unescape(prop) == text


def test_github_commands_map_severities_and_skip_suppressed():
    lines = render("github", FINDINGS, RUN).splitlines()
    assert [ln.split(" ", 1)[0] for ln in lines] == ["::error", "::warning", "::notice", "::error"]
    assert all("kpi-target-missing" not in ln for ln in lines)  # both are suppressed
    assert "title=kpi-deadline-missing%3A KPI target has no deadline" in lines[-1]
    assert "line=137,col=9,endLine=138,endColumn=40" in lines[-1]


def test_markdown_cells_escape_pipes_newlines_and_html():
    assert markdown.cell("a|b\nc<d>&") == "a\\|b<br>c&lt;d&gt;&amp;"
    table = [ln for ln in render("markdown", FINDINGS, RUN).splitlines() if ln.startswith("| ")]
    assert len(table) == 5 and all(len(re.findall(r"(?<!\\)\|", ln)) == 5 for ln in table)


def test_markdown_caps_long_tables():
    many = [FINDINGS[0]] * (markdown.MAX_ROWS + 5)
    text = render("markdown", many, RUN)
    assert text.count("| error |") == markdown.MAX_ROWS
    assert "and 5 more" in text


def test_text_has_colour_only_when_asked():
    plain, coloured = render("text", FINDINGS, RUN), render("text", FINDINGS, RUN, color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured


def test_text_groups_by_file_and_names_rule_and_hint():
    text = render("text", FINDINGS, RUN)
    assert text.count("roadmaps/kaikaku-2016-it.yaml\n") == 1
    assert "[kpi-deadline-missing]" in text and "hint: Give a deadline" in text
    assert text.rstrip().splitlines()[-1].startswith("2 errors, 1 warning, 1 info in 4 files; 2 suppressed")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_empty_reports_say_so(lang):
    assert render("text", [], EMPTY_RUN, lang).splitlines()[0] in ("No findings.", "指摘はありません。")
    assert render("github", [], EMPTY_RUN, lang) == ""
    ET.fromstring(render("junit", [], EMPTY_RUN, lang))


def test_junit_has_one_suite_per_file_and_one_case_per_rule():
    root = ET.fromstring(render("junit", FINDINGS, RUN))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(RUN.files)
    rules = {f.rule for f in FINDINGS} | {r.id for r in RUN.rules}
    for s in suites:
        assert sorted(c.get("name") for c in s.findall("testcase")) == sorted(rules)
    failure = root.find("testsuite[@name='roadmaps/kaikaku-2016-it.yaml']/testcase[@name='kpi-deadline-missing']/failure")
    assert failure is not None and "roadmaps/kaikaku-2016-it.yaml:137:9" in failure.text
    # --fail-on error (the default): the warning and the info leave their cases passing (see test_junit_fail_on)
    assert root.get("failures") == "2" and root.get("skipped") == "2"


def test_sarif_carries_suppressions_fingerprints_related_and_rules():
    data = json.loads(render("sarif", FINDINGS, RUN))
    run = data["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(ids) and "schedule-actor-unknown" in ids  # a rule only a finding names
    results = run["results"]
    assert len(results) == len(FINDINGS)
    for r, f in zip(results, FINDINGS, strict=True):
        assert ids[r["ruleIndex"]] == r["ruleId"] == f.rule
        assert r["partialFingerprints"][sarif.FINGERPRINT_KEY] == f.fingerprint
        assert r["baselineState"] == "new"
    suppressed = [r for r in results if r["suppressions"]]
    assert [s["suppressions"][0].get("justification") for s in suppressed] == [
        "事後的に検証する指標 (verified ex post by design)", None]
    assert all(s["suppressions"][0]["kind"] == "inSource" for s in suppressed)
    related = next(r for r in results if r.get("relatedLocations"))
    assert related["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 69


def test_sarif_uris_are_percent_encoded():
    assert sarif.artifact_uri(ODD) == "roadmaps/odd%20name%20%EF%BD%9C%20100%25.yaml"
    assert sarif.artifact_uri("/abs/a b.yaml") == "file:///abs/a%20b.yaml"


def test_json_keeps_suppressed_findings_with_reason_and_both_languages():
    data = json.loads(render("json", FINDINGS, RUN, "ja"))
    assert data["summary"] == {"error": 2, "warning": 1, "info": 1, "files": 4, "suppressed": 2,
                               "baseline_matched": 2, "baseline_stale": 1}
    first = next(f for f in data["findings"] if f["rule"] == "kpi-deadline-missing")
    assert first["message"] == first["message_ja"] != first["message_en"]
    assert [f["suppressed"] for f in data["findings"] if f["suppressed"] is not None] == [
        "事後的に検証する指標 (verified ex post by design)", ""]
    assert data["baseline"]["stale"][0]["rule"] == "kpi-target-missing"


@pytest.mark.parametrize("name", ["github", "json", "junit", "markdown", "sarif", "text"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_bytes_for_a_file_are_the_text_encoded(name, lang):
    from checker.report import render_bytes

    for findings, run in ((FINDINGS, RUN), ((), EMPTY_RUN)):
        assert render_bytes(name, findings, run, lang) == render(name, findings, run, lang).encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('},{"rule:\\\n 指摘')), max_size=40))
def test_json_has_one_finding_per_line_whatever_the_messages_hold(text):
    from dataclasses import replace

    findings = [replace(f, message=text + f.message, message_ja=text) for f in FINDINGS]
    out = render("json", findings, RUN)
    data = json.loads(out)
    assert [f["message_en"] for f in data["findings"]] == [f.message for f in findings]
    lines = [line for line in out.splitlines() if line.startswith('    {"rule":')]
    assert len(lines) == len(findings)  # the split between findings never falls inside a string

"""Every JSON report validates against checker/schemas/report.schema.json; every SARIF against the official schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from checker import api
from checker.report import render
from tests.helpers.sample import EMPTY_RUN, FINDINGS, RUN
from tests.helpers.shared import SARIF_SCHEMA_FILE

REPO = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = json.loads((REPO / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


def report_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(REPORT_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(text))]


def sarif_errors(text: str) -> list[str]:
    if not SARIF_SCHEMA_FILE.exists():
        pytest.skip(f"{SARIF_SCHEMA_FILE} is absent")
    schema = json.loads(SARIF_SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(text))]


def live_report() -> api.LintReport:
    import datetime as dt

    return api.run(api.LintOptions(paths=(str(REPO / "roadmaps"),), as_of=dt.date(2017, 12, 31)))


def test_report_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_json_report_of_sample_validates(lang):
    assert report_errors(render("json", FINDINGS, RUN, lang)) == []


def test_json_report_without_findings_is_valid_json_and_validates():
    text = render("json", [], EMPTY_RUN)
    data = json.loads(text)
    assert data["findings"] == [] and data["summary"]["error"] == 0
    assert report_errors(text) == []


def test_json_report_of_live_corpus_validates():
    report = live_report()
    text = render("json", report.findings, report.summary, "ja")
    assert report_errors(text) == []
    assert json.loads(text)["summary"]["files"] == len(list((REPO / "roadmaps").glob("*.yaml")))


def test_schema_rejects_a_report_missing_a_field():
    data = json.loads(render("json", FINDINGS, RUN))
    del data["findings"][0]["fingerprint"]
    assert report_errors(json.dumps(data))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sarif_of_sample_validates_against_official_schema(lang):
    assert sarif_errors(render("sarif", FINDINGS, RUN, lang)) == []


def test_sarif_without_findings_validates():
    text = render("sarif", [], EMPTY_RUN)
    assert json.loads(text)["runs"][0]["results"] == []
    assert sarif_errors(text) == []


def test_sarif_of_live_corpus_validates():
    report = live_report()
    text = render("sarif", report.findings, report.summary, "en")
    assert sarif_errors(text) == []
    assert len(json.loads(text)["runs"][0]["results"]) == len(report.findings)


@pytest.mark.parametrize(("new_since", "changed_since"), [("HEAD", None), (None, "origin/main"), ("v1.0", "HEAD~3")])
def test_sarif_records_the_gate_refs_in_the_run_properties_and_validates(new_since, changed_since):
    from dataclasses import replace

    run = replace(EMPTY_RUN, new_since=new_since, new_since_matched=4 if new_since else 0,
                  changed_since=changed_since)
    text = render("sarif", FINDINGS, run, "ja")
    assert sarif_errors(text) == []
    sarif_run = json.loads(text)["runs"][0]
    props = sarif_run["properties"]
    assert props.get("new_since") == ({"ref": new_since, "matched": 4} if new_since else None)
    assert props.get("changed_since") == changed_since
    assert props["as_of"] == "2017-12-31"
    # compared with the tree at the ref, every reported result is new; --changed-since alone compares nothing
    states = {r.get("baselineState") for r in sarif_run["results"]}
    assert states == ({"new"} if new_since else {None})
    # the JSON report says the same in the same shapes
    data = json.loads(render("json", FINDINGS, run, "ja"))
    assert data["new_since"] == props.get("new_since") and data["changed_since"] == changed_since


def test_sarif_of_a_full_run_has_no_gate_properties():
    props = json.loads(render("sarif", FINDINGS, EMPTY_RUN))["runs"][0]["properties"]
    assert props == {"as_of": "2017-12-31"}

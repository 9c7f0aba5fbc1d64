"""The library API the CLI wraps: options in, a report out, no printing; exit codes decided in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from checker import api
from checker.domain.findings import Severity
from checker.domain.load import Limits
from checker.source.atomic import write_text
from tests.helpers.sample import FINDINGS, RUN

REPO = Path(__file__).resolve().parent.parent
OPTIONS = api.LintOptions(paths=(str(REPO / "roadmaps"),), as_of=dt.date(2017, 12, 31))
RULESET = api.load_rules()


def test_run_reports_sorted_findings_and_a_summary(capsys):
    report = api.run(OPTIONS, RULESET)
    assert capsys.readouterr() == ("", "")  # the library never prints
    assert report.findings and list(report.findings) == sorted(report.findings, key=lambda f: f.sort_key())
    assert len(report.summary.files) == 7 and report.summary.as_of == dt.date(2017, 12, 31)
    ran = {r.id for r in report.summary.rules}
    assert {r.id for r in RULESET.rules} | {"input-error"} <= ran
    assert report.input_errors == ()


def test_select_limits_rules_and_summary():
    report = api.run(replace(OPTIONS, select=("kpi-target-missing",)), RULESET)
    assert {f.rule for f in report.findings} == {"kpi-target-missing"}
    assert "kpi-deadline-missing" not in {r.id for r in report.summary.rules}


def test_unknown_rule_ids_and_bad_rules_raise_api_error(tmp_path):
    with pytest.raises(api.ApiError, match="unknown rule id"):
        api.run(replace(OPTIONS, ignore=("nope",)), RULESET)
    bad = tmp_path / "r.yaml"
    bad.write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(api.ApiError) as info:
        api.load_rules([bad])
    assert info.value.messages[0].startswith(f"{bad.as_posix()}:")


def test_limits_reach_the_loader():
    report = api.run(replace(OPTIONS, limits=Limits(max_bytes=10)), RULESET)
    assert len(report.input_errors) == 7 and report.exit_code("never") == 2


def test_exit_code_thresholds():
    report = api.LintReport(tuple(FINDINGS[1:3]), RUN)  # a warning and an info
    assert [f.severity for f in report.findings] == [Severity.WARNING, Severity.INFO]
    assert (report.exit_code("error"), report.exit_code("warning"), report.exit_code("info"),
            report.exit_code("never")) == (0, 1, 1, 0)
    suppressed_only = api.LintReport(tuple(f for f in FINDINGS if f.suppressed is not None), RUN)
    assert suppressed_only.exit_code("info") == 0 and suppressed_only.new_findings == ()


def test_create_baseline_writes_and_lint_with_it_is_clean(tmp_path):
    path = tmp_path / "b.json"
    _, made = api.create_baseline(OPTIONS, path, RULESET)
    assert path.exists() and len(made.entries) == len({f.fingerprint for f in api.run(OPTIONS, RULESET).findings})
    report = api.run(replace(OPTIONS, baseline=path), RULESET)
    assert report.findings == () and report.summary.baseline_matched == len(api.run(OPTIONS, RULESET).findings)
    assert report.exit_code("info") == 0


def test_builtin_rules_are_documented():
    for info in api.BUILTIN_RULES.values():
        assert info.title and info.title_ja and info.rationale and info.hint and info.hint_ja


def test_atomic_write_replaces_whole_file_and_keeps_mode(tmp_path):
    path = tmp_path / "nested" / "r.txt"
    write_text(path, "one\n")
    path.chmod(0o640)
    write_text(path, "two\n")
    assert path.read_text(encoding="utf-8") == "two\n" and path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["r.txt"]

"""Inline suppressions: where a comment applies, reasons, unused ones, and how they are counted and reported."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from checker import api
from checker.domain.load import LoadedDocument, load_text
from checker.engine.suppressions import NO_REASON_RULE, UNUSED_RULE, parse_path, scan
from checker.report import render
from checker.source.spans import dotted_path

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2017, 12, 31)
DOC = """\
document: {id: d, kind: roadmap, title: t, revision: 2016}
reform_items:
  - number: 1
    title: x
    responsible: [総務省]
    kpis:
      - tier: 2  # roadmap-check: ignore[kpi-target-missing, kpi-deadline-missing] ex-post indicator
        text: "・歳出効率化の成果 (事後的に検証する指標)"
      - tier: 2
        text: "・運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】"  # roadmap-check: ignore[kpi-deadline-missing]
"""


def test_parse_path_inverts_dotted_path():
    for path in [(), ("reform_items",), ("reform_items", 0, "kpis", 12, "text")]:
        assert parse_path(dotted_path(path)) == path


def test_scan_reads_ids_reason_and_column():
    doc = load_text(DOC, "d.yaml")
    assert isinstance(doc, LoadedDocument)
    first, second = scan(doc)
    assert (first.line, first.rules, first.reason) == (7, ("kpi-target-missing", "kpi-deadline-missing"),
                                                       "ex-post indicator")
    assert doc.marked_lines[first.line][first.column - 1] == "#"
    assert (second.line, second.rules, second.reason) == (10, ("kpi-deadline-missing",), "")


def test_a_hash_inside_a_value_is_not_a_comment():
    doc = load_text(DOC.replace("title: x", 'title: "a#roadmap-check: ignore[x] y"'), "d.yaml")
    assert len(scan(doc)) == 2


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "roadmaps"
    shutil.copytree(REPO / "roadmaps", root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def lint(root: Path, **kw) -> api.LintReport:
    return api.run(api.LintOptions(paths=(str(root),), as_of=AS_OF, **kw))


def by_rule(report: api.LintReport, rule: str, file: str) -> list:
    return [f for f in report.findings if f.rule == rule and f.location.file.endswith(file)]


KPI_LINE = '      - tier: 2\n        text: "・歳出効率化の成果 (事後的に検証する指標)"'


def test_comment_on_the_line_that_opens_the_block_suppresses(corpus):
    before = lint(corpus)
    assert by_rule(before, "kpi-target-missing", "kaikaku-2015-it.yaml")[0].suppressed is None
    edit(corpus / "kaikaku-2015-it.yaml", KPI_LINE,
         KPI_LINE.replace("tier: 2", "tier: 2  # roadmap-check: ignore[kpi-target-missing] verified ex post"))
    after = lint(corpus)
    (f,) = by_rule(after, "kpi-target-missing", "kaikaku-2015-it.yaml")
    assert f.suppressed == "verified ex post"
    assert not by_rule(after, UNUSED_RULE, "kaikaku-2015-it.yaml")
    assert after.exit_code("error") == before.exit_code("error") == 1  # other errors remain
    data = json.loads(render("json", after.findings, after.summary))
    assert data["summary"]["suppressed"] == 1
    assert data["summary"]["error"] == json.loads(render("json", before.findings, before.summary))["summary"]["error"] - 1
    sarif = json.loads(render("sarif", after.findings, after.summary))["runs"][0]["results"]
    assert [r["suppressions"] for r in sarif if r["suppressions"]] == [
        [{"kind": "inSource", "justification": "verified ex post"}]]


def test_comment_on_an_ancestor_key_line_suppresses_everything_inside(corpus):
    edit(corpus / "kaikaku-2015-it.yaml", "    kpis:\n      - tier: 1",
         "    kpis:  # roadmap-check: ignore[kpi-target-missing,kpi-deadline-missing] pending the 2016 revision\n"
         "      - tier: 1")
    report = lint(corpus)
    hits = by_rule(report, "kpi-target-missing", "kaikaku-2015-it.yaml") + by_rule(
        report, "kpi-deadline-missing", "kaikaku-2015-it.yaml")
    assert len(hits) == 2 and all(f.suppressed == "pending the 2016 revision" for f in hits)
    # Other files are untouched.
    assert all(f.suppressed is None for f in by_rule(report, "kpi-target-missing", "kaikaku-2016-it.yaml"))


def test_comment_on_an_unrelated_line_does_not_suppress_and_is_unused(corpus):
    edit(corpus / "kaikaku-2015-it.yaml", "      - tier: 1\n",
         "      - tier: 1  # roadmap-check: ignore[kpi-target-missing] wrong line\n")
    report = lint(corpus)
    assert by_rule(report, "kpi-target-missing", "kaikaku-2015-it.yaml")[0].suppressed is None
    (unused,) = by_rule(report, UNUSED_RULE, "kaikaku-2015-it.yaml")
    assert unused.severity.label == "warning" and "kpi-target-missing" in unused.message
    assert unused.location.line == 97


def test_suppression_without_reason_still_applies_but_is_reported(corpus):
    edit(corpus / "kaikaku-2015-it.yaml", KPI_LINE,
         KPI_LINE.replace("tier: 2", "tier: 2  # roadmap-check: ignore[kpi-target-missing]"))
    report = lint(corpus)
    assert by_rule(report, "kpi-target-missing", "kaikaku-2015-it.yaml")[0].suppressed == ""
    (warn,) = by_rule(report, NO_REASON_RULE, "kaikaku-2015-it.yaml")
    assert warn.severity.label == "warning" and warn.location.line == 99
    assert report.exit_code("warning") == 1


def test_unknown_rule_id_is_unused_and_ignored_rule_is_not_judged(corpus):
    edit(corpus / "kaikaku-2015-it.yaml", KPI_LINE,
         KPI_LINE.replace("tier: 2", "tier: 2  # roadmap-check: ignore[kpi-target-missin, kpi-target-missing] typo"))
    report = lint(corpus)
    (unused,) = by_rule(report, UNUSED_RULE, "kaikaku-2015-it.yaml")
    assert "kpi-target-missin " in unused.message and "no such rule" in unused.message
    # With the rule not run, its suppression is not "unused": only the typo is reported.
    report = lint(corpus, ignore=("kpi-target-missing",))
    assert len(by_rule(report, UNUSED_RULE, "kaikaku-2015-it.yaml")) == 1
    # The suppression rules themselves can be ignored.
    assert not by_rule(lint(corpus, ignore=(UNUSED_RULE,)), UNUSED_RULE, "kaikaku-2015-it.yaml")


def test_suppressed_findings_do_not_fail_the_run(corpus):
    report = lint(corpus, select=("kpi-target-missing",))
    lines = {f.location.file: f.location.line for f in report.findings}
    assert report.exit_code("error") == 1
    for file, line in lines.items():
        path = Path(file)
        text = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text[line - 1] = text[line - 1].rstrip("\n") + "  # roadmap-check: ignore[kpi-target-missing] ex post\n"
        path.write_text("".join(text), encoding="utf-8")
    after = lint(corpus, select=("kpi-target-missing",))
    assert after.findings and all(f.suppressed == "ex post" for f in after.findings)
    assert after.exit_code("info") == 0


def test_builtin_findings_carry_the_rule_texts_in_both_languages(corpus):
    """Titles and hints of the suppression findings come from builtin_rules, ja and en alike."""
    from checker.rules.builtin_rules import BUILTIN_RULES

    edit(corpus / "kaikaku-2015-it.yaml", KPI_LINE,
         KPI_LINE.replace("tier: 2", "tier: 2  # roadmap-check: ignore[kpi-target-missin]"))
    report = lint(corpus)
    meta = [f for f in report.findings if f.rule in (NO_REASON_RULE, UNUSED_RULE)]
    assert {f.rule for f in meta} == {NO_REASON_RULE, UNUSED_RULE}
    for f in meta:
        info = BUILTIN_RULES[f.rule]
        assert (f.title, f.title_ja, f.hint, f.hint_ja) == (info.title, info.title_ja, info.hint, info.hint_ja)
        assert f.hint_ja and f.message_ja != f.message

"""Regression tests for issue 17, case 1: findings are a function of the corpus, never of how an
incremental run groups it (cache on or off, one worker or several)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from checker.accel import incremental
from checker.accel.groups import GroupResult, PlannedGroup, kept, plan
from checker.accel.parallel import can_fork
from checker.domain.corpus import Corpus
from checker.domain.load import load_paths
from tests.differential import assert_same, four_ways, isolate

AS_OF = dt.date(2017, 12, 31)
pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker paths fork")

ROADMAP = """document: {{id: {id}, kind: roadmap, title: t, revision: 2016, area: {area}}}
reform_items:
  - {{number: 15, title: t, responsible: [総務省], schedule: [{{id: s1, text: 自治体クラウドの取組事例(全国で56グループ)を分析, fiscal_years: [2016]}}]}}
"""
REPORT = """document: {{id: {id}, kind: progress_report, title: t, reports_on: {target}{extra}}}
reform_items:
  - {{number: 15, entries: [{{schedule_item: 自治体クラウドの取組事例(全国で56グループ)を分析, progress: [{{ministry: 総務省, text: 全国で{n}グループの事例を分析した。}}]}}]}}
"""


def _write(d: Path, files: dict[str, str]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _same_everywhere(tmp_path, monkeypatch, docs: Path, rule: str | None = None) -> tuple:
    isolate(monkeypatch, tmp_path)
    results = four_ways([docs], monkeypatch, AS_OF)
    assert_same(results)
    findings = results["uncached/1"][0]
    return tuple(f for f in findings if rule is None or f.rule == rule)


def test_review_whose_area_differs_from_its_roadmaps(tmp_path, monkeypatch):
    """The issue's two-document corpus: one error with --no-cache and, before the fix, none with the cache."""
    docs = _write(tmp_path / "docs", {"r.yaml": ROADMAP.format(id="r", area="A"),
                                      "p.yaml": REPORT.format(id="p", target="r", extra=", area: B", n=58)})
    found = _same_everywhere(tmp_path, monkeypatch, docs, "count-inconsistent-within-revision")
    assert len(found) == 1 and found[0].location.file.endswith("p.yaml")


def test_reports_on_naming_a_review(tmp_path, monkeypatch):
    """A report on a review: its revision and area come from the review, which its group must hold."""
    review = REPORT.format(id="p1", target="r", extra="", n=56)
    docs = _write(tmp_path / "docs", {"r.yaml": ROADMAP.format(id="r", area="A"), "p1.yaml": review,
                                      "p2.yaml": REPORT.format(id="p2", target="p1", extra=", revision: 2016", n=58)})
    found = _same_everywhere(tmp_path, monkeypatch, docs)
    assert any(f.rule == "count-inconsistent-within-revision" for f in found)


def test_duplicate_ids(tmp_path, monkeypatch):
    """Two roadmaps with one id in different areas and editions: lookups take the first (a.yaml), whichever
    group runs; the report's edition is a.yaml's even in the group of area B."""
    second = ROADMAP.format(id="r", area="B").replace("56グループ", "57グループ").replace("2016", "2017")
    docs = _write(tmp_path / "docs", {"a.yaml": ROADMAP.format(id="r", area="A"), "b.yaml": second,
                                      "p.yaml": REPORT.format(id="p", target="r", extra=", area: B", n=58)})
    found = _same_everywhere(tmp_path, monkeypatch, docs, "count-inconsistent-within-revision")
    assert [f.location.file.rsplit("/", 1)[1] for f in found] == ["p.yaml"]


def test_generated_corpus_with_the_area_edit(tmp_path, monkeypatch):
    """The issue's generated corpus (two workers gave 585/361 with --no-cache, one 592/373): a progress
    report moved to another area, and one of its counts changed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate

    corpus = tmp_path / "generated"
    generate(1500, "normal", corpus, seed=3)
    report = sorted(corpus.glob("area-000/progress-*.yaml"))[-1]
    text = report.read_text(encoding="utf-8")
    assert "全国で" in text
    # Its edition now comes from its roadmap, which lies in another area.
    text = re.sub(r"  revision: [0-9]+\n", "  area: 別の分野\n", text, count=1)
    report.write_text(re.sub("全国で([0-9]+)", lambda m: f"全国で{int(m[1]) + 1}", text, count=1), encoding="utf-8")
    found = _same_everywhere(tmp_path, monkeypatch, corpus)
    assert any(f.location.file == report.as_posix() for f in found)


def test_a_group_that_reads_outside_itself_escapes(monkeypatch):
    """A rule that looks up an id its group does not hold (as one following `supersedes` would) makes
    its scope run over the whole corpus, not give fewer findings."""
    roadmaps = Path(__file__).resolve().parents[1] / "roadmaps"
    corpus = Corpus(load_paths([roadmaps]).documents)
    [group] = [g for g in plan(corpus, "document") if any(f.endswith("kaikaku-2016-it.yaml") for f in g.owned)]
    index = {i: d.file for i, d in corpus.by_id.items()}
    assert kept([(group, GroupResult((), (("kaikaku-2015-it", None),)))], index) is None
    assert kept([(group, GroupResult((), (("no-such-id", None),)))], index) == []
    # A finding dropped from a group that its owner cannot make (its file is not among the owner's members).
    other = PlannedGroup((), frozenset({"elsewhere.yaml"}), frozenset())
    from checker.domain.findings import Finding, Location, Severity

    stray = Finding("r", Severity.ERROR, "m", "m", Location("elsewhere.yaml", 1, 1, 1, 1), "e")
    assert kept([(group, GroupResult((stray,))), (other, GroupResult(()))], index) is None


def test_escaped_scope_runs_over_the_whole_corpus(tmp_path, monkeypatch):
    """When every group escapes (simulated), the findings are still those of one run."""
    from checker.accel.runner import GroupRunner
    from checker.engine.run import lint
    from tests.helpers.rules import shipped_ruleset
    from tests.helpers.stores import CountingStore

    ruleset = shipped_ruleset()
    docs = load_paths([Path(__file__).resolve().parents[1] / "roadmaps"]).documents
    whole = lint(docs, ruleset, AS_OF).findings
    monkeypatch.setattr(incremental, "kept", lambda pairs, index: None)
    before = len(incremental.ESCAPES)
    assert lint(docs, ruleset, AS_OF, run=GroupRunner(1, CountingStore().store()).run).findings == whole
    assert len(incremental.ESCAPES) > before


def test_two_documents_with_one_id_each_keep_their_own_findings(tmp_path, monkeypatch):
    """Two files with one id are each other's context, so their document groups are linted with the same
    documents: each must still give its own file's findings (they once shared one cache key, and one file's
    findings were lost). With a rule of every check kind (the probe adds `pattern`)."""
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", rules)
    shutil.copy(Path(__file__).resolve().parent / "exact_probe_rules.yaml", rules / "exact_probe_rules.yaml")
    docs = tmp_path / "docs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "roadmaps", docs)
    shutil.copy(docs / "kaikaku-2016-it.yaml", docs / "added-1.yaml")
    isolate(monkeypatch, tmp_path)
    results = four_ways([docs], monkeypatch, AS_OF, rules=(rules,))
    assert_same(results)
    probes = {f.location.file.rsplit("/", 1)[1] for f in results["uncached/1"][0] if f.rule == "exact-pattern-probe"}
    assert {"added-1.yaml", "kaikaku-2016-it.yaml"} <= probes


def test_a_target_that_reports_on_something_itself(tmp_path, monkeypatch):
    """A roadmap given `reports_on` (found by the soak): its reviews and it must still be grouped together,
    or coverage and reference rules see a review without its roadmap."""
    roadmap = ROADMAP.format(id="r", area="A").replace("area: A}", "area: A, reports_on: other}")
    docs = _write(tmp_path / "docs", {"r.yaml": roadmap, "other.yaml": ROADMAP.format(id="other", area="B"),
                                      "p.yaml": REPORT.format(id="p", target="r", extra=", covers: {first: 2016, last: 2016}",
                                                              n=58).replace("自治体クラウドの取組事例(全国で56グループ)を分析, progress", "全く別の工程, progress")})
    found = _same_everywhere(tmp_path, monkeypatch, docs)
    assert any(f.rule == "schedule-item-not-reported" for f in found)

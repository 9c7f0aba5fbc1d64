"""Incremental linting (checker.accel.incremental): the same findings as one run, and only changed groups re-run."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings

from checker.accel.groups import GroupResult
from checker.accel.incremental import groups
from checker.accel.runner import GroupRunner
from checker.domain.corpus import COLLECTIONS, Corpus
from checker.domain.load import load_paths
from checker.engine.run import lint
from tests.helpers.mutate import dump_yaml
from tests.helpers.rules import shipped_ruleset
from tests.helpers.stores import CountingStore
from tests.helpers.strategies import corpora

RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule
ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"





def test_incremental_equals_one_run_on_the_corpus():
    docs = load_paths([ROADMAPS]).documents
    for as_of in (dt.date(2017, 12, 31), dt.date(2019, 4, 1)):
        whole = lint(docs, RULESET, as_of).findings
        store = CountingStore()
        first = lint(docs, RULESET, as_of, run=GroupRunner(1, store.store()).run).findings
        again = lint(docs, RULESET, as_of, run=GroupRunner(1, store.store()).run).findings
        assert first == whole and again == whole
        assert store.hits == store.misses  # the second run reused every group of the first


def test_only_the_groups_of_a_changed_document_run_again(tmp_path):
    for f in ROADMAPS.glob("*.yaml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    store = CountingStore()
    lint(load_paths([tmp_path]).documents, RULESET, dt.date(2017, 12, 31), run=GroupRunner(1, store.store()).run)
    computed_first = store.misses
    target = tmp_path / "progress-2017-local.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("全国で56グループ", "全国で58グループ"),
                      encoding="utf-8")
    docs = load_paths([tmp_path]).documents
    store.hits = store.misses = 0
    changed = lint(docs, RULESET, dt.date(2017, 12, 31), run=GroupRunner(1, store.store()).run).findings
    assert changed == lint(docs, RULESET, dt.date(2017, 12, 31)).findings
    corpus = Corpus(docs)
    doc = next(d for d in docs if d.id == "progress-2017-local")
    kinds: dict[str, set[str]] = {}
    for r in RULESET.rules:
        kinds.setdefault(r.check.scope, set()).update(COLLECTIONS[r.spec.select].doc_kinds)
    expected = sum(1 for s, k in kinds.items() for g in groups(corpus, s, frozenset(k)) if doc in g)
    assert store.misses == expected < computed_first
    assert any(f.rule == "count-inconsistent-within-revision" for f in changed)


def test_an_edition_group_of_roadmap_rules_ignores_reviews():
    corpus = Corpus(load_paths([ROADMAPS]).documents)
    [edition_2016] = [g for g in groups(corpus, "revision", frozenset({"roadmap"}))
                      if any(d.id == "kaikaku-2016-it" for d in g)]
    assert sorted(d.id for d in edition_2016) == ["kaikaku-2016-it", "kaikaku-2016-local"]


def test_groups_partition_the_corpus():
    """Every document is owned by one group of each scope; a group is linted with what its documents
    read too (a review's roadmap), but keeps only the findings of the documents it owns."""
    from checker.accel.groups import partition, plan

    corpus = Corpus(load_paths([ROADMAPS]).documents)
    for scope in ("document", "roadmap", "revision", "area", "corpus"):
        parts = partition(corpus, scope)
        assert sorted(d.id for g in parts for d in g) == sorted(d.id for d in corpus.documents)
        planned = plan(corpus, scope)
        assert sorted(f for g in planned for f in g.owned) == sorted(d.file for d in corpus.documents)
        for g in planned:
            assert {d.file for d in g.members} >= g.owned
    by_file = {d.file: d for d in corpus.documents}
    [review] = [g for g in plan(corpus, "document") if any(by_file[f].id == "progress-2017-it" for f in g.owned)]
    assert sorted(d.id for d in review.members) == ["kaikaku-2016-it", "progress-2017-it"]
    roadmap_groups = {tuple(sorted(d.id for d in g)) for g in groups(corpus, "roadmap")}
    assert ("kaikaku-2016-it", "kpi-status-2017-it", "progress-2017-it") in roadmap_groups


@settings(max_examples=40, deadline=None)
@given(corpora())
def test_incremental_equals_one_run_on_generated_corpora(corpus):
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in corpus.documents.items():
            (Path(tmp) / name).write_text(dump_yaml(data), encoding="utf-8")
        docs = load_paths([tmp]).documents
        # Years later every deadline has passed, so there are findings to compare, not only silence.
        for as_of in (corpus.as_of, dt.date(2030, 4, 1)):
            whole = lint(docs, RULESET, as_of).findings
            assert lint(docs, RULESET, as_of, run=GroupRunner(1, CountingStore().store()).run).findings == whole


def test_with_has_the_missing_groups_run_while_the_others_are_read(tmp_path, monkeypatch):
    """`has` lets the groups without an entry start first; the findings are the same, and an entry that
    is there but does not read back (corrupt) is computed after all."""
    workers = 2  # and min_lines=0: workers even on the small corpus
    for f in ROADMAPS.glob("*.yaml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    as_of = dt.date(2019, 4, 1)
    whole = lint(load_paths([tmp_path]).documents, RULESET, as_of).findings
    store = CountingStore()
    assert lint(load_paths([tmp_path]).documents, RULESET, as_of, run=GroupRunner(workers, store.store(has=True), min_lines=0).run).findings == whole
    assert store.hits == 0 and len(store.entries) > 3  # nothing there: every group ran, none was read
    # One entry turns out unreadable: has() says it is there, get() cannot use it.
    broken = sorted(store.entries)[0]
    store.entries[broken] = "not findings"
    store.hits = store.misses = 0
    again = lint(load_paths([tmp_path]).documents, RULESET, as_of, run=GroupRunner(workers, store.store(has=True), min_lines=0).run).findings
    assert again == whole
    assert store.misses == 0 and store.hits == len(store.entries)  # every entry was read, none computed first
    assert isinstance(store.entries[broken], GroupResult)  # but the unusable one was computed and stored again
    # After an edit the changed document's groups run (in a worker) while the rest are read.
    target = tmp_path / "kaikaku-2016-it.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("クラウド", "クラウド化", 1), encoding="utf-8")
    before = set(store.entries)
    edited = lint(load_paths([tmp_path]).documents, RULESET, as_of, run=GroupRunner(workers, store.store(has=True), min_lines=0).run).findings
    assert edited == lint(load_paths([tmp_path]).documents, RULESET, as_of).findings
    assert 0 < len(set(store.entries) - before) < len(before)

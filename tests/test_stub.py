"""Cached documents are stubs (checker.accel.stub): same findings, and unchanged files outside the affected groups stay unparsed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from checker.accel.cache import Cache
from checker.accel.doc_cache import cached_loader, load_file_cached
from checker.accel.runner import GroupRunner
from checker.accel.stub import DocumentStub, InputChanged
from checker.domain.load import DEFAULT_LIMITS, load_paths
from checker.engine.run import lint
from tests.helpers.rules import shipped_ruleset
from tests.helpers.stores import CountingStore

RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule
ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"
AS_OF = dt.date(2017, 12, 31)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Cache:
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    return Cache()


@pytest.fixture
def corpus(tmp_path) -> Path:
    out = tmp_path / "roadmaps"
    shutil.copytree(ROADMAPS, out)
    return out


def test_a_second_load_gives_stubs_that_read_like_the_documents(cache, corpus):
    first = load_paths([corpus], load=cached_loader(cache)).documents
    second = load_paths([corpus], load=cached_loader(cache)).documents
    assert all(isinstance(d, DocumentStub) for d in second)
    for full, stub in zip(first, second, strict=True):
        assert (stub.file, stub.id, stub.kind, stub.digest) == (full.file, full.id, full.kind, full.digest)
        assert stub.header == full.model.document and stub.line_count == full.line_count
        assert stub.marked_lines == full.marked_lines
        assert stub.span(("document", "id")) == full.span(("document", "id")) and not stub.parsed
        assert stub.model == full.model and stub.parsed  # reading the body parses the file
        assert dict(stub.spans) == dict(full.spans)


def test_findings_from_stubs_equal_those_from_documents(cache, corpus):
    whole = lint(load_paths([corpus]).documents, RULESET, AS_OF).findings
    load_paths([corpus], load=cached_loader(cache))
    stubs = load_paths([corpus], load=cached_loader(cache)).documents
    assert lint(stubs, RULESET, AS_OF).findings == whole


def test_only_documents_in_groups_that_run_again_are_parsed(cache, tmp_path):
    # A generated corpus of several policy areas (the bundled documents all share one area, so every
    # edit there touches every document through the area-wide count rules).
    from benchmarks.generate import generate

    corpus = tmp_path / "generated"
    generate(8000, "normal", corpus, seed=1)
    areas = sorted(p.name for p in corpus.iterdir())
    assert len(areas) >= 2, areas
    store = CountingStore()
    lint(load_paths([corpus], load=cached_loader(cache)).documents, RULESET, AS_OF, run=GroupRunner(1, store.store()).run)
    changed = sorted((corpus / areas[-1]).glob("progress-*.yaml"))[0]
    changed.write_bytes(changed.read_bytes() + b"# an edit\n")
    docs = load_paths([corpus], load=cached_loader(cache)).documents
    result = lint(docs, RULESET, AS_OF, run=GroupRunner(1, store.store()).run)
    assert result.findings == lint(load_paths([corpus]).documents, RULESET, AS_OF).findings
    parsed = {Path(d.file).relative_to(corpus).parts[0] for d in docs if not isinstance(d, DocumentStub) or d.parsed}
    assert parsed == {areas[-1]}  # the groups of a progress report stay within its area


def test_a_file_changed_under_a_stub_is_an_error_not_a_wrong_answer(cache, corpus):
    path = corpus / "kaikaku-2015-it.yaml"
    load_file_cached(path, path.as_posix(), DEFAULT_LIMITS, cache)
    stub = load_file_cached(path, path.as_posix(), DEFAULT_LIMITS, cache)
    assert isinstance(stub, DocumentStub)
    path.write_bytes(path.read_bytes() + b"# edited after the stub was made\n")
    with pytest.raises(InputChanged, match="changed while it was being checked"):
        _ = stub.model


def test_the_cli_says_so_when_a_file_changes_mid_run(cache, corpus, monkeypatch):
    from click.testing import CliRunner

    from checker.accel import stub
    from checker.cli import main

    args = ["lint", str(corpus), "--as-of", "2017-12-31", "--format", "json"]
    assert CliRunner().invoke(main, args).exit_code == 1  # fills the cache
    target = corpus / "kpi-status-2017-local.yaml"
    target.write_bytes(target.read_bytes() + b"# edit 1\n")

    def edited_meanwhile(self):  # as if another process saved a file between hashing and parsing
        raise stub.InputChanged(self.file)

    monkeypatch.setattr(stub.DocumentStub, "_load", edited_meanwhile)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "changed while it was being checked" in result.output


def test_header_spans_are_found_wherever_the_header_is_written():
    from checker.accel.stub import _header_spans
    from checker.domain.load import SpanMap

    doc = load_paths([ROADMAPS]).documents[0]
    items = list(doc.spans.raw.items())
    header = [(p, v) for p, v in items if p and p[0] == "document"]
    body = [(p, v) for p, v in items if p and p[0] != "document"]
    root = [(p, v) for p, v in items if not p]
    expected = dict(root + header)
    for order in (root + header + body, root + body + header):  # header first, or last in the file
        assert _header_spans(SpanMap(dict(order))) == expected

"""The loader: every corpus file validates, spans point at the right lines, bad files become file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.domain.load import InputError, LoadedDocument, Span, load_bytes, load_paths, load_text

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"


@pytest.fixture(scope="module")
def corpus() -> dict[str, LoadedDocument]:
    result = load_paths([ROADMAPS])
    assert result.errors == []
    return {d.id: d for d in result.documents}


def test_seven_documents_load(corpus):
    assert len(corpus) == 7
    kinds = sorted(d.kind for d in corpus.values())
    assert kinds == ["kpi_status"] * 2 + ["progress_report"] * 2 + ["roadmap"] * 3


def _line_of(doc: LoadedDocument, path) -> str:
    return Path(doc.file).read_text(encoding="utf-8").splitlines()[doc.spans[path].line - 1]


def test_spans_point_at_the_value(corpus):
    it = corpus["kaikaku-2016-it"]
    schedule = it.model.reform_items[0].schedule
    s5 = next(i for i, s in enumerate(schedule) if s.id == "s5")
    assert "・庁室と総務省が" in _line_of(it, ("reform_items", 0, "schedule", s5, "text"))
    assert "- id: s5" in _line_of(it, ("reform_items", 0, "schedule", s5))
    kpis = it.model.reform_items[0].kpis
    k = next(i for i, x in enumerate(kpis) if "運用コスト" in x.text)
    line = _line_of(it, ("reform_items", 0, "kpis", k, "text"))
    assert "3割圧縮(目標期限を集中改革期間中に設定)" in line
    progress = corpus["progress-2017-it"]
    assert "・IT室と総務省が" in _line_of(progress, ("reform_items", 0, "entries", 2, "schedule_item"))
    assert "kpi_status" in _line_of(corpus["kpi-status-2017-it"], ("document", "kind"))


def test_every_span_lies_inside_its_file(corpus):
    for doc in corpus.values():
        n = doc.line_count
        for span in doc.spans.values():
            assert 1 <= span.line <= n + 1 and span.column >= 1
            assert (span.end_line, span.end_column) >= (span.line, span.column)


def test_span_of_missing_path_falls_back_to_nearest_ancestor(corpus):
    doc = corpus["kaikaku-2016-it"]
    assert doc.span(("reform_items", 0, "kpis", 0, "name")) == doc.spans[("reform_items", 0, "kpis", 0)]


def test_column_counts_characters_not_bytes():
    doc = load_text("document: {id: 日本語, kind: roadmap, title: 題名}\nreform_items: []\n", "a.yaml")
    assert isinstance(doc, LoadedDocument)
    assert doc.spans[("document", "title")] == Span(1, 43, 1, 45)


def test_bom_is_read_normally():
    raw = "\ufeffdocument: {id: x, kind: roadmap, title: t}\nreform_items: []\n".encode()
    assert isinstance(load_bytes(raw, "a.yaml"), LoadedDocument)


@pytest.mark.parametrize(("text", "line", "column", "fragment"), [
    ("document: {id: x, kind: roadmap, title: t}\nreform_items:\n  - number: 15\n    titel: x\n", 4, 5,
     "unknown field 'titel'"),
    ("document: {id: x, kind: roadmap, title: t}\nreform_items:\n  - number: ex\n    title: x\n", 3, 13,
     "reform_items[0].number"),
    ("document: {id: x, kind: roadmap, title: t}\nreform_items: 3\n", 2, 15, "should be a valid list"),
    ("document: {id: x, kind: memo, title: t}\nreform_items: []\n", 1, 25, "document.kind must be one of"),
    ("document: {id: x, kind: roadmap}\nreform_items: []\n", 1, 11, "document.title is required"),
    ("document:\n  id: x\n  id: y\n", 3, 3, "duplicate key 'id' (first defined on line 2)"),
    ("document: {id: x\n", 2, 1, "YAML error"),
])
def test_broken_documents_give_file_line_errors(text, line, column, fragment):
    result = load_text(text, "bad.yaml")
    assert isinstance(result, list) and result
    assert all(isinstance(e, InputError) for e in result)
    err = next(e for e in result if fragment in e.message)
    assert (err.file, err.line, err.column) == ("bad.yaml", line, column), err
    assert all("pydantic" not in e.message and "For further information" not in e.message for e in result)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.yaml").write_text("document: {id: a, kind: roadmap, title: t}\nreform_items: []\n")
    (tmp_path / "b.yaml").write_text("document: [\n")
    (tmp_path / "c.yaml").write_bytes("document: {id: c, kind: roadmap, title: 日本}\n".encode("cp932"))
    result = load_paths([tmp_path])
    assert [d.id for d in result.documents] == ["a"]
    assert [Path(e.file).name for e in result.errors] == ["b.yaml", "c.yaml"]
    assert "Shift_JIS" in result.errors[1].message


def test_key_spans_and_comment_lines_are_kept_only_for_suppressions():
    plain = load_text("document: {id: x, kind: roadmap, title: t}\nreform_items: []\n", "a.yaml")
    marked = load_text("document: {id: x, kind: roadmap, title: t}\n"
                       "reform_items: []  # roadmap-check: ignore[x] reason\n", "b.yaml")
    assert isinstance(plain, LoadedDocument) and isinstance(marked, LoadedDocument)
    assert plain.key_spans == {} and plain.marked_lines == {} and plain.line_count == 2
    assert marked.key_spans[("reform_items",)].line == 2
    assert marked.marked_lines == {2: "reform_items: []  # roadmap-check: ignore[x] reason"}

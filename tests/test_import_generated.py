"""Generated corpora (tests/helpers/strategies.py) rendered to PDF and .xlsx in the published layouts, imported
back: every schedule cell with its years, KPI with its tier, responsible body, statement and status row."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.domain.load import LoadedDocument, load_file
from checker.importer.run import Options, run
from tests.helpers.import_facts import agreement
from tests.helpers.strategies import corpora

pytest.importorskip("reportlab")
pytest.importorskip("openpyxl")
from tests.helpers.pdf_render import render_review, render_review_compact, render_roadmap, year_columns
from tests.helpers.text_render import render_text
from tests.helpers.xlsx_render import render_workbook

AREAS = ["IT化と業務改革、行政改革等", "社会保障", "社会資本整備等", "文教・科学技術"]


def _prepare(corpus, draw_spans: list[int], area: str) -> list[dict]:
    """The corpus with an area, a publication date and cells spanning whole year columns."""
    docs = []
    originals = [copy.deepcopy(d) for d in corpus.documents.values()]  # editions share their cells
    # The CID fonts have glyphs for ①…⑳ only: items are renumbered 1, 2, … in the same order.
    numbers = sorted({i["number"] for d in originals for i in d["reform_items"]})
    for doc in originals:
        for item in doc["reform_items"]:
            item["number"] = numbers.index(item["number"]) + 1
    for doc in originals:
        meta = doc["document"]
        if meta["kind"] == "roadmap":
            meta["area"] = area
            meta["published_text"] = f"平成{meta['revision'] - 1988}年12月24日"
            cols = year_columns(meta)
            for n, cell in enumerate(c for i in doc["reform_items"] for c in i["schedule"]):
                year = min(max(cell["fiscal_years"][0], cols[0][1][0]), cols[-1][1][-1])
                k = next(i for i, (_, ys) in enumerate(cols) if year in ys)
                span = draw_spans[n % len(draw_spans)]
                cell["fiscal_years"] = sorted({y for _, ys in cols[k:k + span] for y in ys})
        docs.append(doc)
    return docs


def _pair(expected: list[dict], got: list[dict]) -> tuple[dict, dict]:
    """Documents matched by kind, edition and whether they re-list (ids are the importer's own)."""
    def key(d):
        m = d["document"]
        relisted = any(k.get("relisted") for i in d["reform_items"] for k in i.get("kpis", []))
        return f"{m['kind']}-{m.get('revision')}-{relisted if m['kind'] == 'roadmap' else ''}"
    return {key(d): d for d in expected}, {key(d): d for d in got}


def _import(paths: list[Path], out: Path) -> list[dict]:
    outcome = run([str(p) for p in paths], Options(out, force=True))
    assert not outcome.errors, outcome.errors
    docs = []
    for f in outcome.written:
        loaded = load_file(f)
        assert isinstance(loaded, LoadedDocument), loaded
        docs.append(loaded.model.model_dump(mode="json", exclude_none=True))
    return docs


def _check(expected: list[dict], got: list[dict]) -> None:
    want, have = _pair(expected, got)
    assert sorted(want) == sorted(have)
    for kind, (same, total, diffs) in agreement(want, have).items():
        assert same == total, (kind, diffs)


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


@SETTINGS
@given(corpus=corpora(), spans=st.lists(st.integers(1, 3), min_size=1, max_size=4), area=st.sampled_from(AREAS),
       widths=st.lists(st.integers(90, 170), min_size=12, max_size=12), arrows=st.booleans(),
       tall=st.booleans(), tier_column=st.booleans(), style=st.sampled_from(["rect", "round", "shape"]),
       compact=st.booleans())
def test_generated_pdf_round_trip(tmp_path_factory, corpus, spans, area, widths, arrows, tall, tier_column, style,
                                  compact):
    tmp = tmp_path_factory.mktemp("gen")
    docs = _prepare(corpus, spans, area)
    paths = []
    for n, doc in enumerate(docs):
        path = tmp / f"{n}.pdf"
        if doc["document"]["kind"] == "roadmap":
            ncols = len(year_columns(doc["document"]))
            render_roadmap(path, doc, widths=[70.0] + [float(w) for w in widths[:ncols]] + [160.0, 160.0],
                           arrows=arrows, page_height=None if tall else 400.0, style=style)
        elif compact:  # several items' tables share pages
            render_review_compact(path, doc, tier_column=tier_column)
        else:
            render_review(path, doc, rows_per_page=2 if tall else 5, break_row=1 if arrows else None,
                          tier_column=tier_column)
        paths.append(path)
    _check(docs, _import(paths, tmp / "out"))


@SETTINGS
@given(corpus=corpora(), spans=st.lists(st.integers(1, 3), min_size=1, max_size=4), area=st.sampled_from(AREAS),
       one_sheet=st.booleans(), tier_column=st.booleans())
def test_generated_xlsx_round_trip(tmp_path_factory, corpus, spans, area, one_sheet, tier_column):
    tmp = tmp_path_factory.mktemp("gen")
    docs = _prepare(corpus, spans, area)
    path = tmp / "book.xlsx"
    render_workbook(path, docs, one_sheet=one_sheet, tier_column=tier_column)
    _check(docs, _import([path], tmp / "out"))


@SETTINGS
@given(corpus=corpora(), area=st.sampled_from(AREAS))
def test_generated_text_extraction_round_trip(tmp_path_factory, corpus, area):
    """Tab-separated extractions of generated corpora (one year a cell, as extractions give them)."""
    tmp = tmp_path_factory.mktemp("gen")
    docs = _prepare(corpus, [1], area)
    path = tmp / "extract.txt"
    path.write_text(render_text(docs), encoding="utf-8")
    _check(docs, _import([path], tmp / "out"))

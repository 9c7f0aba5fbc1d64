"""PDF round trips: documents of roadmaps/ and generated ones rendered in the published layouts, imported back."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from checker.domain.load import LoadedDocument, load_file
from checker.importer.run import Options, run
from tests.helpers.import_facts import agreement

pytest.importorskip("reportlab")
from tests.helpers.pdf_render import render_review, render_review_with_other_table, render_roadmap

ROOT = Path(__file__).resolve().parents[1]


def _doc(name: str) -> dict:
    return load_file(ROOT / "roadmaps" / f"{name}.yaml").model.model_dump(mode="json", exclude_none=True)


def _import(paths: list[Path], out: Path, **kw) -> tuple[dict[str, dict], object]:
    outcome = run([str(p) for p in paths], Options(out, force=True, **kw))
    docs = {}
    for f in outcome.written:
        loaded = load_file(f)
        assert isinstance(loaded, LoadedDocument), loaded
        docs[loaded.model.document.id] = loaded.model.model_dump(mode="json", exclude_none=True)
    return docs, outcome


def _assert_same(expected: dict[str, dict], got: dict[str, dict]) -> None:
    for kind, (same, total, diffs) in agreement(expected, got).items():
        assert same == total, (kind, diffs)


@pytest.mark.parametrize("arrows", [False, True])
def test_roadmap_and_reviews_round_trip(tmp_path, arrows):
    names = ["kaikaku-2016-it", "progress-2017-it", "kpi-status-2017-it"]
    docs = {n: _doc(n) for n in names}
    paths = []
    for name, doc in docs.items():
        p = tmp_path / f"{name}.pdf"
        if doc["document"]["kind"] == "roadmap":
            render_roadmap(p, doc, arrows=arrows)
        else:
            render_review(p, doc, break_row=2, rows_per_page=3)
        paths.append(p)
    got, outcome = _import(paths, tmp_path / "out")
    assert not outcome.errors
    _assert_same(docs, got)
    assert got["progress-2017-it"]["document"]["reports_on"] == "kaikaku-2016-it"
    assert got["kaikaku-2016-it"]["document"]["reform_period"] == {"first": 2016, "last": 2018}


@pytest.mark.parametrize("style", ["rect", "round", "shape"])
def test_boxes_spanning_years_and_narrow_columns_across_pages(tmp_path, style):
    doc = copy.deepcopy(_doc("kaikaku-2015-it"))
    item = doc["reform_items"][0]
    item["schedule"][0]["fiscal_years"] = [2014, 2015, 2016, 2017]  # one box over four years
    item["schedule"][4]["fiscal_years"] = [2017, 2018, 2019, 2020]
    item["kpis"].append({"tier": 1, "text": "・生成した指標の名称【2015年度：10件 目標：2018年度までに20件】"})
    widths = [60.0, 150.0, 80.0, 95.0, 80.0, 110.0, 90.0, 120.0, 170.0]
    pdf = tmp_path / "wide.pdf"
    pages = render_roadmap(pdf, doc, widths=widths, arrows=True, page_height=420, style=style)
    assert pages > 1  # rows broken across pages
    got, outcome = _import([pdf], tmp_path / "out")
    assert not outcome.errors
    _assert_same({"kaikaku-2015-it": doc}, got)


def test_hostile_pdfs(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n%garbage\x00\x01 trailer")
    from reportlab.pdfgen.canvas import Canvas

    empty = tmp_path / "empty.pdf"
    c = Canvas(str(empty))
    c.drawString(100, 700, "Hello, no tables here")
    c.save()
    secret = tmp_path / "secret.pdf"
    c = Canvas(str(secret), encrypt="pw")
    c.drawString(100, 700, "secret")
    c.save()
    scanned = tmp_path / "scanned.pdf"
    c = Canvas(str(scanned))
    from PIL import Image  # reportlab depends on pillow
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (40, 40), "white")
    c.drawImage(ImageReader(img), 50, 50, 200, 200)
    c.save()
    outcome = run([str(p) for p in (fake, broken, empty, secret, scanned)], Options(tmp_path / "out"))
    text = "\n".join(outcome.errors)
    assert outcome.exit_code == 2 and len(outcome.errors) == 5, text
    assert "fake.pdf: named .pdf but is not a PDF" in text
    assert "encrypted" in text
    assert "empty.pdf: no 改革工程表" in text
    assert "scanned" in text.lower() or "image" in text.lower()
    assert not (tmp_path / "out").exists()


def test_a_bad_source_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.pdf"
    render_review(good, _doc("kpi-status-2017-local"))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 nothing")
    got, outcome = _import([bad, good], tmp_path / "out", reports_on="kaikaku-2016-local")
    assert outcome.exit_code == 2
    assert list(got) == ["kpi-status-2017-local"]
    _assert_same({"kpi-status-2017-local": _doc("kpi-status-2017-local")}, got)


def test_worker_count_does_not_change_the_result(tmp_path, monkeypatch):
    doc = _doc("kaikaku-2016-it")
    base = doc["reform_items"][0]
    doc["reform_items"] = [dict(copy.deepcopy(base), number=(i % 20) + 1) for i in range(45)]
    pdf = tmp_path / "long.pdf"
    assert render_roadmap(pdf, doc) >= 40  # long enough for worker processes
    texts = []
    for workers in ("1", "2", "3"):
        monkeypatch.setenv("ROADMAP_CHECK_WORKERS", workers)
        outcome = run([str(pdf)], Options(tmp_path / workers))
        assert not outcome.errors
        texts.append((tmp_path / workers / "kaikaku-2016-it.yaml").read_text(encoding="utf-8"))
    assert texts[0] == texts[1] == texts[2]
    assert texts[0].count("- id: ") == 45 * 19


def test_other_tables_on_a_review_page_are_skipped_and_said(tmp_path):
    doc = _doc("progress-2017-local")
    pdf = tmp_path / "mixed.pdf"
    render_review_with_other_table(pdf, doc)
    got, outcome = _import([pdf], tmp_path / "out", reports_on="kaikaku-2016-local")
    assert any("table 2: no 改革工程の進捗状況 or KPIの状況 header" in n for n in outcome.notes), outcome.notes
    _assert_same({"progress-2017-local": doc}, got)

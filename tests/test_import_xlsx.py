"""Excel round trips (merged cells give the spans) and hostile workbooks."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest

from checker.domain.load import LoadedDocument, load_file
from checker.importer.run import Options, run
from tests.helpers.import_facts import agreement

pytest.importorskip("openpyxl")
from tests.helpers.xlsx_render import render_workbook

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["kaikaku-2015-it", "kaikaku-2016-it", "progress-2017-it", "kpi-status-2017-it", "kaikaku-2016-local",
         "progress-2017-local", "kpi-status-2017-local"]


def _doc(name: str) -> dict:
    return load_file(ROOT / "roadmaps" / f"{name}.yaml").model.model_dump(mode="json", exclude_none=True)


def _import(paths, out, **kw):
    outcome = run([str(p) for p in paths], Options(out, force=True, **kw))
    docs = {}
    for f in outcome.written:
        loaded = load_file(f)
        assert isinstance(loaded, LoadedDocument), loaded
        docs[loaded.model.document.id] = loaded.model.model_dump(mode="json", exclude_none=True)
    return docs, outcome


# One sheet: the re-listing takes its key issue from the heading after it (as in the seed). On sheets of
# their own it has none, and its id says so (kaikaku-2016-it-relisted); test_import_text covers that path.
@pytest.mark.parametrize("one_sheet", [True])
def test_workbook_round_trip(tmp_path, one_sheet):
    docs = {n: _doc(n) for n in NAMES}
    book = tmp_path / "book.xlsx"
    render_workbook(book, list(docs.values()), one_sheet=one_sheet)
    got, outcome = _import([book], tmp_path / "out")
    assert not outcome.errors, outcome.errors
    assert sorted(got) == sorted(NAMES)
    for kind, (same, total, diffs) in agreement(docs, got).items():
        assert same == total, (kind, diffs)
    assert got["kaikaku-2016-it"]["document"]["supersedes"] == "kaikaku-2015-it"
    assert got["progress-2017-local"]["document"]["reports_on"] == "kaikaku-2016-local"


def test_merged_cells_give_spans(tmp_path):
    doc = copy.deepcopy(_doc("kaikaku-2016-it"))
    doc["reform_items"][0]["schedule"][0]["fiscal_years"] = [2016, 2017, 2018]
    book = tmp_path / "span.xlsx"
    render_workbook(book, [doc])
    got, _ = _import([book], tmp_path / "out")
    assert got["kaikaku-2016-it"]["reform_items"][0]["schedule"][0]["fiscal_years"] == [2016, 2017, 2018]
    assert got["kaikaku-2016-it"]["document"]["reform_period"] == {"first": 2016, "last": 2018}


def test_hostile_workbooks(tmp_path, monkeypatch):
    from checker.importer import xlsx

    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 2 * 1024 * 1024)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is no zip")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    notzip = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(notzip, "w") as zf:
        zf.writestr("hello.txt", "hi")
    outcome = run([str(corrupt), str(bomb), str(notzip)], Options(tmp_path / "out"))
    text = "\n".join(outcome.errors)
    assert outcome.exit_code == 2 and len(outcome.errors) == 3, text
    assert "damaged" in text and "unpacks to" in text and "no xl/workbook.xml" in text


def test_damaged_sheet_and_too_many_cells(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from checker.importer import xlsx

    book = tmp_path / "big.xlsx"
    wb = Workbook()
    for r in range(200):
        wb.active.append([f"r{r}c{c}" for c in range(20)])
    wb.save(book)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 1000)
    outcome = run([str(book)], Options(tmp_path / "out"))
    assert outcome.exit_code == 2 and "more than 1,000 cells" in outcome.errors[0]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet1.xml") else data)
    outcome = run([str(broken)], Options(tmp_path / "out"))
    assert outcome.exit_code == 2 and "not a readable .xlsx workbook" in outcome.errors[0], outcome.errors

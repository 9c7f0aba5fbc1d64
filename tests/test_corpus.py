"""The encoded corpus (roadmaps/*.yaml): shape, cross-references, verbatim text, spot checks.

Reads the YAML with ruamel.yaml and validates with the pydantic models directly, so that
it does not depend on checker.domain.load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from checker.domain.model import (
    MODEL_BY_KIND,
    KpiStatusDocument,
    ProgressReportDocument,
    RoadmapDocument,
)

REPO = Path(__file__).resolve().parents[1]
ROADMAPS = REPO / "roadmaps"
SOURCE_NAME = "000_10167e900aef3417.txt"
SOURCE_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "shared" / "source-documents" / SOURCE_NAME,
    Path("/work/shared/source-documents") / SOURCE_NAME,
)

# String leaves that are not copied from the source: identifiers, references to other
# documents, the 区分 code, and free descriptions written by the encoder.
NOT_VERBATIM = frozenset({"id", "kind", "supersedes", "reports_on", "source", "variant", "category"})

EXPECTED_IDS = {
    "kaikaku-2015-it",
    "kaikaku-2016-it",
    "kaikaku-2016-local",
    "progress-2017-it",
    "progress-2017-local",
    "kpi-status-2017-it",
    "kpi-status-2017-local",
}


def _files() -> list[Path]:
    return sorted(ROADMAPS.glob("*.yaml"))


def _load_raw(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level is not a mapping"
    return data


def _load(path: Path) -> RoadmapDocument | ProgressReportDocument | KpiStatusDocument:
    data = _load_raw(path)
    model = MODEL_BY_KIND[data["document"]["kind"]]
    return model.model_validate(data)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    loaded = {}
    for path in _files():
        doc = _load(path)
        loaded[doc.document.id] = doc
    return loaded


@pytest.fixture(scope="module")
def source_text() -> str:
    for candidate in SOURCE_CANDIDATES:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.skip(f"source document {SOURCE_NAME} not found")


def _string_leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path, node


# ------------------------------------------------------------------ shape


def test_exactly_seven_documents() -> None:
    assert len(_files()) == 7


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_file_validates_against_its_kind(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")
    doc = _load(path)
    assert doc.document.id == path.stem, "file name is the document id"


def test_ids_unique_and_expected() -> None:
    ids = [_load_raw(p)["document"]["id"] for p in _files()]
    assert len(ids) == len(set(ids))
    assert set(ids) == EXPECTED_IDS


def test_references_name_existing_documents(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        meta = doc.document
        for ref in (meta.supersedes, meta.reports_on):
            if ref is not None:
                assert ref in docs, f"{meta.id}: unknown document {ref}"
        if meta.kind == "roadmap":
            assert meta.reports_on is None
            if meta.supersedes is not None:
                assert docs[meta.supersedes].document.kind == "roadmap"
        else:
            assert meta.reports_on is not None
            assert docs[meta.reports_on].document.kind == "roadmap"


def test_schedule_ids_unique_and_years_in_range(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        if not isinstance(doc, RoadmapDocument):
            continue
        years = doc.document.fiscal_years
        for item in doc.reform_items:
            ids = [cell.id for cell in item.schedule]
            assert len(ids) == len(set(ids))
            assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
            for cell in item.schedule:
                assert cell.fiscal_years, f"{doc.document.id} {cell.id}: no fiscal year"
                for year in cell.fiscal_years:
                    assert years.first <= year <= years.last


# ------------------------------------------------------------------ verbatim


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_text_is_verbatim(path: Path, source_text: str) -> None:
    # Every value is read inside one tab-separated field (or one <p> cell) of the
    # source, so plain substring search on the raw text suffices; tabs are not
    # replaced, which also proves that no value straddles two cells.
    missing = [
        (".".join(map(str, leaf_path)), text)
        for leaf_path, text in _string_leaves(_load_raw(path))
        if leaf_path[-1] not in NOT_VERBATIM and text not in source_text
    ]
    assert not missing, f"{path.name}: text not found in the source: {missing}"


def _named_lines(source_field: str) -> list[int]:
    """Line numbers named by a `source:` value such as "….txt lines 80-85; key_issue from line 87"."""
    _, _, spec = source_field.partition(" line")
    numbers: list[int] = []
    for match in re.finditer(r"(\d+)(?:-(\d+))?", spec):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        numbers.extend(range(first, last + 1))
    return numbers


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_text_is_verbatim_within_named_lines(path: Path, source_text: str) -> None:
    # Stricter than the whole-file check: a value must occur in the lines the document's
    # `source:` names, so a value "corrected" to the wording of another document (e.g.
    # 庁室 → IT室, which the progress report prints) is caught.
    raw = _load_raw(path)
    source_field = raw["document"]["source"]
    assert source_field.startswith(SOURCE_NAME)
    lines = source_text.split("\n")
    named = _named_lines(source_field)
    assert named, f"{path.name}: source names no lines"
    assert all(1 <= n <= len(lines) for n in named)
    excerpt = "\n".join(lines[n - 1] for n in named)
    missing = [
        (".".join(map(str, leaf_path)), text)
        for leaf_path, text in _string_leaves(raw)
        if leaf_path[-1] not in NOT_VERBATIM and text not in excerpt
    ]
    assert not missing, f"{path.name}: text not found in {source_field}: {missing}"


# ------------------------------------------------------------------ spot checks

COUNTS = {
    # id: (reform items, schedule cells, KPIs)
    "kaikaku-2015-it": (1, 8, 3),
    "kaikaku-2016-it": (1, 19, 3),
    "kaikaku-2016-local": (1, 9, 3),
}
PROGRESS_COUNTS = {
    # id: (entries, progress statements, next-step statements)
    "progress-2017-it": (7, 8, 8),
    "progress-2017-local": (4, 4, 4),
}
STATUS_COUNTS = {"kpi-status-2017-it": 3, "kpi-status-2017-local": 3}


@pytest.mark.parametrize("doc_id", sorted(COUNTS))
def test_roadmap_counts(docs: dict[str, Any], doc_id: str) -> None:
    doc = docs[doc_id]
    items, cells, kpis = COUNTS[doc_id]
    assert len(doc.reform_items) == items
    assert sum(len(i.schedule) for i in doc.reform_items) == cells
    assert sum(len(i.kpis) for i in doc.reform_items) == kpis
    assert [i.number for i in doc.reform_items] == [15]


@pytest.mark.parametrize("doc_id", sorted(PROGRESS_COUNTS))
def test_progress_counts(docs: dict[str, Any], doc_id: str) -> None:
    doc = docs[doc_id]
    entries, progress, next_steps = PROGRESS_COUNTS[doc_id]
    all_entries = [e for i in doc.reform_items for e in i.entries]
    assert len(all_entries) == entries
    assert sum(len(e.progress) for e in all_entries) == progress
    assert sum(len(e.next_steps) for e in all_entries) == next_steps
    for entry in all_entries:
        for statement in entry.progress:
            assert statement.status == "順調"
            assert statement.text.endswith("(順調)")
        for statement in (*entry.progress, *entry.next_steps):
            assert statement.ministry in {"総務省", "IT室"}
            assert not statement.text.startswith("【")


@pytest.mark.parametrize("doc_id", sorted(STATUS_COUNTS))
def test_status_counts(docs: dict[str, Any], doc_id: str) -> None:
    rows = [r for i in docs[doc_id].reform_items for r in i.kpis]
    assert len(rows) == STATUS_COUNTS[doc_id]
    assert [r.tier for r in rows] == [1, 2, 2]
    assert [r.category for r in rows] == ["A", "N", "N"]


def _cells(doc: RoadmapDocument) -> list[str]:
    return [cell.text for item in doc.reform_items for cell in item.schedule]


def test_group_counts_differ_between_revisions(docs: dict[str, Any]) -> None:
    assert any("全国で54グループ" in text for text in _cells(docs["kaikaku-2015-it"]))
    assert any("全国で56グループ" in text for text in _cells(docs["kaikaku-2016-it"]))
    assert not any("全国で56グループ" in text for text in _cells(docs["kaikaku-2015-it"]))


def test_typo_kept_in_roadmap_and_progress(docs: dict[str, Any]) -> None:
    cells = _cells(docs["kaikaku-2016-it"])
    assert (
        "・庁室と総務省が、市町村を中心に首長を直接訪問し、自治体クラウド導入の具体的な検討を働きかけ"
        in cells
    )
    assert not any("IT室と総務省が" in text for text in cells)
    rows = [e.schedule_item for i in docs["progress-2017-it"].reform_items for e in i.entries]
    assert any(row.startswith("・IT室と総務省が") for row in rows)
    (row,) = [row for row in rows if row.startswith("・IT室と総務省が")]
    assert "・都道府県に対しても" in row
    entry = next(
        e for i in docs["progress-2017-it"].reform_items for e in i.entries if e.schedule_item == row
    )
    assert [s.ministry for s in entry.progress] == ["総務省", "IT室"]
    assert [s.ministry for s in entry.next_steps] == ["総務省", "IT室"]


def test_kpi_status_it_first_row(docs: dict[str, Any]) -> None:
    rows = [r for i in docs["kpi-status-2017-it"].reform_items for r in i.kpis]
    row = next(r for r in rows if r.name == "クラウド導入市町村数")
    assert row.tier == 1
    assert row.category == "A"
    assert row.actual is not None
    assert row.actual.text == "948団体"
    assert row.actual.as_of == dt.date(2017, 4, 1)
    assert row.target == "2014年度から 2017年度まで に倍増(約 1000団体)"


def test_kpi_status_local_marks_relisting(docs: dict[str, Any]) -> None:
    rows = [r for i in docs["kpi-status-2017-local"].reform_items for r in i.kpis]
    assert all(r.name.endswith("【再掲】") for r in rows)


def test_kpi_flags(docs: dict[str, Any]) -> None:
    for doc_id in COUNTS:
        for item in docs[doc_id].reform_items:
            for kpi in item.kpis:
                assert kpi.text.startswith("・")
                assert bool(kpi.ex_post) == ("事後的に検証する指標" in kpi.text)
                assert bool(kpi.relisted) == ("(再掲)" in kpi.text)
                assert kpi.name is None and kpi.target is None and kpi.deadline is None
    local = [k for i in docs["kaikaku-2016-local"].reform_items for k in i.kpis]
    assert [k.tier for k in local] == [1, 1, 2]
    assert sum(bool(k.relisted) for k in local) == 2


def test_responsible_split(docs: dict[str, Any]) -> None:
    it = docs["kaikaku-2016-it"].reform_items[0]
    assert it.responsible == ["総務省地域力創造グループ", "内閣官房 情報通信技術(IT)総合戦略室"]
    local = docs["kaikaku-2016-local"].reform_items[0]
    assert local.responsible == ["総務省地域力創造グループ", "自治財政局"]


def test_metadata(docs: dict[str, Any]) -> None:
    assert docs["kaikaku-2015-it"].document.published == dt.date(2015, 12, 24)
    assert docs["kaikaku-2016-it"].document.published == dt.date(2016, 12, 21)
    assert docs["kaikaku-2016-it"].document.supersedes == "kaikaku-2015-it"
    assert docs["kaikaku-2016-local"].document.supersedes is None
    for doc in docs.values():
        meta = doc.document
        if meta.kind == "roadmap":
            assert meta.reform_period is not None
            assert (meta.reform_period.first, meta.reform_period.last) == (2016, 2018)
        else:
            assert meta.covers is not None
            assert (meta.covers.first, meta.covers.last) == (2017, 2017)
            assert meta.revision == 2016

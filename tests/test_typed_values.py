"""Typed fields accept what Japanese editors write (和暦, 2017/4/1, 2017年4月1日, full-width digits)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.domain.load import LoadedDocument, load_text
from checker.domain.typed_values import ERAS, parse_date_text

HEAD = "document:\n  id: r\n  kind: {kind}\n  title: t\n"


@pytest.mark.parametrize("text,date", [
    ("平成29年4月1日", dt.date(2017, 4, 1)), ("平成29年8月31日", dt.date(2017, 8, 31)),
    ("令和元年5月1日", dt.date(2019, 5, 1)), ("令和2年3月31日", dt.date(2020, 3, 31)),
    ("平成元年1月8日", dt.date(1989, 1, 8)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("平成 28 年 12 月 21 日", dt.date(2016, 12, 21)), ("平成２９年４月１日", dt.date(2017, 4, 1)),
    ("H29.4.1", dt.date(2017, 4, 1)), ("R1.5.1", dt.date(2019, 5, 1)), ("㍻29年4月1日", dt.date(2017, 4, 1)),
    ("2017/4/1", dt.date(2017, 4, 1)), ("2017/04/01", dt.date(2017, 4, 1)), ("2017年4月1日", dt.date(2017, 4, 1)),
    ("２０１７年４月１日", dt.date(2017, 4, 1)), ("2017.4.1", dt.date(2017, 4, 1)), ("2017-4-1", dt.date(2017, 4, 1)),
])
def test_date_forms(text, date):
    assert parse_date_text(text) == date


@pytest.mark.parametrize("text", ["平成29年13月1日", "2017/2/30", "来年度", "平成29年度", "2017", "令和元年", ""])
def test_not_a_date(text):
    assert parse_date_text(text) is None


@given(st.dates(dt.date(1989, 1, 8), dt.date(2040, 12, 31)), st.booleans(), st.booleans())
def test_any_date_written_in_its_era_reads_back(date, full_width, gannen):
    era = max((name for name, first in ERAS.items() if first <= date.year), key=ERAS.get)
    if era == "令和" and date < dt.date(2019, 5, 1):
        era = "平成"  # 令和 began on 1 May 2019
    year = date.year - ERAS[era] + 1
    shown = "元" if year == 1 and gannen else str(year)
    text = f"{era}{shown}年{date.month}月{date.day}日"
    if full_width:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_date_text(text) == date
    assert parse_date_text(f"{date.year}/{date.month}/{date.day}") == date


def _load(text: str) -> LoadedDocument:
    result = load_text(text, "f.yaml")
    assert isinstance(result, LoadedDocument), result
    return result


def test_document_fields_take_wareki_and_full_width_and_keep_their_span():
    doc = _load(HEAD.format(kind="kpi_status") + "  published: 平成29年8月31日\n  revision: ２０１６\n"
                "reform_items:\n  - number: １５\n    kpis:\n"
                "      - {tier: １, name: n, target: '-', actual: {text: 948団体, as_of: 2017/4/1}}\n")
    assert doc.model.document.published == dt.date(2017, 8, 31)
    assert doc.model.document.revision == 2016
    item = doc.model.reform_items[0]
    assert item.number == 15 and item.kpis[0].tier == 1 and item.kpis[0].actual.as_of == dt.date(2017, 4, 1)
    assert doc.span(("document", "published")).line == 5
    assert doc.span(("reform_items", 0, "kpis", 0, "actual", "as_of")).line == 10


def test_roadmap_years_and_values_take_full_width_digits():
    doc = _load(HEAD.format(kind="roadmap") + "  fiscal_years: {first: ２０１６, last: '2018'}\n"
                "reform_items:\n  - number: 1\n    title: t\n    schedule: [{id: s1, text: x, fiscal_years: [２０１７]}]\n"
                "    kpis: [{tier: 1, text: x, baseline: {value: '１，０００', unit: 団体}}]\n")
    assert doc.model.document.fiscal_years.first == 2016
    assert doc.model.reform_items[0].schedule[0].fiscal_years == [2017]
    assert doc.model.reform_items[0].kpis[0].baseline.value == 1000.0


@pytest.mark.parametrize("field,value,en,ja", [
    ("published", "来年4月", "write the date as YYYY-MM-DD", "YYYY-MM-DD"),
    ("published", "平成29年13月1日", "write the date as YYYY-MM-DD", "平成29年4月1日 のように書く"),
    ("revision", "二〇一六", "half-width digits", "半角数字"),
    ("revision", "2016年", "half-width digits", "半角数字"),
])
def test_what_cannot_be_read_says_what_to_write(field, value, en, ja):
    result = load_text(HEAD.format(kind="roadmap") + f"  {field}: {value}\nreform_items: []\n", "f.yaml")
    assert isinstance(result, list) and len(result) == 1
    err = result[0]
    assert en in err.message and ja in err.message_ja and err.line == 5
    assert unicodedata.normalize("NFKC", value) in unicodedata.normalize("NFKC", err.message)


def test_tier_in_full_width_is_accepted_and_a_wrong_tier_still_refused():
    ok = _load(HEAD.format(kind="roadmap") + "reform_items:\n  - {number: 1, title: t, kpis: [{tier: '２', text: x}]}\n")
    assert ok.model.reform_items[0].kpis[0].tier == 2
    bad = load_text(HEAD.format(kind="roadmap") + "reform_items:\n  - {number: 1, title: t, kpis: [{tier: ３, text: x}]}\n",
                    "f.yaml")
    assert isinstance(bad, list) and "1 or 2" in bad[0].message

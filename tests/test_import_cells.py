"""The importer's cell readers on invented texts in the forms the published tables use."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.importer import cells as C


@pytest.mark.parametrize(("label", "years"), [
    ("2014・2015年度 《主担当府省庁等》", [2014, 2015]),
    ("～2016年度 《主担当府省庁等》", [2016]),
    ("2020年度～", [2020]),
    ("2017年度", [2017]),
    ("2014～2016年度", [2014, 2015, 2016]),
    ("平成28年度", [2016]),
    ("平成元年度", [1989]),
    ("令和2年度", [2020]),
    ("２０１８年度", [2018]),
    ("KPI(第一階層)", []),
    ("集中改革期間", []),
])
def test_years_of_header_labels(label, years):
    assert C.years_of(label) == years


@pytest.mark.parametrize(("text", "expected"), [
    ("<⑮(地方)業務の簡素化>", (15, "(地方)業務の簡素化")),
    ("＜①社会保障の見直し＞", (1, "社会保障の見直し")),
    ("〈㉑インフラの老朽化対策〉", (21, "インフラの老朽化対策")),
    ("⑳医療費適正化", (20, "医療費適正化")),
    ("<p>本文</p>", None),
    ("自治体クラウド", None),
])
def test_item_titles(text, expected):
    assert C.item_number(text) == expected


@pytest.mark.parametrize(("line", "title", "printed", "date", "revision"), [
    ("経済・財政再生計画 改革工程表(平成27年12月24日)", "経済・財政再生計画 改革工程表", "平成27年12月24日",
     dt.date(2015, 12, 24), 2015),
    ("経済・財政再生計画 改革工程表 2016改定版 (平成28年12月21日)", "経済・財政再生計画 改革工程表 2016改定版",
     "平成28年12月21日", dt.date(2016, 12, 21), 2016),
    ("新経済・財政再生計画 改革工程表2018（2018年12月20日）", "新経済・財政再生計画 改革工程表2018", "2018年12月20日",
     dt.date(2018, 12, 20), 2018),
    ("改革工程表", "改革工程表", None, None, None),
])
def test_titles(line, title, printed, date, revision):
    assert C.split_title(line) == (title, printed, date, revision)


def test_statements_split_at_ministries_with_status():
    text = "【総務省】調査を実施した。 追加で説明会を開催した。(順調) 【IT室】訪問を実施。(遅れ)\n【内閣官房 IT総合戦略室】検討中。"
    assert C.split_statements(text) == [
        ("総務省", "調査を実施した。 追加で説明会を開催した。(順調)", "順調"),
        ("IT室", "訪問を実施。(遅れ)", "遅れ"),
        ("内閣官房 IT総合戦略室", "検討中。", None),
    ]


def test_statements_without_ministry_and_inner_brackets():
    assert C.split_statements("必要な支援を実施。【目標：3割】を参照。(概ね順調)") == [
        (None, "必要な支援を実施。【目標：3割】を参照。(概ね順調)", "概ね順調")]
    assert C.split_statements("調査中(予定)") == [(None, "調査中(予定)", None)]


_JA = st.text(st.sampled_from("自治体クラウドの導入を支援し調査研究実施。、・(0123)"), min_size=1, max_size=30)


@given(st.lists(st.tuples(st.sampled_from(["総務省", "IT室", "内閣官房 IT総合戦略室", "財務省主計局"]), _JA,
                          st.sampled_from([None, *C.STATUS_WORDS])), min_size=1, max_size=4),
       st.sampled_from([" ", "\n"]))
def test_statements_round_trip(parts, sep):
    texts = [body.strip("【】") + (f"({status})" if status else "") for _, body, status in parts]
    text = sep.join(f"【{m}】{t}" for (m, _, _), t in zip(parts, texts, strict=True))
    got = C.split_statements(text)
    assert [(m, t) for m, t, _ in got] == [(m, t.rstrip(" \u3000\n")) for (m, _, _), t in zip(parts, texts, strict=True)]


@pytest.mark.parametrize(("text", "value", "as_of"), [
    ("948団体 (2017年4月1日)", "948団体", dt.date(2017, 4, 1)),
    ("1,200件（平成29年3月31日）", "1,200件", dt.date(2017, 3, 31)),
    ("-", "-", None),
    ("約3割 (2016年度)", "約3割 (2016年度)", None),
])
def test_actual_value_and_date(text, value, as_of):
    assert C.split_actual(text) == (value, as_of)


@pytest.mark.parametrize(("text", "tier", "name"), [
    ("第一階層 クラウド導入市町村数", 1, "クラウド導入市町村数"),
    ("第2階層　運用コスト", 2, "運用コスト"),
    ("第二階層\n歳出効率化の成果", 2, "歳出効率化の成果"),
    ("運用コスト", None, "運用コスト"),
])
def test_tiers(text, tier, name):
    assert C.split_tier(text) == (tier, name)


def test_kpis_split_at_bullets_only():
    cell = "・歳出効率化の成果 (事後的に検証する指標) ・地方公共団体の情報システム運用コスト【目標：3割圧縮】"
    assert C.split_kpis(cell) == ["・歳出効率化の成果 (事後的に検証する指標)", "・地方公共団体の情報システム運用コスト【目標：3割圧縮】"]
    assert C.split_kpis("・国・地方の協議件数\n・都道府県数") == ["・国・地方の協議件数", "・都道府県数"]
    assert C.split_kpis("・国・地方の\n協議件数") == ["・国・地方の協議件数"]


def test_schedule_cells_split_at_spaces_only_when_asked():
    text = "自治体に対し助言・提供し普及促進を徹底 複数団体による導入を重点的に支援 ・庁室と総務省が働きかけ"
    assert [p for p, _ in C.split_schedule(text)] == ["自治体に対し助言・提供し普及促進を徹底 複数団体による導入を重点的に支援",
                                                     "・庁室と総務省が働きかけ"]
    parts = C.split_schedule(text, at_spaces=True)
    assert parts == [("自治体に対し助言・提供し普及促進を徹底", True), ("複数団体による導入を重点的に支援", True),
                     ("・庁室と総務省が働きかけ", False)]
    # Not after a date, not before a bracket, not for short words.
    assert len(C.split_schedule("○2015年度・2016年度 自治体クラウドの取組事例について深掘り", at_spaces=True)) == 1
    assert len(C.split_schedule("歳出効率化の成果を測定する (事後的に検証する指標)", at_spaces=True)) == 1
    assert len(C.split_schedule("内閣官房 情報通信技術総合戦略室と連携", at_spaces=True)) == 1


@pytest.mark.parametrize(("text", "names"), [
    ("《総務省地域力創造グループ、内閣官房 情報通信技術(IT)総合戦略室》", ["総務省地域力創造グループ", "内閣官房 情報通信技術(IT)総合戦略室"]),
    ("《総務省地域力創造グループ・自治財政局》", ["総務省地域力創造グループ", "自治財政局"]),
    ("《まち・ひと・しごと創生本部事務局、厚生労働省》", ["まち・ひと・しごと創生本部事務局", "厚生労働省"]),
    ("《内閣府、財務省、総務省》", ["内閣府", "財務省", "総務省"]),
])
def test_responsible_names(text, names):
    assert C.is_responsible(text)
    assert C.responsible_names(text) == names


def test_timeline_and_kpi_shapes():
    assert C.is_timeline("通常国会 概算要求 税制改正要望等 年末 通常国会")
    assert not C.is_timeline("通常国会に法案を提出")
    assert C.looks_like_kpi("・クラウド導入市区町村数【2014年度：550団体 目標：倍増】")
    assert C.looks_like_kpi("・歳出効率化の成果 (事後的に検証する指標)")
    assert not C.looks_like_kpi("・クラウド化した団体の実装の詳細を把握・検証")

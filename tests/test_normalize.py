"""Tests for checker.domain.normalize: PDF spaces, bullets, brackets, 和暦, 年度 and numbers."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domain import normalize
from checker.domain.normalize import (
    ERA_START,
    collapse_whitespace,
    fiscal_year_bounds,
    fiscal_year_of,
    kanji_to_int,
    nfkc,
    normalize_for_match,
    parse_date,
    parse_fiscal_year,
    parse_number,
    remove_pdf_spaces,
    replace_wareki,
    split_bullets,
    strip_bullets,
    strip_tags,
    unify_brackets,
    wareki_to_year,
)

# ---------------------------------------------------------------- PDF spaces


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("運用コ スト", "運用コスト"),
        ("現在調 査中", "現在調査中"),
        ("地方公共団体の情報システム運用コ スト", "地方公共団体の情報システム運用コスト"),
        ("集中 改革期間中に 設定", "集中改革期間中に設定"),
        ("2014年度から 2017年度まで に倍増(約 1000団体)", "2014年度から2017年度までに倍増(約1000団体)"),
        ("2018年度までに目標期限を設定 予定", "2018年度までに目標期限を設定予定"),
        ("2019年3月 頃に公表予定", "2019年3月頃に公表予定"),
        ("歳出効率化の成果(事後的に検証する 指標)", "歳出効率化の成果(事後的に検証する指標)"),
        ("全角\u3000空白", "全角空白"),
        ("Open Data", "Open Data"),
        ("KPI (第一階層)", "KPI (第一階層)"),
        ("", ""),
    ],
)
def test_remove_pdf_spaces(raw: str, expected: str) -> None:
    assert remove_pdf_spaces(raw) == expected


def test_nfkc_and_whitespace() -> None:
    assert nfkc("２０１７年度（Ｈ２９）") == "2017年度(H29)"
    assert collapse_whitespace(" a\t\nb\u3000 c ") == "a b c"


# ---------------------------------------------------------------- bullets


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("・クラウド導入市区町村数", "クラウド導入市区町村数"),
        ("○2015年度・2016年度 自治体クラウド", "2015年度・2016年度 自治体クラウド"),
        ("● ◎ ■ □ ◆ ◇ ※ 注", "注"),
        ("①自治体", "自治体"),
        ("- item", "item"),
        ("* item", "item"),
        ("⑮(地方)業務の簡素化", "⑮(地方)業務の簡素化"),
        ("-", "-"),
        ("簡素化・標準化", "簡素化・標準化"),
    ],
)
def test_strip_bullets(raw: str, expected: str) -> None:
    assert strip_bullets(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("・A ・B", ["A", "B"]),
        ("簡素化・標準化", ["簡素化・標準化"]),
        ("", []),
        ("plain", ["plain"]),
        (
            "・IT室と総務省が、市町村を中心に首長を直接訪問し、自治体クラウド導入の具体的な検討を働きかけ"
            " ・都道府県に対しても、具体的な動きが見えてきた市町村の取組を支援するよう働きかけ",
            [
                "IT室と総務省が、市町村を中心に首長を直接訪問し、自治体クラウド導入の具体的な検討を働きかけ",
                "都道府県に対しても、具体的な動きが見えてきた市町村の取組を支援するよう働きかけ",
            ],
        ),
        (
            "・歳出効率化の成果 (事後的に検証する指標) ・地方公共団体の情報システム運用コスト【目標：3割圧縮】",
            [
                "歳出効率化の成果 (事後的に検証する指標)",
                "地方公共団体の情報システム運用コスト【目標：3割圧縮】",
            ],
        ),
        ("① 第一 ② 第二", ["第一", "第二"]),
        ("業務の簡素化・標準化の推進 ○自治体情報", ["業務の簡素化・標準化の推進", "自治体情報"]),
    ],
)
def test_split_bullets(raw: str, expected: list[str]) -> None:
    assert split_bullets(raw) == expected


# ---------------------------------------------------------------- brackets and tags


def test_unify_brackets_keeps_roles_apart() -> None:
    assert unify_brackets("（注）") == "(注)"
    assert unify_brackets("＜⑮＞<⑮>〈⑮〉") == "〈⑮〉〈⑮〉〈⑮〉"
    assert unify_brackets("≪総務省≫《総務省》") == "《総務省》《総務省》"
    assert unify_brackets("〖再掲〗[再掲]【再掲】") == "【再掲】【再掲】【再掲】"
    assert unify_brackets("『手引』｢手引｣") == "「手引」「手引」"


def test_strip_tags() -> None:
    assert strip_tags("<p>A</p> <P>B</P><br/>") == " A   B  "
    assert strip_tags("<<p>p>x") == " x"
    assert strip_tags("〈⑮〉 a<b") == "〈⑮〉 a<b"


def test_normalize_for_match_source_row() -> None:
    raw = "<p>＜⑮(地方)業務の簡素化・標準化、自治体クラウドの積極的展開＞</p>"
    assert normalize_for_match(raw) == "〈15(地方)業務の簡素化・標準化、自治体クラウドの積極的展開〉"
    assert (
        normalize_for_match("・地方公共団体の情報システム運用コ スト ")
        == "地方公共団体の情報システム運用コスト"
    )


_JAPANESE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
        st.sampled_from(list("　 \t\n・○①⑮【】《》<>＜＞（）()「」『』〈〉,，：:-*~～0123456789０１２pP/")),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@given(_JAPANESE_TEXT)
def test_normalize_for_match_is_idempotent(s: str) -> None:
    once = normalize_for_match(s)
    assert normalize_for_match(once) == once


_TAGGED_TEXT = st.lists(st.one_of(_JAPANESE_TEXT, st.sampled_from(["<p>", "</p>", "<br/>", "<", ">", "<span a>"])),
                        max_size=6).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TAGGED_TEXT)
def test_shortcuts_give_what_the_full_steps_give(s: str) -> None:
    """The steps skip their regex or translation when the text cannot need it; the result is the same."""
    assert unify_brackets(s) == s.translate(normalize._BRACKET_MAP)
    assert remove_pdf_spaces(s) == normalize._PDF_SPACE.sub("", s)
    assert collapse_whitespace(s) == re.sub(r"\s+", " ", s).strip()
    full = s
    while (out := normalize._TAG.sub(" ", full)) != full:
        full = out
    assert strip_tags(s) == full


def test_str_split_and_regex_agree_on_whitespace() -> None:
    """collapse_whitespace relies on str.split() and re's \\s meaning the same characters."""
    space = re.compile(r"\s")
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if (space.match(c) is not None) != c.isspace()] == []


@given(_JAPANESE_TEXT)
def test_remove_pdf_spaces_keeps_non_space_characters(s: str) -> None:
    assert remove_pdf_spaces(s).replace(" ", "").replace("\u3000", "") == s.replace(" ", "").replace(
        "\u3000", ""
    )


# ---------------------------------------------------------------- 和暦


@pytest.mark.parametrize(
    ("era", "n", "year"),
    [
        ("平成", "元", 1989),
        ("平成", 1, 1989),
        ("平成", 28, 2016),
        ("平成", "29", 2017),
        ("平成", "２８", 2016),
        ("平成", "二十八", 2016),
        ("平成", 31, 2019),
        ("平成", 32, 2020),
        ("令和", "元", 2019),
        ("令和", 6, 2024),
        ("昭和", 64, 1989),
        ("昭和", 1, 1926),
        ("大正", 15, 1926),
        ("明治", 45, 1912),
        ("H", 29, 2017),
        ("R", "元", 2019),
    ],
)
def test_wareki_to_year(era: str, n: int | str, year: int) -> None:
    assert wareki_to_year(era, n) == year


@pytest.mark.parametrize(("era", "n"), [("天保", 1), ("平成", 0), ("平成", "x"), ("X", 3)])
def test_wareki_to_year_rejects(era: str, n: int | str) -> None:
    with pytest.raises(ValueError):
        wareki_to_year(era, n)


@given(st.sampled_from(sorted(ERA_START)), st.integers(min_value=1, max_value=64))
def test_wareki_property(era: str, n: int) -> None:
    assert wareki_to_year(era, n) == ERA_START[era] + n - 1
    assert replace_wareki(f"{era}{n}年度") == f"{ERA_START[era] + n - 1}年度"


@given(st.integers(min_value=1, max_value=40))
def test_heisei_round_trip(n: int) -> None:
    assert replace_wareki(f"平成{n}年度") == f"{1988 + n}年度"
    assert parse_fiscal_year(f"平成{n}年度") == 1988 + n
    assert parse_fiscal_year(f"H{n}年度") == 1988 + n


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("【総務省】平成29年度中に試算・公表する。", "【総務省】2017年度中に試算・公表する。"),
        ("2016改定版(平成28年12月21日)", "2016改定版(2016年12月21日)"),
        ("平成二十八年", "2016年"),
        ("平成２８年度", "2016年度"),
        ("H29年度", "2017年度"),
        ("平成元年", "1989年"),
        ("平成28～30年度", "2016～2018年度"),
        ("2017年度", "2017年度"),
        ("PH29年", "PH29年"),
        ("平成の時代", "平成の時代"),
    ],
)
def test_replace_wareki(raw: str, expected: str) -> None:
    assert replace_wareki(raw) == expected


def test_kanji_to_int() -> None:
    assert [kanji_to_int(s) for s in ["十", "二十八", "百二十", "二〇一七", "千九百八十九"]] == [
        10,
        28,
        120,
        2017,
        1989,
    ]
    assert kanji_to_int("abc") is None
    assert kanji_to_int("") is None


# ---------------------------------------------------------------- dates and fiscal years


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2017年4月1日", dt.date(2017, 4, 1)),
        ("平成28年12月21日", dt.date(2016, 12, 21)),
        ("2017-04-01", dt.date(2017, 4, 1)),
        ("2017/4/1", dt.date(2017, 4, 1)),
        ("H29.4.1", dt.date(2017, 4, 1)),
        ("948団体 (2017年4月1日)", dt.date(2017, 4, 1)),
        ("２０１７年４月１日", dt.date(2017, 4, 1)),
        ("2017年2月30日", None),
        ("2017年度", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


def test_fiscal_year_examples() -> None:
    assert fiscal_year_of(dt.date(2018, 3, 31)) == 2017
    assert fiscal_year_of(dt.date(2018, 4, 1)) == 2018
    assert fiscal_year_bounds(2017) == (dt.date(2017, 4, 1), dt.date(2018, 3, 31))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_fiscal_year_contains_date(d: dt.date) -> None:
    first, last = fiscal_year_bounds(fiscal_year_of(d))
    assert first <= d <= last


@given(st.integers(min_value=1900, max_value=2199))
def test_fiscal_year_bounds_are_contiguous(fy: int) -> None:
    first, last = fiscal_year_bounds(fy)
    assert fiscal_year_of(first) == fiscal_year_of(last) == fy
    assert fiscal_year_bounds(fy + 1)[0] - last == dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2017年度", 2017),
        ("平成29年度", 2017),
        ("H29年度", 2017),
        ("FY2017", 2017),
        ("2017年", None),
        ("", None),
    ],
)
def test_parse_fiscal_year(raw: str, expected: int | None) -> None:
    assert parse_fiscal_year(raw) == expected


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,000", 1000.0),
        ("約1,000", 1000.0),
        ("約1,000団体", 1000.0),
        ("１，０００", 1000.0),
        ("550団体", 550.0),
        ("3割", 0.3),
        ("5割", 0.5),
        ("三割", 0.3),
        ("10万件", 100000.0),
        ("1.5億円", 150000000.0),
        ("30%", 30.0),
        ("▲3割", -0.3),
        ("-", None),
        ("倍増", None),
        ("", None),
    ],
)
def test_parse_number(raw: str, expected: float | None) -> None:
    result = parse_number(raw)
    assert result == (pytest.approx(expected) if expected is not None else None)


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_thousands_separators(n: int) -> None:
    assert parse_number(f"約{n:,}団体") == n
    assert parse_number(f"{n}") == n

"""Text normalisation for roadmap text: NFKC, PDF spaces, bullets, brackets, 和暦 → 西暦, 年度 and numbers."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

# ---------------------------------------------------------------- characters

# "Japanese" for the purpose of PDF-space removal: kana, kanji, CJK punctuation (without the
# ideographic space itself), full-width and half-width forms, and circled numbers such as ⑮.
_JP = (
    "\u3001-\u303f"  # CJK symbols and punctuation: 、。「」【】《》〈〉々〆〇
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana, including the middle dot ・
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff01-\uffef"  # full-width and half-width forms
    "\u2460-\u24ff"  # circled numbers ①…⑳
    "\u3250-\u32ff"  # circled numbers ㉑…㊿
)
_JP_CHAR = f"[{_JP}]"
_SPACES = "[ \u3000]+"

# A run of spaces goes when one neighbour is Japanese and the other is anything but a space:
# Japanese text has no word spaces, so such a space can only be a PDF line break. Two Latin
# words keep their space ("Open Data").
_PDF_SPACE = re.compile(rf"(?<={_JP_CHAR}){_SPACES}(?=\S)|(?<=\S){_SPACES}(?={_JP_CHAR})")


def nfkc(s: str) -> str:
    """Return the NFKC form of `s` (full-width ASCII → ASCII, half-width kana → kana, ① → 1)."""
    return unicodedata.normalize("NFKC", s)


def remove_pdf_spaces(s: str) -> str:
    """Remove spaces (ASCII or U+3000) that PDF line breaks leave next to Japanese characters.

    "運用コ スト" → "運用コスト"; "から 2017年度まで に" → "から2017年度までに"; "Open Data" stays.
    Bullet structure is lost ("A ・B" → "A・B"), so call `split_bullets` first when it matters.
    """
    if " " not in s and "\u3000" not in s:  # nothing to remove: skip the regex, which scans slowly
        return s
    return _PDF_SPACE.sub("", s)


def collapse_whitespace(s: str) -> str:
    """Replace every run of whitespace (tabs, newlines, U+3000) by one ASCII space and trim."""
    # The same as re.sub(r"\s+", " ", s).strip(), since str.split and the regex's \s both use
    # Python's definition of whitespace (tests/test_normalize.py checks every code point), at a quarter
    # of the cost.
    return " ".join(s.split())


# ---------------------------------------------------------------- bullets

_BULLET_SYMBOLS = "・･○●◯◎■□◆◇※•◦▪▫‣"
_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
# ASCII - and * count only before a space, so "-" (a table's "none") and "-1" survive; a circled
# number counts unless a bracket follows, because "⑮(地方)…" numbers a reform item, not a list entry.
_BULLET = rf"(?:[{_BULLET_SYMBOLS}]|[-*](?=\s)|[{_CIRCLED}](?![(（]))"
_LEADING_BULLETS = re.compile(rf"^\s*(?:{_BULLET}\s*)+")
_SPLIT_BULLET = re.compile(rf"(?:^|(?<=\s)){_BULLET}")


def strip_bullets(s: str) -> str:
    """Remove leading list markers (・ ○ ● ◯ ◎ ■ □ ◆ ◇ ※, "- ", "* ", ①…) and the spaces after them."""
    return _LEADING_BULLETS.sub("", s)


def split_bullets(s: str) -> list[str]:
    """Split a cell into its bulleted parts; a bullet counts only at the start or after whitespace.

    "・A ・B" → ["A", "B"]; "簡素化・標準化" stays one part. Empty parts are dropped.
    """
    parts = _SPLIT_BULLET.split(s)
    return [p.strip() for p in parts if p.strip()]


# ---------------------------------------------------------------- brackets

# Canonical forms, one per role, so that fuzzy matching does not see variant glyphs as edits:
#   【】 labels (【総務省】, 【目標：…】)   ← 【】 〖〗 ［］ []
#   《》 responsible ministries (《総務省》) ← 《》 ≪≫ «»
#   ()   notes ((順調), (再掲))          ← （） 〔〕 ⦅⦆ ｟｠
#   〈〉 headings (〈⑮…〉)                ← 〈〉 <> ＜＞ 〈〉 ‹›
#   「」 quotations                      ← 「」 『』 ｢｣
# 〈〉 is chosen over ASCII <> so that a canonical heading can never be mistaken for an HTML tag.
_BRACKET_MAP = str.maketrans(
    {
        "〖": "【", "〗": "】", "［": "【", "］": "】", "[": "【", "]": "】",
        "≪": "《", "≫": "》", "«": "《", "»": "》",
        "（": "(", "）": ")", "〔": "(", "〕": ")", "⦅": "(", "⦆": ")", "｟": "(", "｠": ")",
        "<": "〈", ">": "〉", "＜": "〈", "＞": "〉", "\u2329": "〈", "\u232a": "〉", "‹": "〈", "›": "〉",
        "『": "「", "』": "」", "｢": "「", "｣": "」",
    }
)  # fmt: skip

_TAG = re.compile(r"</?\s*(?:p|br|span|div)\b[^<>]*>", re.IGNORECASE)
# str.translate looks up every character in the map; most text has no variant bracket at all, and a
# search for one is ten times cheaper than the translation.
_BRACKET_VARIANTS = re.compile("[" + re.escape("".join(map(chr, _BRACKET_MAP))) + "]")


def unify_brackets(s: str) -> str:
    """Map bracket variants to the canonical forms 【】 《》 () 〈〉 「」 (see the table above)."""
    return s.translate(_BRACKET_MAP) if _BRACKET_VARIANTS.search(s) else s


def strip_tags(s: str) -> str:
    """Replace HTML-ish tags left by extraction (<p>, </p>, <br/>, <span …>) by a space."""
    if "<" not in s:  # every tag starts with one
        return s
    # Repeat because removing one tag can join the pieces of another ("<<p>p>").
    while True:
        out = _TAG.sub(" ", s)
        if out == s:
            return out
        s = out


_OPENERS, _CLOSERS = "(【《〈「", ")】》〉」"


def split_trailing_notes(name: str) -> tuple[str, list[str]]:
    """Take trailing bracketed remarks off a name: 運用コスト(住民一人当たり…) → 運用コスト, [住民一人当たり…]."""
    notes: list[str] = []
    while name and name[-1] in _CLOSERS:
        opener = _OPENERS[_CLOSERS.index(name[-1])]
        depth, i = 0, len(name) - 1
        while i >= 0:
            depth += (name[i] == name[-1]) - (name[i] == opener)
            if depth == 0:
                break
            i -= 1
        if i <= 0:
            break  # unbalanced, or the whole name is in brackets: leave it
        notes.insert(0, name[i + 1 : -1].strip())
        name = name[:i].rstrip()
    return name, notes


def _normalize_once(s: str) -> str:
    s = strip_bullets(s)  # before NFKC, which turns a ① bullet into a plain 1
    s = nfkc(s)
    s = strip_tags(s)
    s = unify_brackets(s)
    s = collapse_whitespace(s)
    s = remove_pdf_spaces(s)
    return strip_bullets(s).strip()


@lru_cache(maxsize=1 << 16)
def normalize_for_match(s: str) -> str:
    """Full pipeline for fuzzy matching: NFKC, tags, brackets, whitespace, PDF spaces, bullets.

    Idempotent: the steps are repeated until nothing changes (each step only removes or maps
    characters, so this ends quickly), because one step can expose work for an earlier one.
    """
    for _ in range(10):
        out = _normalize_once(s)
        if out == s:
            break
        s = out
    return s


# ---------------------------------------------------------------- numbers

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUM = "〇零一二三四五六七八九十百千"


def kanji_to_int(s: str) -> int | None:
    """Read a kanji numeral below 10000: 二十八 → 28, 十 → 10, 二〇一七 → 2017; None if it is not one."""
    if not s or any(c not in _KANJI_DIGITS and c not in _KANJI_UNITS for c in s):
        return None
    if all(c in _KANJI_DIGITS for c in s):  # positional: 二〇一七
        return int("".join(str(_KANJI_DIGITS[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _KANJI_DIGITS:
            if digit is not None:
                return None
            digit = _KANJI_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _KANJI_UNITS[c]
            digit = None
    return total + (digit or 0)


def _to_int(s: str) -> int | None:
    s = nfkc(s).strip()
    if s == "元":
        return 1
    if s.isdigit():
        return int(s)
    return kanji_to_int(s)


_NUMBER = re.compile(
    r"(?P<neg>(?<![\d.])[-−▲△])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<mult>[万億兆千])?(?P<wari>割)?"
)
MULTIPLIERS = {"千": 1e3, "万": 1e4, "億": 1e8, "兆": 1e12}


def parse_number(text: str) -> float | None:
    """Read the first number in `text`: "1,000" → 1000, "約1,000団体" → 1000, "１０万" → 100000.

    割 is a tenth, so "3割" → 0.3; a percentage keeps its scale, "30%" → 30 (the unit is the
    caller's business). ▲/△ mark a negative number as in Japanese budget tables. None if no number.
    """
    s = nfkc(text)
    m = _NUMBER.search(s)
    if m is None:
        kanji = re.search(rf"([{_KANJI_NUM}]+)割", s)
        return None if kanji is None else _wari(kanji.group(1))
    value = float(m["num"].replace(",", ""))
    if m["mult"]:
        value *= MULTIPLIERS[m["mult"]]
    if m["wari"]:
        value /= 10
    return -value if m["neg"] else value


def _wari(kanji: str) -> float | None:
    n = kanji_to_int(kanji)
    return None if n is None else n / 10


# ---------------------------------------------------------------- 和暦 → 西暦

ERA_START = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_ERA_ABBREV = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

_ERA_NUM = rf"元|[0-9０-９]{{1,2}}|[{_KANJI_NUM}]{{1,4}}"
_WAREKI = re.compile(
    rf"(?<![A-Za-zＡ-Ｚａ-ｚ])(?P<era>明治|大正|昭和|平成|令和|[MTSHRＭＴＳＨＲ]\.?)\s*(?P<n>{_ERA_NUM})"
    rf"(?:\s*(?P<sep>[~〜～\-－]|から)\s*(?P<m>[0-9０-９]{{1,2}}|[{_KANJI_NUM}]{{1,4}}))?\s*(?=年)"
)


def _era_name(era: str) -> str:
    era = nfkc(era).rstrip(".").strip()
    return _ERA_ABBREV.get(era.upper(), era)


def wareki_to_year(era: str, n: int | str) -> int:
    """Convert a Japanese era year to 西暦: ("平成", 28) → 2016, ("平成", "元") → 1989, ("H", "29") → 2017.

    Years past an era's end are accepted (plans written in 2018 said 平成32年度 for 2020).
    Raises ValueError for an unknown era or a year below 1.
    """
    name = _era_name(era)
    if name not in ERA_START:
        raise ValueError(f"unknown era: {era!r}")
    year = n if isinstance(n, int) else _to_int(n)
    if year is None or year < 1:
        raise ValueError(f"not an era year: {n!r}")
    return ERA_START[name] + year - 1


def replace_wareki(text: str) -> str:
    """Rewrite era years as 西暦: 平成29年度 → 2017年度, 平成28年12月21日 → 2016年12月21日, H29年度 → 2017年度.

    Kanji and full-width numerals are read (平成二十八年 → 2016年); ranges such as 平成28～30年度
    become 2016～2018年度. Abbreviated eras (H29) need an Arabic numeral so that words are not read.
    """

    def repl(m: re.Match[str]) -> str:
        era = m["era"]
        if era[0] in "MTSHRＭＴＳＨＲ" and not nfkc(m["n"]).isdigit():
            return m[0]  # "H二十" is not a way anyone writes a year, so leave such text alone
        try:
            first = wareki_to_year(era, m["n"])
            last = wareki_to_year(era, m["m"]) if m["m"] else None
        except ValueError:
            return m[0]
        return f"{first}" if last is None else f"{first}{m['sep']}{last}"

    return _WAREKI.sub(repl, text)


# ---------------------------------------------------------------- dates and fiscal years

_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![A-Za-z])(?P<era>[MTSHR])\.?(?P<n>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<d>\d{1,2})(?!\d)"),
)


def _prepare(text: str) -> str:
    return replace_wareki(nfkc(text))


def parse_date(text: str) -> dt.date | None:
    """Find the first valid date in `text`: 2017年4月1日, 平成28年12月21日, 2017-04-01, 2017/4/1, H29.4.1."""
    s = _prepare(text)
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(s):
            groups = m.groupdict()
            try:
                year = wareki_to_year(groups["era"], groups["n"]) if groups.get("era") else int(groups["y"])
                found.append((m.start(), dt.date(year, int(groups["m"]), int(groups["d"]))))
                break
            except ValueError:
                continue  # 2月30日 and the like: look further
    return min(found)[1] if found else None


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month: (2019, 3) → 2019-03-31."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year_of(date: dt.date) -> int:
    """The 年度 (April–March) containing `date`: 2018-03-31 → 2017, 2018-04-01 → 2018."""
    return date.year if date.month >= 4 else date.year - 1


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `fy`: 2017 → (2017-04-01, 2018-03-31)."""
    return dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31)


_FISCAL_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年度|FY\s*(\d{4})", re.IGNORECASE)


def parse_fiscal_year(text: str) -> int | None:
    """The first fiscal year named in `text`: 2017年度, 平成29年度, H29年度, FY2017 → 2017."""
    m = _FISCAL_YEAR.search(_prepare(text))
    return None if m is None else int(m[1] or m[2])

"""Reading the words of one cell: years of a header, bullets, 【府省】 statements, statuses, dates, ⑮."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Fiscal years in a header label: 2014・2015年度, ～2016年度, 2020年度～, 2014～2015年度, 平成28年度.
_ERA = {"平成": 1988, "令和": 2018, "昭和": 1925}
_YEAR = re.compile(r"(平成|令和|昭和)?\s*(\d{1,4}|元)\s*(?=年度|[・～~〜\-－]|$)")
_RANGE = re.compile(r"(\d{4})\s*[～~〜\-－]\s*(\d{4})\s*年度")

CIRCLED = {**{chr(0x2460 + i): i + 1 for i in range(20)}, **{chr(0x3251 + i): i + 21 for i in range(15)},
           **{chr(0x32B1 + i): i + 36 for i in range(15)}}
_ITEM_TITLE = re.compile(r"^\s*[<＜〈《]?\s*([" + "".join(CIRCLED) + r"])\s*(.*?)\s*[>＞〉]?\s*$", re.S)
_TITLE_DATE = re.compile(r"^(.*?)\s*[(（]\s*((?:平成|令和|昭和)?\s*(?:\d{1,4}|元)年\s*\d{1,2}月\s*\d{1,2}日)\s*[)）]\s*$")
_DATE = re.compile(r"(平成|令和|昭和)?\s*(\d{1,4}|元)年\s*(\d{1,2})月\s*(\d{1,2})日")
_EDITION = re.compile(r"(\d{4})\s*改定版")

STATUS_WORDS = ("順調", "概ね順調", "おおむね順調", "遅れ", "一部遅れ", "遅延", "完了", "達成", "実施済み",
                "未着手", "検討中", "前倒し")
_STATUS = re.compile(r"[(（]\s*(" + "|".join(sorted(STATUS_WORDS, key=len, reverse=True)) + r")\s*[)）]\s*$")
# A 【府省】 prefix: a name (spaces allowed: 内閣官房 情報通信技術(IT)総合戦略室), never a 【目標：…】 bracket.
_MINISTRY = re.compile(r"【([^【】\n：:]{1,40})】")
_BULLET_SPLIT = re.compile(r"\s+(?=[・●◆■])")
_CJK = r"\u3040-\u30ff\u4e00-\u9fff々〆ー"
_SPACE_SPLIT = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")
_TIMELINE_WORDS = ("通常国会", "概算要求", "税制改正要望等", "税制改正要望", "年末", "予算編成", "骨太方針")
TIER_WORDS = {"第一階層": 1, "第1階層": 1, "第１階層": 1, "第二階層": 2, "第2階層": 2, "第２階層": 2}


def western_year(era: str | None, number: str) -> int:
    n = 1 if number == "元" else int(number)
    return _ERA[era] + n if era else n


def years_of(label: str) -> list[int]:
    """Fiscal years a header label names; [] when it names none."""
    if "年度" not in label:
        return []
    text = unicodedata.normalize("NFKC", label)
    m = _RANGE.search(text)
    if m:
        return list(range(int(m.group(1)), int(m.group(2)) + 1))
    years = [western_year(e, n) for e, n in _YEAR.findall(text.split("年度")[0] + "年度")]
    return sorted({y for y in years if 1900 < y < 2200})


def item_number(text: str) -> tuple[int, str] | None:
    """`<⑮(地方)業務…>` → (15, "(地方)業務…"); None when the text is no item title."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "<＜〈" + "".join(CIRCLED):
        return None
    m = _ITEM_TITLE.match(stripped)
    return (CIRCLED[m.group(1)], m.group(2)) if m else None


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    try:
        return dt.date(western_year(m.group(1), m.group(2)), int(m.group(3)), int(m.group(4)))
    except (ValueError, KeyError):
        return None


def split_title(line: str) -> tuple[str, str | None, dt.date | None, int | None]:
    """`経済・財政再生計画 改革工程表 2016改定版(平成28年12月21日)` → title, date as printed, date, edition."""
    m = _TITLE_DATE.match(line.strip())
    title, printed = (m.group(1), m.group(2)) if m else (line.strip(), None)
    published = parse_date(printed) if printed else None
    edition = _EDITION.search(unicodedata.normalize("NFKC", title))
    revision = int(edition.group(1)) if edition else (published.year if published else None)
    return title, printed, published, revision


def is_timeline(text: str) -> bool:
    """The time-line header row of the first year column (通常国会 概算要求 … 年末)."""
    words = text.split()
    return bool(words) and all(w in _TIMELINE_WORDS for w in words)


def is_responsible(text: str) -> bool:
    t = text.strip()
    return t.startswith("《") and t.endswith("》") and "》" not in t[:-1]


_ORG_END = re.compile(r"(省|庁|府|局|室|部|課|グループ|本部|会議|院|委員会|事務局|センター)$")


def responsible_names(text: str) -> list[str]:
    """《総務省地域力創造グループ、内閣官房 …》 → one name each. Split at 、; at ・ only when every part is
    an organisation name on its own (総務省地域力創造グループ・自治財政局, not まち・ひと・しごと創生本部)."""
    inner = text.strip()[1:-1]
    names: list[str] = []
    for name in (n.strip() for n in re.split(r"[、,，]", inner)):
        parts = [p.strip() for p in name.split("・")]
        names.extend(parts if len(parts) > 1 and all(_ORG_END.search(p) for p in parts) else [name])
    return [n for n in names if n]


def looks_like_kpi(text: str) -> bool:
    """A bulleted KPI (・名称【…目標…】 or …指標)) rather than a schedule text."""
    t = text.strip()
    return t.startswith("・") and (("【" in t and ("目標" in t or "：" in t)) or "指標" in t)


def split_kpis(text: str) -> list[str]:
    """Several KPIs in one cell, split at their bullets (a bullet after a space or on a new line)."""
    return [p for p in (s.strip().replace("\n", "") for s in _BULLET_SPLIT.split(text)) if p]


def split_schedule(text: str, at_spaces: bool = False) -> list[tuple[str, bool]]:
    """A schedule cell → its items. Bullets split for certain; with `at_spaces` (a source that runs cells
    together) a space between two Japanese sentences splits as a guess (True), except after a date
    (○2015年度・2016年度 自治体…)."""
    out: list[tuple[str, bool]] = []
    for part in split_kpis(text):
        out.extend(_sentences(part) if at_spaces else [(part, False)])
    return out


# Words that end a schedule cell (the verbal nouns these tables close their cells with). A space after one
# of them, between two Japanese sentences, is where an extraction ran two cells together; a space after
# anything else is part of the text (内閣官房 情報通信技術(IT)総合戦略室, 2016年度 自治体…).
CELL_ENDINGS = ("実施", "推進", "支援", "検討", "公表", "徹底", "達成", "整理", "類型化", "検証", "把握", "措置",
                "研究", "提供", "促進", "開始", "策定", "導入", "見直し", "働きかけ", "要請", "展開", "設定", "構築",
                "整備", "強化", "拡大", "活用", "周知", "改善", "作成", "調査", "分析", "普及", "着手", "完了", "実現",
                "決定", "運用", "改正", "提出", "創設", "取組", "継続", "対応", "ヒアリング", "する", "した", "。")


def _sentences(part: str) -> list[tuple[str, bool]]:
    cuts = [m for m in _SPACE_SPLIT.finditer(part)
            if len(part[:m.start()]) >= 8 and len(part[m.end():]) >= 6 and part[:m.start()].endswith(CELL_ENDINGS)]
    if not cuts:
        return [(part, False)]
    pieces, start = [], 0
    for m in cuts:
        pieces.append(part[start:m.start()])
        start = m.end()
    pieces.append(part[start:])
    return [(p, True) for p in pieces]


def split_statements(text: str) -> list[tuple[str | None, str, str | None]]:
    """`【総務省】…(順調) 【IT室】…` → (ministry, text, status) each; text keeps the status words."""
    starts = [m for m in _MINISTRY.finditer(text)
              if m.start() == 0 or text[m.start() - 1] in " \u3000\n。"]
    pieces: list[tuple[str | None, str]] = []
    if not starts:
        pieces.append((None, text))
    else:
        if text[: starts[0].start()].strip():
            pieces.append((None, text[: starts[0].start()]))
        for i, m in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            pieces.append((m.group(1), text[m.end():end]))
    out = []
    for ministry, body in pieces:
        body = body.rstrip(" \u3000\n").lstrip("\n").replace("\n", "")
        if body:
            status = _STATUS.search(body)
            out.append((ministry, body, status.group(1) if status else None))
    return out


def split_actual(text: str) -> tuple[str, dt.date | None]:
    """`948団体 (2017年4月1日)` → ("948団体", 2017-04-01); text alone when no full date closes it."""
    m = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$", text, re.S)
    if m and m.group(1).strip():
        when = parse_date(m.group(2))
        if when:
            return m.group(1).strip(), when
    return text.strip(), None


def split_tier(text: str) -> tuple[int | None, str]:
    """`第一階層 クラウド導入市町村数` → (1, "クラウド導入市町村数")."""
    t = text.strip()
    for word, tier in TIER_WORDS.items():
        if t.startswith(word):
            return tier, t[len(word):].lstrip(" \u3000\n")
    return None, t


def status_of(text: str) -> str | None:
    m = _STATUS.search(text)
    return m.group(1) if m else None

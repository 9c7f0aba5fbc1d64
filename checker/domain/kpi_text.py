"""Parse KPI text (名称【基準年度：値 目標：期限までに目標】) into name, baseline, target and deadline."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import (
    MULTIPLIERS,
    collapse_whitespace,
    fiscal_year_of,
    month_end,
    nfkc,
    normalize_for_match,
    parse_date,
    parse_fiscal_year,
    remove_pdf_spaces,
    replace_wareki,
    split_trailing_notes,
    strip_bullets,
    strip_tags,
    unify_brackets,
)

# 集中改革期間 (docs/domain.md, "Years and dates"): a target due "集中改革期間中に" is due by the end of FY2018.
REFORM_PERIOD_LAST_FY = 2018


@dataclass(frozen=True, slots=True)
class ParsedKpi:
    """What the text of one KPI says.

    A withheld deadline ("目標期限を集中改革期間中に設定") is a Deadline whose `is_set` is False and
    whose `text` holds those words; `deadline_withheld` repeats the words for convenience. The test
    for "no deadline" is therefore always `deadline is None or not deadline.is_set`.
    """

    name: str
    """The text before 【…】, without bullets and marks."""
    baseline: Baseline | None = None
    """Starting point, e.g. 2014年度：550団体."""
    target: Target | None = None
    """Target, e.g. 倍増(約1,000団体)."""
    deadline: Deadline | None = None
    """Deadline, e.g. 2017年度までに, or a withheld one."""
    relisted: bool = False
    """True when the text carries 【再掲】."""
    ex_post: bool = False
    """True when the text says 事後的に検証する指標."""
    note: str | None = None
    """Remarks after the name or after the 【…】 block, joined with "; "."""
    deadline_withheld: str | None = None
    """The words that withhold a deadline (目標期限を…に設定)."""
    target_text: str | None = None
    """The clause after 目標：, kept even when no quantity is found in it."""


# ---------------------------------------------------------------- patterns

_MARK = r"[(【《〈]\s*{}\s*[)】》〉]"
_RELISTED = re.compile(_MARK.format("再掲"))
_EX_POST = re.compile(_MARK.format("事後的に検証する指標"))
_TIER = re.compile(r"^(?:KPI\s*)?\(?第\s*[一二12]\s*階層\)?\s*")
_TARGET_LABEL = re.compile(r"目標値?\s*:")
_APPROX = re.compile(r"約|概ね|おおむね|程度|前後")
_NUM = r"\d[\d,]*(?:\.\d+)?"

# Words that name a decrease or an increase; the order matters only for overlapping words.
_DECREASE = "削減|圧縮|縮減|減少|縮小|低減|低下|抑制|カット|減"
_INCREASE = "増加|増大|向上|拡大|上昇|アップ|増"
_RELATIVE = (
    (re.compile(r"倍増"), lambda m: 1.0),
    (re.compile(r"半減"), lambda m: -0.5),
    (re.compile(rf"(?P<n>{_NUM})倍(?:に|へ)?(?:{_INCREASE})?"), lambda m: _num(m["n"]) - 1),
    (re.compile(rf"(?P<n>{_NUM})\s*(?P<u>割|%)(?:以上|程度|超)?の?(?P<w>{_DECREASE})"), lambda m: -_share(m)),
    (re.compile(rf"(?P<n>{_NUM})\s*(?P<u>割|%)(?:以上|程度|超)?の?(?P<w>{_INCREASE})"), lambda m: _share(m)),
)
# Bare 減/増 are too common inside other words (増進, 軽減…) to signal a direction on their own.
_DIRECTION = (
    (re.compile(_DECREASE.removesuffix("|減")), "decrease"),
    (re.compile(_INCREASE.removesuffix("|増")), "increase"),
)

_WITHHELD_PAREN = re.compile(r"\(([^()]*(?:設定|未定|検討)[^()]*)\)")
_WITHHELD_BARE = re.compile(
    r"(?:目標期限|達成時期|期限)[をは]?[^()。]*?(?:設定予定|に設定|設定する|未定|検討中?)"
)
_START_YEAR = re.compile(r"(?P<y>\d{4})年度?(?:末|当初)?(?:から|より|比)")
_DEADLINES = (
    ("day", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:まで(?:に)?|時点|中)?")),
    ("month", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:末)?(?:まで(?:に)?|中)?")),
    ("fy", re.compile(r"(?P<y>\d{4})年度(?:末|中)?(?:まで(?:に)?|に)?")),
    ("year", re.compile(r"(?P<y>\d{4})年(?:末)?(?:まで(?:に)?|中)")),
    ("period", re.compile(r"集中改革期間(?:中|末)?(?:まで)?に?")),
)
# A unit is a run of katakana/kanji (か所 included); trailing words that are not part of it go.
_QUANTITY = re.compile(
    rf"(?P<neg>(?<![\d.])[▲△-])?(?P<num>{_NUM})\s*(?P<mult>[万億兆千](?=[^\d]|$))?"
    r"(?P<unit>%|[A-Za-z]+|(?:[゠-ヿ一-鿿々ヶ]|か(?=所))+)?"
)
_UNIT_TAIL = re.compile(rf"(?:以上|以下|程度|前後|超|未満|達成|倍増|半減|{_DECREASE}|{_INCREASE})+$")
_NOT_QUANTITY_UNITS = ("年", "月", "日", "時点", "倍")
# Compiled here rather than passed to re.sub/re.search per call: each KPI is parsed with a dozen of them.
_PERIOD_THEN_VALUE = re.compile(r"(.*?\d{4}年度?(?:末|時点)?)(.*)$")
_YEAR = re.compile(r"(\d{4})年")
_BLOCK_OPEN = re.compile("【")
_BASELINE_LABEL = re.compile(r"\d{4}年度?[^:]*:")
_NONE_MARKS = {"", "-", "−", "ー", "―", "—", "－", "なし", "無し"}


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _share(m: re.Match[str]) -> float:
    return _num(m["n"]) / (10 if m["u"] == "割" else 100)


def _clean(text: str) -> str:
    """Normalise KPI text for parsing: NFKC, tags, brackets, PDF spaces, 和暦 → 西暦, whitespace."""
    s = unify_brackets(strip_tags(nfkc(text)))
    s = remove_pdf_spaces(collapse_whitespace(s)).strip()
    return replace_wareki(s)


def _cut(s: str, m: re.Match[str]) -> str:
    return (s[: m.start()] + " " + s[m.end() :]).strip()


# ---------------------------------------------------------------- pieces


def _quantity(s: str) -> tuple[float, str | None, bool] | None:
    """The first quantity in `s` that is not a date: (value, unit, approximate)."""
    for m in _QUANTITY.finditer(s):
        unit = m["unit"] or ""
        if unit.startswith(_NOT_QUANTITY_UNITS):
            continue
        unit = _UNIT_TAIL.sub("", unit) or None
        value = _num(m["num"]) * MULTIPLIERS.get(m["mult"] or "", 1.0)
        if unit is not None and unit.startswith("割"):  # a bare share: 3割 → 30%
            value, unit = value * 10, "%"
        approximate = bool(_APPROX.search(s[max(0, m.start() - 3) : m.end() + 3]))
        return (-value if m["neg"] else value), unit, approximate
    return None


def _deadline(s: str) -> tuple[Deadline | None, str, int | None]:
    """Find the deadline in a target clause; returns it, the clause without it, and a start year."""
    start_year = None
    if m := _START_YEAR.search(s):
        start_year, s = int(m["y"]), _cut(s, m)
    if m := _WITHHELD_PAREN.search(s) or _WITHHELD_BARE.search(s):
        words = m[1] if m.re is _WITHHELD_PAREN else m[0]
        return Deadline(text=words), _cut(s, m), start_year
    for kind, pattern in _DEADLINES:
        matches = list(pattern.finditer(s))
        if not matches:
            continue
        # Prefer the year followed by まで ("…から2017年度までに"), else the last one named.
        m = next((x for x in matches if "まで" in x[0]), matches[-1])
        try:
            deadline = _make_deadline(kind, m)
        except ValueError:
            continue
        return deadline, _cut(s, m), start_year
    return None, s, start_year


def _make_deadline(kind: str, m: re.Match[str]) -> Deadline:
    text = m[0]
    if kind == "period":
        return Deadline(fiscal_year=REFORM_PERIOD_LAST_FY, text=text)
    year = int(m["y"])
    if kind == "fy":
        return Deadline(fiscal_year=year, text=text)
    if kind == "year":  # a calendar year: due by 31 December
        date = month_end(year, 12)
    elif kind == "month":
        date = month_end(year, int(m["m"]))
    else:
        date = parse_date(text) or month_end(year, int(m["m"]))
    return Deadline(fiscal_year=fiscal_year_of(date), date=date, text=text)


def _target(clause: str, rest: str) -> Target | None:
    """Read the target from `rest` (the clause without its deadline); `clause` is kept as text."""
    change = direction = None
    for pattern, amount in _RELATIVE:
        if m := pattern.search(rest):
            change, rest = amount(m), _cut(rest, m)
            break
    if change is None:
        for pattern, name in _DIRECTION:
            if pattern.search(rest):
                direction = name
                break
    else:
        direction = "increase" if change > 0 else "decrease"
    quantity = _quantity(rest)
    value, unit, approximate = quantity if quantity else (None, None, False)
    approximate = approximate or bool(_APPROX.search(rest))
    kind = (
        "relative" if change is not None else "absolute" if value is not None else direction and "direction"
    )
    if not kind:
        return None
    return Target(
        kind=kind, value=value, unit=unit, change=change, direction=direction,
        approximate=approximate, text=clause,
    )  # fmt: skip


def _baseline(s: str) -> Baseline | None:
    """Read a baseline such as 2014年度:550団体, 2016年4月1日時点:30件 or 現状:12%."""
    period, _, value_text = s.partition(":")
    if not value_text:
        m = _PERIOD_THEN_VALUE.match(s)
        if m is None:
            return None
        period, value_text = m[1], m[2]
    quantity = _quantity(value_text)
    if quantity is None:
        return None
    fy = parse_fiscal_year(period)
    if fy is None and (date := parse_date(period)):
        fy = fiscal_year_of(date)
    if fy is None and (m := _YEAR.search(period)):
        fy = int(m[1])
    return Baseline(value=quantity[0], unit=quantity[1], fiscal_year=fy)


def _parse_clause(clause: str) -> tuple[Target | None, Deadline | None, int | None]:
    deadline, rest, start_year = _deadline(clause)
    return _target(clause, rest), deadline, start_year


def _find_block(s: str) -> tuple[int, int] | None:
    """Span of the 【…】 block that holds a baseline or a target; the closing 】 may be missing."""
    for m in _BLOCK_OPEN.finditer(s):
        end = s.find("】", m.start())
        end = len(s) if end < 0 else end + 1
        inner = s[m.start() + 1 : end].rstrip("】")
        if _TARGET_LABEL.search(inner) or _BASELINE_LABEL.search(inner):
            return m.start(), end
    if m := _TARGET_LABEL.search(s):
        return m.start(), len(s)
    return None


# ---------------------------------------------------------------- public API


def parse_kpi_text(text: str) -> ParsedKpi:
    """Parse one KPI as printed, e.g. ・クラウド導入市区町村数【2014年度：550団体 目標：…倍増(約1,000団体)を図る】.

    Target.text and Deadline.text are taken from the cleaned text (NFKC, PDF spaces removed, 和暦
    converted). Never raises: what cannot be read is None.
    """
    s = _TIER.sub("", strip_bullets(_clean(strip_bullets(text))))
    relisted = bool(_RELISTED.search(s))
    ex_post = bool(_EX_POST.search(s))
    s = _EX_POST.sub(" ", _RELISTED.sub(" ", s))
    s = collapse_whitespace(remove_pdf_spaces(s))

    baseline = target = deadline = None
    target_text = None
    notes: list[str] = []
    head = s
    if span := _find_block(s):
        head = s[: span[0]]
        tail = s[span[1] :].strip()
        block = s[span[0] : span[1]].lstrip("【").rstrip("】").strip()
        label = _TARGET_LABEL.search(block)
        before, clause = (block[: label.start()], block[label.end() :]) if label else (block, "")
        baseline = _baseline(before.strip()) if before.strip() else None
        target_text = clause.strip() or None
        if target_text:
            target, deadline, start_year = _parse_clause(target_text)
            if baseline is None and start_year is not None:
                baseline = Baseline(value=math.nan, fiscal_year=start_year)
        if tail:
            notes.append(tail)
    name, name_notes = split_trailing_notes(head.strip())
    notes = name_notes + notes
    withheld = deadline.text if deadline is not None and not deadline.is_set else None
    return ParsedKpi(
        name=name, baseline=baseline, target=target, deadline=deadline, relisted=relisted,
        ex_post=ex_post, note="; ".join(notes) or None, deadline_withheld=withheld, target_text=target_text,
    )  # fmt: skip


def parse_status_target(text: str) -> tuple[Target | None, Deadline | None, Baseline | None]:
    """Parse the 目標値 (達成時期) column of a KPIの状況 table.

    "2014年度から 2017年度まで に倍増(約 1000団体)" → 倍増 ≈1000団体, deadline FY2017, and a
    baseline that names only its year: its value is NaN ("not stated"; test with math.isnan),
    because Baseline requires a value. "3割圧縮(集中 改革期間中に 設定)" → -30%, deadline not set.
    "-" → (None, None, None).
    """
    s = _clean(text)
    if s in _NONE_MARKS:
        return None, None, None
    target, deadline, start_year = _parse_clause(s)
    baseline = Baseline(value=math.nan, fiscal_year=start_year) if start_year is not None else None
    return target, deadline, baseline


_NAME_NOISE = re.compile(r"^(?:KPI)?\(?第[一二12]階層\)?|【再掲】|\(再掲\)|《再掲》|〈再掲〉")
_BRACKETED = re.compile(r"\([^()]*\)|【[^【】]*】|《[^《》]*》|〈[^〈〉]*〉")


@lru_cache(maxsize=1 << 16)
def kpi_name_key(name: str) -> str:
    """A key for matching KPI names across documents: normalised, without 再掲, tiers and bracketed notes."""
    s = normalize_for_match(name)
    s = _NAME_NOISE.sub("", s)
    while (out := _BRACKETED.sub("", s)) != s:  # repeat for nested brackets
        s = out
    return normalize_for_match(s)

"""Read a KPI's target clause (2024年度までに150団体、2027年度までに300団体) into goals, a baseline and markers.

A clause is split into segments at 、 and ;. Each segment is read in a fixed order, each step taking its
words out of the segment: a reference (a year before a comparison word: 2016年度比, 2014年度から), the
deadline (the year followed by まで, else the last year named), a relative change (3割削減, 倍増), a
quantity (約300団体以上) and, failing both, a direction word (増加). A segment without a target hands its
deadline and markers (毎年度, 全ての市町村で) on to the next; a target without a deadline takes the one
before it, else the next (小学校で95%、中学校で90%(2024年度まで)). The phrase lists come from
rules/vocabularies/kpi_phrases.yaml (checker.domain.kpi.phrases).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from checker.domain.kpi.dates import DEADLINE_TAIL, TIME, deadline_of, year_of
from checker.domain.kpi.phrases import Phrases
from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import MULTIPLIERS

NUM = r"\d[\d,]*(?:\.\d+)?"
_SEGMENT_SPLIT = re.compile(r"、|,(?!\d{3}(?!\d))|;|。")
_GENERIC_UNIT = re.compile(r"(?:[゠-ヿ一-鿿々ヶ]|か(?=所))+|[A-Za-z]+")
_NOT_A_QUANTITY = re.compile(r"\s*(?:年|か年|ヵ年|カ年|ヶ年|か月|ヶ月|カ月|月|期|次|回目|階層)")
# A year followed by one of these names the level of that year, not a deadline (2019年度の水準を維持).
_REFERENCE_NOUN = re.compile(r"(?:の)?(?:実績|決算|水準|値|数値|状況)")
_SCOPE_END = re.compile(r"(?:において|における|について|では|で)$")
_WITHHELD_PAREN = re.compile(r"\(([^()]*(?:設定|未定|検討)[^()]*)\)")
_WITHHELD_BARE = re.compile(r"(?:目標期限|達成時期|達成期限|期限)[をは]?[^()。]*?(?:設定予定|に設定|設定する|未定|検討中?)")
_YEARS_LONG = re.compile(r"\d+\s*(?:年間|か年|ヵ年|カ年)")  # 4年間で: a total over years
_PARTICLES = re.compile(r"^(?:に|は|を|で)+")
_EXPLICIT_DEADLINE = re.compile(r"目標期限|達成時期|達成期限|期限")


@dataclass(frozen=True, slots=True)
class Goal:
    """One target with its own deadline: a stage, a sub-population, or the only one."""

    target: Target
    """What this stage or sub-population aims at."""
    deadline: Deadline | None
    """Its deadline: its own, else the one before it in the clause, else the next."""


@dataclass(frozen=True, slots=True)
class Clause:
    """What a target clause says. Quantitative goals first; the markers say why there are none."""

    goals: tuple[Goal, ...] = ()
    baseline: Baseline | None = None
    withheld: str | None = None
    """Words that withhold the deadline of a stated target (目標期限を集中改革期間中に設定)."""
    to_be_set: Deadline | None = None
    """The target itself is to be set later; its date (or only its words) is when."""
    no_target: str | None = None
    """The phrase that says there is no target (見える化, 推移を把握)."""


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str | None
    approximate: bool
    bound: str | None
    start: int
    end: int
    written: str = ""
    """The number with its scale and unit as written (1,600億円), for messages: `value` is scaled (1.6e11)."""


@lru_cache(maxsize=8)
def _patterns(ph: Phrases) -> dict[str, re.Pattern[str]]:
    directions, bounds, approx = ph.direction_words, ph.bound_words, ph.alt("approximate")
    return {
        "multiple": re.compile(ph.alt("multiples")),
        "times": re.compile(rf"(?P<n>{NUM})倍(?:に|へ|まで)?(?:{directions})?"),
        "fraction_of": re.compile(rf"(?P<b>[1-9]\d*)分の(?P<a>[1-9]\d*)(?:に|へ|まで)(?:{ph.alt('decrease')})"),
        "share": re.compile(rf"(?P<a>{approx})?(?P<n>{NUM})\s*(?P<u>割|%|パーセント)(?:{bounds}|{approx})*の?"
                            rf"(?P<w>{directions})"),
        "quantity": re.compile(
            rf"(?P<neg>(?<![\d.])[▲△-])?(?:(?P<fa>\d+)/(?P<fb>\d+)(?!\d)|(?P<kb>\d+)分の(?P<ka>\d+)"
            rf"|(?P<num>{NUM})\s*(?P<mult>[万億兆千](?!\d))?)\s*(?P<unit>{ph.alt('units')}|割)?"),
        "after": re.compile(rf"\s*(?:{approx})?\s*(?P<bound>{bounds})?"),
        "approx_before": re.compile(rf"(?:{approx})\s*$"),
        "tail_words": re.compile(rf"(?:{bounds}|{approx}|{directions}|{ph.alt('maintain')}|達成).*$"),
    }


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _cut(s: str, start: int, end: int) -> str:
    return (s[:start] + " " + s[end:]).strip()


def quantity(s: str, ph: Phrases) -> _Quantity | None:
    """The first quantity in `s` that is not a count of years or months (4年間, 3か月)."""
    p = _patterns(ph)
    for m in p["quantity"].finditer(s):
        if m["num"] is not None and not m["unit"] and not m["mult"] and _NOT_A_QUANTITY.match(s, m.end()):
            continue
        end, unit = m.end(), m["unit"]
        if m["fa"] or m["ka"]:  # a fraction: 3/4 → 75%
            a, b = (int(m["fa"]), int(m["fb"])) if m["fa"] else (int(m["ka"]), int(m["kb"]))
            if b == 0:
                continue
            value, unit = 100 * a / b, "%"
        else:
            value = _num(m["num"]) * MULTIPLIERS.get(m["mult"] or "", 1.0)
            if unit == "割":  # a bare share: 3割 → 30%
                value, unit = value * 10, "%"
            elif unit is None and (g := _GENERIC_UNIT.match(s, end)):
                unit = p["tail_words"].sub("", g[0]) or None
                end = g.start() + len(unit or "")
        after = p["after"].match(s, end)  # every part is optional: it always matches
        approximate = bool(p["approx_before"].search(s[: m.start()]) or ph.search("approximate", after[0]))
        bound = next((name for name, rx in ph.bounds if after["bound"] and rx.fullmatch(after["bound"])), None)
        written = s[m.start(): end].strip()
        return _Quantity(-value if m["neg"] else value, unit, approximate, bound, m.start(), after.end(), written)
    return None


def written_value(text: str, value: float, ph: Phrases) -> str | None:
    """How `text` writes the quantity whose scaled value is `value` (1.6e11 in …1,600億円… → "1,600億円").

    Comparison runs on scaled values; messages show the value as its author wrote it. None when no
    quantity of `text` has that value (a 全都道府県 read as 100%, a value given in another field).
    """
    pos = 0
    while (q := quantity(text[pos:], ph)) is not None:
        if math.isclose(q.value, value, rel_tol=1e-9, abs_tol=1e-12):
            return q.written
        pos += max(q.end, q.start + 1)
    return None


def baseline_of(s: str, ph: Phrases) -> Baseline | None:
    """A baseline such as 2014年度:550団体, 2019年度:45%, 2016年4月1日時点:30件 or 現状:12%."""
    t = TIME.search(s)
    q = quantity(s[t.end():] if t else s, ph)
    if q is None:
        return None
    return Baseline(value=q.value, unit=q.unit, fiscal_year=year_of(t) if t is not None else None)


def _reference(seg: str, ph: Phrases) -> tuple[Baseline | None, str]:
    """A year before a comparison word (2016年度比, 2014年度から, 平成26年度の12.5%に比べて), taken out."""
    for cm in ph.patterns["compare"].finditer(seg):
        years = list(TIME.finditer(seg, 0, cm.start()))
        if not years or "まで" in seg[years[-1].end(): cm.start()]:
            continue
        y = years[-1]
        q = quantity(seg[y.end(): cm.start()], ph)
        value, unit = (q.value, q.unit) if q else (math.nan, None)
        return Baseline(value=value, unit=unit, fiscal_year=year_of(y)), _cut(seg, y.start(), cm.end())
    return None, seg


def _deadline(seg: str) -> tuple[Deadline | None, Baseline | None, str]:
    """The deadline of a segment (the year before まで, else the last one), taken out with its まで/に."""
    years, reference = [], None
    for m in TIME.finditer(seg):
        if _REFERENCE_NOUN.match(seg, m.end()):
            reference = reference or Baseline(value=math.nan, fiscal_year=year_of(m))
        else:
            years.append(m)
    # Preference: the years followed by まで, then the others from the last; a date that cannot be (13月) is skipped.
    for m in sorted(years, key=lambda m: (not seg.startswith("まで", m.end()), -m.start())):
        end = DEADLINE_TAIL.match(seg, m.end()).end()  # type: ignore[union-attr]  # all optional: matches
        if (d := deadline_of(m, seg[m.start(): end].rstrip(": "))) is not None:
            return d, reference, _cut(seg, m.start(), end)
    return None, reference, seg


def _relative(seg: str, ph: Phrases) -> tuple[float | None, bool, str]:
    """A relative change (倍増 +1.0, 3割削減 -0.3, 25%増加 +0.25), whether approximate, and the rest."""
    p = _patterns(ph)
    # A number before 倍 first: in 3倍増 the phrase 倍増 (×2) must not win and leave a bare 3 as the value.
    if m := p["times"].search(seg):
        return _num(m["n"]) - 1, bool(ph.search("approximate", seg[: m.start()])), _cut(seg, m.start(), m.end())
    if m := p["fraction_of"].search(seg):  # 4分の1に削減: to a quarter, -75%
        return int(m["a"]) / int(m["b"]) - 1, False, _cut(seg, m.start(), m.end())
    if m := p["multiple"].search(seg):
        return ph.spec.multiples[m[0]], False, _cut(seg, m.start(), m.end())
    if m := p["share"].search(seg):
        share = _num(m["n"]) / (10 if m["u"] == "割" else 100)
        approximate = bool(ph.search("approximate", m[0]))  # 約3割削減, 3割程度削減
        return (-share if ph.is_decrease(m["w"]) else share), approximate, _cut(seg, m.start(), m.end())
    return None, False, seg


@dataclass
class _Context:
    """What a segment hands on to the next: its deadline and markers (毎年度、…; 累計で、…)."""

    deadline: Deadline | None = None
    recurring: bool = False
    cumulative: bool = False


def _segment(seg: str, ctx: _Context, ph: Phrases, text: str
             ) -> tuple[Target | None, Deadline | None, Baseline | None]:
    """Read one segment; `text` is the segment as written (withholding words included)."""
    reference, seg = _reference(seg, ph)
    deadline, noun_ref, seg = _deadline(seg)
    reference = reference or noun_ref
    cumulative = bool(ph.search("cumulative", seg) or _YEARS_LONG.search(seg))
    recurring = not cumulative and bool(ph.search("recurring", seg))
    maintain = bool(ph.search("maintain", seg))
    change, approx, seg = _relative(seg, ph)
    q = quantity(seg, ph)
    direction = None
    if change is not None:
        direction = "increase" if change > 0 else "decrease"
    else:
        direction = next((name for rx, name in ph.long_direction if rx.search(seg)), None)
        if direction is None and (m := ph.search("compared_direction", seg)):
            direction = "decrease" if ph.is_decrease(m["w"]) else "increase"
    if q is None and change is None and direction is None and ph.search("all_of", _PARTICLES.sub("", seg)):
        q = _Quantity(100.0, "%", False, None, 0, 0)  # 全都道府県: every one of them
    scope = None
    if q is not None:
        prefix = _PARTICLES.sub("", seg[: q.start].strip())
        if m := _SCOPE_END.search(prefix):
            scope = prefix[: m.start()] or None
    ctx.recurring, ctx.cumulative = ctx.recurring or recurring, ctx.cumulative or cumulative
    if deadline is not None:
        ctx.deadline = deadline
    value = q.value if q else None
    if ctx.recurring and (value is not None or change is not None):
        kind = "recurring"
    elif maintain:
        kind = "maintain"
    elif change is not None:
        kind = "relative"
    elif value is not None:
        kind = "absolute"
    elif direction is not None:
        kind = "direction"
    else:
        return None, deadline, reference
    target = Target(
        kind=kind, value=value, unit=q.unit if q else None, change=change, direction=direction,
        approximate=approx or bool(q and q.approximate), bound=q.bound if q else None,
        cumulative=ctx.cumulative, scope=scope, text=text,
        reference_year=reference.fiscal_year if reference is not None else None,
    )  # fmt: skip
    return target, deadline, reference


def _withheld(s: str) -> tuple[str | None, str]:
    """Words that withhold a deadline ((目標期限を…に設定), 目標期限は今後設定予定), taken out."""
    m = _WITHHELD_PAREN.search(s) or _WITHHELD_BARE.search(s)
    if m is None:
        return None, s
    return (m[1] if m.re is _WITHHELD_PAREN else m[0]), _cut(s, m.start(), m.end())


# Memoised: the same clause recurs across KPIs (2020年度までに100%), across revisions and in the 目標値
# column of every KPIの状況 row that repeats its roadmap's target. On a 100,000-cell corpus 14,048 clauses
# are read and 4,891 differ. A Clause is immutable (frozen dataclasses of frozen models) and depends on
# the text and the vocabulary alone (Phrases hashes by identity), so equal clauses share one. Bounded: a
# larger corpus keeps the clauses it meets most.
@lru_cache(maxsize=1 << 13)
def parse_clause(s: str, ph: Phrases) -> Clause:
    """Read a cleaned target clause (NFKC, PDF spaces removed, 西暦)."""
    s = s.strip()
    baseline = None
    arrows = list(ph.patterns["arrows"].finditer(s))
    if arrows:  # 2019年度:45%→2024年度:80%: the left side is the baseline
        baseline = baseline_of(s[: arrows[-1].start()], ph)
        s = s[arrows[-1].end():]
    withheld = None
    goals: list[Goal] = []
    ctx = _Context()
    pending: list[int] = []  # goals still without a deadline
    for seg in filter(None, (x.strip() for x in _SEGMENT_SPLIT.split(s))):
        words, rest = _withheld(seg)
        withheld = withheld or words
        target, deadline, reference = _segment(rest, ctx, ph, seg)
        if baseline is None and reference is not None:
            baseline = reference
        if deadline is not None and pending:  # a later deadline covers the goals before it
            for i in pending:
                goals[i] = replace(goals[i], deadline=deadline)
            pending = []
        if target is not None:
            goals.append(Goal(target, deadline or ctx.deadline))
            if goals[-1].deadline is None:
                pending.append(len(goals) - 1)
    quantitative = any(g.target.kind != "direction" for g in goals)
    no_target = ph.search("no_target", s)
    if not quantitative and no_target:
        return Clause(baseline=baseline, no_target=no_target[0])
    if not quantitative and ph.search("to_be_set", s) and not _explicit_deadline(withheld):
        when = TIME.search(s)
        by = deadline_of(when, s) if when else None
        return Clause(baseline=baseline, to_be_set=by or Deadline(text=s))
    if withheld and any(g.deadline is not None for g in goals):
        withheld = None  # a stated deadline wins over words about setting one
    return Clause(tuple(goals), baseline, withheld)


def _explicit_deadline(withheld: str | None) -> bool:
    """Whether withholding words are about the deadline (目標期限を…設定), not about the target."""
    return withheld is not None and bool(_EXPLICIT_DEADLINE.search(withheld))

"""Parse KPI text (名称【基準：値 目標：期限までに目標】, 名称【2024年度までに70%】, 名称:2026年までに300…) into parts.

A KPI is a name followed by its target: in 【】 blocks (one per stage: 【2024年度までに150団体】【2027年度…】),
after a colon (…件数:2026年までに300), or in a trailing () group that names a year; ※ notes may add a
baseline (※2019年度:45%→2024年度:80%). Each clause is read by checker.domain.kpi.clause with the phrase
vocabulary rules/vocabularies/kpi_phrases.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from checker.domain.kpi.clause import Clause, Goal, baseline_of, parse_clause
from checker.domain.kpi.dates import REFORM_PERIOD_LAST_FY, TIME, due
from checker.domain.kpi.phrases import Phrases, default_phrases
from checker.domain.model import Baseline, Deadline, Target
from checker.domain.normalize import (
    collapse_whitespace,
    nfkc,
    normalize_for_match,
    remove_pdf_spaces,
    replace_wareki,
    split_trailing_notes,
    strip_bullets,
    strip_tags,
    unify_brackets,
)

KpiKind = Literal["absolute", "relative", "direction", "recurring", "maintain", "none", "to-be-set"]


@dataclass(frozen=True, slots=True)
class ParsedKpi:
    """What the text of one KPI says.

    `goals` lists every target with its deadline (stages, sub-populations); `target` and `deadline` are
    the final goal's (the latest deadline). A withheld deadline ("目標期限を集中改革期間中に設定") is a
    Deadline whose `is_set` is False and whose `text` holds those words; `deadline_withheld` repeats them.
    `kind` sums the KPI up; for "to-be-set", `target_set_by` says when (a Deadline, unset when no date).
    """

    name: str
    """The text before the target (【…】, a colon or a trailing (…) with a year), without bullets and marks."""
    baseline: Baseline | None = None
    """Starting point, e.g. 2014年度：550団体, ※2019年度:45%→…, or the year of 2016年度比 (value NaN)."""
    target: Target | None = None
    """The final target (the goal with the latest deadline), e.g. 倍増(約1,000団体)."""
    deadline: Deadline | None = None
    """The final target's deadline, e.g. 2017年度までに, or a withheld one."""
    relisted: bool = False
    """True when the text carries 【再掲】."""
    ex_post: bool = False
    """True when the text says 事後的に検証(する指標)."""
    note: str | None = None
    """Remarks after the name or after the target blocks (※ notes included), joined with "; "."""
    deadline_withheld: str | None = None
    """The words that withhold a deadline (目標期限を…に設定)."""
    target_text: str | None = None
    """The target clauses as written (cleaned), kept even when no quantity is found in them."""
    goals: tuple[Goal, ...] = ()
    """Every target with its deadline: stages (【…150団体】【…300団体】) and sub-populations (小学校で…)."""
    kind: KpiKind = "none"
    """absolute / relative / direction / recurring / maintain (the final target's kind), none or to-be-set."""
    target_set_by: Deadline | None = None
    """For to-be-set: when the target is to be set (目標値は2024年度中に設定予定); unset without a date."""
    no_target: str | None = None
    """The words that say there is no target (見える化, 推移を把握, 事後的に検証)."""
    label: str = ""
    """The name with its remarks (運用コスト(住民一人当たり)), without 再掲 and 事後的… marks."""


# ---------------------------------------------------------------- patterns

_MARK = r"[(【《〈]\s*{}\s*[)】》〉]"
_RELISTED = re.compile(_MARK.format("再掲"))
_EX_POST = re.compile(r"[(【《〈][^()【】《》〈〉]*事後的に検証[^()【】《》〈〉]*[)】》〉]")
_TIER = re.compile(r"^(?:KPI\s*)?\(?第\s*[一二12]\s*階層\)?\s*")
_LEADING = re.compile(r"^(?:[〇○・●◯◎■□◆◇]\s*)+")  # 〇 (a kanji zero) is not a bullet for normalize
_NONE_MARKS = {"", "-", "−", "ー", "―", "—", "－", "なし", "無し"}
_OPEN, _CLOSE = "【(", "】)"
_COLON = re.compile(r"(?<!\d):")
_NESTED = re.compile(r"【[^【】]*】")


def _clean(text: str) -> str:
    """Normalise KPI text for parsing: NFKC, tags, brackets, PDF spaces, 和暦 → 西暦, whitespace."""
    s = unify_brackets(strip_tags(nfkc(text)))
    s = remove_pdf_spaces(collapse_whitespace(s)).strip()
    return replace_wareki(s)


_BRACKET_CHAR = re.compile(r"[【】()]")


def _groups(s: str) -> list[tuple[int, int]]:
    """Spans of the top-level 【…】 and (…) groups of `s`; an unclosed group runs to the end."""
    spans, depth, start, opener = [], 0, 0, ""
    for m in _BRACKET_CHAR.finditer(s):  # only the brackets, not every character: most text has none
        c, i = m[0], m.start()
        if depth == 0 and c in _OPEN:
            depth, start, opener = 1, i, c
        elif depth and c == opener:
            depth += 1
        elif depth and c == _CLOSE[_OPEN.index(opener)]:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(s)))
    return spans


def _is_clause(group: str, ph: Phrases) -> bool:
    """Whether a () group states a target (a year, or a no-target / to-be-set phrase), not a remark."""
    return bool(TIME.search(group) or ph.search("no_target", group) or ph.search("to_be_set", group))


def _blocks(s: str, ph: Phrases) -> tuple[str, list[str], list[str]]:
    """Split a KPI into its head (name and remarks), its target blocks, and the notes after them."""
    blocks, notes, head_end = [], [], None
    groups = _groups(s)
    for k, (start, end) in enumerate(groups):
        inner = s[start + 1: end].removesuffix(_CLOSE[_OPEN.index(s[start])])
        # A () group is a target only at the end of the name (公共施設(2016年度以降整備分)の集約率 is a name).
        trailing = not s[end: groups[k + 1][0] if k + 1 < len(groups) else len(s)].strip()
        if s[start] == "【" or (trailing and _is_clause(inner, ph)):
            head_end = start if head_end is None else head_end
            blocks.append(inner)
        elif head_end is not None:
            notes.append(inner)
    if head_end is None:
        return s, [], []
    tail = s[groups[-1][1]:].strip()
    if tail:
        notes.append(tail)
    return s[:head_end], blocks, notes


@lru_cache(maxsize=16)
def _label(ph: Phrases, trailing: bool = False) -> re.Pattern[str]:
    """目標: inside a block; with `trailing`, a label that ends a name before a colon (名称 目標:…)."""
    return re.compile(rf"{ph.alt('target_labels')}\s*" + ("$" if trailing else ":"))


def _read_block(block: str, ph: Phrases) -> tuple[Baseline | None, str]:
    """A block's baseline (before 目標:, or a leading 2014年度:550団体 before a space) and its clause."""
    inner = _NESTED.sub(" ", block).strip()  # nested notes: 【増加[調査結果を踏まえ改善]】
    if label := _label(ph).search(inner):
        before = inner[: label.start()].strip()
        return (baseline_of(before, ph) if before else None), inner[label.end():].strip()
    return None, inner


def _final(goals: tuple[Goal, ...]) -> Goal | None:
    """The goal with the latest deadline (the last stage); the first of those tied; else the last goal."""
    dated = [g for g in goals if g.deadline is not None and g.deadline.is_set]
    if not dated:
        return goals[-1] if goals else None
    key = [due(g.deadline) for g in dated]
    return dated[key.index(max(key))]  # type: ignore[type-var]


def _kind(clause: Clause, target: Target | None) -> KpiKind:
    if target is not None:
        return target.kind
    return "to-be-set" if clause.to_be_set is not None else "none"


def _merge(clauses: list[Clause]) -> Clause:
    goals = tuple(g for c in clauses for g in c.goals)
    pick = next((c for c in clauses if c.goals), None)
    return Clause(
        goals=goals,
        baseline=next((c.baseline for c in clauses if c.baseline is not None), None),
        withheld=next((c.withheld for c in clauses if c.withheld), None) if goals else None,
        to_be_set=None if pick else next((c.to_be_set for c in clauses if c.to_be_set), None),
        no_target=None if pick else next((c.no_target for c in clauses if c.no_target), None),
    )


# ---------------------------------------------------------------- public API


def parse_target_clause(text: str, phrases: Phrases | None = None) -> Clause:
    """Read a target clause as printed (a KPI block's inside, a 目標値 column) into goals and markers."""
    return parse_clause(_clean(text), phrases or default_phrases())


def parse_kpi_text(text: str, phrases: Phrases | None = None) -> ParsedKpi:
    """Parse one KPI as printed, e.g. ・クラウド導入市区町村数【2014年度：550団体 目標：…倍増(約1,000団体)を図る】.

    Target.text and Deadline.text are taken from the cleaned text (NFKC, PDF spaces removed, 和暦
    converted). Never raises: what cannot be read is None. `phrases`: the vocabulary (default: shipped).
    """
    ph = phrases or default_phrases()
    s = _TIER.sub("", _LEADING.sub("", strip_bullets(_clean(strip_bullets(text)))))
    relisted = bool(_RELISTED.search(s))
    ex_post = bool(_EX_POST.search(s))
    s = collapse_whitespace(remove_pdf_spaces(_EX_POST.sub(" ", _RELISTED.sub(" ", s))))
    main, star, star_note = s.partition("※")
    head, blocks, notes = _blocks(main.strip(), ph)
    if not blocks and (colon := _COLON.search(head)):  # 名称:2026年までに300
        head, blocks = _label(ph, trailing=True).sub("", head[: colon.start()]), [head[colon.end():]]
    clauses, baseline, texts = [], None, []
    for block in blocks:
        block_baseline, clause_text = _read_block(block, ph)
        baseline = baseline or block_baseline
        texts.append(clause_text)
        clauses.append(parse_clause(clause_text, ph))
    if star:
        note_clause = parse_clause(star_note.strip(), ph)
        if not any(g.target.kind != "direction" for c in clauses for g in c.goals) and note_clause.goals:
            clauses.append(note_clause)
        elif note_clause.baseline is not None:
            clauses.append(Clause(baseline=note_clause.baseline))
        notes.append(star_note.strip())
    clause = _merge(clauses)
    baseline = baseline or clause.baseline
    final = _final(clause.goals)
    target, deadline = (final.target, final.deadline) if final else (None, None)
    if clause.withheld and (deadline is None or not deadline.is_set):
        deadline = Deadline(text=clause.withheld)
    name, name_notes = split_trailing_notes(head.strip())
    withheld = deadline.text if deadline is not None and not deadline.is_set else None
    return ParsedKpi(
        name=name, baseline=baseline, target=target, deadline=deadline, relisted=relisted, ex_post=ex_post,
        note="; ".join(name_notes + notes) or None, deadline_withheld=withheld,
        target_text=" ".join(texts) or None, goals=clause.goals, kind=_kind(clause, target),
        target_set_by=clause.to_be_set, no_target=clause.no_target or ("事後的に検証" if ex_post else None),
        label=head.strip(),
    )  # fmt: skip


def parse_status_target(text: str) -> tuple[Target | None, Deadline | None, Baseline | None]:
    """Parse the 目標値 (達成時期) column of a KPIの状況 table: the final target, its deadline, a baseline.

    "2014年度から 2017年度まで に倍増(約 1000団体)" → 倍増 ≈1000団体, deadline FY2017, and a
    baseline that names only its year: its value is NaN ("not stated"; test with math.isnan),
    because Baseline requires a value. "3割圧縮(集中 改革期間中に 設定)" → -30%, deadline not set.
    "-" → (None, None, None). parse_target_clause gives every goal.
    """
    s = _clean(text)
    if s in _NONE_MARKS:
        return None, None, None
    clause = parse_clause(s, default_phrases())
    final = _final(clause.goals)
    target, deadline = (final.target, final.deadline) if final else (None, None)
    if clause.withheld and (deadline is None or not deadline.is_set):
        deadline = Deadline(text=clause.withheld)
    return target, deadline, clause.baseline


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


@lru_cache(maxsize=1 << 16)
def kpi_label_key(name: str) -> str:
    """A key for telling KPI names apart: as kpi_name_key, but remarks in () stay, so that 運用コスト and
    運用コスト(住民一人当たり) differ (only 再掲, tiers, 事後的… marks and 【】 target blocks go)."""
    s = _NAME_NOISE.sub("", normalize_for_match(name))
    s = _EX_POST.sub("", s)
    while (out := _NESTED.sub("", s)) != s:
        s = out
    return normalize_for_match(s)


__all__ = ["REFORM_PERIOD_LAST_FY", "Clause", "Goal", "KpiKind", "ParsedKpi", "kpi_label_key", "kpi_name_key",
           "parse_kpi_text", "parse_status_target", "parse_target_clause"]

"""Generated KPI texts: every surface form combined (eras, widths, PDF spaces, bullets, brackets, colons,
thresholds, stages), and mutations that must turn a clean KPI into exactly one finding.

A generated KPI states a value and a deadline, so it must parse to that value and deadline and draw no
"no target" or "no deadline" finding. Its mutations: drop the year → kpi-deadline-missing; drop the value
→ kpi-target-missing; turn the value into 増加 → kpi-target-direction-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.base import Context
from checker.domain.corpus import Corpus
from checker.domain.kpi.dates import due
from checker.domain.kpi_text import parse_kpi_text
from checker.engine.rule_examples import load_example
from checker.engine.run import run_rule
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

RULESET, _ = load_ruleset([DEFAULT_RULES_DIR])
KPI_RULES = [r for r in RULESET.rules if r.id in
             {"kpi-target-missing", "kpi-deadline-missing", "kpi-target-direction-only", "kpi-target-to-be-set"}]

_NAMES = ["窓口のオンライン化率", "電子申請の件数", "クラウド導入団体数", "研修の受講者数", "公共施設の集約数",
          "手続のデジタル完結率", "住民向け講習会の開催数"]
_UNITS = ["%", "団体", "件", "人", "か所", "手続", "億円"]
_BULLETS = ["", "・", "○", "〇", "◆", "■ ", "・ "]
_FULL = str.maketrans("0123456789%,.:", "０１２３４５６７８９％，．：")


@dataclass(frozen=True)
class Stage:
    year: int
    fiscal: bool
    suffix: str  # までに, 末までに, 中に, に, 上半期までに
    era: str  # "", 平成, 令和, H
    value: int
    unit: str
    threshold: str  # "", 以上, 以下, 超, 未満
    approx: str  # "", 約, 概ね

    def due(self) -> dt.date:
        if self.suffix.startswith("上半期"):
            return dt.date(self.year, 9, 30) if self.fiscal else dt.date(self.year, 6, 30)
        return dt.date(self.year + 1, 3, 31) if self.fiscal else dt.date(self.year, 12, 31)

    def when(self) -> str:
        if self.era == "平成":
            y = f"平成{self.year - 1988}"
        elif self.era == "令和":
            y = f"令和{'元' if self.year == 2019 else self.year - 2018}"
        elif self.era == "H":
            y = f"H{self.year - 1988}"
        else:
            y = str(self.year)
        return f"{y}{'年度' if self.fiscal else '年'}{self.suffix}"

    def what(self) -> str:
        number = f"{self.value:,}" if self.value >= 1000 and self.value % 2 else str(self.value)
        return f"{self.approx}{number}{self.unit}{self.threshold}"


@st.composite
def stages(draw) -> Stage:
    year = draw(st.integers(2016, 2035))
    era = draw(st.sampled_from(["", "平成", "H"] if year <= 2019 else ["", "令和"]))
    fiscal = draw(st.booleans())
    suffixes = ["までに", "末までに", "中に", "に", "上半期までに"] if fiscal else ["までに", "末までに", "中に",
                                                                           "上半期までに"]
    return Stage(year, fiscal, draw(st.sampled_from(suffixes)), era, draw(st.integers(1, 99999)),
                 draw(st.sampled_from(_UNITS)), draw(st.sampled_from(["", "以上", "以下", "超", "未満"])),
                 draw(st.sampled_from(["", "約", "概ね"])))


@dataclass(frozen=True)
class Kpi:
    bullet: str
    name: str
    stages: tuple[Stage, ...]
    form: str  # brackets, square, colon, fullcolon, vcolon, paren, label
    full_width: bool
    spaces: tuple[int, ...]  # where PDF line breaks put a space

    def render(self, clause: list[str]) -> str:
        if self.form in ("colon", "fullcolon", "vcolon"):
            colon = {"colon": ":", "fullcolon": "：", "vcolon": "︓"}[self.form]
            body = f"{self.name}{colon}{'、'.join(clause)}"
        elif self.form == "label":
            body = f"{self.name}【目標：{'、'.join(clause)}】"
        else:
            left, right = {"brackets": "【】", "square": "［］", "paren": "()", "lenticular": "〖〗"}[self.form]
            body = self.name + "".join(f"{left}{c}{right}" for c in clause)
        if self.full_width:
            body = body.translate(_FULL)
        return self.bullet + _pdf_spaces(body, self.spaces)

    def text(self) -> str:
        return self.render([s.when() + s.what() for s in self.stages])


def _japanese(c: str) -> bool:
    """Kana, kanji and Japanese punctuation; not full-width digits, which NFKC turns into ASCII ones (a
    PDF break between two digits, "2 016", is not modelled: nothing tells it from two numbers)."""
    return "\u3000" <= c <= "\u9fff" or c in "【】［］〖〗：︓（）、"


def _pdf_spaces(s: str, at: tuple[int, ...]) -> str:
    """Insert a space before each position in `at` where one neighbour is Japanese (as PDF line breaks do)."""
    out = []
    for i, c in enumerate(s):
        if i in at and i > 0 and (_japanese(c) or _japanese(s[i - 1])) and s[i - 1] != " ":
            out.append(" ")
        out.append(c)
    return "".join(out)


@st.composite
def kpis(draw) -> Kpi:
    n = draw(st.integers(1, 3))
    staged = sorted(draw(st.lists(stages(), min_size=n, max_size=n, unique_by=lambda s: s.due())),
                    key=Stage.due)
    form = draw(st.sampled_from(["brackets", "square", "colon", "fullcolon", "vcolon", "paren", "label",
                                 "lenticular"]))
    if form in ("colon", "fullcolon", "vcolon", "label") and len(staged) > 1:
        staged = staged[:1] if draw(st.booleans()) else staged  # one clause, stages separated by 、
    spaces = tuple(draw(st.lists(st.integers(0, 60), max_size=6)))
    return Kpi(draw(st.sampled_from(_BULLETS)), draw(st.sampled_from(_NAMES)), tuple(staged), form,
               draw(st.booleans()), spaces)


def _findings(text: str) -> set[str]:
    docs, problems = load_example({"kpis": [{"tier": 1, "text": text}]}, "generated")
    assert not problems
    corpus = Corpus(docs)
    ctx = Context(corpus, dt.date(2017, 12, 31), RULESET.vocabularies)
    return {f.rule for rule in KPI_RULES for f in run_rule(rule, corpus, ctx)}


_BOUND = {"": None, "以上": "at_least", "以下": "at_most", "超": "above", "未満": "below"}


@settings(max_examples=300, deadline=None)
@given(kpis())
def test_generated_kpis_parse_to_their_stages(kpi: Kpi) -> None:
    text = kpi.text()
    parsed = parse_kpi_text(text)
    assert parsed.name == kpi.name, text
    assert [due(g.deadline) for g in parsed.goals] == [s.due() for s in kpi.stages], text
    final = kpi.stages[-1]
    assert parsed.kind == "absolute" and parsed.target is not None, text
    value = final.value * (1e8 if final.unit == "億円" else 1)
    assert (parsed.target.value, parsed.target.bound) == (value, _BOUND[final.threshold]), text
    assert parsed.target.approximate == bool(final.approx), text
    assert parsed.target.unit == ("円" if final.unit == "億円" else final.unit), text
    assert due(parsed.deadline) == final.due(), text


@settings(max_examples=60, deadline=None)
@given(kpis())
def test_generated_kpis_draw_no_target_or_deadline_finding(kpi: Kpi) -> None:
    assert _findings(kpi.text()) == set(), kpi.text()


@settings(max_examples=60, deadline=None)
@given(kpis(), st.sampled_from(["drop_year", "drop_value", "direction"]))
def test_mutations_draw_exactly_their_finding(kpi: Kpi, mutation: str) -> None:
    one = Kpi(kpi.bullet, kpi.name, kpi.stages[-1:], kpi.form, kpi.full_width, kpi.spaces)
    s = one.stages[0]
    if mutation == "drop_year":
        text, expected = one.render([s.what()]), {"kpi-deadline-missing"}
        if kpi.form == "paren":  # a () group without a year is a remark (運用コスト(約1,000団体)), not a target
            expected = {"kpi-target-missing"}
    elif mutation == "drop_value":
        text, expected = one.render([s.when()]), {"kpi-target-missing"}
    else:
        text, expected = one.render([s.when() + "増加"]), {"kpi-target-direction-only"}
    assert _findings(text) == expected, text


def _year_words(draw, year: int) -> str:
    """A fiscal year as printed: 西暦, 平成 or 令和 (元年 included), H."""
    eras = ["", "H", "平成"] if year <= 2019 else ["", "令和"]
    era = draw(st.sampled_from(eras))
    if era in ("H", "平成"):
        return f"{era}{year - 1988}年度"
    if era == "令和":
        return f"令和{'元' if year == 2019 else year - 2018}年度"
    return f"{year}年度"


@st.composite
def other_forms(draw) -> tuple[str, dict]:
    """Relative to a year, recurring, direction and to-be-set KPIs, in the surface forms of `kpis`."""
    family = draw(st.sampled_from(["relative", "recurring", "direction", "to_be_set", "maintain"]))
    ref, end = sorted(draw(st.lists(st.integers(2013, 2030), min_size=2, max_size=2, unique=True)))
    n = draw(st.integers(1, 9))
    if family == "relative":
        word, sign = draw(st.sampled_from([("削減", -1), ("縮減", -1), ("増加", 1), ("向上", 1)]))
        share, unit = draw(st.sampled_from([(n / 10, f"{n}割"), (n * 5 / 100, f"{n * 5}%")]))
        compare = draw(st.sampled_from(["比で", "と比べて", "と比較して", "から"]))
        deadline_first = draw(st.booleans())
        when, base = f"{_year_words(draw, end)}までに", f"{_year_words(draw, ref)}{compare}"
        clause = f"{when}{base}{unit}{word}" if deadline_first else f"{base}{when}{unit}{word}"
        want = {"kind": "relative", "change": sign * share, "reference_year": ref, "due": dt.date(end + 1, 3, 31)}
    elif family == "recurring":
        marker = draw(st.sampled_from(["毎年度", "毎年", "各年度", "年間"]))
        value = draw(st.integers(1, 5000))
        clause = f"{marker}{value}件{draw(st.sampled_from(['', '以上']))}"
        want = {"kind": "recurring", "value": value, "due": None}
    elif family == "direction":
        word, direction = draw(st.sampled_from([("増加", "increase"), ("減少", "decrease"), ("上昇", "increase"),
                                                ("低減", "decrease")]))
        clause = draw(st.sampled_from([word, f"毎年度{word}", f"{_year_words(draw, ref)}より{word}",
                                       f"{_year_words(draw, ref)}の{n}.5%に比べて{word}"]))
        want = {"kind": "direction", "direction": direction, "due": None}
    elif family == "maintain":
        clause = draw(st.sampled_from(["現状の水準を維持", f"{n}0%以上を維持", f"{_year_words(draw, ref)}の水準を維持"]))
        want = {"kind": "maintain", "due": None}
    else:
        clause = f"目標値は{_year_words(draw, end)}中に設定{draw(st.sampled_from(['予定', 'する']))}"
        want = {"kind": "to-be-set", "set_by": dt.date(end + 1, 3, 31)}
    form = draw(st.sampled_from(["【】", "［］", "〖〗", "：", ":", "︓"]))
    name = draw(st.sampled_from(_NAMES))
    body = f"{name}{form}{clause}" if len(form) == 1 else f"{name}{form[0]}{clause}{form[1]}"
    if draw(st.booleans()):
        body = body.translate(_FULL)
    spaces = tuple(draw(st.lists(st.integers(0, 40), max_size=4)))
    return draw(st.sampled_from(_BULLETS)) + _pdf_spaces(body, spaces), {"name": name, **want}


@settings(max_examples=300, deadline=None)
@given(other_forms())
def test_other_families_in_every_surface_form(case: tuple[str, dict]) -> None:
    text, want = case
    parsed = parse_kpi_text(text)
    t = parsed.target
    got = {"name": parsed.name, "kind": parsed.kind, "due": due(parsed.deadline),
           "set_by": due(parsed.target_set_by), "change": t and t.change, "value": t and t.value,
           "direction": t and t.direction, "reference_year": t and t.reference_year}
    for key, value in want.items():
        if isinstance(value, float):
            assert got[key] is not None and abs(got[key] - value) < 1e-9, (text, key, got)
        else:
            assert got[key] == value, (text, key, got)


_PIECES = ["【", "】", "［", "］", "(", ")", ":", "：", "︓", "※", "→", "・", "○", "〇", "、", "年度", "年", "月", "末",
           "中", "上半期", "までに", "比", "より", "から", "目標", "値", "設定予定", "見える化", "毎年度", "維持", "増加",
           "減少", "削減", "割", "%", "約", "以上", "未満", "2024", "令和5", "平成28", "1,000", "3/4", "団体", "件",
           "全", "累計", "4年間で", " ", "\u3000", "-", "▲", "2019年度:45%→2024年度:80%", "目標値は", "前年度比"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_any_mix_of_the_pieces_parses_to_a_consistent_kind(text: str) -> None:
    parsed = parse_kpi_text(text)
    kinds = {"absolute", "relative", "direction", "recurring", "maintain", "none", "to-be-set"}
    assert parsed.kind in kinds
    if parsed.target is not None:
        assert parsed.kind == parsed.target.kind and parsed.target in [g.target for g in parsed.goals]
    else:
        assert parsed.kind in {"none", "to-be-set"} and parsed.goals == ()
    assert (parsed.target_set_by is not None) == (parsed.kind == "to-be-set")

"""Tests for checker.domain.kpi_text: every KPI text of the source, status targets, resolution, generated texts."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.domain.kpi_resolve import FieldConflict, resolve_kpi
from checker.domain.kpi_text import (
    ParsedKpi,
    kpi_name_key,
    parse_kpi_text,
    parse_status_target,
)
from checker.domain.model import Baseline, Deadline, Kpi, Target
from checker.domain.normalize import split_bullets

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source-documents" / "000_10167e900aef3417.txt"

CLOUD = "クラウド導入市区町村数"
COST = "地方公共団体の情報システム運用コスト"
EFFECT = "歳出効率化の成果"
CLOUD_EFFECT = "クラウド導入に伴う歳出効率化の成果"
WITHHELD = "目標期限を集中改革期間中に設定"
DOUBLING = "2017年度までに倍増(約1,000団体)を図る"

# (text as printed, name, relisted, ex_post, baseline (value, unit, fy), target (change, value), deadline fy,
#  withheld words). A deadline of None with withheld words means "Deadline(is_set=False)".
SOURCE_KPIS = [
    ("・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】",
     CLOUD, False, False, (550, "団体", 2014), (1.0, 1000), 2017, None),
    ("・歳出効率化の成果 (事後的に検証する指標)", EFFECT, False, True, None, None, None, None),
    ("・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】",
     COST, False, False, None, (-0.3, None), None, WITHHELD),
    ("・地方公共団体の情報システム運用コスト 【目標：3割圧縮(目標期限を集中改革期間中に設定)】",
     COST, False, False, None, (-0.3, None), None, WITHHELD),
    ("・歳出効率化の成果 《事後的に検証する指標》", EFFECT, False, True, None, None, None, None),
    ("・クラウド導入に伴う歳出効率化の成果 (事後的に検証する指標) (再掲)", CLOUD_EFFECT, True, True, None, None, None, None),
    ("・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】 (再掲)",
     COST, True, False, None, (-0.3, None), None, WITHHELD),
    # KPIの状況 tables: the KPI column, tier label included, PDF spaces included.
    ("第一階層 クラウド導入市町村数", "クラウド導入市町村数", False, False, None, None, None, None),
    ("第二階層 歳出効率化の成果(事後的に検証する 指標)", EFFECT, False, True, None, None, None, None),
    ("第二階層 地方公共団体の情報システム運用コ スト", COST, False, False, None, None, None, None),
    ("第一階層 クラウド導入市区町村数【再掲】", CLOUD, True, False, None, None, None, None),
    ("第二階層 クラウド導入に伴う歳出効率化の成果(事後的に検証する指標)【再掲】", CLOUD_EFFECT, True, True, None, None, None, None),
    ("第二階層 地方公共団体の情報システム運用コスト【再掲】", COST, True, False, None, None, None, None),
]  # fmt: skip

# The cells that list two KPIs each, as printed.
SOURCE_CELLS = [
    ("・歳出効率化の成果 (事後的に検証する指標) ・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】",
     [EFFECT, COST]),
    ("・歳出効率化の成果 (事後的に検証する指標) ・地方公共団体の情報システム運用コスト 【目標：3割圧縮(目標期限を集中改革期間中に設定)】",
     [EFFECT, COST]),
    ("・歳出効率化の成果 《事後的に検証する指標》 ・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】",
     [EFFECT, COST]),
    ("・クラウド導入に伴う歳出効率化の成果 (事後的に検証する指標) (再掲) ・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】",
     [CLOUD_EFFECT, CLOUD]),
]  # fmt: skip

# 目標値 (達成時期) column: (text, change, value, approximate, deadline fy, withheld?, baseline fy).
SOURCE_STATUS_TARGETS = [
    ("2014年度から 2017年度まで に倍増(約 1000団体)", 1.0, 1000, True, 2017, False, 2014),
    ("2014年度から2017年度までに倍増(約1000団体)", 1.0, 1000, True, 2017, False, 2014),
    ("3割圧縮(集中 改革期間中に 設定)", -0.3, None, False, None, True, None),
    ("3割圧縮(集中改革期間中に設定)", -0.3, None, False, None, True, None),
]


def _missing(deadline: Deadline | None) -> bool:
    return deadline is None or not deadline.is_set


@pytest.mark.parametrize(
    ("text", "name", "relisted", "ex_post", "baseline", "target", "deadline_fy", "withheld"), SOURCE_KPIS
)
def test_source_kpi(text, name, relisted, ex_post, baseline, target, deadline_fy, withheld) -> None:
    parsed = parse_kpi_text(text)
    assert (parsed.name, parsed.relisted, parsed.ex_post) == (name, relisted, ex_post)
    if baseline is None:
        assert parsed.baseline is None
    else:
        assert parsed.baseline == Baseline(value=baseline[0], unit=baseline[1], fiscal_year=baseline[2])
    if target is None:
        assert parsed.target is None
    else:
        assert parsed.target is not None and (parsed.target.change, parsed.target.value) == target
    if deadline_fy is None:
        assert _missing(parsed.deadline)
    else:
        assert parsed.deadline is not None and parsed.deadline.fiscal_year == deadline_fy
    assert parsed.deadline_withheld == withheld


def test_done_when_cloud_kpi() -> None:
    parsed = parse_kpi_text(SOURCE_KPIS[0][0])
    assert parsed.name == CLOUD
    assert parsed.baseline == Baseline(value=550, unit="団体", fiscal_year=2014)
    assert parsed.target == Target(
        kind="relative",
        change=1.0,
        direction="increase",
        value=1000,
        unit="団体",
        approximate=True,
        text=DOUBLING,
    )
    assert parsed.deadline == Deadline(fiscal_year=2017, text="2017年度までに")
    assert parsed.target_text == DOUBLING


def test_done_when_cost_kpi() -> None:
    parsed = parse_kpi_text(SOURCE_KPIS[2][0])
    assert parsed.name == COST
    assert parsed.target is not None and parsed.target.kind == "relative"
    assert parsed.target.change == pytest.approx(-0.3)
    assert parsed.target.direction == "decrease"
    assert parsed.deadline == Deadline(text=WITHHELD)
    assert _missing(parsed.deadline)


@pytest.mark.parametrize(("cell", "names"), SOURCE_CELLS)
def test_source_cells(cell: str, names: list[str]) -> None:
    assert [k.name for k in (parse_kpi_text(p) for p in split_bullets(cell))] == names


def _source_kpi_texts() -> set[str]:
    """Every KPI the source prints: bulleted parts naming a target or 事後的…, and KPIの状況 rows."""
    found: set[str] = set()
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if cells[0].startswith(("第一階層", "第二階層")):
            found.add(cells[0])
            continue
        for cell in cells:
            if cell.startswith("・"):
                found.update("・" + p for p in split_bullets(cell) if "目標：" in p or "事後的" in p)
    return found


@pytest.mark.skipif(not SOURCE.exists(), reason="source document not available")
def test_tables_cover_every_kpi_and_status_target_of_the_source() -> None:
    assert _source_kpi_texts() == {row[0] for row in SOURCE_KPIS}
    targets = {
        line.split("\t")[1]
        for line in SOURCE.read_text(encoding="utf-8").splitlines()
        if line.startswith(("第一階層", "第二階層"))
    }
    assert targets - {"-"} <= {row[0] for row in SOURCE_STATUS_TARGETS}


@pytest.mark.parametrize(
    ("text", "change", "value", "approximate", "deadline_fy", "withheld", "baseline_fy"),
    SOURCE_STATUS_TARGETS,
)
def test_status_target(text, change, value, approximate, deadline_fy, withheld, baseline_fy) -> None:
    target, deadline, baseline = parse_status_target(text)
    assert target is not None and target.kind == "relative"
    assert target.change == pytest.approx(change)
    assert (target.value, target.approximate) == (value, approximate)
    assert " " not in target.text
    if withheld:
        assert deadline is not None and not deadline.is_set and deadline.text
    else:
        assert deadline is not None and deadline.fiscal_year == deadline_fy
    if baseline_fy is None:
        assert baseline is None
    else:
        assert baseline is not None and baseline.fiscal_year == baseline_fy and math.isnan(baseline.value)


@pytest.mark.parametrize("text", ["-", " - ", "", "－"])
def test_status_target_none(text: str) -> None:
    assert parse_status_target(text) == (None, None, None)


# ---------------------------------------------------------------- general shapes


@pytest.mark.parametrize(
    ("text", "kind", "change", "value", "unit", "direction", "approximate", "deadline"),
    [
        ("A【目標：2020年度までに100%】", "absolute", None, 100, "%", None, False, (2020, None)),
        ("A【目標：2020年までに3,000件】", "absolute", None, 3000, "件", None, False, (2020, "2020-12-31")),
        ("A【目標：平成30年度末までに半減】", "relative", -0.5, None, None, "decrease", False, (2018, None)),
        ("A【目標：2018年度末までに5割削減】", "relative", -0.5, None, None, "decrease", False, (2018, None)),
        ("A【目標：2019年度中に2割向上】", "relative", 0.2, None, None, "increase", False, (2019, None)),
        (
            "A【目標：2019年3月までに10%増加】",
            "relative",
            0.1,
            None,
            None,
            "increase",
            False,
            (2018, "2019-03-31"),
        ),
        ("A【目標：20%削減】", "relative", -0.2, None, None, "decrease", False, None),
        ("A【目標：3割縮減】", "relative", -0.3, None, None, "decrease", False, None),
        ("A【目標：増加】", "direction", None, None, None, "increase", False, None),
        ("A【目標：縮小】", "direction", None, None, None, "decrease", False, None),
        ("A【目標：概ね500か所】", "absolute", None, 500, "か所", None, True, None),
        ("A【目標：10万人以上】", "absolute", None, 100000, "人", None, False, None),
        ("A【目標：2倍に増加】", "relative", 1.0, None, None, "increase", False, None),
        ("A【目標：集中改革期間中に3割削減】", "relative", -0.3, None, None, "decrease", False, (2018, None)),
        ("A【目標：H30年度までに倍増】", "relative", 1.0, None, None, "increase", False, (2018, None)),
    ],
)
def test_general_target_shapes(text, kind, change, value, unit, direction, approximate, deadline) -> None:
    parsed = parse_kpi_text(text)
    assert parsed.name == "A"
    target = parsed.target
    assert target is not None
    assert (target.kind, target.value, target.unit, target.direction, target.approximate) == (
        kind, value, unit, direction, approximate,
    )  # fmt: skip
    assert target.change == (pytest.approx(change) if change is not None else None)
    if deadline is None:
        assert parsed.deadline is None
    else:
        assert parsed.deadline is not None and parsed.deadline.fiscal_year == deadline[0]
        assert str(parsed.deadline.date) == str(deadline[1])


def test_bare_withheld_deadline_and_note() -> None:
    parsed = parse_kpi_text(
        "・運用コスト(住民一人当たりコストを含む)【目標：3割削減 目標期限は今後設定予定】"
    )
    assert parsed.name == "運用コスト" and parsed.note == "住民一人当たりコストを含む"
    assert _missing(parsed.deadline) and parsed.deadline_withheld
    assert parsed.target is not None and parsed.target.change == pytest.approx(-0.3)


def test_qualitative_target_keeps_text() -> None:
    parsed = parse_kpi_text("A【目標：取組を推進】")
    assert parsed.target is None and parsed.target_text == "取組を推進"


_KPI_ALPHABET = "【】()《》:：目標年度月日までに倍増半減割%約削減増加0123456789,・ 再掲平成"


@given(st.one_of(st.text(max_size=80), st.text(alphabet=_KPI_ALPHABET, max_size=60)))
def test_parsers_never_raise(text: str) -> None:
    assert isinstance(parse_kpi_text(text), ParsedKpi)
    parse_status_target(text)
    kpi_name_key(text)


# ---------------------------------------------------------------- names and resolution


def test_kpi_name_key_matches_across_documents() -> None:
    roadmap = kpi_name_key(SOURCE_KPIS[0][0])
    assert roadmap == kpi_name_key("第一階層 クラウド導入市区町村数【再掲】") == CLOUD
    assert kpi_name_key("第二階層 地方公共団体の情報システム運用コ スト") == kpi_name_key(SOURCE_KPIS[6][0])
    assert kpi_name_key("第二階層 歳出効率化の成果(事後的に検証する 指標)") == kpi_name_key(SOURCE_KPIS[4][0])
    assert kpi_name_key("第一階層 クラウド導入市町村数") != roadmap  # a real defect of the source


def test_resolve_kpi_parsed_only() -> None:
    resolved = resolve_kpi(Kpi(tier=2, text=SOURCE_KPIS[2][0]))
    assert resolved.deadline_missing and not resolved.target_missing
    assert resolved.deadline_withheld == WITHHELD and resolved.conflicts == ()
    ex_post = resolve_kpi(Kpi(tier=2, text=SOURCE_KPIS[1][0], ex_post=True))
    assert ex_post.target_missing and ex_post.deadline_missing and ex_post.ex_post and ex_post.conflicts == ()
    cloud = resolve_kpi(Kpi(tier=1, text=SOURCE_KPIS[0][0]))
    assert not cloud.deadline_missing and not cloud.target_missing


def test_resolve_kpi_written_fields_win_and_conflicts_are_kept() -> None:
    written_deadline = Deadline(fiscal_year=2018)
    kpi = Kpi(
        tier=2, text=SOURCE_KPIS[2][0], deadline=written_deadline, relisted=True,
        baseline=Baseline(value=100, unit="億円", fiscal_year=2015),
        target=Target(kind="relative", change=-0.2, text="2割圧縮"),
    )  # fmt: skip
    resolved = resolve_kpi(kpi)
    assert resolved.deadline == written_deadline and not resolved.deadline_missing
    assert resolved.deadline_withheld is None
    assert resolved.target is not None and resolved.target.change == -0.2 and resolved.relisted
    fields = {c.field for c in resolved.conflicts}
    # The text states no baseline (no conflict) but withholds the deadline (a conflict with FY2018).
    assert fields == {"target", "relisted", "deadline"}
    assert FieldConflict("relisted", True, False) in resolved.conflicts


def test_resolve_kpi_agreeing_fields_are_no_conflict() -> None:
    kpi = Kpi(
        tier=1, text=SOURCE_KPIS[0][0], name="クラウド導入市区町村数", deadline=Deadline(fiscal_year=2017),
        baseline=Baseline(value=550, unit="団体", fiscal_year=2014),
        target=Target(kind="relative", change=1.0, text="倍増"),
    )  # fmt: skip
    assert resolve_kpi(kpi).conflicts == ()
    renamed = resolve_kpi(
        kpi.model_copy(update={"name": "クラウド導入市町村数", "deadline": Deadline(fiscal_year=2018)})
    )
    assert {c.field for c in renamed.conflicts} == {"name", "deadline"}


# ---------------------------------------------------------------- generated KPI texts

_WORDS = ["クラウド", "導入", "市区町村", "電子", "申請", "件数", "利用率", "行政", "手続", "オンライン化", "窓口"]  # fmt: skip
_NAME = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map("".join)
_UNIT = st.sampled_from(["団体", "件", "%", "人", "円", "か所", "社"])
_YEAR = st.integers(min_value=1990, max_value=2035)


def _year_text(draw, year: int, suffix: str) -> str:
    if 1989 <= year <= 2030 and draw(st.booleans()):
        return f"平成{year - 1988}{suffix}"
    return f"{year}{suffix}"


def _number(draw, n: int) -> str:
    return f"{n:,}" if draw(st.booleans()) else str(n)


@st.composite
def _kpi_texts(draw):
    name = draw(_NAME)
    spec: dict = {"name": name}
    parts = []
    if draw(st.booleans()):
        year, value, unit = draw(_YEAR), draw(st.integers(0, 10**6)), draw(_UNIT)
        parts.append(f"{_year_text(draw, year, '年度')}：{_number(draw, value)}{unit}")
        spec["baseline"] = (value, unit, year)
    shape = draw(
        st.sampled_from(["double", "half", "wari", "percent", "absolute", "direction", "double_abs"])
    )
    n = draw(st.integers(1, 9))
    value, unit = draw(st.integers(1, 10**6)), draw(_UNIT)
    approx = draw(st.sampled_from(["", "約", "概ね"]))
    if shape == "double":
        target, spec["target"] = "倍増", ("relative", 1.0, None)
    elif shape == "half":
        target, spec["target"] = "半減", ("relative", -0.5, None)
    elif shape == "wari":
        word = draw(st.sampled_from(["削減", "圧縮", "縮減", "増加", "向上"]))
        sign = 1 if word in ("増加", "向上") else -1
        target, spec["target"] = f"{n}割{word}", ("relative", sign * n / 10, None)
    elif shape == "percent":
        word, sign = draw(st.sampled_from([("削減", -1), ("増加", 1)]))
        target, spec["target"] = f"{n * 5}%{word}", ("relative", sign * n * 5 / 100, None)
    elif shape == "absolute":
        target, spec["target"] = (
            f"{approx}{_number(draw, value)}{unit}",
            ("absolute", None, (value, unit, bool(approx))),
        )
    elif shape == "direction":
        word = draw(st.sampled_from(["増加", "減少", "縮小", "向上"]))
        target, spec["target"] = word, ("direction", None, None)
        spec["direction"] = "increase" if word in ("増加", "向上") else "decrease"
    else:
        target = f"倍増({approx}{_number(draw, value)}{unit})"
        spec["target"] = ("relative", 1.0, (value, unit, bool(approx)))
    deadline = ""
    if draw(st.booleans()):
        year = draw(_YEAR)
        deadline = _year_text(draw, year, draw(st.sampled_from(["年度までに", "年度末までに", "年度中に"])))
        spec["deadline"] = year
    ending = draw(st.sampled_from(["", "を図る", "を目指す"]))
    bullet = draw(st.sampled_from(["・", "", "○"]))
    space = draw(st.sampled_from(["", " "]))
    spec["relisted"] = draw(st.booleans())
    relisted = draw(st.sampled_from([" (再掲)", "【再掲】"])) if spec["relisted"] else ""
    text = f"{bullet}{name}{space}【{' '.join(parts)}{' ' if parts else ''}目標：{deadline}{target}{ending}】"
    return text + relisted, spec


@given(_kpi_texts())
def test_generated_kpi_texts(case) -> None:
    text, spec = case
    parsed = parse_kpi_text(text)
    assert (parsed.name, parsed.relisted) == (spec["name"], spec["relisted"])
    if "baseline" in spec:
        value, unit, year = spec["baseline"]
        assert parsed.baseline == Baseline(value=value, unit=unit, fiscal_year=year)
    else:
        assert parsed.baseline is None
    kind, change, absolute = spec["target"]
    target = parsed.target
    assert target is not None and target.kind == kind
    assert target.change == (pytest.approx(change) if change is not None else None)
    if absolute is not None:
        assert (target.value, target.unit, target.approximate) == absolute
    if "direction" in spec:
        assert target.direction == spec["direction"]
    if "deadline" in spec:
        assert parsed.deadline is not None and parsed.deadline.fiscal_year == spec["deadline"]
    else:
        assert parsed.deadline is None

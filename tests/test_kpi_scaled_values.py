"""Scaled units (億円, 兆円, 万人, 千件) are compared scaled and shown as written; multiples (3倍増, 半減) are changes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.kpi_arithmetic import ArithmeticOptions, disagrees, shown_values, target_arithmetic
from checker.checks.review.target_agrees import differences
from checker.domain.kpi.clause import written_value
from checker.domain.kpi.phrases import default_phrases
from checker.domain.kpi_text import parse_kpi_text, parse_status_target


def _diff(row: str, kpi: str) -> list[str]:
    """English differences of a 目標値 row against a KPI's target clause (both invented)."""
    r, k = parse_status_target(row), parse_status_target(kpi)
    return [en for en, _ in differences(r[0], r[1], k[0], k[1])]


def _diff_ja(row: str, kpi: str) -> list[str]:
    r, k = parse_status_target(row), parse_status_target(kpi)
    return [ja for _, ja in differences(r[0], r[1], k[0], k[1])]


@pytest.mark.parametrize("row,kpi,shown", [
    ("2025年度までに1,600億円", "2025年度までに1.6兆円", "value 1,600億円 against 1.6兆円"),
    ("2025年度までに1,600億円", "2025年度までに1,800億円", "value 1,600億円 against 1,800億円"),
    ("2026年度までに約2.5兆円", "2026年度までに3兆円", "value 2.5兆円 against 3兆円"),
    ("2024年度までに30万人", "2024年度までに50万人", "value 30万人 against 50万人"),
    ("2024年度までに300,000人", "2024年度までに50万人", "value 300,000人 against 50万人"),
    ("2023年度までに5千件", "2023年度までに8千件", "value 5千件 against 8千件"),
    ("2023年度までに12万件以上", "2023年度までに1.5万件以上", "value 12万件 against 1.5万件"),
    ("2027年度までに800万円", "2027年度までに1,200万円", "value 800万円 against 1,200万円"),
    ("2025年度までに倍増(約1,600億円)", "2025年度までに倍増(約1.6兆円)", "value 1,600億円 against 1.6兆円"),
    ("２０２５年度までに１，６００億円", "2025年度までに1.6兆円", "value 1,600億円 against 1.6兆円"),
])
def test_scaled_values_are_shown_as_written(row, kpi, shown):
    diffs = _diff(row, kpi)
    assert shown in diffs, diffs
    assert all("0000000" not in d for d in diffs + _diff_ja(row, kpi)), diffs


def test_japanese_message_shows_values_as_written():
    assert "目標値 1,600億円(工程表 1.6兆円)" in _diff_ja("2025年度までに1,600億円", "2025年度までに1.6兆円")


@pytest.mark.parametrize("row,kpi", [
    ("2025年度までに16,000億円", "2025年度までに1.6兆円"), ("2025年度までに0.5兆円", "2025年度までに5,000億円"),
    ("2024年度までに500,000人", "2024年度までに50万人"), ("2023年度までに8,000件", "2023年度までに8千件"),
    ("2025年度までに約1.6兆円", "2025年度までに16,000億円程度"), ("2030年度までに1,500万円", "2030年度までに0.15億円"),
])
def test_one_target_in_two_scales_agrees(row, kpi):
    assert _diff(row, kpi) == []


_SCALES = {"兆円": 10**12, "億円": 10**8, "万円": 10**4, "千円": 10**3, "円": 1}


def _written(yen: int, unit: str) -> str:
    """`yen` written in `unit` (with thousands commas), as an editor would: 16,000億円, 1.6兆円."""
    value = yen / _SCALES[unit]
    return f"{value:,.0f}{unit}" if value.is_integer() else f"{value:,}{unit}"


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 99_999), st.sampled_from(["兆円", "億円", "万円"]), st.sampled_from(["億円", "万円", "千円", "円"]),
       st.integers(2016, 2035), st.booleans())
def test_a_target_written_in_another_scale_does_not_differ(n, big, small, year, approx):
    yen = n * _SCALES[big] // 10  # one decimal in the larger unit: 1.6兆円
    if yen % _SCALES[small]:
        return
    a, b = _written(yen, big), _written(yen, small)
    prefix = "約" if approx else ""
    assert _diff(f"{year}年度までに{prefix}{a}", f"{year}年度までに{b}") == [], (a, b)
    assert _diff(f"{year}年度までに{b}", f"{year}年度までに{a}") == [], (a, b)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 9_999), st.integers(1, 9_999).filter(lambda x: x), st.sampled_from(["億円", "兆円", "万人", "千件"]))
def test_differing_values_are_shown_in_their_written_unit(a, b, unit):
    if a == b:
        return
    diffs = _diff(f"2025年度までに{a:,}{unit}", f"2025年度までに{b:,}{unit}")
    assert f"value {a:,}{unit} against {b:,}{unit}" in diffs


def test_written_value_finds_the_quantity_with_that_value():
    ph = default_phrases()
    assert written_value("2025年度までに3倍増(約1,500億円)", 1.5e11, ph) == "1,500億円"
    assert written_value("2025年度までに1.6兆円", 1.6e12, ph) == "1.6兆円"
    assert written_value("2025年度までに1.6兆円", 7.0, ph) is None


# ---------------------------------------------------------------- multiples are relative changes


@pytest.mark.parametrize("text,change", [
    ("2027年度までに3倍増", 2.0), ("3倍", 2.0), ("2倍", 1.0), ("倍増", 1.0), ("半減", -0.5), ("3割増", 0.3),
    ("5割削減", -0.5), ("2.5倍に拡大", 1.5), ("三倍増", 2.0), ("二倍", 1.0), ("3倍増加", 2.0),
    ("4分の1に削減", -0.75), ("2020年度比で2025年度までに3倍増", 2.0),
])
def test_multiples_are_changes_not_values(text, change):
    target, _, _ = parse_status_target(text)
    assert target is not None and target.kind == "relative"
    assert target.change == pytest.approx(change) and target.value is None


def test_a_row_with_3x_differs_from_a_kpi_with_2x_by_change_only():
    assert _diff("2025年度までに3倍増", "2025年度までに倍増") == ["change ×3 against ×2"]
    assert _diff("2025年度までに3倍増", "2025年度までに3倍") == []
    assert _diff("2025年度までに5割削減", "2025年度までに半減") == []
    assert _diff("2025年度までに3割増", "2025年度までに3割削減") == ["change +30% against -30%"]


OPTIONS = ArithmeticOptions()


@pytest.mark.parametrize("text,bad", [
    ("・相談件数【2020年度:100件 目標:2025年度までに3倍増(300件)】", False),
    ("・相談件数【2020年度:100件 目標:2025年度までに3倍増(200件)】", True),
    ("・受入額【2020年度:500億円 目標:2025年度までに3倍増(1,500億円)】", False),
    ("・受入額【2020年度:500億円 目標:2025年度までに3倍増(1.5兆円)】", True),
    ("・受入額【2020年度:500億円 目標:2025年度までに2倍(1,000億円)】", False),
    ("・公用車の台数【2020年度:400台 目標:2028年度までに5割削減(200台)】", False),
    ("・公用車の台数【2020年度:400台 目標:2028年度までに5割削減(300台)】", True),
    ("・紙申請件数【2020年度:8万件 目標:2024年度までに4分の1に削減(2万件)】", False),
    ("・利用者数【2022年度:10万人 目標:2026年度までに約3倍(約30万人)】", False),
    ("・移住相談件数【2022年度:1,000件 目標:2026年度までに3割増(1,300件)】", False),
])
def test_arithmetic_applies_multiples_to_the_baseline(text, bad):
    kpi = parse_kpi_text(text)
    result = target_arithmetic(kpi.baseline, kpi.target)
    assert result is not None, kpi
    assert disagrees(result, kpi.target.approximate, OPTIONS) is bad, result


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 9), st.integers(1, 5_000), st.sampled_from(["件", "人", "団体", "億円"]))
def test_n_times_baseline_is_consistent(n, base, unit):
    text = f"・指標【2020年度:{base:,}{unit} 目標:2025年度までに{n}倍増({n * base:,}{unit})】"
    kpi = parse_kpi_text(text)
    assert kpi.target is not None and kpi.target.change == pytest.approx(n - 1)
    result = target_arithmetic(kpi.baseline, kpi.target)
    assert result is not None and not disagrees(result, False, OPTIONS), (text, result)


@pytest.mark.parametrize("text,shown", [
    ("・運用コスト【2015年度:200億円 目標:2018年度までに3割削減(160億円)】", ("200億円", "140億円", "160億円")),
    ("・受入額【2020年度:500億円 目標:2025年度までに3倍増(1.5兆円)】", ("0.05兆円", "0.15兆円", "1.5兆円")),
    ("・登録者数【2022年度:10万人 目標:2026年度までに倍増(25万人)】", ("10万人", "20万人", "25万人")),
    ("・導入団体数【2014年度:550団体 目標:2017年度までに倍増(約1,000団体)】", ("550団体", "1,100団体", "1,000団体")),
])
def test_arithmetic_message_values_are_in_the_written_scale(text, shown):
    kpi = parse_kpi_text(text)
    result = target_arithmetic(kpi.baseline, kpi.target)
    assert result is not None and disagrees(result, kpi.target.approximate, OPTIONS)
    got = shown_values(kpi.target.text, result, kpi.baseline.value)
    assert (got["baseline_shown"], got["expected_shown"], got["stated_shown"]) == shown

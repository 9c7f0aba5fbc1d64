"""The invented KPI texts of tests/data/kpi_texts.yaml parse as their table says, family by family.

Run as a module to measure: `.venv/bin/python -m tests.test_kpi_families` prints, per family, how many
texts parse as expected, and each mismatch.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from checker.domain.kpi.dates import due
from checker.domain.kpi_text import ParsedKpi, parse_kpi_text

TABLE = Path(__file__).parent / "data" / "kpi_texts.yaml"
CASES: list[dict[str, Any]] = YAML(typ="safe").load(TABLE.read_text(encoding="utf-8"))["texts"]
FAMILIES = {1: "value+deadline without 目標", 2: "thresholds/approximations", 3: "relative to a year",
            4: "several targets", 5: "recurring", 6: "maintain", 7: "direction only",
            8: "no target / to be set", 9: "surface forms"}
_TARGET_KEYS = ("kind", "value", "unit", "change", "direction", "bound", "approximate", "scope", "cumulative",
                "reference_year")


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool) and isinstance(got, float | int):
        return math.isclose(expected, got, rel_tol=1e-9)
    return expected == got


def mismatches(case: dict[str, Any], parsed: ParsedKpi) -> list[str]:
    """What differs between a table row and the parse; empty when it parses as expected."""
    out: list[str] = []
    t = parsed.target

    def check(key: str, got: Any) -> None:
        if key in case and not _same(case[key], got):
            out.append(f"{key}: expected {case[key]!r}, got {got!r}")

    check("kind", parsed.kind)
    for key in _TARGET_KEYS[1:]:
        check(key, getattr(t, key) if t is not None else None)
    check("name", parsed.name)
    check("ex_post", parsed.ex_post)
    check("due", due(parsed.deadline))
    check("goals", len(parsed.goals))
    check("dues", [due(g.deadline) for g in parsed.goals])
    check("set_by", due(parsed.target_set_by))
    if "baseline" in case:
        b, want = parsed.baseline, case["baseline"]
        if b is None:
            out.append(f"baseline: expected {want!r}, got None")
        else:
            value = None if math.isnan(b.value) else b.value
            got = {"value": value, "unit": b.unit, "fiscal_year": b.fiscal_year}
            out += [f"baseline.{k}: expected {v!r}, got {got[k]!r}" for k, v in want.items() if not _same(v, got[k])]
    return out


def test_the_table_is_large_and_covers_every_family() -> None:
    counts = Counter(c["family"] for c in CASES)
    assert len(CASES) >= 60 and set(counts) == set(FAMILIES)
    assert all(n >= 5 for n in counts.values())
    assert len({c["text"] for c in CASES}) == len(CASES)
    for c in CASES:  # dates in the table are dates, so that a typo is not compared as text
        for key in ("due", "set_by"):
            assert c.get(key) is None or isinstance(c[key], dt.date), c


@pytest.mark.parametrize("case", CASES, ids=[f"{c['family']}:{c['text'][:24]}" for c in CASES])
def test_kpi_text_parses_as_expected(case: dict[str, Any]) -> None:
    assert mismatches(case, parse_kpi_text(case["text"])) == []


def measure() -> dict[int, tuple[int, int]]:
    """Per family: (texts parsing as expected, texts)."""
    ok: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for c in CASES:
        total[c["family"]] += 1
        problems = mismatches(c, parse_kpi_text(c["text"]))
        ok[c["family"]] += not problems
        for p in problems:
            print(f"  family {c['family']}: {c['text']}: {p}")
    return {f: (ok[f], total[f]) for f in sorted(total)}


if __name__ == "__main__":
    results = measure()
    for family, (good, n) in results.items():
        print(f"{family}. {FAMILIES[family]:<30} {good}/{n}")
    print(f"all: {sum(g for g, _ in results.values())}/{sum(n for _, n in results.values())}")

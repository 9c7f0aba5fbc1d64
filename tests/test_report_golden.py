"""Every formatter renders one fixed list of findings; the output must equal tests/golden/ (UPDATE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.report import FORMATTERS, render
from tests.helpers.sample import FINDINGS, RUN

GOLDEN = Path(__file__).parent / "golden"
EXT = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "txt", "markdown": "md", "html": "html"}
CASES = [(fmt, "en") for fmt in sorted(FORMATTERS)] + [("text", "ja"), ("markdown", "ja"), ("json", "ja")]


def golden(fmt: str, lang: str, actual: str) -> str:
    path = GOLDEN / f"report-{fmt}-{lang}.{EXT[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 .venv/bin/python -m pytest {__file__}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "lang"), CASES, ids=[f"{f}-{lang}" for f, lang in CASES])
def test_formatter_matches_golden_file(fmt, lang):
    actual = render(fmt, FINDINGS, RUN, lang)
    assert actual == golden(fmt, lang, actual), "regenerate with UPDATE_GOLDEN=1 if the change is intended"


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_formatters_are_pure_and_deterministic(fmt):
    assert render(fmt, FINDINGS, RUN, "en") == render(fmt, list(FINDINGS), RUN, "en")


def test_every_format_has_a_golden_file():
    """Read from the directory, not from CASES: every registered formatter has an English golden file,
    and every golden file is one a case compares against (a stale or misnamed file fails here)."""
    on_disk = sorted(p.name for p in GOLDEN.glob("report-*"))
    english = {name.split("-")[1] for name in on_disk if name.split("-")[2].startswith("en.")}
    assert english == set(FORMATTERS), on_disk
    assert on_disk == sorted(f"report-{fmt}-{lang}.{EXT[fmt]}" for fmt, lang in CASES)

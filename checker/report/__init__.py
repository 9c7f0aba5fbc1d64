"""Formatters, one per file: pure functions from findings and a run summary to text. Registry by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from checker.findings import Finding
from checker.report import github, json, junit, markdown, sarif, text
from checker.report.summary import RunSummary

Formatter = Callable[..., str]
"""render(findings, run, lang="en", color=False) -> str"""

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}


def render(name: str, findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    """Render findings in the named format; `color` only affects text."""
    return FORMATTERS[name](findings, run, lang=lang, color=color)

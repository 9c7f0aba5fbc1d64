"""GitHub Actions workflow commands (::error file=…,line=…::message), one per unsuppressed finding."""

from __future__ import annotations

from collections.abc import Sequence

from checker.domain.findings import Finding, Severity
from checker.report.summary import RunSummary, reported

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF are the characters the runner decodes (as in @actions/core)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values additionally escape the ':' and ',' that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding, lang: str) -> str:
    loc = f.location
    title = f.title_in(lang)
    props = {"file": loc.file, "line": loc.line, "col": loc.column, "endLine": loc.end_line,
             "endColumn": loc.end_column, "title": f"{f.rule}: {title}" if title else f.rule}
    hint = f.hint_in(lang)
    body = f.text(lang) + (f"\n{hint}" if hint else "")
    prop_text = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{COMMANDS[f.severity]} {prop_text}::{escape_data(body)}"


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    return "".join(command(f, lang) + "\n" for f in reported(findings))

"""Markdown summary for a pull-request comment: counts, then a table of findings."""

from __future__ import annotations

from collections.abc import Sequence

from checker.domain.findings import Finding
from checker.report.summary import TOOL_NAME, RunSummary, reported, summary_line

MAX_ROWS = 200
"""GitHub caps a comment at 65,536 characters; a table longer than this is cut with a note."""


def cell(text: str) -> str:
    """Make text safe inside a table cell: no pipe, no newline, no raw HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text and "|" not in text else cell(text)


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    ja = lang == "ja"
    shown = reported(findings)
    head = ["重大度", "ルール", "場所", "内容"] if ja else ["Severity", "Rule", "Location", "Message"]
    out = [f"### {TOOL_NAME}", "", f"**{summary_line(findings, run, lang)}**", ""]
    if not shown:
        out.append("指摘はありません。" if ja else "No findings.")
        return "\n".join(out) + "\n"
    out += [f"| {' | '.join(head)} |", "|---|---|---|---|"]
    for f in shown[:MAX_ROWS]:
        loc = f.location
        out.append(f"| {f.severity.label} | {code(f.rule)} | {code(f'{loc.file}:{loc.line}:{loc.column}')} "
                   f"| {cell(f.text(lang))} |")
    if len(shown) > MAX_ROWS:
        rest = len(shown) - MAX_ROWS
        out += ["", f"…ほか {rest}件" if ja else f"…and {rest} more (see the full report)."]
    return "\n".join(out) + "\n"

"""Markdown summary for a pull-request comment: counts, then a table of findings."""

from __future__ import annotations

from collections.abc import Sequence

from checker.domain.findings import TOOL_NAME, Finding
from checker.domain.lang import in_lang
from checker.report.summary import RunSummary, reported, summary_line

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
    shown = reported(findings)
    head = [in_lang(lang, en, ja) for en, ja in (("Severity", "重大度"), ("Rule", "ルール"), ("Location", "場所"),
                                                 ("Message", "内容"))]
    out = [f"### {TOOL_NAME}", "", f"**{summary_line(findings, run, lang)}**", ""]
    notes = run.notes_in(lang)
    if notes:  # checks skipped because a document failed to load: said once, above the table
        out += [f"> {in_lang(lang, 'Note', '注')}: {cell(n)}" for n in notes] + [""]
    if not shown:
        out.append(in_lang(lang, "No findings.", "指摘はありません。"))
        return "\n".join(out) + "\n"
    out += [f"| {' | '.join(head)} |", "|---|---|---|---|"]
    for f in shown[:MAX_ROWS]:
        loc = f.location
        out.append(f"| {f.severity.label} | {code(f.rule)} | {code(f'{loc.file}:{loc.line}:{loc.column}')} "
                   f"| {cell(f.text(lang))} |")
    if len(shown) > MAX_ROWS:
        rest = len(shown) - MAX_ROWS
        out += ["", in_lang(lang, f"…and {rest} more (see the full report).", f"…ほか {rest}件")]
    return "\n".join(out) + "\n"

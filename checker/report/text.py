"""Text report for people: findings grouped by file, rule id and hint on each, a summary line of counts."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import click

from checker.domain.findings import Finding, Severity
from checker.domain.lang import in_lang
from checker.report.summary import RunSummary, reported, summary_line

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False) -> str:
    """Suppressed findings are only counted; colour is the caller's choice (a terminal, no NO_COLOR)."""

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    shown = reported(findings)
    out: list[str] = []
    for file, group in groupby(shown, key=lambda f: f.location.file):
        out.append(style(file, bold=True, underline=True))
        for f in group:
            loc = f.location
            where = f"{loc.line}:{loc.column}"
            sev = style(f"{f.severity.label:<7}", fg=_COLOURS[f.severity])
            # Continuation lines of a multi-line message stay in the message column.
            message = f.text(lang).replace("\r\n", "\n").replace("\n", "\n" + " " * 19)
            out.append(f"  {where:<8} {sev} {message}  {style('[' + f.rule + ']', dim=True)}")
            hint = f.hint_in(lang)
            if hint:
                label = in_lang(lang, "hint: ", "ヒント: ")
                out.append(f"  {'':<8} {'':<7} {style(label + hint, dim=True)}")
            for r in f.related:
                note = r.text(lang)
                out.append(f"  {'':<8} {'':<7} {style('→', dim=True)} {r.file}:{r.line}:{r.column}"
                           + (f" {note}" if note else ""))
        out.append("")
    if not shown:
        out.append(in_lang(lang, "No findings.", "指摘はありません。"))
    out.extend(in_lang(lang, "note: ", "注: ") + n for n in run.notes_in(lang))
    line = summary_line(findings, run, lang)
    worst = max((f.severity for f in shown), default=None)
    out.append(style(line, fg=_COLOURS[worst], bold=True) if worst is not None else style(line, fg="green"))
    return "\n".join(out) + "\n"

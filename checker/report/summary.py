"""What every formatter needs besides the findings: a small summary of the run and the rules it used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.domain.findings import Finding, RuleInfo, count_by_severity
from checker.domain.lang import in_lang

if TYPE_CHECKING:
    from checker.engine.accepted import StaleEntry


@dataclass(frozen=True)
class RunSummary:
    """The run a report describes. Formatters read it; they never compute it."""

    version: str
    """Version of roadmap-check that produced the report."""
    as_of: dt.date
    files: tuple[str, ...] = ()
    """Every file that was checked (sorted), whether or not it has findings."""
    rules: tuple[RuleInfo, ...] = ()
    """The rules that ran, built-in ones (input-error, suppression-…) included."""
    baseline: str | None = None
    """The baseline file compared against, if any: then every reported finding is new."""
    baseline_matched: int = 0
    """Findings left out because the baseline already lists them."""
    baseline_stale: tuple[StaleEntry, ...] = ()
    changed_since: str | None = None
    """The git ref given to --changed-since, if any."""
    new_since: str | None = None
    """The git ref given to --new-since, if any: then every reported finding is one the ref did not have."""
    new_since_matched: int = 0
    """Findings left out because the tree at the --new-since ref had them already."""
    fail_on: str = "error"
    """Lowest severity that fails the run (--fail-on): JUnit fails only test cases at or above it."""
    context: tuple[str, ...] = ()
    """Files loaded only so that the named files' references resolve (checker.source.context): never reported."""
    notes: tuple[tuple[str, str], ...] = ()
    """(English, Japanese) notes on what the run left out, e.g. checks skipped because a document failed
    to load."""

    def notes_in(self, lang: str) -> list[str]:
        return [in_lang(lang, en, ja) for en, ja in self.notes]

    def rule_infos(self, findings: Iterable[Finding]) -> list[RuleInfo]:
        """The run's rules plus any rule only a finding names, sorted by id."""
        known = {r.id: r for r in self.rules}
        for f in findings:
            known.setdefault(f.rule, RuleInfo.from_finding(f))
        return sorted(known.values(), key=lambda r: r.id)


@dataclass(frozen=True)
class Counts:
    """Unsuppressed findings per severity, and how many were suppressed inline."""

    error: int
    warning: int
    info: int
    suppressed: int

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Counts:
        by = count_by_severity(list(findings))
        return cls(by["error"], by["warning"], by["info"], sum(f.suppressed is not None for f in findings))

    @property
    def total(self) -> int:
        return self.error + self.warning + self.info


def reported(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a person should act on: those no inline suppression covers."""
    return [f for f in findings if f.suppressed is None]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary_line(findings: Sequence[Finding], run: RunSummary, lang: str) -> str:
    """One line of counts, in the report's language (shared by text and markdown)."""
    c = Counts.of(findings)
    parts = [in_lang(lang, f"{plural(c.error, 'error')}, {plural(c.warning, 'warning')}, {plural(c.info, 'info')} "
                           f"in {plural(len(run.files), 'file')}",
                     f"エラー {c.error}件、警告 {c.warning}件、情報 {c.info}件({len(run.files)}ファイル)")]
    if c.suppressed:
        parts.append(in_lang(lang, f"{c.suppressed} suppressed", f"抑止 {c.suppressed}件"))
    if run.baseline is not None:
        parts.append(in_lang(lang, f"{run.baseline_matched} matched the baseline",
                             f"ベースライン一致 {run.baseline_matched}件"))
    if run.baseline_stale:
        n = len(run.baseline_stale)
        parts.append(in_lang(lang, f"{n} stale baseline {'entry' if n == 1 else 'entries'}",
                             f"不要になったベースライン項目 {n}件"))
    if run.changed_since is not None:
        parts.append(in_lang(lang, f"only files changed since {run.changed_since}",
                             f"{run.changed_since} 以降に変更されたファイルのみ"))
    if run.new_since is not None:
        parts.append(in_lang(lang, f"only findings new since {run.new_since} ({run.new_since_matched} older left out)",
                             f"{run.new_since} 以降の新規指摘のみ(既存 {run.new_since_matched}件を除外)"))
    return in_lang(lang, "; ", "、").join(parts)

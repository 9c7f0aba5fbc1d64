"""Findings: frozen records of what a rule found and where, with severities, fingerprints and order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

from checker.domain.lang import in_lang


class Severity(IntEnum):
    """Ordered so that `severity >= Severity.WARNING` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: 1-based line/column span plus the data path and the document id."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    path: str = ""
    """Data path, e.g. reform_items[0].kpis[2]."""
    document: str = ""


@dataclass(frozen=True, order=True)
class Related:
    """Another place a finding concerns, often in another file (the older revision, the roadmap)."""

    file: str
    line: int
    column: int
    message: str = ""
    message_ja: str = ""

    def text(self, lang: str) -> str:
        return in_lang(lang, self.message, self.message_ja)


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule. Messages come in English and Japanese; formatters pick."""

    rule: str
    severity: Severity
    message: str
    message_ja: str
    location: Location
    entity: str
    """Stable name of what the finding is about (document id + entity key), used in fingerprints."""
    related: tuple[Related, ...] = ()
    title: str = ""
    title_ja: str = ""
    hint: str = ""
    hint_ja: str = ""
    suppressed: str | None = field(default=None, compare=False)
    """The reason given by an inline suppression, when one applies."""

    @cached_property
    def fingerprint(self) -> str:
        """Kept once computed (a frozen dataclass's __dict__ takes it, and cache entries carry it): the engine
        computes it where the finding is made, so a report from the cache does not hash 29,000 again."""
        return fingerprint(self.rule, self.location.document, self.entity)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule, self.entity, self.message)

    def text(self, lang: str) -> str:
        return in_lang(lang, self.message, self.message_ja)

    def title_in(self, lang: str) -> str:
        return in_lang(lang, self.title, self.title_ja)

    def hint_in(self, lang: str) -> str:
        return in_lang(lang, self.hint, self.hint_ja)


def fingerprint(rule: str, document: str, entity: str) -> str:
    """Derived from rule, document and entity only, never the line, so it survives unrelated edits.

    surrogatepass: a file name that is not UTF-8 (held as lone surrogates) or an id written with a
    surrogate escape in YAML still has a fingerprint; text without them hashes as before."""
    digest = hashlib.sha256(f"{rule}\x1f{document}\x1f{entity}".encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:32]


def visible(text: str) -> str:
    """`text` as it can be written anywhere: the bytes of a file name that is not UTF-8 (which Python holds
    as lone surrogates, U+DC80–U+DCFF) as \\xNN, any other lone surrogate as \\uNNNN; other text unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """The one deterministic order used everywhere: file, line, column, rule, entity."""
    return sorted(findings, key=Finding.sort_key)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    # Counted by member, named once at the end: an enum's name is a property, slow read 29,000 times.
    by_member = dict.fromkeys(sorted(Severity, reverse=True), 0)
    for f in findings:
        if f.suppressed is None:
            by_member[f.severity] += 1
    return {s.label: n for s, n in by_member.items()}


TOOL_NAME = "roadmap-check"


@dataclass(frozen=True)
class RuleInfo:
    """What reports say about a rule (SARIF tool.driver.rules, JUnit test cases, docs)."""

    id: str
    severity: Severity
    """The rule's default severity."""
    title: str
    title_ja: str
    rationale: str
    hint: str = ""
    hint_ja: str = ""

    @classmethod
    def from_rule(cls, rule) -> RuleInfo:  # a checker.rules.ruleset.Rule; untyped to keep this module import-light
        spec = rule.spec
        return cls(spec.id, rule.severity, spec.title.en, spec.title.ja, spec.rationale,
                   spec.hint.en if spec.hint else "", spec.hint.ja if spec.hint else "")

    @classmethod
    def from_finding(cls, f: Finding) -> RuleInfo:
        """A stand-in for a rule that only a finding tells us about (e.g. hand-built findings)."""
        return cls(f.rule, f.severity, f.title or f.rule, f.title_ja or f.title or f.rule, f.title or f.rule)

    def title_in(self, lang: str) -> str:
        return in_lang(lang, self.title, self.title_ja)

    def hint_in(self, lang: str) -> str:
        return in_lang(lang, self.hint, self.hint_ja)

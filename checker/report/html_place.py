"""Placing findings on the report model: file + data path (or file + line) → the element they point at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from checker.domain.findings import Finding
from checker.report.model import Spot


@dataclass(frozen=True)
class RelatedView:
    """A related location as the report links it: to the element drawn there, when there is one."""

    where: str
    """file:line:column as written."""
    message: str
    href: str | None


@dataclass(frozen=True)
class FindingView:
    """One finding as the HTML report shows it, inline (id f<n>) and in the list (id l<n>)."""

    n: int
    severity: str
    rule: str
    title: str
    message: str
    hint: str
    file: str
    document: str
    where: str
    """file:line:column."""
    path: str
    related: tuple[RelatedView, ...]
    suppressed: str | None
    place: str | None
    """Anchor of the element it is drawn on; None when no drawn element holds it (a file not loaded)."""

    @property
    def anchor(self) -> str:
        return f"f{self.n}"


def _under(path: str, prefix: str) -> bool:
    """True when data path `path` is `prefix` or lies below it (at a . or [ boundary)."""
    if not prefix:
        return True
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")


class Locator:
    """Finds the deepest drawn element that holds a data path or a line of a file."""

    def __init__(self, spots: Iterable[Spot]):
        self.by_file: dict[str, list[Spot]] = {}
        for s in spots:
            self.by_file.setdefault(s.file, []).append(s)

    def by_path(self, file: str, path: str) -> Spot | None:
        best = None
        for s in self.by_file.get(file, ()):
            if _under(path, s.path) and (best is None or len(s.path) > len(best.path)):
                best = s
        return best

    def by_line(self, file: str, line: int) -> Spot | None:
        """The narrowest element whose lines include `line` (the file itself when no element does)."""
        best = None
        for s in self.by_file.get(file, ()):
            if s.line <= line <= s.end_line:
                key = (s.end_line - s.line, -len(s.path))
                if best is None or key < (best.end_line - best.line, -len(best.path)):
                    best = s
        return best

    def place(self, f: Finding) -> Spot | None:
        loc = f.location
        if loc.path:
            found = self.by_path(loc.file, loc.path)
            if found is not None:
                return found
        return self.by_line(loc.file, loc.line)


def finding_views(findings: Iterable[Finding], locator: Locator, lang: str) -> list[FindingView]:
    out = []
    for n, f in enumerate(findings):
        loc = f.location
        spot = locator.place(f)
        related = []
        for r in f.related:
            target = locator.by_line(r.file, r.line)
            message = (r.message_ja or r.message) if lang == "ja" else (r.message or r.message_ja)
            related.append(RelatedView(f"{r.file}:{r.line}:{r.column}", message,
                                       f"#{target.anchor}" if target is not None else None))
        title = (f.title_ja or f.title) if lang == "ja" else (f.title or f.title_ja)
        out.append(FindingView(
            n, f.severity.label, f.rule, title or f.rule, f.text(lang), f.hint_in(lang), loc.file,
            loc.document or loc.file, f"{loc.file}:{loc.line}:{loc.column}", loc.path, tuple(related),
            f.suppressed, spot.anchor if spot is not None else None))
    return out


def by_place(views: Iterable[FindingView]) -> dict[str | None, list[FindingView]]:
    """Anchor → the findings drawn there (None: those no element holds)."""
    out: dict[str | None, list[FindingView]] = {}
    for v in views:
        out.setdefault(v.place, []).append(v)
    return out

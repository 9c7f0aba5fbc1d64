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


def _parent(path: str) -> str | None:
    """The data path one level up: a.b[2].c → a.b[2] → a.b → a → ""; None above the root."""
    if not path:
        return None
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


class Locator:
    """Finds the deepest drawn element that holds a data path or a line of a file.

    Indexed, since a large corpus has 100,000 cells and tens of thousands of findings: a path is looked
    up by walking its ancestors in a dict, a line in a per-file table painted from the widest element
    to the narrowest (built on first need).
    """

    def __init__(self, spots: Iterable[Spot]):
        self.by_file: dict[str, list[Spot]] = {}
        self.paths: dict[tuple[str, str], Spot] = {}
        for s in spots:
            self.by_file.setdefault(s.file, []).append(s)
            self.paths.setdefault((s.file, s.path), s)
        self._lines: dict[str, list[Spot | None]] = {}

    def by_path(self, file: str, path: str) -> Spot | None:
        p: str | None = path
        while p is not None:
            found = self.paths.get((file, p))
            if found is not None:
                return found
            p = _parent(p)
        return None

    def by_line(self, file: str, line: int) -> Spot | None:
        """The narrowest element whose lines include `line` (the file itself when no element does)."""
        table = self._lines.get(file)
        if table is None:
            spots = self.by_file.get(file, [])
            table = [None] * (max((s.end_line for s in spots), default=0) + 1)
            # Widest first, and among equals the shallower first, so that the deepest paints last.
            for s in sorted(spots, key=lambda s: (-(s.end_line - s.line), len(s.path))):
                table[s.line : s.end_line + 1] = [s] * (s.end_line - s.line + 1)
            self._lines[file] = table
        return table[line] if 0 <= line < len(table) else None

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

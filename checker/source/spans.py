"""Source maps: where each value of a YAML file is written (PathKey → Span, stored packed).

Both YAML builders (checker.source.yaml_tree in Python, checker.source.yaml_fast in C) fill these, the
loaded documents keep them, and findings and suppressions read them back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

PathKey = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and list indexes from the root."""


class Span(NamedTuple):
    """A 1-based, inclusive-start / exclusive-end region of a file.

    A named tuple rather than a frozen dataclass: one is made per YAML node, and a tuple is built
    about five times faster, which is a tenth of the load time of a large corpus.
    """

    line: int
    column: int
    end_line: int
    end_column: int


_FIELD = 32
_MASK = (1 << _FIELD) - 1


def pack_span(line: int, column: int, end_line: int, end_column: int) -> int:
    """Four 1-based positions in one int (32 bits each): a third of the memory of a Span and its ints."""
    return (((line << _FIELD | column) << _FIELD | end_line) << _FIELD) | end_column


def unpack_span(packed: int) -> Span:
    return Span(packed >> 3 * _FIELD, packed >> 2 * _FIELD & _MASK, packed >> _FIELD & _MASK, packed & _MASK)


class SpanMap(Mapping[PathKey, Span]):
    """Path → Span, stored packed (see pack_span): a source map holds one entry per YAML value, and on
    100,000 schedule cells the named tuples alone took 300 MB."""

    __slots__ = ("raw",)

    def __init__(self, raw: dict[PathKey, int] | None = None):
        self.raw: dict[PathKey, int] = raw if raw is not None else {}

    def __getitem__(self, path: PathKey) -> Span:
        return unpack_span(self.raw[path])

    def get(self, path: PathKey, default: Any = None) -> Any:
        packed = self.raw.get(path)
        return default if packed is None else unpack_span(packed)

    def __contains__(self, path: object) -> bool:
        return path in self.raw

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (SpanMap, (self.raw,))


def nearest_span(spans: SpanMap, path: PathKey) -> Span:
    """The span of `path` in `spans`, or of its nearest ancestor there (1:1 when none is)."""
    p = tuple(path)
    while p:
        s = spans.get(p)
        if s is not None:
            return s
        p = p[:-1]
    return spans.get((), Span(1, 1, 1, 1))


def dotted_path(path: PathKey) -> str:
    """('reform_items', 0, 'kpis') → 'reform_items[0].kpis', as findings show a location's path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


__all__ = ["PathKey", "Span", "SpanMap", "dotted_path", "nearest_span", "pack_span", "unpack_span"]

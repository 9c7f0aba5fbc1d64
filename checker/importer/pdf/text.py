"""Characters with coordinates → the text of a region: lines joined without inventing spaces."""

from __future__ import annotations

from typing import Any

# A line starting with one of these begins a new paragraph (a bullet or a 【府省】 statement): marked "\n",
# which the table readers split at and drop. Any other line break is a wrap and joins with nothing.
PARAGRAPH_STARTS = "・●◆■【"


def lines_of(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into lines (by their vertical middle), each sorted left to right."""
    lines: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        if lines:
            last = lines[-1][0]
            if abs(mid - (last["top"] + last["bottom"]) / 2) <= max(2.0, (last["bottom"] - last["top"]) * 0.4):
                lines[-1].append(ch)
                continue
        lines.append([ch])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


# A line is full (the next one is its wrap) when it ends less than this many character heights before the
# right edge of its box; the renderers and the published tables leave at most one character plus padding.
FULL_LINE = 1.6
# A full line that ends a sentence or a bracket still ends its paragraph.
_CLOSERS = "】)）。」"


def join(lines: list[list[dict[str, Any]]], right: float | None = None) -> str:
    """The lines as one text. A line starting with a bullet or 【 opens a paragraph ("\n") unless the line
    before it is full and ends mid-word: then the bullet is a wrapped ・ of the text (国・地方)."""
    parts = []
    for i, line in enumerate(lines):
        text = "".join(c["text"] for c in line)
        if i and text[:1] in PARAGRAPH_STARTS:
            prev = lines[i - 1]
            height = prev[-1]["bottom"] - prev[-1]["top"]
            full = right is not None and right - prev[-1]["x1"] < FULL_LINE * height + 3
            if not full or prev[-1]["text"] in _CLOSERS:
                parts.append("\n")
        parts.append(text)
    return "".join(parts).strip()


def inside(chars: list[dict[str, Any]], x0: float, top: float, x1: float, bottom: float) -> list[dict[str, Any]]:
    """Characters whose centre lies in the box."""
    return [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def blocks(chars: list[dict[str, Any]], gap: float = 1.6) -> list[list[list[dict[str, Any]]]]:
    """Lines grouped into blocks: a vertical gap wider than `gap` line heights starts a new block."""
    out: list[list[list[dict[str, Any]]]] = []
    for line in lines_of(chars):
        height = line[0]["bottom"] - line[0]["top"]
        if out and line[0]["top"] - out[-1][-1][0]["bottom"] <= height * (gap - 1) + 1.0:
            out[-1].append(line)
        else:
            out.append([line])
    return out

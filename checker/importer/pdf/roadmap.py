"""One 改革工程表 page by geometry: columns from the rulings, schedule boxes (and arrows) spanning years."""

from __future__ import annotations

import itertools
from typing import Any

from checker.importer.cells import item_number
from checker.importer.grid import Cell, Section
from checker.importer.pdf.text import inside, join, lines_of

_HEADER_WORDS = ("年度", "KPI", "集中改革期間", "主担当")


def _columns(page: Any, header_words: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """Column bounds from the vertical rulings; without rulings, midway between header labels."""
    xs: list[float] = []
    for ln in page.lines:
        vertical = abs(ln["x0"] - ln["x1"]) < 1 and ln["bottom"] - ln["top"] > 20
        if vertical and all(abs(ln["x0"] - x) > 2 for x in xs):
            xs.append(ln["x0"])
    xs.sort()
    if len(xs) >= 3:
        return list(itertools.pairwise(xs))
    centres = sorted((w["x0"] + w["x1"]) / 2 for w in header_words)
    if not centres:
        return []
    cuts = [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(centres)] + [float(page.width)]
    return list(itertools.pairwise(cuts))


def _col_of(x: float, cols: list[tuple[float, float]]) -> int | None:
    for i, (a, b) in enumerate(cols):
        if a <= x < b:
            return i
    return None


def _span(x0: float, x1: float, cols: list[tuple[float, float]]) -> tuple[int, int] | None:
    """Columns a box covers: at least half of each column's width."""
    hit = [i for i, (a, b) in enumerate(cols) if min(x1, b) - max(x0, a) >= 0.5 * (b - a)]
    return (hit[0], hit[-1]) if hit else None


def _extent(box: dict[str, Any], arrows: list[dict[str, Any]]) -> float:
    """The right end of a box with the arrows drawn on from its right edge (chained), whose middle lies
    within the box's height: the years a schedule text runs to."""
    x1, grown = box["x1"], True
    while grown:
        grown = False
        for a in arrows:
            middle = (a["top"] + a["bottom"]) / 2
            if abs(a["x0"] - x1) < 3 and box["top"] <= middle <= box["bottom"] and a["x1"] > x1 + 1:
                x1, grown = a["x1"], True
    return x1


def roadmap_page(page: Any, chars: list[dict[str, Any]], n: int, section: Section, notes: list[str]) -> bool:
    lines = lines_of(chars)
    header_lines, started = [], False
    for line in lines:
        text = join([line])
        if any(w in text for w in _HEADER_WORDS) and "<" not in text and "＜" not in text:
            header_lines.append(line)
            started = True
        elif started:
            break
    if not header_lines:
        return False
    head_bottom = max(c["bottom"] for c in header_lines[-1])
    # The header ends at the first ruling across the table below its first line (labels may wrap onto
    # lines with none of the header words); without one, at its last line with a header word.
    head_top = min(c["top"] for c in header_lines[0])
    rules = sorted(ln["top"] for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1
                   and ln["x1"] - ln["x0"] > 0.5 * float(page.width) and ln["top"] > head_top)
    if rules and rules[0] >= head_bottom - 1:
        head_bottom = rules[0]
        header_lines = [ln for ln in lines if ln[0]["top"] >= head_top - 1 and ln[0]["bottom"] <= head_bottom]
    head_chars = [c for line in header_lines for c in line]
    cols = _columns(page, head_chars)
    if not cols:
        return False
    # Boxes: rectangles, and curves (rounded boxes, the pentagon arrows that carry a text) by their bounds.
    boxes = [r for r in [*page.rects, *page.curves] if r["width"] > 10 and r["height"] > 8]
    period = next((b for b in boxes if inside(head_chars, b["x0"], b["top"], b["x1"], b["bottom"])
                   and "集中改革期間" in join(lines_of(inside(head_chars, b["x0"], b["top"], b["x1"], b["bottom"]))))
                  , None)
    if not section.header:
        used: set[int] = set()
        if period is not None:
            span = _span(period["x0"], period["x1"], cols)
            pchars = inside(head_chars, period["x0"], period["top"], period["x1"], period["bottom"])
            used = {id(c) for c in pchars}
            if span:
                section.header.append(Cell("集中改革期間", span[0], span[1], f"page {n}, header box", n * 100000.0))
        for i, (a, b) in enumerate(cols):
            label = join(lines_of([c for c in head_chars if id(c) not in used and a <= (c["x0"] + c["x1"]) / 2 < b]))
            if label:
                section.header.append(Cell(label, i, i, f"page {n}, header, column {i + 1}", n * 100000.0))
    body_boxes = [b for b in boxes if b["top"] >= head_bottom - 1]
    # Arrows: horizontal lines, and flat shapes (a drawn arrow, a box with no text) next to a box.
    arrows = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1 and ln["top"] > head_bottom]
    arrows += [c for c in [*page.curves, *page.rects] if c["width"] > 10 and c["top"] > head_bottom
               and not inside(chars, c["x0"], c["top"], c["x1"], c["bottom"])]
    taken: set[int] = set()
    found = False
    for box in body_boxes:
        x1 = _extent(box, arrows)
        inner = inside(chars, box["x0"], box["top"], box["x1"], box["bottom"])
        span = _span(box["x0"], x1, cols)
        if not inner or span is None:
            continue
        taken.update(id(c) for c in inner)
        section.body.append(Cell(join(lines_of(inner), box["x1"]), span[0], span[1],
                                 f"page {n}, box at x {box['x0']:.0f}-{x1:.0f}, y {box['top']:.0f}",
                                 n * 100000 + box["top"]))
        found = True
    free = [c for c in chars if id(c) not in taken and c["top"] > head_bottom]
    segments: dict[int, list[list[dict[str, Any]]]] = {}
    for line in lines_of(free):
        start = next((k for k, ch in enumerate(line) if ch["text"] in "<＜"
                      and item_number(join([line[k:]]))), None)
        if start is not None:  # an item title runs across the year columns: one cell
            title, line = line[start:], line[:start]
            col = _col_of(title[0]["x0"], cols)
            section.body.append(Cell(join([title]), col, col, f"page {n}, y {title[0]['top']:.0f}",
                                     n * 100000 + title[0]["top"] - 0.5))
            found = True
        for i, (a, b) in enumerate(cols):
            part = [c for c in line if a <= (c["x0"] + c["x1"]) / 2 < b]
            if part:
                segments.setdefault(i, []).append(part)
    for col, parts in segments.items():
        block: list[list[dict[str, Any]]] = []
        for part in [*parts, None]:
            if part is not None and block:
                height = block[-1][0]["bottom"] - block[-1][0]["top"]
                if part[0]["top"] - max(c["bottom"] for c in block[-1]) <= 0.6 * height:
                    block.append(part)
                    continue
            if block:
                section.body.append(Cell(join(block, cols[col][1]), col, col, f"page {n}, column {col + 1}, y {block[0][0]['top']:.0f}",
                                         n * 100000 + block[0][0]["top"]))
                found = True
            block = [part] if part is not None else []
    return found

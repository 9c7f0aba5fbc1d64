"""Render roadmap documents (plain dicts as in roadmaps/) to PDF in the published layouts, with reportlab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A3, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE = 7.0
LEAD = 9.0
PAGE = landscape(A3)
MARGIN = 30.0


def wrap(text: str, width: float) -> list[str]:
    """Lines of at most `width` points, broken between any two characters (spaces kept)."""
    lines, cur = [], ""
    for ch in text:
        if cur and pdfmetrics.stringWidth(cur + ch, FONT, SIZE) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def _kpi_lines(kpis: list[dict[str, Any]], width: float) -> list[str]:
    out: list[str] = []
    for k in kpis:
        out += wrap(k["text"], width)
    return out


def circled(n: int) -> str:
    """①…⑳, ㉑…㉟, ㊱…㊿."""
    return chr(0x2460 + n - 1) if n <= 20 else chr(0x3251 + n - 21) if n <= 35 else chr(0x32B1 + n - 36)


def _era(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def year_columns(meta: dict[str, Any]) -> list[tuple[str, list[int]]]:
    """The published year columns of a roadmap: the first holds every year before the reform period (with
    《主担当府省庁等》), then one a year, the last open-ended (2020年度～)."""
    first, last = meta["fiscal_years"]["first"], meta["fiscal_years"]["last"]
    period = meta.get("reform_period") or {"first": 2016, "last": 2018}
    lead = list(range(first, period["first"])) if first < period["first"] else [first]
    cols = [((f"{lead[0]}・{lead[-1]}年度" if len(lead) > 1 else f"～{lead[0]}年度") + " 《主担当府省庁等》", lead)]
    return cols + [(f"{y}年度", [y]) for y in range(lead[-1] + 1, last)] + [(f"{last}年度～", [last])]


class RoadmapRenderer:
    """The 改革工程表 grid: area | year columns | KPI(第一階層) | KPI(第二階層); boxes span their years."""

    def __init__(self, path: Path, doc: dict[str, Any], widths: list[float] | None = None, arrows: bool = False,
                 page_height: float | None = None, style: str = "rect"):
        """style: rect (plain boxes, arrows as lines), round (rounded boxes: curves), shape (rounded boxes,
        arrows drawn as filled arrow shapes)."""
        self.style = style
        meta = doc["document"]
        self.doc, self.meta, self.arrows = doc, meta, arrows
        self.cols = year_columns(meta)
        self.period = meta.get("reform_period") or {"first": 2016, "last": 2018}
        n = len(self.cols)
        widths = widths or [70.0] + [120.0] * n + [150.0, 150.0]
        self.x = [MARGIN]
        for w in widths:
            self.x.append(self.x[-1] + w)
        self.size = (PAGE[0], page_height or PAGE[1])
        self.c = Canvas(str(path), pagesize=self.size)
        self.c.setFont(FONT, SIZE)
        self.pages = 0

    def text(self, x: float, y: float, s: str) -> None:
        self.c.setFont(FONT, SIZE)
        self.c.drawString(x, y, s)

    def new_page(self) -> float:
        if self.pages:
            self.c.showPage()
        self.pages += 1
        m = self.meta
        top = self.size[1] - MARGIN
        title = m["title"] + (f"({m['published_text']})" if m.get("published_text") else "")
        self.text(MARGIN, top, title)
        h1, h2 = top - 20, top - 32
        ncol = len(self.cols)
        pcols = [i + 1 for i, (_, ys) in enumerate(self.cols) if ys[-1] >= self.period["first"]
                 and ys[0] <= self.period["last"]]
        x0, x1 = self.x[pcols[0]], self.x[pcols[-1] + 1]
        self.c.rect(x0 + 2, h1 - 3, x1 - x0 - 4, 11)
        self.text(x0 + 6, h1, "集中改革期間")
        deepest = h2
        labels = [*self.cols, ("KPI(第一階層)", []), ("KPI(第二階層)", [])]
        for i, (label, _ys) in enumerate(labels, 1):
            y0 = h1 if i > ncol or (i not in pcols and i != 1) else h2
            for k, line in enumerate(wrap(label, self.x[i + 1] - self.x[i] - 6)):  # labels wrap in their column
                self.text(self.x[i] + 3, y0 - k * LEAD, line)
                deepest = min(deepest, y0 - k * LEAD)
        rule = deepest - 6
        for xv in self.x:
            self.c.line(xv, h1 + 12, xv, MARGIN)
        self.c.line(self.x[0], rule, self.x[-1], rule)
        return rule - 12

    def render(self) -> int:
        y = self.new_page()
        ncol = len(self.cols)
        for item in self.doc["reform_items"]:
            if y < MARGIN + 60:
                y = self.new_page()
            for k, line in enumerate(wrap(self.meta.get("area", ""), self.x[1] - self.x[0] - 6)):
                self.text(self.x[0] + 3, y - k * LEAD, line)
            self.text(self.x[1] + 3, y, f"<{circled(item['number'])}{item['title']}>")
            y -= LEAD * 1.8
            ky = y
            for col, tier in ((ncol + 1, 1), (ncol + 2, 2)):
                yy = ky
                for line in _kpi_lines([k for k in item["kpis"] if k["tier"] == tier], self.x[col + 1] - self.x[col] - 6):
                    self.text(self.x[col] + 3, yy, line)
                    yy -= LEAD
            for entry in item["schedule"]:
                years = entry["fiscal_years"]
                idx = [i + 1 for i, (_, ys) in enumerate(self.cols) if set(ys) & set(years)] or [1]
                first, last = idx[0], idx[-1]
                box_last = first if self.arrows and last > first else last
                x0, x1 = self.x[first] + 3, self.x[box_last + 1] - 3
                lines = wrap(entry["text"], x1 - x0 - 6)
                h = LEAD * len(lines) + 4
                if y - h < MARGIN + 4:
                    y = self.new_page()
                if self.style == "rect":
                    self.c.rect(x0, y - h + LEAD - 1, x1 - x0, h)
                else:
                    self.c.roundRect(x0, y - h + LEAD - 1, x1 - x0, h, 4)
                if box_last != last:
                    ym, end = y - h / 2 + LEAD - 1, self.x[last + 1] - 3
                    if self.style == "shape":
                        p = self.c.beginPath()
                        for px, py in ((x1, ym - 2), (end - 6, ym - 2), (end - 6, ym - 5), (end, ym),
                                       (end - 6, ym + 5), (end - 6, ym + 2), (x1, ym + 2)):
                            (p.lineTo if px != x1 or py != ym - 2 else p.moveTo)(px, py)
                        p.close()
                        self.c.drawPath(p, fill=1, stroke=0)
                    else:
                        self.c.line(x1, ym, end, ym)
                for k, line in enumerate(lines):
                    self.text(x0 + 3, y - k * LEAD, line)
                y -= h + 6
            if item.get("responsible"):
                for line in wrap("《" + "、".join(item["responsible"]) + "》", self.x[2] - self.x[1] - 6):
                    self.text(self.x[1] + 3, y, line)
                    y -= LEAD
                y -= LEAD
            y = min(y, ky - LEAD * (len(_kpi_lines(item["kpis"], 140)) + 1))
        self.c.save()
        return self.pages


def render_roadmap(path: Path, doc: dict[str, Any], **kw: Any) -> int:
    return RoadmapRenderer(path, doc, **kw).render()


def _grid(c: Canvas, x: list[float], y: float, rows: list[list[str]], spans: dict[tuple[int, int], int] | None = None,
          merge_down: int | None = None) -> float:
    """Rows of a ruled table from y downwards; spans: (row, col) → columns a cell spans; in column
    `merge_down` an empty cell joins the cell above (one cell down a group of rows)."""
    spans = spans or {}
    group_top: float | None = None
    for r, row in enumerate(rows):
        wrapped, col = [], 0
        cells = []
        for text in row:
            span = spans.get((r, col), 1)
            cells.append((col, span, text))
            wrapped.append([ln for para in text.split("\n") for ln in wrap(para, x[col + span] - x[col] - 6)])
            col += span
        h = LEAD * max(1, *(len(w) for w in wrapped)) + 6
        for (col, span, text), lines in zip(cells, wrapped, strict=True):
            if col == merge_down:
                if text or group_top is None:
                    if group_top is not None:
                        c.rect(x[col], y, x[col + 1] - x[col], group_top - y)
                    group_top = y
                else:
                    continue
            else:
                c.rect(x[col], y - h, x[col + span] - x[col], h)
            for k, line in enumerate(lines):
                c.setFont(FONT, SIZE)
                c.drawString(x[col] + 3, y - 3 - SIZE - k * LEAD, line)
        y -= h
    if merge_down is not None and group_top is not None:
        c.rect(x[merge_down], y, x[merge_down + 1] - x[merge_down], group_top - y)
    return y


def render_review(path: Path, doc: dict[str, Any], widths: list[float] | None = None, break_row: int | None = None,
                  rows_per_page: int = 6, tier_column: bool = False) -> None:
    """改革工程の進捗状況 or KPIの状況 as ruled tables, one per reform item under its headings, the header
    repeated on each page; `break_row` is split across a page break (its first column empty on the next)."""
    c = Canvas(str(path), pagesize=PAGE)
    for item in doc["reform_items"]:
        _review_item(c, doc["document"], item, widths, break_row, rows_per_page, tier_column)
    c.save()


def _table_data(meta: dict[str, Any], item: dict[str, Any], widths: list[float] | None, tier_column: bool
                ) -> tuple[list[float], list[list[str]], dict[tuple[int, int], int], list[list[str]], str, int | None]:
    """Column edges, header rows and spans, body rows, title and the merged-down column of one item's table."""
    merge_down = None
    if meta["kind"] == "progress_report":
        widths = widths or [300.0, 400.0, 350.0]
        head = [["改革工程", "改革工程の進捗"], ["", "計画期間中の進捗", "今後の進展について"]]
        hspans = {(0, 1): 2}

        def stmts(ss: list[dict[str, Any]]) -> str:
            return "\n".join(f"【{s['ministry']}】{s['text']}" if s.get("ministry") else s["text"] for s in ss)

        body = [[e["schedule_item"], stmts(e.get("progress", [])), stmts(e.get("next_steps", []))]
                for e in item["entries"]]
        title = "改革工程の進捗状況"
    else:
        widths = widths or [260.0, 200.0, 160.0, 50.0, 300.0]
        head = [["KPI", "目標値 (達成時期)", "KPIの進捗"], ["", "", "実績値 (時点)", "区分", "次回の把握時期と今後の方針"]]
        hspans = {(0, 2): 3}
        body = []
        for k in item["kpis"]:
            actual = k.get("actual") or {}
            as_of = actual.get("as_of")
            shown = actual.get("text", "") + (f" ({_era(dt.date.fromisoformat(str(as_of)))})" if as_of else "")
            body.append([("第一階層 " if k["tier"] == 1 else "第二階層 ") + k["name"], k["target"], shown,
                         k.get("category") or "", k.get("next") or ""])
        title = "KPIの状況"
        if tier_column:  # 第一階層/第二階層 in a column of its own, one cell down each group of rows
            widths = [60.0, 220.0, 200.0, 160.0, 50.0, 280.0]
            head = [["KPI", "目標値 (達成時期)", "KPIの進捗"], ["", "", "", "実績値 (時点)", "区分", "次回の把握時期と今後の方針"]]
            hspans = {(0, 0): 2, (0, 3): 3}
            tiers = [k["tier"] for k in item["kpis"]]
            body = [[("第一階層" if t == 1 else "第二階層") if i == 0 or tiers[i - 1] != t else "", row[0][5:], *row[1:]]
                    for i, (t, row) in enumerate(zip(tiers, body, strict=True))]
            merge_down = 0
    x = [MARGIN]
    for w in widths:
        x.append(x[-1] + w)
    return x, head, hspans, body, title, merge_down


def _review_item(c: Canvas, meta: dict[str, Any], item: dict[str, Any], widths: list[float] | None,
                 break_row: int | None, rows_per_page: int, tier_column: bool = False) -> None:
    x, head, hspans, body, title, merge_down = _table_data(meta, item, widths, tier_column)
    if merge_down is not None:
        break_row = None
    pages = [body[i:i + rows_per_page] for i in range(0, len(body), rows_per_page)] or [[]]
    if break_row is not None and break_row < len(body) and len(body) > 1:
        row = body[break_row]
        cut = [len(t) // 2 for t in row]
        first = [row[0]] + [t[:n] for t, n in zip(row[1:], cut[1:], strict=True)]
        second = [""] + [t[n:] for t, n in zip(row[1:], cut[1:], strict=True)]
        pages = [[*body[:break_row], first], [second, *body[break_row + 1:]]]
    for p, rows in enumerate(pages):
        y = PAGE[1] - MARGIN
        if p == 0:
            for line in (f"重要課題：{meta.get('key_issue', '')}", f"改革項目：{circled(item['number'])}{item.get('title', '')}",
                         title):
                c.setFont(FONT, SIZE + 2)
                c.drawString(MARGIN, y, line)
                y -= 18
        y = _grid(c, x, y, head, hspans)
        if merge_down is not None and rows and not rows[0][0]:  # a group continued from the page before
            rows = [[next(r[0] for r in reversed(body[:body.index(rows[0]) + 1]) if r[0]), *rows[0][1:]], *rows[1:]]
        _grid(c, x, y, rows, merge_down=merge_down)
        c.showPage()


def _height(x: list[float], row: list[str], spans: dict[tuple[int, int], int] | None = None) -> float:
    col, lines = 0, 1
    for text in row:
        span = (spans or {}).get((0, col), 1)
        lines = max(lines, sum(len(wrap(p, x[col + span] - x[col] - 6)) or 1 for p in text.split("\n")))
        col += span
    return LEAD * lines + 6


def render_review_compact(path: Path, doc: dict[str, Any], tier_column: bool = False) -> None:
    """The tables of several reform items one after another on the same pages, each under its headings;
    a table that runs out of page goes on with its header repeated."""
    c = Canvas(str(path), pagesize=PAGE)
    y = PAGE[1] - MARGIN
    for item in doc["reform_items"]:
        x, head, hspans, body, title, merge_down = _table_data(doc["document"], item, None, tier_column)
        if y < MARGIN + 160:
            c.showPage()
            y = PAGE[1] - MARGIN
        for line in (f"重要課題：{doc['document'].get('key_issue', '')}",
                     f"改革項目：{circled(item['number'])}{item.get('title', '')}", title):
            c.setFont(FONT, SIZE + 2)
            c.drawString(MARGIN, y, line)
            y -= 18
        y = _grid(c, x, y, head, hspans)
        group = ""
        for row in body:
            group = row[0] if merge_down is not None and row[0] else group
            if y - _height(x, row) < MARGIN:
                c.showPage()
                y = _grid(c, x, PAGE[1] - MARGIN, head, hspans)
                if merge_down is not None and not row[0]:
                    row = [group, *row[1:]]
            y = _grid(c, x, y, [row], merge_down=merge_down)
        y -= 30
    c.save()


def render_review_with_other_table(path: Path, doc: dict[str, Any]) -> None:
    """A review table, then on the same page a table of something else (参考: a two-column list)."""
    c = Canvas(str(path), pagesize=PAGE)
    item = doc["reform_items"][0]
    x, head, hspans, body, title, merge_down = _table_data(doc["document"], item, None, False)
    y = PAGE[1] - MARGIN
    for line in (f"改革項目：{circled(item['number'])}{item.get('title', '')}", title):
        c.setFont(FONT, SIZE + 2)
        c.drawString(MARGIN, y, line)
        y -= 18
    y = _grid(c, x, y, head, hspans)
    y = _grid(c, x, y, body, merge_down=merge_down) - 40
    c.setFont(FONT, SIZE + 2)
    c.drawString(MARGIN, y, "参考：関連する会議")
    _grid(c, [MARGIN, MARGIN + 200, MARGIN + 500], y - 10, [["会議名", "開催日"], ["経済財政諮問会議", "2017年4月25日"]])
    c.save()

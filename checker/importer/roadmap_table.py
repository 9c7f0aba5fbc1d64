"""A 改革工程表 section → a roadmap document: year columns, items, schedule cells, KPIs, 《主担当》."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from checker.importer import cells as C
from checker.importer.grid import Cell, Imported, P, Section

# 集中改革期間 is FY2016–FY2018 by the plan's own definition (経済・財政再生計画, 2015); used only when the
# source does not show which columns the label spans (text extractions have no geometry).
PLAN_REFORM_PERIOD = (2016, 2018)
# Words that place a <p> cell with no column: 左記 ("the cell to the left") and 前年度 ("the year before")
# put it one column after the previous cell; a ○ heading or a leading year puts it in the first column.
_NEXT_COLUMN = re.compile(r"左記|^前年度")
_FIRST_COLUMN = re.compile(r"^(○|\d{4}年度)")


class Columns:
    """What each grid column holds, read from the header cells that span it."""

    def __init__(self, header: list[Cell], guesses: list[str]):
        self.years: dict[int, list[int]] = {}
        self.kpi: dict[int, int] = {}
        self.labels: dict[int, str] = {}
        self.period: tuple[int, int] | None = None
        self.period_where = ""
        period_cells = [c for c in header if "集中改革期間" in c.text]
        for cell in header:
            for col in cell.span:
                label = cell.text.replace("集中改革期間", "").strip()
                if not label:
                    continue
                self.labels[col] = (self.labels.get(col, "") + " " + label).strip()
        for col, label in self.labels.items():
            if label.upper().startswith("KPI") or "KPI" in label:
                self.kpi[col] = 2 if ("第二" in label or "第2" in label) else 1
            elif C.years_of(label):
                self.years[col] = C.years_of(label)
        for cell in period_cells:
            covered = sorted({y for col in cell.span for y in self.years.get(col, [])})
            self.period_where = cell.where
            if len(cell.span) > 1 and covered:
                self.period = (covered[0], covered[-1])
        if period_cells and self.period is None:
            self.period = PLAN_REFORM_PERIOD
        all_years = sorted({y for ys in self.years.values() for y in ys})
        self.fiscal = (all_years[0], all_years[-1]) if all_years else None
        if not self.years:
            guesses.append("no fiscal-year columns in the header; schedule cells carry no years")

    def year_columns(self) -> list[int]:
        return sorted(self.years)

    def label(self, col: int) -> str:
        return self.labels.get(col, f"column {col + 1}")


def _fix_shifted_rows(body: list[Cell], cols: Columns, guesses: list[str]) -> list[Cell]:
    """A row whose KPI cells sit in year columns (a field missing before them) gets them moved right."""
    if not cols.kpi:
        return body
    rows: dict[float, list[Cell]] = defaultdict(list)
    for c in body:
        rows[c.top].append(c)
    kpi_last = max(cols.kpi)
    out: list[Cell] = []
    for top in sorted(rows):
        row = rows[top]
        strays = [c for c in row if c.col is not None and c.col in cols.years and C.looks_like_kpi(c.text)]
        in_kpi = [c.col for c in row if c.col in cols.kpi]
        if strays and kpi_last not in in_kpi:
            first = min(c.col for c in strays)
            shift = kpi_last - max([c.col for c in strays] + in_kpi)
            for c in row:
                if c.col is not None and c.col >= first:
                    out.append(Cell(c.text, c.col + shift, (c.last or c.col) + shift,
                                    f"{c.where} (GUESS: moved {shift} column(s) right)", c.top))
                else:
                    out.append(c)
            guesses.append(f"{strays[0].where}: KPI cells found under {cols.label(first)}; the row has a field "
                           f"too few, so they were moved {shift} column(s) right into the KPI columns")
        else:
            out.extend(row)
    return out


def _kpi(text: str, tier: int, where: str) -> dict[str, Any]:
    kpi: dict[str, Any] = {"tier": P(tier, where), "text": P(text, where)}
    if "再掲" in text:
        kpi["relisted"] = P(True, where)
    if "事後的に検証する指標" in text:
        kpi["ex_post"] = P(True, where)
    return kpi


class _Builder:
    def __init__(self, section: Section, guesses: list[str], notes: list[str]):
        self.section, self.guesses, self.notes = section, guesses, notes
        self.cols = Columns(section.header, guesses)
        self.items: list[dict[str, Any]] = []
        self.area: P | None = None
        self.pointer: int | None = None
        self.placed: list[str] = []

    def item(self, cell: Cell) -> dict[str, Any] | None:
        if not self.items:
            self.notes.append(f"{cell.where}: a cell before any reform item title; skipped")
            return None
        return self.items[-1]

    def add(self, cell: Cell) -> None:
        numbered = C.item_number(cell.text)
        if numbered:
            self.items.append({"number": P(numbered[0], cell.where), "title": P(numbered[1], cell.where),
                               "responsible": [], "schedule": [], "kpis": []})
            self.pointer = None
            return
        if C.is_timeline(cell.text):
            self.notes.append(f"{cell.where}: the time-line header row (通常国会 … 年末); not a schedule cell")
            return
        outside = cell.col is not None and cell.col not in self.cols.years and cell.col not in self.cols.kpi
        if outside and not C.is_responsible(cell.text):
            if self.area is None:
                self.area = P(cell.text, cell.where)
            elif cell.text != self.area.value:
                self.notes.append(f"{cell.where}: 「{cell.text[:30]}」 in {self.cols.label(cell.col)}, which is no year "
                                  "or KPI column; skipped")
            return
        item = self.item(cell)
        if item is None:
            return
        if C.is_responsible(cell.text):
            names = [P(n, cell.where) for n in C.responsible_names(cell.text)]
            first_col = self.cols.year_columns()[:1]
            if not item["responsible"] and (cell.col is None or not item["schedule"] or cell.col in first_col
                                            or cell.col not in self.cols.years):
                item["responsible"] = names
            elif item["schedule"]:
                same = [s for s in item["schedule"] if s["_col"] == cell.col] or item["schedule"]
                same[-1]["responsible"] = names
            return
        if cell.col is not None and cell.col in self.cols.kpi:
            for part in C.split_kpis(cell.text):
                item["kpis"].append(_kpi(part, self.cols.kpi[cell.col], cell.where))
            return
        col = cell.col if cell.col is not None else self._place(cell)
        if col is None:
            self.notes.append(f"{cell.where}: outside every year and KPI column; skipped")
            return
        years = sorted({y for c in range(col, (cell.last if cell.last is not None else col) + 1)
                        for y in self.cols.years.get(c, [])})
        for k, (part, guessed) in enumerate(C.split_schedule(cell.text, self.section.merged_cells)):
            entry_guesses = list(self.placed)
            if guessed:
                entry_guesses.append(f"{cell.where}: cell split at a space between sentences; part {k + 1} "
                                     f"reads 「{part[:24]}…」")
            # A guessed value says so in its own comment too, beside the list at the top of the file.
            text_where = f"{cell.where} (GUESS: split at a space)" if guessed else cell.where
            years_where = f"{cell.where} (GUESS: column)" if cell.col is None else cell.where
            item["schedule"].append({"text": P(part, text_where), "fiscal_years": P(years, years_where),
                                     "responsible": [], "_col": col, "_top": cell.top + k / 100000,
                                     "_guess": entry_guesses})
        self.placed = []

    def _place(self, cell: Cell) -> int | None:
        """A <p> cell with no column: placed by its words, next to the previous cell (a guess)."""
        year_cols = self.cols.year_columns()
        if not year_cols:
            return None
        if _FIRST_COLUMN.match(cell.text) or self.pointer is None:
            col, why = year_cols[0], "the first year column"
            if not _FIRST_COLUMN.match(cell.text):
                why += " (the first cell of the item)"
        elif _NEXT_COLUMN.search(cell.text):
            later = [c for c in year_cols if c > self.pointer]
            col = later[0] if later else self.pointer
            why = "the column after the previous cell's (it says 左記/前年度)"
        else:
            col, why = self.pointer, "the previous cell's column"
        self.pointer = col
        self.placed.append(f"{cell.where}: the source gives no column; 「{cell.text[:20]}…」 taken as "
                            f"{self.cols.label(col)}, {why}")
        return col


def roadmap(section: Section) -> Imported:
    """One roadmap document (schedule entries keep their sort keys `_col`/`_top` until ids are given)."""
    guesses: list[str] = []
    notes: list[str] = []
    b = _Builder(section, guesses, notes)
    body = _fix_shifted_rows(section.body, b.cols, guesses)
    # Within one line, the <p> cells (the item's own column group) come before the fields after them.
    for cell in sorted(body, key=lambda c: (int(c.top), c.col is not None, c.col or 0, c.top)):
        b.add(cell)
    title, printed, published, revision = C.split_title(section.title.value if section.title else "")
    tw = section.title.where if section.title else section.where
    meta: dict[str, Any] = {"kind": P("roadmap", tw), "title": P(title, tw)}
    if published:
        meta["published"] = P(published, tw)
        meta["published_text"] = P(printed, tw)
    if revision:
        meta["revision"] = P(revision, tw)
    if b.area is not None:
        meta["area"] = b.area
    kpis = [k for item in b.items for k in item["kpis"]]
    relisting = bool(kpis) and 2 * sum("relisted" in k for k in kpis) >= len(kpis)
    issue = section.headings.get("key_issue") or section.headings.get("following_key_issue")
    if relisting and issue is not None:
        meta["key_issue"] = issue
        if "key_issue" not in section.headings:
            guesses.append(f"its KPIs are marked 再掲, so it re-lists an item under another key issue; the key "
                           f"issue is taken from the next heading ({issue.where}): 「{issue.value}」")
    hw = section.header[0].where if section.header else section.where
    if b.cols.fiscal:
        meta["fiscal_years"] = P({"first": b.cols.fiscal[0], "last": b.cols.fiscal[1]}, hw)
    if b.cols.period:
        meta["reform_period"] = P({"first": b.cols.period[0], "last": b.cols.period[1]}, b.cols.period_where)
    meta["source"] = P(f"{section.source} {section.where}", section.where)
    for item in b.items:
        item["schedule"].sort(key=lambda s: (s["_col"], s["_top"]))
    return Imported("roadmap", {"document": meta, "reform_items": b.items}, [section.key], guesses, notes,
                    relisting=relisting)

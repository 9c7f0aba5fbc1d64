"""Write roadmap documents (plain dicts as in roadmaps/) to .xlsx sheets in the published layouts (openpyxl)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.helpers.pdf_render import circled, year_columns


def _roadmap(ws: Any, doc: dict[str, Any]) -> None:
    meta = doc["document"]
    period = meta.get("reform_period") or {"first": 2016, "last": 2018}
    cols = year_columns(meta)
    ws.append([meta["title"] + (f"({meta['published_text']})" if meta.get("published_text") else "")])
    r = ws.max_row + 1
    pcols = [i + 2 for i, (_, ys) in enumerate(cols) if ys[-1] >= period["first"] and ys[0] <= period["last"]]
    ws.cell(r, pcols[0], "集中改革期間")
    ws.merge_cells(start_row=r, start_column=pcols[0], end_row=r, end_column=pcols[-1])
    for i, (label, _) in enumerate(cols):
        ws.cell(r if i + 2 not in pcols and i else r + 1, i + 2, label)
    k1 = len(cols) + 2
    ws.cell(r, k1, "KPI(第一階層)")
    ws.cell(r, k1 + 1, "KPI(第二階層)")
    r += 2
    for item in doc["reform_items"]:
        ws.cell(r, 1, meta.get("area", ""))
        ws.cell(r, 2, f"<{circled(item['number'])}{item['title']}>")
        r += 1
        for tier in (1, 2):
            texts = [k["text"] for k in item["kpis"] if k["tier"] == tier]
            if texts:
                ws.cell(r, k1 + tier - 1, " ".join(texts))  # several KPIs in one cell
        for entry in item["schedule"]:
            idx = [i + 2 for i, (_, ys) in enumerate(cols) if set(ys) & set(entry["fiscal_years"])] or [2]
            ws.cell(r, idx[0], entry["text"])
            if idx[-1] > idx[0]:
                ws.merge_cells(start_row=r, start_column=idx[0], end_row=r, end_column=idx[-1])
            r += 1
        if item.get("responsible"):
            ws.cell(r, 2, "《" + "、".join(item["responsible"]) + "》")
            r += 1
    ws.append([])


def _review(ws: Any, doc: dict[str, Any], tier_column: bool = False) -> None:
    for item in doc["reform_items"]:
        _review_item(ws, doc["document"], item, tier_column)


def _review_item(ws: Any, meta: dict[str, Any], item: dict[str, Any], tier_column: bool = False) -> None:
    ws.append([f"重要課題：{meta.get('key_issue', '')}"])
    ws.append([f"改革項目：{circled(item['number'])}{item.get('title', '')}"])
    if meta["kind"] == "progress_report":
        ws.append(["改革工程の進捗状況"])
        ws.append(["改革工程", "改革工程の進捗"])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=3)
        ws.append([None, "計画期間中の進捗", "今後の進展について"])

        def stmts(ss: list[dict[str, Any]]) -> str:
            return " ".join(f"【{s['ministry']}】{s['text']}" if s.get("ministry") else s["text"] for s in ss)

        for e in item["entries"]:
            ws.append([e["schedule_item"], stmts(e.get("progress", [])), stmts(e.get("next_steps", []))])
    elif tier_column:  # 第一階層/第二階層 in a column of its own, one merged cell down each group of rows
        ws.append(["KPIの状況"])
        ws.append(["KPI", None, "目標値 (達成時期)", "KPIの進捗"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.merge_cells(start_row=ws.max_row, start_column=4, end_row=ws.max_row, end_column=6)
        ws.append([None, None, None, "実績値 (時点)", "区分", "次回の把握時期と今後の方針"])
        start = None
        for i, k in enumerate(item["kpis"]):
            new_group = i == 0 or item["kpis"][i - 1]["tier"] != k["tier"]
            if new_group and start is not None and ws.max_row > start:
                ws.merge_cells(start_row=start, start_column=1, end_row=ws.max_row, end_column=1)
            ws.append([("第一階層" if k["tier"] == 1 else "第二階層") if new_group else None, k["name"], k["target"],
                       _actual(k), k.get("category"), k.get("next")])
            start = ws.max_row if new_group else start
        if start is not None and ws.max_row > start:
            ws.merge_cells(start_row=start, start_column=1, end_row=ws.max_row, end_column=1)
    else:
        ws.append(["KPIの状況"])
        ws.append(["KPI", "目標値 (達成時期)", "KPIの進捗"])
        ws.merge_cells(start_row=ws.max_row, start_column=3, end_row=ws.max_row, end_column=5)
        ws.append([None, None, "実績値 (時点)", "区分", "次回の把握時期と今後の方針"])
        for k in item["kpis"]:
            actual = k.get("actual") or {}
            as_of = actual.get("as_of")
            when = dt.date.fromisoformat(str(as_of)) if as_of else None
            shown = actual.get("text", "") + (f" ({when.year}年{when.month}月{when.day}日)" if when else "")
            ws.append([("第一階層 " if k["tier"] == 1 else "第二階層 ") + k["name"], k["target"], shown,
                       k.get("category"), k.get("next")])
    ws.append([])


def _actual(k: dict[str, Any]) -> str:
    actual = k.get("actual") or {}
    as_of = actual.get("as_of")
    when = dt.date.fromisoformat(str(as_of)) if as_of else None
    return actual.get("text", "") + (f" ({when.year}年{when.month}月{when.day}日)" if when else "")


def render_workbook(path: Path, docs: list[dict[str, Any]], one_sheet: bool = True, tier_column: bool = False
                    ) -> None:
    wb = Workbook()
    ws = wb.active
    for n, doc in enumerate(docs):
        if not one_sheet and n:
            ws = wb.create_sheet(f"Sheet{n + 1}")
        if doc["document"]["kind"] == "roadmap":
            _roadmap(ws, doc)
        else:
            _review(ws, doc, tier_column)
    wb.save(path)

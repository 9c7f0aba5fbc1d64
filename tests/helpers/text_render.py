"""Write roadmap documents (plain dicts as in roadmaps/) as text extractions: tab-separated rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.helpers.pdf_render import circled, year_columns


def roadmap_text(doc: dict[str, Any]) -> list[str]:
    meta = doc["document"]
    cols = year_columns(meta)
    period = meta.get("reform_period") or {"first": 2016, "last": 2018}
    n = len(cols)
    inside = [i for i, (_, ys) in enumerate(cols) if ys[-1] >= period["first"] and ys[0] <= period["last"]]
    top = [""] * (n + 3)
    low = [""] * (n + 3)
    top[1] = "集中改革期間"
    for i, (label, _) in enumerate(cols):
        (low if i in inside or i == 0 else top)[i + 1] = label
    top[n + 1], top[n + 2] = "KPI(第一階層)", "KPI(第二階層)"
    lines = ["", meta["title"] + (f"({meta['published_text']})" if meta.get("published_text") else ""), "",
             "\t".join(top), "\t".join(low)]
    for item in doc["reform_items"]:
        row = [""] * (n + 3)
        row[0], row[1] = meta.get("area", ""), f"<{circled(item['number'])}{item['title']}>"
        lines.append("\t".join(row))
        by_col: dict[int, list[str]] = {}
        for cell in item["schedule"]:
            col = next(i for i, (_, ys) in enumerate(cols) if cell["fiscal_years"][0] in ys)
            by_col.setdefault(col, []).append(cell["text"])
        depth = max([len(v) for v in by_col.values()] + [1])
        for r in range(depth):
            row = [""] * (n + 3)
            for col, texts in by_col.items():
                if r < len(texts):
                    row[col + 1] = texts[r]
            if r == 0:
                for tier in (1, 2):
                    row[n + tier] = " ".join(k["text"] for k in item["kpis"] if k["tier"] == tier)
            lines.append("\t".join(row))
        if item.get("responsible"):
            lines.append("\t" + "《" + "、".join(item["responsible"]) + "》" + "\t" * (n + 1))
    return lines


def review_text(doc: dict[str, Any]) -> list[str]:
    meta = doc["document"]
    lines: list[str] = []
    for item in doc["reform_items"]:
        lines += ["", f"重要課題：{meta.get('key_issue', '')}", "", f"改革項目：{circled(item['number'])}{item.get('title', '')}", ""]
        if meta["kind"] == "progress_report":
            lines += ["改革工程の進捗状況", "", "改革工程\t改革工程の進捗\t", "\t計画期間中の進捗\t今後の進展について"]
            for e in item["entries"]:
                cells = [" ".join(f"【{s['ministry']}】{s['text']}" if s.get("ministry") else s["text"]
                                  for s in e.get(part, [])) for part in ("progress", "next_steps")]
                lines.append("\t".join([e["schedule_item"], *cells]))
        else:
            lines += ["KPIの状況", "", "KPI\t目標値 (達成時期)\tKPIの進捗\t\t",
                      "\t\t実績値 (時点)\t区分\t次回の把握時期と今後の方針"]
            for k in item["kpis"]:
                actual = k.get("actual") or {}
                when = actual.get("as_of")
                d = dt.date.fromisoformat(str(when)) if when else None
                shown = actual.get("text", "") + (f" ({d.year}年{d.month}月{d.day}日)" if d else "")
                lines.append("\t".join([("第一階層 " if k["tier"] == 1 else "第二階層 ") + k["name"], k["target"], shown,
                                        k.get("category") or "", k.get("next") or ""]))
    return lines


def render_text(docs: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for doc in docs:
        lines += roadmap_text(doc) if doc["document"]["kind"] == "roadmap" else review_text(doc)
    return "\n".join(lines) + "\n"

"""改革工程の進捗状況 and KPIの状況 sections → progress_report and kpi_status documents."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from checker.importer import cells as C
from checker.importer.grid import Cell, Imported, P, Section

_PROGRESS_ROLES = (("計画期間中", "progress"), ("今後", "next_steps"), ("改革工程", "schedule_item"))
_KPI_ROLES = (("実績", "actual"), ("区分", "category"), ("次回", "next"), ("目標", "target"), ("KPI", "name"))
_DEFAULT = {"progress_report": ["schedule_item", "progress", "next_steps"],
            "kpi_status": ["name", "target", "actual", "category", "next"]}


def _roles(section: Section) -> dict[int, str]:
    """Column → role, from the header labels (the most specific label of a column wins)."""
    table = _PROGRESS_ROLES if section.kind == "progress_report" else _KPI_ROLES
    labels: dict[int, list[str]] = defaultdict(list)
    for cell in section.header:
        for col in cell.span:
            labels[col].append(cell.text)
    roles: dict[int, str] = {}
    for col, texts in labels.items():
        for word, role in table:
            if any(word in t for t in texts) and role not in roles.values():
                roles[col] = role
                break
    if sorted(roles.values()) != sorted(_DEFAULT[section.kind]):
        return dict(enumerate(_DEFAULT[section.kind]))
    name = next((c for c, r in roles.items() if r == "name"), None)
    if name is not None and name + 1 not in roles and labels.get(name + 1) == labels[name]:
        # KPI spans two columns: 第一階層/第二階層 (often one cell down a group of rows), then the name.
        roles[name], roles[name + 1] = "tier", "name"
    return roles


def _rows(section: Section, roles: dict[int, str], notes: list[str]) -> list[dict[str, tuple[str, str]]]:
    """Body cells grouped into rows (role → (text, where)); a row with an empty first column continues the
    row above (a row broken across pages), its text joined without a space."""
    grouped: dict[float, list[Cell]] = defaultdict(list)
    for cell in section.body:
        grouped[cell.top].append(cell)
    first_role = _DEFAULT[section.kind][0]
    rows: list[dict[str, tuple[str, str]]] = []
    for top in sorted(grouped):
        row: dict[str, tuple[str, str]] = {}
        for cell in grouped[top]:
            role = roles.get(cell.col) if cell.col is not None else None
            if role is None:
                notes.append(f"{cell.where}: outside the table's columns; skipped")
                continue
            row[role] = (cell.text, cell.where)
        if not row:
            continue
        if first_role not in row and rows and set(row) - {"tier"}:
            for role, (text, where) in row.items():
                old = rows[-1].get(role)
                # A statement or bullet that starts the continued part starts a paragraph.
                glue = "\n" if text[:1] in "【・●◆■" else ""
                rows[-1][role] = (old[0] + glue + text, f"{old[1]} + {where}") if old else (text, where)
            notes.append(f"{next(iter(row.values()))[1]}: continues the row above (its first column is empty)")
            continue
        rows.append(row)
    return rows


def _item(section: Section, guesses: list[str]) -> dict[str, Any]:
    heading = section.headings.get("item")
    numbered = C.item_number(heading.value) if heading else None
    if numbered:
        return {"number": P(numbered[0], heading.where), "title": P(numbered[1], heading.where)}
    guesses.append(f"{section.where}: no 改革項目 heading with a circled number; reform item taken as 1")
    item: dict[str, Any] = {"number": P(1, section.where)}
    if heading:
        item["title"] = heading
    return item


def _meta(section: Section, title: str) -> dict[str, Any]:
    tw = section.title.where if section.title else section.where
    meta: dict[str, Any] = {"kind": P(section.kind, tw), "title": P(title, tw)}
    if "key_issue" in section.headings:
        meta["key_issue"] = section.headings["key_issue"]
    meta["source"] = P(f"{section.source} {section.where}", section.where)
    return meta


def _statements(text: str, where: str, with_status: bool) -> list[dict[str, Any]]:
    out = []
    for ministry, body, status in C.split_statements(text):
        st: dict[str, Any] = {}
        if ministry is not None:
            st["ministry"] = P(ministry, where)
        st["text"] = P(body, where)
        if with_status and status:
            st["status"] = P(status, where)
        out.append(st)
    return out


def progress_report(section: Section) -> Imported:
    guesses: list[str] = []
    notes: list[str] = []
    entries = []
    for row in _rows(section, _roles(section), notes):
        if "schedule_item" not in row:
            notes.append(f"{next(iter(row.values()))[1]}: a row with no 改革工程 cell; skipped")
            continue
        text, where = row["schedule_item"]
        entry: dict[str, Any] = {"schedule_item": P(text.replace("\n", ""), where)}
        if "progress" in row:
            entry["progress"] = _statements(*row["progress"], with_status=True)
        if "next_steps" in row:
            entry["next_steps"] = _statements(*row["next_steps"], with_status=False)
        entries.append(entry)
    item = _item(section, guesses)
    item["entries"] = entries
    title = section.title.value if section.title else "改革工程の進捗状況"
    return Imported("progress_report", {"document": _meta(section, title), "reform_items": [item]},
                    [section.key], guesses, notes)


def kpi_status(section: Section) -> Imported:
    guesses: list[str] = []
    notes: list[str] = []
    kpis = []
    tier: int | None = None
    for row in _rows(section, _roles(section), notes):
        if "tier" in row:  # the tier column: a group of rows under one 第一階層 / 第二階層 cell
            tier = C.split_tier(row["tier"][0].replace("\n", ""))[0] or tier
        name, where = row.get("name", ("", section.where))
        found, name = C.split_tier(name.replace("\n", ""))
        if not name and set(row) <= {"name", "tier"}:
            tier = found or tier  # a 第一階層 / 第二階層 group row
            continue
        tier_here = found or tier
        if tier_here is None:
            guesses.append(f"{where}: no 第一階層/第二階層 for 「{name[:20]}」; taken as 第一階層")
            tier_here = 1
        kpi: dict[str, Any] = {"tier": P(tier_here, where), "name": P(name, where)}
        target = row.get("target", ("-", where))
        kpi["target"] = P(target[0].replace("\n", ""), target[1])
        if "actual" in row:
            text, awhere = row["actual"]
            value, as_of = C.split_actual(text.replace("\n", ""))
            kpi["actual"] = P({"text": value, **({"as_of": as_of} if as_of else {})}, awhere)
        if "category" in row:
            text, cwhere = row["category"]
            category = unicodedata.normalize("NFKC", text).strip()
            if category in ("A", "B", "N", "F"):
                kpi["category"] = P(category, cwhere)
            else:
                guesses.append(f"{cwhere}: 区分 「{text}」 is none of A/B/N/F; left unset")
        if "next" in row:
            kpi["next"] = P(row["next"][0].replace("\n", ""), row["next"][1])
        kpis.append(kpi)
    item = _item(section, guesses)
    item["kpis"] = kpis
    title = section.title.value if section.title else "KPIの状況"
    return Imported("kpi_status", {"document": _meta(section, title), "reform_items": [item]},
                    [section.key], guesses, notes)

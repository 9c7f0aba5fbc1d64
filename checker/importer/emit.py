"""An imported document → YAML in the layout of roadmaps/, each value followed by where it was read."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from checker.importer.grid import Imported, P

INDENT = "  "


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    # JSON strings are YAML double-quoted scalars; the two line separators YAML would fold are escaped.
    return json.dumps(str(v), ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _flow(v: Any) -> str:
    if isinstance(v, P):
        return _flow(v.value)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _comment(where: str | None) -> str:
    return f"  # {' '.join(where.split())}" if where else ""


def _is_flow(v: Any) -> bool:
    return not isinstance(v, (dict, list)) or not v or all(not isinstance(x, (dict, list, P)) for x in
                                                            (v.values() if isinstance(v, dict) else v))


def _block(data: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = INDENT * indent
    for key, value in data.items():
        where = value.where if isinstance(value, P) else None
        raw = value.value if isinstance(value, P) else value
        if _is_flow(raw):
            out.append(f"{pad}{key}: {_flow(raw)}{_comment(where)}")
        elif isinstance(raw, dict):
            out.append(f"{pad}{key}:{_comment(where)}")
            _block(raw, indent + 1, out)
        else:
            out.append(f"{pad}{key}:{_comment(where)}")
            for item in raw:
                _list_item(item, indent + 1, out)


def _list_item(item: Any, indent: int, out: list[str]) -> None:
    pad = INDENT * indent
    where = item.where if isinstance(item, P) else None
    raw = item.value if isinstance(item, P) else item
    if isinstance(raw, dict) and raw and not _is_flow(raw):
        sub: list[str] = []
        _block(raw, indent + 1, sub)
        sub[0] = pad + "- " + sub[0][len(pad) + len(INDENT):]
        out.extend(sub)
    else:
        out.append(f"{pad}- {_flow(raw)}{_comment(where)}")


def render(doc: Imported, tool_line: str) -> str:
    """The file: a header naming the sources, the guesses to review, notes, then the data."""
    lines = [f"# {tool_line}", "# Every value is followed by a comment saying where in the source it was read."]
    if doc.guesses:
        lines += ["#", f"# GUESSES ({len(doc.guesses)}): review these; everything else was read as printed."]
        lines += [f"#   - {' '.join(g.split())}" for g in doc.guesses]
    if doc.notes:
        lines += ["#", "# Notes:"] + [f"#   - {' '.join(n.split())}" for n in doc.notes]
    body: list[str] = []
    _block(doc.data, 0, body)
    return "\n".join(lines + body) + "\n"

"""Message templates: `{kpi.name}` placeholders, validated against entity types at load, rendered per finding."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from checker.fields import check_path, resolve

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def placeholders(template: str) -> list[str]:
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1) is not None]


def validate_template(template: str, types_by_root: dict[str, Any]) -> list[str]:
    """Problems with a template: malformed placeholders and names the selected objects do not have."""
    problems = []
    stripped = _PLACEHOLDER.sub("", template)
    if "{" in stripped or "}" in stripped:
        problems.append("unbalanced '{' or '}' (write '{{' or '}}' for a literal brace)")
    for name in placeholders(template):
        if not _NAME.fullmatch(name):
            problems.append(f"placeholder {{{name}}} is not a dotted field name")
            continue
        why = check_path(types_by_root, name)
        if why:
            problems.append(f"placeholder {{{name}}}: {why}")
    return problems


def format_value(value: Any) -> str:
    """Render a value for a message: None as '-', whole floats without '.0', lists joined with 、."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(format_value(v) for v in value) or "-"
    if isinstance(value, BaseModel):
        # Structured values (a Deadline, a Target) read as their set fields: "fiscal_year=2018".
        parts = [f"{k}={format_value(v)}" for k, v in value if (v is not None and k != "approximate") or v]
        return ", ".join(parts) or "-"
    return str(value)


MAX_VALUE_CHARS = 300
"""A value longer than this is cut in messages: a 1 MB cell must not make a 1 MB finding."""


def shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(template: str, ns: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return shorten(format_value(resolve(ns, m.group(1))))

    return _PLACEHOLDER.sub(sub, template)

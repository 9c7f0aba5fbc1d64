"""Message templates: `{kpi.name}` placeholders, validated against entity types at load, rendered per finding."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from checker.rules.fields import check_path, getter

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
    """The template with each placeholder replaced by its formatted value in `ns`, `{{`/`}}` by a brace."""
    return compile_templates((template,))(ns)[0]


def render_all(templates: tuple[str, ...], ns: dict[str, Any]) -> tuple[str, ...]:
    """`render` of each template, reading and formatting each field they name only once."""
    return compile_templates(templates)(ns)


# Keyed by the template texts: the messages and hints of the loaded rules, a few hundred at most.
@lru_cache(maxsize=4096)
def compile_templates(templates: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[str, ...]]:
    """`render_all(templates, ns)` as a function of `ns`, with the templates parsed once.

    Every finding renders up to four templates (message and hint, English and Japanese), and parsing
    them per finding (a regex substitution with a callback per placeholder) cost more than formatting
    the values. Here each template becomes a str.format pattern whose numbered fields index the
    distinct placeholders of all of them, found exactly where `_PLACEHOLDER` finds them, so a field
    named in both languages is formatted once.
    """
    paths: dict[str, int] = {}
    patterns = tuple(_pattern(t, paths) for t in templates)
    getters = [getter(path) for path in paths]
    if not getters:
        texts = tuple(pattern.format() for pattern in patterns)
        return lambda ns: texts

    def render_them(ns: dict[str, Any]) -> tuple[str, ...]:
        values = [_text(get(ns)) for get in getters]
        return tuple([pattern.format(*values) for pattern in patterns])

    return render_them


def _pattern(template: str, paths: dict[str, int]) -> str:
    """The str.format pattern of a template; `paths` numbers the placeholders (shared between templates)."""
    pattern, pos = "", 0
    for m in _PLACEHOLDER.finditer(template):
        pattern += _escape(template[pos : m.start()])
        pos = m.end()
        if m.group(1) is None:  # {{ or }}: a literal brace, escaped again for str.format
            pattern += m.group(0)
        else:
            pattern += "{" + str(paths.setdefault(m.group(1), len(paths))) + "}"
    return pattern + _escape(template[pos:])


def _escape(literal: str) -> str:
    """Literal text for a str.format pattern (stray single braces stay literal, as `sub` leaves them)."""
    return literal.replace("{", "{{").replace("}", "}}")


def _text(value: Any) -> str:
    if type(value) is str:  # the common case, and what format_value returns for it (not for subclasses)
        return value if len(value) <= MAX_VALUE_CHARS else shorten(value)
    return shorten(format_value(value))

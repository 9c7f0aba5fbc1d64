"""Dotted field paths over entity namespaces: resolve them on objects, root them, check them against types at load."""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable
from functools import cache, cached_property, lru_cache
from typing import Any

from pydantic import BaseModel

from checker.domain.corpus import COLLECTIONS
from checker.source.messages import did_you_mean


def resolve(ns: dict[str, Any], dotted: str) -> Any:
    """Follow `a.b.c` through attributes and dict keys; None (not an error) when a link is absent."""
    return getter(dotted)(ns)


def _step(value: Any, part: str) -> Any:
    return value.get(part) if isinstance(value, dict) else getattr(value, part, None)


# Keyed by the path text, which comes from rules and checks: a few dozen paths in all.
@lru_cache(maxsize=4096)
def getter(dotted: str) -> Callable[[dict[str, Any]], Any]:
    """`resolve(ns, dotted)` as a function of `ns` alone, with the path split once.

    Rules read the same few paths of hundreds of thousands of entities, so splitting the path per call
    was most of the cost; one- and two-part paths (nearly all of them) get a closure without a loop.
    """
    head, *rest = dotted.split(".")
    if not rest:
        return operator.methodcaller("get", head)  # ns.get(head): a missing name is None
    if len(rest) == 1:
        part = rest[0]

        def two(ns: dict[str, Any]) -> Any:
            value = ns.get(head)
            if value is None:
                return None
            return value.get(part) if isinstance(value, dict) else getattr(value, part, None)

        return two

    def many(ns: dict[str, Any]) -> Any:
        value = ns.get(head)
        for part in rest:
            if value is None:
                return None
            value = _step(value, part)
        return value

    return many


def _concrete(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _concrete(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _concrete(a) if t is not type(None)]
    return [annotation]


@cache
def attributes(cls: type) -> dict[str, Any]:
    """Attribute name → annotation for pydantic models, dataclasses and plain annotated classes."""
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        out: dict[str, Any] = {name: f.annotation for name, f in cls.model_fields.items()}
    elif dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        out = {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)}
    else:
        return {}
    for name in dir(cls):
        attr = getattr(cls, name, None)
        # pydantic's own properties (model_extra, model_fields_set) are not data a rule can name.
        if isinstance(attr, property | cached_property) and not name.startswith(("_", "model_")):
            fget = getattr(attr, "fget", None) or getattr(attr, "func", None)
            out.setdefault(name, typing.get_type_hints(fget).get("return", Any) if fget else Any)
    return out


def check_path(types_by_root: dict[str, Any], dotted: str) -> str | None:
    """None when `dotted` names a field the namespace types have; else a message listing valid choices."""
    head, *rest = dotted.split(".")
    if head not in types_by_root:
        meant = did_you_mean(head, types_by_root)
        return (f"unknown name {head!r} (" + (f"did you mean {meant!r}?; " if meant else "")
                + f"valid: {', '.join(sorted(types_by_root))})")
    current: list[Any] = [types_by_root[head]]
    walked = head
    for part in rest:
        options: dict[str, Any] = {}
        open_ended = False
        for t in current:
            for c in _concrete(t):
                origin = typing.get_origin(c)
                if c is Any or c is dict or origin is dict:
                    open_ended = True
                elif isinstance(c, type):
                    options.update(attributes(c))
        if open_ended and part not in options:
            return None
        if part not in options:
            valid = ", ".join(sorted(options)) or "none: it is a plain value"
            meant = did_you_mean(part, options)
            return f"{walked!r} has no field {part!r} (" + (f"did you mean {meant!r}?; " if meant else "") + f"valid: {valid})"
        current = [options[part]]
        walked += "." + part
    return None


def rooted(collection: str, dotted: str, types_by_root: dict[str, Any]) -> str:
    """`deadline` → `kpi.deadline` on kpis; names that start with a root are kept as they are."""
    head = dotted.split(".", 1)[0]
    return dotted if head in types_by_root else f"{COLLECTIONS[collection].root}.{dotted}"


def field_path(dotted: str) -> tuple[str, ...]:
    """The data path under the entity for locating a field (drops the root)."""
    return tuple(dotted.split(".")[1:])

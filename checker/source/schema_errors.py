"""Turn pydantic validation errors into plain file:line messages instead of pydantic's raw dump."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from checker.source.messages import did_you_mean


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/list/Annotated annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the value at `loc` (the parent of the last element)."""
    current: type[BaseModel] | None = root
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        models = [t for t in _unwrap(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        current = models[0] if models else None
    return current


def _dotted(loc: tuple[Any, ...], root_name: str = "") -> str:
    out = root_name
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def describe_validation_error(exc: ValidationError, root: type[BaseModel], spans: dict, key_spans: dict,
                              *, root_name: str = "") -> list[tuple[tuple[int, int], str]]:
    """[((line, column), message)] for each error, pointing at the offending key or value.

    `root_name` names the validated value in messages when it is not a whole document (e.g. `with`).
    """
    out: list[tuple[tuple[int, int], str]] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        if kind == "extra_forbidden":
            owner = model_at(root, loc[:-1])
            # The names people write: `with` and `pass`, not the Python attributes `with_` and `pass_`.
            names = [info.alias or name for name, info in owner.model_fields.items()] if owner else []
            allowed = ", ".join(names) or "?"
            meant = did_you_mean(str(loc[-1]), names)
            message = (f"unknown field {loc[-1]!r} in {_dotted(loc[:-1], root_name)} "
                       + (f"(did you mean {meant!r}?)" if meant else f"(allowed: {allowed})"))
            span = key_spans.get(loc) or spans.get(loc)
        elif kind == "missing":
            message = f"{_dotted(loc, root_name)} is required but missing"
            span = None
        elif kind == "value_error" and not loc:
            # A validator over the whole model (exactly one of two options, a bad pattern): its own words
            # say it all, without pydantic's "Value error," prefix or a dump of the model's input.
            message = str(err["msg"]).removeprefix("Value error, ")
            span = spans.get(())
        else:
            given = err.get("input")
            shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message = f"{_dotted(loc, root_name)}: {str(err['msg']).removeprefix('Value error, ')} (got {shown})"
            span = spans.get(loc)
        probe = loc
        while span is None and probe:
            probe = probe[:-1]
            span = spans.get(probe)
        line, column = (span.line, span.column) if span else (1, 1)
        out.append(((line, column), message))
    out.sort()
    return out

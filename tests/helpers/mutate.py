"""Pure mutations of roadmap data for defect-injection tests: load with ruamel, change one thing, dump.

Every mutation takes plain data (dicts, lists, scalars as loaded by ruamel typ="safe") and returns a
changed deep copy; the input is never modified, so one parsed document can seed many mutations.
Paths are tuples of keys and list indexes, e.g. ("reform_items", 0, "kpis", 1, "text").
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML

Path = tuple[str | int, ...]
Mutation = Callable[[Any], Any]


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.allow_unicode = True
    y.default_flow_style = False
    y.width = 4096  # one line per value: long Japanese cells stay greppable in a failing test's output
    return y


def load_yaml(text: str) -> Any:
    """Plain data from YAML text (dates become datetime.date, as in the checker's loader)."""
    return _yaml().load(text)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data. Comments and layout are lost; fingerprints do not depend on them."""
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def get_path(data: Any, path: Path) -> Any:
    """The value at `path`; raises KeyError/IndexError when the path does not exist."""
    for part in path:
        data = data[part]
    return data


def set_path(data: Any, path: Path, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced (the parent must exist)."""
    out = copy.deepcopy(data)
    parent = get_path(out, path[:-1])
    if isinstance(parent, dict) or path[-1] in range(len(parent)):
        parent[path[-1]] = copy.deepcopy(value)
    else:
        raise IndexError(f"no element {path[-1]!r} at {path[:-1]!r}")
    return out


def delete_path(data: Any, path: Path) -> Any:
    """A copy of `data` without the key or list element at `path`."""
    out = copy.deepcopy(data)
    del get_path(out, path[:-1])[path[-1]]
    return out


def replace_text(data: Any, path: Path, old: str, new: str, count: int = 1) -> Any:
    """A copy of `data` with `old` replaced by `new` in the string at `path`.

    `count` is how many occurrences the string must hold: a mutation that silently missed its target
    (or hit more than one place) would make the test prove nothing, so that is an error.
    """
    text = get_path(data, path)
    if not isinstance(text, str):
        raise TypeError(f"{path!r} holds {type(text).__name__}, not a string")
    found = text.count(old)
    if found != count:
        raise ValueError(f"{old!r} occurs {found} times in {path!r}, expected {count}: {text!r}")
    return set_path(data, path, text.replace(old, new))


def mutate_text(text: str, mutation: Mutation) -> str:
    """Apply a data mutation to YAML text and dump the result."""
    return dump_yaml(mutation(load_yaml(text)))


# ---------------------------------------------------------------- named mutations, one defect each


def set_at(path: Path, value: Any) -> Mutation:
    return lambda data: set_path(data, path, value)


def delete_at(path: Path) -> Mutation:
    return lambda data: delete_path(data, path)


def replace_at(path: Path, old: str, new: str, count: int = 1) -> Mutation:
    return lambda data: replace_text(data, path, old, new, count)


def chain(*mutations: Mutation) -> Mutation:
    """Several edits that together inject one defect (e.g. a cell that keeps its own 主担当)."""

    def run(data: Any) -> Any:
        for m in mutations:
            data = m(data)
        return data

    return run

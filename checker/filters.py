"""`where:` filters of a rule, compiled once into a predicate over entities.

    where:
      target: present            # the field is present and non-empty (absent: the opposite)
      document.kind: roadmap     # equality
      tier: {in: [1, 2]}         # operators: eq, ne, in, not_in, matches (RE2), present (true/false)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.checks.base import is_missing
from checker.checks.required import rooted
from checker.corpus import Entity
from checker.fields import check_path, resolve
from checker.regex import RegexError, compile_pattern

Predicate = Callable[[Entity], bool]
OPERATORS = ("eq", "ne", "in", "not_in", "matches", "present")


def _condition(path: str, cond: Any) -> Predicate:
    if cond == "present":
        return lambda e: not is_missing(resolve(e.ns, path))
    if cond == "absent":
        return lambda e: is_missing(resolve(e.ns, path))
    if not isinstance(cond, dict):
        return lambda e: resolve(e.ns, path) == cond
    tests: list[Predicate] = []
    for op, arg in cond.items():
        if op not in OPERATORS:
            raise ValueError(f"unknown operator {op!r} (valid: {', '.join(OPERATORS)})")
        if op == "eq":
            tests.append(lambda e, a=arg: resolve(e.ns, path) == a)
        elif op == "ne":
            tests.append(lambda e, a=arg: resolve(e.ns, path) != a)
        elif op in ("in", "not_in"):
            if not isinstance(arg, list):
                raise ValueError(f"{op!r} takes a list")
            want = op == "in"
            tests.append(lambda e, a=tuple(arg), w=want: (resolve(e.ns, path) in a) == w)
        elif op == "matches":
            try:
                rx = compile_pattern(arg)
            except RegexError as exc:
                raise ValueError(str(exc)) from None
            tests.append(lambda e, r=rx: isinstance(v := resolve(e.ns, path), str) and r.search(v) is not None)
        else:
            want_present = bool(arg)
            tests.append(lambda e, w=want_present: (not is_missing(resolve(e.ns, path))) == w)
    return lambda e: all(t(e) for t in tests)


def compile_where(where: dict[str, Any] | None, collection: str, types_by_root: dict[str, Any]
                  ) -> tuple[Predicate | None, list[str]]:
    """The predicate, or the problems with the filter (unknown fields, operators, bad patterns)."""
    if not where:
        return None, []
    problems: list[str] = []
    preds: list[Predicate] = []
    for key, cond in where.items():
        path = rooted(collection, str(key), types_by_root)
        why = check_path(types_by_root, path)
        if why:
            problems.append(f"where {key}: {why}")
            continue
        try:
            preds.append(_condition(path, cond))
        except ValueError as exc:
            problems.append(f"where {key}: {exc}")
    return (lambda e: all(p(e) for p in preds)), problems

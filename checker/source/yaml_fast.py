"""The loader's fast path: checker/_fastyaml.c builds values and source maps from libyaml's events in C.

It takes only the common case and returns None for anything else (anchors, tags, duplicate keys,
limits, syntax errors), and then checker.source.yaml_tree's Python builder runs, so values and messages are the
same either way (tests/test_fastyaml.py compares the two). Loading 100,000 schedule cells went from
6.3 s to about 1.5 s.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, NamedTuple

from ruamel.yaml.error import StreamMark, YAMLError
from ruamel.yaml.nodes import ScalarNode

from checker.source.inputs import Limits
from checker.source.spans import SpanMap
from checker.source.yaml_resolve import SCALAR_TAGS, STR_TAG, TagLoader


class Built(NamedTuple):
    """What the fast path returns in place of a Builder: the source maps, the only part callers read."""

    spans: SpanMap
    key_spans: SpanMap | None
    """None when compose_text was asked not to make it."""


try:
    from checker import _fastyaml
except ImportError:  # pragma: no cover - no C compiler at install time, or PyPy
    _fastyaml = None

FAST_PATH = True
"""Use the C fast path when it is built (tests turn it off to compare the two paths)."""

_FALLBACK = object()
"""What the callbacks below return for a plain scalar the fast path must leave to the Python builder."""
_CACHE_MAX = 50_000
_PLAIN_VALUES: dict[str, Any] = {}
"""Plain scalar text → its value, for the fast path (keys such as `id:` and values such as `2020` repeat)."""
_PLAIN_KEYS: dict[str, str] = {}
"""Plain mapping key → the one str object every occurrence shares (a million keys, a few dozen distinct)."""
_RESOLVER = TagLoader("")
_NO_MARK = StreamMark("<plain scalar>", 0, 0, 0)


def _plain_node(text: str) -> ScalarNode:
    """A plain scalar as the composer makes it: tagged by the same resolver."""
    # A mark, because ruamel formats one into the warning it raises on floats such as 1e5.
    return ScalarNode(_RESOLVER.resolve(ScalarNode, text, (True, False)), text, _NO_MARK, _NO_MARK)


def _plain_value(text: str) -> Any:
    """The value of a plain scalar, as Builder makes it, or _FALLBACK."""
    node = _plain_node(text)
    tag = node.tag
    if tag == STR_TAG:
        value: Any = text
    elif tag not in SCALAR_TAGS:
        return _FALLBACK
    else:
        try:
            value = _RESOLVER.construct_object(node, deep=False)
        except (YAMLError, ValueError, OverflowError):
            return _FALLBACK
        if isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() else value
    if len(text) <= 64 and len(_PLAIN_VALUES) < _CACHE_MAX:  # bounded, whatever the input
        _PLAIN_VALUES[text] = value
    return value


def _plain_key(text: str) -> Any:
    """A plain mapping key as Builder accepts it (any plain-scalar tag but merge), or _FALLBACK."""
    if _plain_node(text).tag not in SCALAR_TAGS:  # merge keys (<<) and the like: the Python builder words the error
        return _FALLBACK
    if len(text) <= 64 and len(_PLAIN_KEYS) < _CACHE_MAX:
        _PLAIN_KEYS[text] = text
    return text


def _first_chars_are_ascii() -> bool:
    """The C side treats a plain scalar that starts outside ASCII as a string without asking the resolver;
    true as long as every implicit resolver is keyed on an ASCII first character (checked, not assumed)."""
    table = _RESOLVER.yaml_implicit_resolvers
    return all(isinstance(k, str) and all(ord(c) < 128 for c in k) for k in table)


if _fastyaml is not None and not _first_chars_are_ascii():  # pragma: no cover - a future ruamel.yaml
    _fastyaml = None



def build(text: str, limits: Limits, key_spans: bool) -> tuple[Any, Built] | None:
    """(value, Built) for the common case, or None: the caller then runs the Python builder."""
    if _fastyaml is None or not FAST_PATH:
        return None
    # The C builder counts as it goes, so it needs no pre-scan; over a limit it hands back to the
    # Python builder, which refuses the file with its own message.
    max_events = limits.max_nodes if len(text) >= limits.max_nodes else sys.maxsize
    built = _fastyaml.build(text, limits.max_depth, limits.max_nodes, max_events, key_spans, _PLAIN_VALUES,
                            _plain_value, _PLAIN_KEYS, _plain_key, _FALLBACK)
    if built is None:
        return None
    value, spans, keys = built
    return value, Built(SpanMap(spans), SpanMap(keys) if keys is not None else None)


__all__ = ["FAST_PATH", "Built", "build"]

"""Run compose_text on the C fast path or the Python builder and describe what came out, for comparisons."""

from __future__ import annotations

from ruamel.yaml.error import YAMLError

from checker.source import yaml_fast
from checker.source.yaml_tree import DEFAULT_LIMITS, BuildError, Limits, compose_text


def outcome(text: str, fast: bool, limits: Limits = DEFAULT_LIMITS, keys: bool = True) -> tuple:
    """What compose_text gives on one path: values (as repr, so NaN equals NaN), spans in order, or the error."""
    saved = yaml_fast.FAST_PATH
    yaml_fast.FAST_PATH = fast
    try:
        value, built = compose_text(text, "f.yaml", limits, key_spans=keys)
        return ("ok", repr(value), list(built.spans.raw.items()),
                list(built.key_spans.raw.items()) if built.key_spans is not None else None)
    except BuildError as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        return ("build", exc.code, exc.message, (mark.line, mark.column) if mark else None)
    except YAMLError as exc:
        return ("yaml", type(exc).__name__, str(exc))
    except RecursionError:
        return ("recursion",)
    finally:
        yaml_fast.FAST_PATH = saved

"""Regular expressions for rules, compiled with RE2 so that matching is linear time (no catastrophic backtracking).

Patterns RE2 cannot run (back-references, look-around) are rejected at load with RE2's own reason.
"""

from __future__ import annotations

from functools import lru_cache

import re2


class RegexError(ValueError):
    """A rule's pattern is invalid or needs a backtracking engine."""


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re2._Regexp:
    if not isinstance(pattern, str) or not pattern:
        raise RegexError("the pattern is empty")
    options = re2.Options()
    options.log_errors = False  # RE2 would otherwise print to stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        arg = exc.args[0] if exc.args else ""
        reason = (arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)) or "invalid pattern"
        if any(tok in pattern for tok in ("(?=", "(?!", "(?<=", "(?<!")) or _has_backref(pattern):
            reason += " (look-around and back-references need backtracking, which rules may not use)"
        raise RegexError(f"invalid or unsupported regular expression {pattern!r}: {reason}") from None


def _has_backref(pattern: str) -> bool:
    return any(f"\\{d}" in pattern for d in "123456789") or "(?P=" in pattern

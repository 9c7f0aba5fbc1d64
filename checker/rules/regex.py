"""Regular expressions for rules, compiled with RE2 so that matching is linear time (no catastrophic backtracking).

Patterns RE2 cannot run (back-references, look-around) are rejected at load with RE2's own reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

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


# ---------------------------------------------------------------- matching many texts at once
#
# The Python wrapper of RE2 costs several microseconds per call (it encodes the text, builds a
# generator and decodes offsets), far more than RE2 itself on a short text. Checks that run one
# pattern over 100,000 texts, of which few match, therefore scan them joined: one RE2 call per match
# finds which texts can match at all, and only those go through the wrapper's finditer.

_SEPARATOR = "\x00"
_CHUNK_CHARS = 1 << 22
"""Texts are joined in chunks of about this many characters, so the joined copy stays small (~12 MB)."""
_NO_MATCH = (-1, -1)


def _has_assertion(pattern: str) -> bool:
    """Whether a pattern may contain an empty-width assertion (^ $ \\b \\B \\A \\z), or \\Q…\\E quoting
    that this scan cannot see into. Errs towards True: a False answer must be certain."""
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if not in_class and pattern[i + 1 : i + 2] in ("b", "B", "A", "z", "Q"):
                return True
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":  # negation, not an assertion
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a leading ] is a literal
                i += 1
        elif c in "^$":
            return True
        i += 1
    return "[:" in pattern  # POSIX classes nest brackets: do not trust the class tracking above


def context_free(regex: re2._Regexp) -> bool:
    """Whether a match of `regex` depends only on the matched characters, never on what surrounds
    them, and is never empty: then a text has a match alone exactly when it has one within others."""
    return not _has_assertion(regex.pattern) and regex.search("") is None


def _scan(regex: re2._Regexp, texts: list[str]) -> dict[int, bool]:
    """Index → proven for the texts that may hold a match of a context-free regex: a superset of those
    that do. Proven: a match lies wholly in the text, so the text alone has one too.

    A match of a text alone is also a match of the joined texts, so the scan of the joined texts finds
    a match that overlaps the text: the leftmost one from where the scan stood, or one that runs into
    it. Texts touched only by a match that spans a separator are kept, unproven.
    """
    joined = _SEPARATOR.join(texts).encode("utf-8")
    sep = _SEPARATOR.encode("utf-8")
    if joined.count(sep) != len(texts) - 1:  # a text holds the separator: texts cannot be told apart
        return dict.fromkeys(range(len(texts)), False)
    end, pos, counted_to, index = len(joined), 0, 0, 0
    found: dict[int, bool] = {}
    while pos < end:
        start, stop = regex._regexp.Match(re2._Anchor.UNANCHORED, joined, pos, end)[0]
        if (start, stop) == _NO_MATCH:
            break
        index += joined.count(sep, counted_to, start)  # the text the match starts in…
        last = index + joined.count(sep, start, stop)  # …and the one it ends in
        for i in range(index, last + 1):
            found[i] = found.get(i, False) or i == last == index
        counted_to, pos = start, max(stop, start + 1)
    return found


def _chunks(texts: list[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    size = 0
    for t in texts:
        chunk.append(t)
        size += len(t)
        if size >= _CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _candidates(regex: re2._Regexp, texts: Iterable[str]) -> dict[str, bool]:
    """Distinct text → proven, for the texts that may match (see _scan); every text when the regex
    is not context-free."""
    distinct = list(dict.fromkeys(texts))
    if not context_free(regex):
        return dict.fromkeys(distinct, False)
    return {chunk[i]: proven for chunk in _chunks(distinct) for i, proven in _scan(regex, chunk).items()}


def finditer_many(regex: re2._Regexp, texts: Iterable[str]) -> dict[str, list[Any]]:
    """`list(regex.finditer(text))` for every distinct text that has a match; texts without one are absent.

    The matches are the wrapper's own, so callers see exactly what finditer gives; only the texts that
    cannot match are skipped, found by one scan of the texts joined (see _scan).
    """
    out: dict[str, list[Any]] = {}
    for text in _candidates(regex, texts):
        found = list(regex.finditer(text))
        if found:
            out[text] = found
    return out


def search_many(regex: re2._Regexp, texts: Iterable[str]) -> set[str]:
    """The distinct texts in which `regex.search` finds a match, mostly without a call per text."""
    return {text for text, proven in _candidates(regex, texts).items() if proven or regex.search(text)}

"""finditer_many finds exactly what finditer finds on each text alone, whatever the pattern and texts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.rules.regex import (
    _has_assertion,
    _scan,
    compile_pattern,
    context_free,
    finditer_many,
    search_many,
)

# Patterns of the shipped rules, plus ones that can match across texts, at their edges, or empty.
PATTERNS = [
    "(?:全国で|[(（])(?P<value>[0-9０-９][0-9０-９,，]*)\\s*(?P<unit>グループ|団体|市区町村|市町村|都道府県|か所|箇所)",
    "(?P<when>(?:平成|令和|H)?\\d{1,4}年度|(?:平成|令和|H)?\\d{1,4}年\\d{1,2}月(?:\\d{1,2}日)?|集中改革期間)"
    "(?:末|中|内|頃|ごろ|目途|めど)?(?:まで)?に",
    "(?P<name>[\\p{Han}\\p{Katakana}ー・A-Za-z0-9()]*?(?:省|庁|室|局|府|官房|グループ|本部|委員会))(?:と|が|は|、|及び|並びに)",
    "予定|すべく|する|図る|目指|見込",
    "a[^b]*b",  # runs over the separator between texts
    ".+",
    "[^x]{2}",
    "^a",
    "b$",
    "\\ba",
    "a*",
    "(?m)^省",
]
ALPHABET = "ab x省庁室と、1２年度(（全国で\n\x00"


def _expected(pattern: str, texts: list[str]) -> dict[str, list[tuple]]:
    regex = compile_pattern(pattern)
    out = {}
    for t in texts:
        found = [(m.span(), m.groups()) for m in regex.finditer(t)]
        if found:
            out[t] = found
    return out


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.lists(st.text(ALPHABET, max_size=12), max_size=12))
def test_finditer_many_equals_finditer_per_text(pattern, texts):
    got = {t: [(m.span(), m.groups()) for m in ms] for t, ms in finditer_many(compile_pattern(pattern), texts).items()}
    assert got == _expected(pattern, texts)
    assert search_many(compile_pattern(pattern), texts) == set(_expected(pattern, texts))


def test_the_scan_skips_texts_without_a_match():
    regex = compile_pattern("全国で(?P<value>\\d+)")
    texts = ["前文", "全国で12グループ", "なし", "全国", "で3", "全国で4と全国で5"]
    assert _scan(regex, texts) == {1: True, 5: True}
    assert {t: [m.group("value") for m in ms] for t, ms in finditer_many(regex, texts).items()} == {
        "全国で12グループ": ["12"], "全国で4と全国で5": ["4", "5"]}


def test_a_match_across_texts_keeps_both_as_candidates():
    regex = compile_pattern("a[^b]*b")
    assert _scan(regex, ["xa", "yb", "z"]) == {0: False, 1: False}
    assert finditer_many(regex, ["xa", "yb", "z"]) == {}
    assert search_many(regex, ["xa", "yb", "z", "ab"]) == {"ab"}


@pytest.mark.parametrize(("pattern", "free"), [
    ("全国で\\d+", True), ("[^a]b", True), ("[]^]x", True), ("\\$1", True), ("\\\\b", True),
    ("^a", False), ("a$", False), ("\\ba", False), ("\\Aa", False), ("\\Q$\\E", False),
    ("[[:alpha:]]", False), ("a*", False), ("(?m)^a", False),
])
def test_context_free(pattern, free):
    assert context_free(compile_pattern(pattern)) is free


def test_assertion_scan_errs_towards_yes():
    assert _has_assertion("[^]]^")
    assert not _has_assertion("[^^]x")

"""Fuzzy matching of quoted text (progress claims, KPI names) against candidates (schedule cells, KPIs).

Measured on the bundled documents (docs/domain.md, "Normalising text"): after normalisation most claims equal a cell exactly; one claim joins
two cells with a bullet; one reads IT室 where the cell reads 庁室; an unrelated sentence scores ≈ 22 and
a plausible altered claim ≈ 86. So a claim is split on bullets, each part is matched on its own, a part
may quote a cell partially, and the result is graded (exact / near / weak / none) rather than yes-no.

Matching is never all-pairs: an exact dictionary catches verbatim quotes in O(1), and a character-bigram
inverted index shortlists a few candidates for rapidfuzz to score, so time grows with the number of
claims, not claims × cells.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

Grade = Literal["exact", "near", "weak", "none"]
GRADE_ORDER: dict[str, int] = {"exact": 0, "near": 1, "weak": 2, "none": 3}


@dataclass(frozen=True)
class Thresholds:
    """Scores (0–100, rapidfuzz ratio) that separate the grades."""

    near: float = 85.0
    """At or above: the same item, with small differences worth showing."""
    weak: float = 60.0
    """At or above: probably meant this item, but too different to count as quoting it."""
    min_partial_length: int = 10
    """A part this long or longer may quote a cell partially (a substring counts as exact)."""
    shortlist: int = 24
    """How many index candidates rapidfuzz scores for a part that has no exact match."""


@dataclass(frozen=True, slots=True)
class PartMatch:
    """The best candidate for one bullet-separated part of a claim."""

    part: str
    grade: Grade
    score: float
    candidate: int | None
    """Index into the candidate list, or None when there are no candidates at all."""
    partial: bool = False


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A whole claim: its parts and its overall grade (the worst part's)."""

    grade: Grade
    score: float
    parts: tuple[PartMatch, ...]


def grade_of(score: float, exact: bool, t: Thresholds) -> Grade:
    if exact:
        return "exact"
    if score >= t.near:
        return "near"
    if score >= t.weak:
        return "weak"
    return "none"


class CandidateIndex:
    """Normalised candidate texts with an exact dictionary and a bigram index for shortlisting."""

    def __init__(self, texts: Sequence[str], thresholds: Thresholds = Thresholds()):
        self.texts = list(texts)
        self.t = thresholds
        self.exact: dict[str, int] = {}
        for i, text in enumerate(self.texts):
            self.exact.setdefault(text, i)
        self._postings: dict[str, list[int]] | None = None
        # Bigrams found in a large share of the candidates say little and cost much: skip them when
        # shortlisting. With few candidates every bigram is kept.
        self.common_cutoff = max(64, len(self.texts) // 8)

    @property
    def postings(self) -> dict[str, list[int]]:
        """Bigram → candidates holding it; built on first need, since most claims are exact quotes and
        never need it (on 100,000 cells the indexes built up front held a fifth of the memory)."""
        if self._postings is None:
            self._postings = {}
            for i, text in enumerate(self.texts):
                for gram in set(_bigrams(text)):
                    self._postings.setdefault(gram, []).append(i)
        return self._postings

    def shortlist(self, text: str) -> list[int]:
        if len(self.texts) <= self.t.shortlist:
            return list(range(len(self.texts)))  # few enough to score them all, without an index
        counts: Counter[int] = Counter()
        postings = self.postings
        for gram in set(_bigrams(text)):
            posting = postings.get(gram)
            if posting and len(posting) <= self.common_cutoff:
                counts.update(posting)
        # Ties broken by index so the shortlist, and hence the result, is deterministic. nsmallest is
        # sorted(...)[:n] without sorting all of the thousands of cells of a huge reform item.
        ranked = heapq.nsmallest(self.t.shortlist, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [i for i, _ in ranked]

    def best(self, part: str) -> PartMatch:
        if not self.texts:
            return PartMatch(part, "none", 0.0, None)
        hit = self.exact.get(part)
        if hit is not None:
            return PartMatch(part, "exact", 100.0, hit)
        best_i, best_key, best_partial = None, (-1.0, -1.0), False
        for i in self.shortlist(part):
            cand = self.texts[i]
            ratio = fuzz.ratio(part, cand)
            partial = len(part) >= self.t.min_partial_length and part in cand
            # A partial quote scores 100; among several cells it quotes, the closest in full wins.
            key = (100.0 if partial else ratio, ratio)
            if key > best_key or (key == best_key and best_i is not None and i < best_i):
                best_i, best_key, best_partial = i, key, partial
        best_score = best_key[0]
        if best_i is None:  # nothing shares a bigram: report the first candidate as the "nearest"
            best_i, best_score = 0, fuzz.ratio(part, self.texts[0])
        return PartMatch(part, grade_of(best_score, best_partial, self.t), float(best_score), best_i, best_partial)

    def match(self, parts: Sequence[str]) -> MatchResult:
        matches = tuple(self.best(p) for p in parts if p)
        if not matches:
            return MatchResult("none", 0.0, ())
        worst = max(matches, key=lambda p: (GRADE_ORDER[p.grade], -p.score))
        return MatchResult(worst.grade, worst.score, matches)


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or [text]


def _edits(a: str, b: str) -> list[tuple[str, str]]:
    """(removed from a, inserted from b) for each run of adjacent edits turning `a` into `b`, in order."""
    # Adjacent edits are merged, so "IT" against "庁" reads as one replacement, not two.
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b).as_list():
        if tag == "equal":
            continue
        if spans and spans[-1][1] == i1 and spans[-1][3] == j1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [(a[i1:i2], b[j1:j2]) for i1, i2, j1, j2 in spans]


def describe_difference(a: str, b: str, limit: int = 6) -> str:
    """The characters that differ, e.g. 「IT」→「庁」, 「、」を削除 — in order, at most `limit` edits."""
    edits = []
    for old, new in _edits(a, b):
        if old and new:
            edits.append(f"「{old}」→「{new}」")
        elif old:
            edits.append(f"-「{old}」")
        else:
            edits.append(f"+「{new}」")
    more = len(edits) - limit
    return ", ".join(edits[:limit]) + (f" (+{more})" if more > 0 else "")


# Punctuation, brackets, spaces and bullets: a claim that differs from its cell only in these quotes it.
# (ー is no punctuation: it is part of katakana words.)
_WORDING = re.compile(r"[\s、。,.，．・･「」『』()（）\[\]【】〔〕〈〉《》\"'“”‘’:：;；!！?？○●◯◆◇■□▪※→\-－‐―〜~…]+")
# 左記 / 上記 stand for the cell they point to: the claim may spell that cell out instead.
_POINTER = re.compile(r"左記|上記|下記|同左|前記")
_CONTENT_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u30a0-\u30ffA-Za-z0-9々〆ヶ]")

Difference = Literal["wording", "content"]


def classify_difference(claim: str, cell: str) -> Difference:
    """What a claim changes in the cell it quotes: `content` when a word of substance (kanji, katakana,
    latin or digits: a verb or noun, 支援→検討) is replaced, added or dropped; `wording` when only
    punctuation, brackets, spaces, bullets or kana (okurigana, particles) differ, or when 左記/上記 on
    one side stands for text the other spells out."""
    a, b = _WORDING.sub("", claim), _WORDING.sub("", cell)
    if a == b:
        return "wording"
    for pointed, spelled in ((b, a), (a, b)):
        if _POINTER.search(pointed):
            pieces = _POINTER.split(pointed)
            pattern = ".{1,120}?".join(re.escape(p) for p in pieces)
            if re.fullmatch(pattern, spelled):
                return "wording"
    for old, new in _edits(a, b):
        if _CONTENT_CHAR.search(old) or _CONTENT_CHAR.search(new):
            return "content"
    return "wording"

"""`reference`: quoted text must name something that exists in the document it reports on.

On progress_entries, the 改革工程 column must quote a schedule cell of the roadmap named by
``document.reports_on`` (same reform item); on kpi_status_rows, the KPI name must name a KPI of that
roadmap. Claims are normalised (NFKC, PDF spaces, bullets), split on bullets, and graded by
checker.domain.matching; the rule chooses which grades it reports (``grades: [none]`` for errors,
``[near]`` for informational diffs).

Passing: 改革工程 "・都道府県に対しても、…働きかけ" against a cell of the same text.
Failing (grades: [none]): 改革工程 "全く別の文章" against the same roadmap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import Field
from rapidfuzz import fuzz

from checker.checks.base import Check, Context, Hit, Options, RelatedHit, register
from checker.domain.corpus import Entity
from checker.domain.kpi_text import kpi_label_key, kpi_name_key
from checker.domain.matching import (
    GRADE_ORDER,
    CandidateIndex,
    MatchResult,
    PartMatch,
    Thresholds,
    classify_difference,
    describe_difference,
)
from checker.domain.normalize import normalize_for_match, split_bullets
from checker.rules.fields import getter

Grade = Literal["exact", "near", "weak", "none"]

# What each source collection quotes, and where its candidates live.
SOURCES: dict[str, tuple[str, str, str, str]] = {
    # collection: (field quoted, candidate collection, candidate field, normaliser)
    "progress_entries": ("entry.schedule_item", "schedule_items", "schedule_item.text", "text"),
    "kpi_status_rows": ("status_row.name", "kpis", "kpi.label", "kpi_label"),
}


class ReferenceOptions(Options):
    grades: list[Grade] = Field(min_length=1, description="Which grades this rule reports.")
    near: float = Field(85.0, ge=0, le=100, description="Score at or above which a match is near.")
    weak: float = Field(60.0, ge=0, le=100, description="Score at or above which a match is weak.")
    split_bullets: bool = Field(True, description="Match each bullet-separated part on its own.")
    min_partial_length: int = Field(10, ge=1, description="Parts this long may quote a cell partially.")
    difference: Literal["any", "wording", "content"] = Field(
        "any", description="Of near matches, report only those whose difference is of this kind: wording "
        "(punctuation, brackets, spaces, bullets, kana, 左記/上記 spelled out) or content (a word of substance "
        "replaced, added or dropped).")


@dataclass(frozen=True)
class MatchInfo:
    """Template values of a reference hit: {match.grade}, {match.score}, {match.candidate}, …"""

    grade: str
    """How well the claim matches: exact, near, weak or none."""
    score: float
    """Similarity of the claim and the best candidate, 0–100."""
    part: str
    """The part of the claim that was matched (claims are split at bullets)."""
    candidate: str
    """The best candidate's text (a schedule cell or KPI name of the roadmap)."""
    candidate_document: str
    """Id of the roadmap the candidate belongs to."""
    diff: str
    """Where the claim and the candidate differ, for near matches."""


def _normaliser(kind: str):
    return kpi_label_key if kind == "kpi_label" else normalize_for_match


def _kpi_regrade(result: MatchResult, index: CandidateIndex, by_name: dict[str, int]) -> MatchResult:
    """A KPI name that differs from a candidate's only by a remark in () (運用コスト against
    運用コスト(住民一人当たり)) is near that candidate, whatever the score: the difference is shown, never
    taken for a different KPI."""
    parts = []
    for p in result.parts:
        if p.grade in ("weak", "none") and (i := by_name.get(kpi_name_key(p.part))) is not None:
            p = PartMatch(p.part, "near", float(fuzz.ratio(p.part, index.texts[i])), i)
        parts.append(p)
    worst = max(parts, key=lambda p: (GRADE_ORDER[p.grade], -p.score), default=None)
    return result if worst is None else MatchResult(worst.grade, worst.score, tuple(parts))


def claim_parts(text: str, split: bool, kind: str) -> list[str]:
    norm = _normaliser(kind)
    pieces = split_bullets(text) if split else [text]
    return [p for p in (norm(x) for x in pieces) if p] or [norm(text)]


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """How one claim matched, with the candidates it was matched against."""

    result: MatchResult
    index: CandidateIndex
    candidates: list[Entity]

    def candidate(self, i: int | None) -> tuple[Entity | None, str]:
        return (None, "") if i is None else (self.candidates[i], self.index.texts[i])


def _by_item(entities: list[Entity]) -> dict[int, list[Entity]]:
    """A roadmap's candidates by reform item number, in document order: grouped in one pass, since a
    roadmap of 100,000 cells has thousands of items and scanning it per item was quadratic."""
    out: dict[int, list[Entity]] = {}
    for c in entities:
        out.setdefault(c.ns["reform_item"].number, []).append(c)
    return out


def match_claims(ctx: Context, collection: str, options: ReferenceOptions) -> dict[str, ClaimMatch]:
    """Match every entity of `collection` against its roadmap (same reform item); memoised per corpus.

    Keyed by "document id@entity key". Entities whose document reports on nothing are absent.
    """
    memo_key = ("reference", collection, options.near, options.weak, options.split_bullets,
                options.min_partial_length)
    if memo_key in ctx.corpus.memo:
        return ctx.corpus.memo[memo_key]
    field, cand_collection, cand_field, norm_kind = SOURCES[collection]
    norm = _normaliser(norm_kind)
    get_claim, get_candidate = getter(field), getter(cand_field)
    # A KPI name is quoted whole: a row naming only the start of a KPI (運用コスト of 運用コスト(住民…)) is
    # a near match to report, not an exact partial quote.
    partial = options.min_partial_length if norm_kind == "text" else 1 << 30
    thresholds = Thresholds(options.near, options.weak, partial)
    indexes: dict[tuple[str, int], tuple[CandidateIndex, list[Entity]]] = {}
    by_item: dict[str, dict[int, list[Entity]]] = {}
    out: dict[str, ClaimMatch] = {}
    names: dict[tuple[str, int], dict[str, int]] = {}  # KPI name key → first candidate, per index
    for e in ctx.corpus.collection(collection):
        roadmap = ctx.corpus.target_of(e.doc)
        if roadmap is None:
            continue
        number = e.ns["reform_item"].number
        if (roadmap.id, number) not in indexes:
            if roadmap.id not in by_item:
                by_item[roadmap.id] = _by_item(ctx.corpus.entities_of(cand_collection, roadmap))
            cands = by_item[roadmap.id].get(number, [])
            texts = [norm(str(get_candidate(c.ns) or "")) for c in cands]
            indexes[(roadmap.id, number)] = (CandidateIndex(texts, thresholds), cands)
        index, cands = indexes[(roadmap.id, number)]
        text = str(get_claim(e.ns) or "")
        result = index.match(claim_parts(text, options.split_bullets, norm_kind))
        if norm_kind == "kpi_label" and result.grade in ("weak", "none"):
            if (roadmap.id, number) not in names:
                names[(roadmap.id, number)] = {}
                for i, cand_text in enumerate(index.texts):
                    names[(roadmap.id, number)].setdefault(kpi_name_key(cand_text), i)
            result = _kpi_regrade(result, index, names[(roadmap.id, number)])
        out[f"{e.doc.id}@{e.key}"] = ClaimMatch(result, index, cands)
    ctx.corpus.memo[memo_key] = out
    return out


@register
class Reference(Check):
    name = "reference"
    scope = "roadmap"
    Options = ReferenceOptions
    provides = {"match": MatchInfo}
    collections = tuple(SOURCES)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        matches = match_claims(ctx, self.collection, self.options)
        field = SOURCES[self.collection][0].split(".", 1)[1]
        cand_field = SOURCES[self.collection][2].split(".", 1)[1]
        wanted = set(self.options.grades)
        for e in entities:
            claim = matches.get(f"{e.doc.id}@{e.key}")
            if claim is None:
                continue  # reports on no known roadmap: the corpus reports that as an input error
            for k, part in enumerate(claim.result.parts):
                if part.grade not in wanted:
                    continue
                cand, cand_text = claim.candidate(part.candidate)
                if cand is None:
                    continue  # its reform item has nothing to quote (or is not in the roadmap): item_known says so
                if (self.options.difference != "any" and part.grade == "near"
                        and classify_difference(part.part, cand_text) != self.options.difference):
                    continue
                info = MatchInfo(part.grade, round(part.score, 1), part.part, cand_text,
                                 cand.doc.id if cand else "",
                                 describe_difference(part.part, cand_text) if cand_text else "")
                related = () if cand is None else (
                    RelatedHit(cand, (cand_field,), f"nearest candidate (score {info.score:g})",
                               f"最も近い候補(類似度 {info.score:g})"),)
                yield Hit(e, (field,), {"match": info}, key=f"part{k}", related=related)

"""`relisted`: a KPI marked 再掲 must repeat its original (same tier, target and deadline).

The original is a KPI not marked 再掲 in another roadmap document of the same revision with the same
name key; failing that, the nearest name (rapidfuzz ratio ≥ ``min_score``), and then the names differ,
which is itself reported. Each difference is one hit with ``{original}`` (its name),
``{original_document}`` and ``{difference}`` (e.g. "tier: 1 ≠ 2"), related to the original.

Passing::  地方公共団体の情報システム運用コスト【目標：3割圧縮(…)】 (再掲), tier 2 in both listings
Failing::  クラウド導入に伴う歳出効率化の成果 (再掲) tier 1 against 歳出効率化の成果 tier 2
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field
from rapidfuzz import fuzz, process

from checker.checks.base import Check, Context, Hit, Options, RelatedHit, register
from checker.domain.corpus import Corpus, Entity
from checker.domain.kpi_resolve import ResolvedKpi
from checker.domain.kpi_text import kpi_name_key
from checker.domain.model import Deadline, Target
from checker.domain.normalize import normalize_for_match


class RelistedOptions(Options):
    min_score: float = Field(default=50.0, ge=0, le=100,
                             description="Lowest name similarity for taking a differently named KPI as the original.")


def candidates(corpus: Corpus, entity: Entity) -> dict[str, list[Entity]]:
    """Non-relisted KPIs of the entity's revision, by name key; indexed once per run."""
    revision = corpus.revision_of(entity.doc)
    if revision is None:
        return {}
    index = corpus.memo.get(("relisted", "pool"))
    if index is None:
        index = {}
        for e in corpus.collection("kpis"):
            if not e.ns["kpi"].relisted:
                by_key = index.setdefault(corpus.revision_of(e.doc), {})
                by_key.setdefault(kpi_name_key(e.ns["kpi"].name), []).append(e)
        corpus.memo[("relisted", "pool")] = index
    return index.get(revision, {})


def find_original(kpi: ResolvedKpi, pool: dict[str, list[Entity]], own_document: str, min_score: float,
                  item: int | None = None) -> tuple[Entity, bool] | None:
    """The original (in another document) and whether its name key is the same.

    Among KPIs of the same name, the one the re-listing repeats exactly wins, then one of the same reform
    item, then one of the same tier: a roadmap may use one KPI name in several reform items, and the
    re-listing must be compared with the one it repeats, not with the first of that name.
    """
    key = kpi_name_key(kpi.name)
    same = [e for e in pool.get(key, ()) if e.doc.id != own_document]
    if same:
        def preference(pair: tuple[int, Entity]) -> tuple:
            i, e = pair
            other: ResolvedKpi = e.ns["kpi"]
            identical = not any(differences(kpi, other, True))
            return (not identical, e.ns["reform_item"].number != item, other.tier != kpi.tier, i)

        return min(enumerate(same), key=preference)[1], True
    # No KPI of that name: the most similar name (scored once per distinct name, in C); ties go to the
    # first in corpus order (document id, then position) so the result is deterministic.
    names = [k for k, v in pool.items() if any(e.doc.id != own_document for e in v)]
    scored = [(-score, e.doc.id, e.path, e)
              for name, score, _ in process.extract(key, names, scorer=fuzz.ratio, score_cutoff=min_score,
                                                    limit=None)
              for e in pool[name] if e.doc.id != own_document]
    if not scored:
        return None
    return min(scored, key=lambda t: t[:3])[3], False


def _target(t: Target | None) -> Any:
    return None if t is None else (t.kind, t.value, t.unit, t.change, t.direction)


def _target_text(t: Target | None) -> str:
    return "-" if t is None else t.text


def _deadline(d: Deadline | None) -> Any:
    if d is None:
        return None
    if d.is_set:
        return (d.fiscal_year, d.date)
    return normalize_for_match(d.text or "")


def _deadline_text(d: Deadline | None) -> str:
    return "-" if d is None else (d.text or str(d.fiscal_year or d.date))


def differences(relisted: ResolvedKpi, original: ResolvedKpi, same_name: bool) -> Iterator[tuple[str, str]]:
    """(aspect, description) for each way the re-listing differs from the original."""
    if not same_name:
        yield "name", f"name: 「{relisted.name}」 ≠ 「{original.name}」"
    if relisted.tier != original.tier:
        yield "tier", f"tier: {relisted.tier} ≠ {original.tier}"
    if _target(relisted.target) != _target(original.target):
        yield "target", f"target: 「{_target_text(relisted.target)}」 ≠ 「{_target_text(original.target)}」"
    if _deadline(relisted.deadline) != _deadline(original.deadline):
        yield "deadline", f"deadline: 「{_deadline_text(relisted.deadline)}」 ≠ 「{_deadline_text(original.deadline)}」"


@register
class Relisted(Check):
    name = "relisted"
    scope = "revision"
    Options = RelistedOptions
    provides = {"original": str, "original_document": str, "difference": str}
    collections = ("kpis",)

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            kpi: ResolvedKpi = e.ns["kpi"]
            if not kpi.relisted:
                continue
            found = find_original(kpi, candidates(ctx.corpus, e), e.doc.id, self.options.min_score,
                                  e.ns["reform_item"].number)
            if found is None:
                continue
            original, same_name = found
            orig_kpi: ResolvedKpi = original.ns["kpi"]
            related = (RelatedHit(original, ("text",), note=f"original KPI in {original.doc.id}",
                                  note_ja=f"{original.doc.id} の元のKPI"),)
            for aspect, difference in differences(kpi, orig_kpi, same_name):
                yield Hit(e, ("text",), {"original": orig_kpi.name, "original_document": original.doc.id,
                                         "difference": difference}, key=f"relisted:{aspect}", related=related)

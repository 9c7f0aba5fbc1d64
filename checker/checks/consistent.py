"""`consistent`: facts extracted from text by pattern must agree across documents.

A fact is a number found by an RE2 pattern with a named group ``value`` (and optionally ``unit`` or
``subject``, which form its key), e.g. 全国で54グループ → (グループ, 54). Facts are compared within a
reform item (the same area and number). With ``compare: within_revision`` every document of one edition (a roadmap and the
reviews that report on it) must agree: the value most places state is taken as right, and each
place that states another is reported against it. With ``compare: between_revisions`` a value that changed from one edition to the next is
reported once, at its first place in the newer edition, naming the older place and value.

Passing (within_revision): 全国で56グループ in the roadmap and 全国で56グループ in its progress report.
Failing (between_revisions): 全国で54グループ in the 2015 roadmap, 全国で56グループ in the 2016 one.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, RelatedHit, register
from checker.domain.corpus import Entity
from checker.domain.normalize import nfkc
from checker.rules.regex import compile_pattern, finditer_many


class ConsistentOptions(Options):
    pattern: str = Field(description="RE2 searched for every fact in each text (all matches); a group `value` "
                                     "holds the number, groups `unit`/`subject` form the fact's key.")
    compare: Literal["within_revision", "between_revisions"] = Field(
        description="within_revision: documents of one edition must agree; between_revisions: a value that "
                    "changed from one edition to the next is reported.")


@dataclass(frozen=True)
class Fact:
    """Template values: {fact.value}, {fact.key}, {fact.text} (the matched words)."""

    key: str
    """What is counted: the `unit`/`subject` groups, e.g. グループ."""
    value: str
    """The number found (the `value` group)."""
    text: str
    """The matched words, e.g. 全国で54グループ."""


@dataclass(frozen=True)
class OtherFact:
    """The fact compared against: {other.value}, {other.text}, {other.document}, {other.revision}."""

    value: str
    """The value stated there."""
    text: str
    """The matched words there."""
    document: str
    """Id of the document that states it."""
    revision: str
    """Edition of that document."""


FactAt = tuple[Entity, Fact, int | None]
"""A fact, where it was found, and the edition (revision) of its document."""


def _by_revision(facts: list[FactAt]) -> dict[int, list[FactAt]]:
    """Facts per edition, each list in reference order: roadmaps first, then by document id and position.

    By id, not file name: renaming a file must not move a finding to another document."""
    out: dict[int, list[FactAt]] = {}
    for f in facts:
        if f[2] is not None:
            out.setdefault(f[2], []).append(f)
    for rev in out:
        out[rev].sort(key=lambda f: (f[0].doc.kind != "roadmap", f[0].doc.id, f[0].path))
    return out


def _value(raw: str) -> str:
    digits = nfkc(raw).replace(",", "").strip()
    return digits.lstrip("0") or "0" if digits.isdigit() else digits


def _fact(m: Any) -> Fact:
    groups = m.groupdict()
    key = "/".join(nfkc(groups[g]) for g in ("subject", "unit") if groups.get(g)) or "value"
    return Fact(key, _value(groups["value"]), m.group(0))


@register
class Consistent(Check):
    name = "consistent"
    scope = "area"
    Options = ConsistentOptions
    provides = {"fact": Fact, "other": OtherFact}
    collections = ("texts",)

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        self.regex = compile_pattern(self.options.pattern)
        if "value" not in self.regex.groupindex:
            return ["the pattern needs a named group (?P<value>…)"]
        return []

    def _facts(self, entities: list[Entity], ctx: Context) -> list[FactAt]:
        # Few texts state a count, and many repeat (editions, quotes): match each distinct text once.
        texts = [e.root.value for e in entities]
        facts = self._facts_of(texts, ctx)
        out = []
        for e, text in zip(entities, texts, strict=True):
            found = facts.get(text)
            if found:
                rev = ctx.corpus.revision_of(e.doc)
                out.extend((e, fact, rev) for fact in found)
        return out

    def _facts_of(self, texts: list[str], ctx: Context) -> dict[str, tuple[Fact, ...]]:
        """Text → its facts, for these texts at least; kept in the corpus's text memo by pattern, since
        the rules within and between editions read the same texts with the same pattern."""
        memo: dict[str, tuple[Fact, ...]] = ctx.corpus.text_memo.setdefault(("consistent", self.options.pattern), {})
        missing = [t for t in dict.fromkeys(texts) if t not in memo]
        if missing:
            found = finditer_many(self.regex, missing)
            for text in missing:
                memo[text] = tuple(_fact(m) for m in found.get(text, ()))
        return memo

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        # A reform item is identified by its area and number (numbers restart in every area).
        groups: dict[tuple[str, int, str], list[FactAt]] = {}
        for e, fact, rev in self._facts(entities, ctx):
            where = (ctx.corpus.area_of(e.doc) or "", e.root.item if e.root.item is not None else -1, fact.key)
            groups.setdefault(where, []).append((e, fact, rev))
        for key in sorted(groups):
            facts = groups[key]
            if self.options.compare == "within_revision":
                yield from self._within(facts)
            else:
                yield from self._between(facts)

    def _within(self, facts: list[FactAt]) -> Iterable[Hit]:
        by_rev = _by_revision(facts)
        for rev in sorted(by_rev):
            ordered = by_rev[rev]
            # The value most places state is taken as right (ties: the first roadmap place's value), so
            # one wrong count is reported once, where it is, rather than at every place that is right.
            votes = Counter(f.value for _, f, _ in ordered)
            first_rank = {}
            for rank, (_, f, _) in enumerate(ordered):
                first_rank.setdefault(f.value, rank)
            majority = min(votes, key=lambda v: (-votes[v], first_rank[v]))
            ref_e, ref, _ = ordered[first_rank[majority]]
            for e, fact, _ in ordered:
                if fact.value != majority:
                    other = OtherFact(ref.value, ref.text, ref_e.doc.id, str(rev))
                    yield Hit(e, (), {"fact": fact, "other": other},
                              key=f"{fact.key}:{fact.value}",
                              related=(RelatedHit(ref_e, (), f"{ref.text} in {ref_e.doc.id}",
                                                  f"{ref_e.doc.id} では {ref.text}"),))

    def _between(self, facts: list[FactAt]) -> Iterable[Hit]:
        by_rev = _by_revision(facts)
        for older, newer in itertools.pairwise(sorted(by_rev)):
            old, new = by_rev[older], by_rev[newer]
            old_values = {f.value for _, f, _ in old}
            reported: set[str] = set()
            for e, fact, _ in new:
                if fact.value in old_values or fact.value in reported:
                    continue
                reported.add(fact.value)
                ref_e, ref, _ = old[0]
                other = OtherFact(ref.value, ref.text, ref_e.doc.id, str(older))
                yield Hit(e, (), {"fact": fact, "other": other}, key=f"{fact.key}:{older}->{newer}",
                          related=(RelatedHit(ref_e, (), f"{ref.text} in revision {older} ({ref_e.doc.id})",
                                              f"{older}年版 ({ref_e.doc.id}) では {ref.text}"),))

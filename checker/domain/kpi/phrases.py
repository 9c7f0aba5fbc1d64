"""The KPI phrase vocabulary (rules/vocabularies/kpi_phrases.yaml): its model, loader and compiled patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.domain.normalize import nfkc
from checker.source.inputs import InputError
from checker.source.schema_errors import describe_validation_error
from checker.source.shipped import shipped_vocabulary
from checker.source.yaml_tree import compose_side_file

Words = list[str]


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at_least: Words = Field(default_factory=list, description="≥ (以上).")
    at_most: Words = Field(default_factory=list, description="≤ (以下).")
    above: Words = Field(default_factory=list, description="> (超).")
    below: Words = Field(default_factory=list, description="< (未満).")


class KpiPhrases(BaseModel):
    """Every phrase list the KPI parser reads; see the comments in kpi_phrases.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target_labels: Words = Field(default_factory=list)
    increase: Words = Field(default_factory=list)
    decrease: Words = Field(default_factory=list)
    bound_only: Words = Field(default_factory=list)
    all_of: Words = Field(default_factory=list)
    multiples: dict[str, float] = Field(default_factory=dict)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    approximate: Words = Field(default_factory=list)
    compare: Words = Field(default_factory=list)
    arrows: Words = Field(default_factory=list)
    recurring: Words = Field(default_factory=list)
    cumulative: Words = Field(default_factory=list)
    maintain: Words = Field(default_factory=list)
    to_be_set: Words = Field(default_factory=list)
    no_target: Words = Field(default_factory=list)
    units: Words = Field(default_factory=list)


class PhraseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi_phrases: KpiPhrases


_NEVER = "(?!)"  # an alternation of no words matches nothing


def alternation(words: Words) -> str:
    """A regex alternation of `words` (NFKC), longest first so that 増加 wins over 増."""
    forms = sorted({nfkc(w) for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(map(re.escape, forms)) + ")" if forms else _NEVER


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on the compiled vocabulary
class Phrases:
    """Compiled patterns over a KpiPhrases; built once per vocabulary."""

    spec: KpiPhrases

    def alt(self, name: str) -> str:
        return alternation(getattr(self.spec, name))

    @cached_property
    def bounds(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        t = self.spec.thresholds
        return tuple((name, re.compile(alternation(getattr(t, name))))
                     for name in ("at_least", "at_most", "above", "below"))

    @cached_property
    def bound_words(self) -> str:
        t = self.spec.thresholds
        return alternation(t.at_least + t.at_most + t.above + t.below)

    @cached_property
    def direction_words(self) -> str:
        """Increase and decrease words, short ones (増, 減) included: valid right after a number."""
        return alternation(self.spec.increase + self.spec.decrease)

    @cached_property
    def long_direction(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Direction words that count anywhere in a clause (not the short 増, 減)."""
        short = set(self.spec.bound_only)
        return ((re.compile(alternation([w for w in self.spec.decrease if w not in short])), "decrease"),
                (re.compile(alternation([w for w in self.spec.increase if w not in short])), "increase"))

    @cached_property
    def _decrease(self) -> frozenset[str]:
        return frozenset(nfkc(w) for w in self.spec.decrease)

    def is_decrease(self, word: str) -> bool:
        return nfkc(word) in self._decrease

    @cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        names = ("approximate", "compare", "arrows", "recurring", "cumulative", "maintain", "to_be_set",
                 "no_target", "units")
        out = {n: re.compile(self.alt(n)) for n in names}
        # 全都道府県, 全ての市町村: "all of" a population, at the start of what is left of a segment.
        out["all_of"] = re.compile(rf"^(?:{self.alt('all_of')})(?=[゠-ヿ一-鿿])")
        # 前年度比増: a short direction word right after a comparison word.
        out["compared_direction"] = re.compile(rf"(?:{self.alt('compare')})(?P<w>{self.alt('bound_only')})")
        return out

    def search(self, name: str, s: str) -> re.Match[str] | None:
        return self.patterns[name].search(s)


def load_phrases(path: Path) -> KpiPhrases | list[InputError]:
    """Read and validate a phrase vocabulary; errors carry file:line like every rule file's."""
    file = path.as_posix()
    composed = compose_side_file(path, "vocabulary")
    if isinstance(composed, list):
        return composed
    data, builder = composed
    return phrases_from_data(data, file, builder)


def phrases_from_data(data: object, file: str, builder) -> KpiPhrases | list[InputError]:
    try:
        return PhraseFile.model_validate(data).kpi_phrases
    except ValidationError as exc:
        return [InputError(file, line, col, msg, "rule") for (line, col), msg in
                describe_validation_error(exc, PhraseFile, builder.spans, builder.key_spans)]


@lru_cache(maxsize=1)
def default_phrases() -> Phrases:
    """The shipped vocabulary. A broken file parses nothing here; the ruleset loader reports its errors."""
    found = load_phrases(shipped_vocabulary("kpi_phrases"))
    return Phrases(found if isinstance(found, KpiPhrases) else KpiPhrases())

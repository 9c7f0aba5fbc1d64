"""Organisation vocabularies: canonical names, short forms, units and parents, with fuzzy suggestions.

    organizations:
      - name: 総務省
        units: [地域力創造グループ, 自治財政局]       # 総務省地域力創造グループ and bare 自治財政局 are known
      - name: 内閣官房 情報通信技術(IT)総合戦略室
        aliases: [IT室, IT総合戦略室]
        parent: 内閣官房
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rapidfuzz import fuzz, process

from checker.domain.kpi.phrases import Phrases, phrases_from_data
from checker.domain.normalize import normalize_for_match
from checker.source.inputs import InputError
from checker.source.schema_errors import describe_validation_error
from checker.source.yaml_tree import compose_side_file


class OrgSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Canonical name.")
    aliases: list[str] = Field(default_factory=list, description="Short or older forms (IT室).")
    units: list[str] = Field(default_factory=list, description="Sub-units written after the name or alone.")
    parent: str | None = Field(default=None, description="The ministry this body belongs to.")


class StatusSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Canonical status word, e.g. 概ね順調.")
    aliases: list[str] = Field(default_factory=list, description="Other ways of writing it (おおむね順調).")


class VocabularyFile(BaseModel):
    """A vocabulary file holds organisations (names of bodies) or statuses (progress status words), or both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organizations: list[OrgSpec] = Field(default_factory=list)
    statuses: list[StatusSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> VocabularyFile:
        if not self.organizations and not self.statuses:
            raise ValueError("a vocabulary needs `organizations:` or `statuses:` (a list of entries)")
        return self


def _key(name: str) -> str:
    # Spaces inside names come and go between documents (内閣官房 情報通信技術…), so they never count.
    return "".join(normalize_for_match(name).split())


@dataclass
class Vocabulary:
    """Lookup from any known form of a name to its canonical organisation."""

    forms: dict[str, str] = field(default_factory=dict)
    """Normalised form → canonical name."""
    parents: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    """Normalised form → the form as written in the vocabulary (for suggestions)."""
    statuses: dict[str, str] = field(default_factory=dict)
    """Normalised status word → its canonical form (順調, 概ね順調, 遅れ, …)."""

    def status(self, word: str) -> str | None:
        """The canonical status a word names, or None when it is no known status."""
        return self.statuses.get(_key(word))

    @classmethod
    def from_specs(cls, specs: list[OrgSpec]) -> Vocabulary:
        v = cls()
        for org in specs:
            names = [org.name, *org.aliases]
            for n in names:
                v._add(n, org.name)
                for unit in org.units:
                    v._add(n + unit, org.name)
            for unit in org.units:
                v._add(unit, org.name)
            if org.parent:
                v.parents[org.name] = org.parent
        return v

    def _add(self, form: str, canonical: str) -> None:
        k = _key(form)
        self.forms.setdefault(k, canonical)
        self.display.setdefault(k, form)

    def canonical(self, name: str) -> str | None:
        return self.forms.get(_key(name))

    def ministry(self, name: str) -> str | None:
        """The top of the parent chain: IT室 → 内閣官房, 総務省地域力創造グループ → 総務省."""
        current = self.canonical(name)
        seen = set()
        while current is not None and current in self.parents and current not in seen:
            seen.add(current)
            current = self.parents[current]
        return current

    def suggest(self, name: str) -> tuple[str, float] | None:
        """The closest known form and its similarity (0–100)."""
        found = process.extractOne(_key(name), list(self.display), scorer=fuzz.ratio)
        if not found:
            return None
        return self.display[found[0]], float(found[1])


def load_vocabulary(path: Path) -> Vocabulary | Phrases | list[InputError]:
    """Load a vocabulary file: organisations, or (with a top-level kpi_phrases) the KPI phrase lists."""
    file = path.as_posix()
    composed = compose_side_file(path, "vocabulary")
    if isinstance(composed, list):
        return composed
    data, builder = composed
    if isinstance(data, dict) and "kpi_phrases" in data:  # the KPI parser's phrases, not organisations
        found = phrases_from_data(data, file, builder)
        return found if isinstance(found, list) else Phrases(found)
    try:
        parsed = VocabularyFile.model_validate(data)
    except ValidationError as exc:
        return [InputError(file, line, col, msg, "rule") for (line, col), msg in
                describe_validation_error(exc, VocabularyFile, builder.spans, builder.key_spans)]
    vocabulary = Vocabulary.from_specs(parsed.organizations)
    for spec in parsed.statuses:
        for form in (spec.name, *spec.aliases):
            vocabulary.statuses.setdefault(_key(form), spec.name)
    return vocabulary

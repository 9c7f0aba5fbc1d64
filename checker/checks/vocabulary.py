"""`vocabulary`: organisation names must be known to a vocabulary (rules/vocabularies/NAME.yaml).

Options: ``field`` (a text or a list of texts), ``vocabulary`` (the file's stem, e.g. organizations),
``split`` (cut each text at 、 and ・ unless the whole text is a known name), ``extract`` (an RE2
pattern whose group ``name`` pulls actor names out of prose), ``ignore`` (generic words that are
not names, e.g. 政府) and ``suggest_min_score`` (0–100; a weaker suggestion is not shown).

Each unknown name is one hit with ``{name}``, ``{suggestion}`` (a known form, or none) and ``{score}``.

Passing (field: responsible, split: true)::  responsible: [総務省地域力創造グループ・自治財政局]
Failing::  responsible: [総務庁]   (suggestion: 総務省)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field, field_validator
from rapidfuzz import fuzz

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.domain.normalize import normalize_for_match
from checker.domain.vocabulary import Vocabulary
from checker.rules.fields import field_path, getter
from checker.rules.regex import compile_pattern, finditer_many
from checker.source.messages import did_you_mean

# 、 and ・ separate names in a list (総務省地域力創造グループ・自治財政局); commas come from other sources.
_SEPARATORS = re.compile(r"[、・,，､･]")


class VocabularyOptions(Options):
    field: str = Field(description="Field path of a text or a list of texts holding names.")
    vocabulary: str = Field(min_length=1, description="Stem of a file in rules/vocabularies/.")
    split: bool = Field(default=False, description="Split texts at 、 and ・ into names.")
    extract: str | None = Field(default=None, description="RE2 pattern with a group `name` for names in prose.")
    ignore: list[str] = Field(default_factory=list, description="Words the pattern may catch that are no names.")
    suggest_min_score: float = Field(default=40.0, ge=0, le=100,
                                     description="Lowest similarity at which a suggestion is shown.")

    @field_validator("extract")
    @classmethod
    def _has_name_group(cls, value: str | None) -> str | None:
        if value is not None and "name" not in compile_pattern(value).groupindex:
            raise ValueError(f"extract pattern {value!r} has no named group 'name' (write (?P<name>…))")
        return value


def _key(name: str) -> str:
    return "".join(normalize_for_match(name).split())


def suggest(vocabulary: Vocabulary, name: str) -> tuple[str, float] | None:
    """The closest known form, preferring forms of the same kind (the same last character: 省, 庁, 室…).

    The kind of body is rarely what a typo changes, and plain similarity alone ties often on short
    names (庁室 is as close to 金融庁 as to IT室), so a form that ends like the name wins a tie or a
    near tie: it gets a bonus of 10 points for ranking (not for the score that is reported).
    """
    key = _key(name)
    if not key:
        return None
    best: tuple[float, float, str] | None = None
    for form, display in vocabulary.display.items():
        score = fuzz.ratio(key, form)
        rank = score + (10.0 if form[-1:] == key[-1:] else 0.0)
        if best is None or rank > best[0]:
            best = (rank, score, display)
    return (best[2], best[1]) if best else None


@register
class VocabularyCheck(Check):
    name = "vocabulary"
    scope = "document"
    Options = VocabularyOptions
    provides = {"name": str, "suggestion": str, "score": float}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        self.path, problems = self.field_option(self.options.field, types_by_root)
        self.extract = compile_pattern(self.options.extract) if self.options.extract else None
        self.ignore = {_key(w) for w in self.options.ignore}
        return problems

    def bind_vocabularies(self, vocabularies: dict[str, Vocabulary]) -> list[str]:
        """Called by the ruleset after `validate`: the named vocabulary must exist."""
        found = vocabularies.get(self.options.vocabulary)
        self.vocabulary = found if isinstance(found, Vocabulary) else None
        if self.vocabulary is None:
            known = ", ".join(sorted(k for k, v in vocabularies.items() if isinstance(v, Vocabulary))) or "none"
            meant = did_you_mean(self.options.vocabulary, [k for k, v in vocabularies.items() if isinstance(v, Vocabulary)])
            return [f"unknown vocabulary {self.options.vocabulary!r} ("
                    + (f"did you mean {meant!r}?; " if meant else "") + f"rules/vocabularies/ has: {known})"]
        return []

    def _extend_left(self, prose: str, start: int, name: str) -> str:
        """A known name the pattern caught only the end of: 家庭庁 in こども家庭庁, whose kana a pattern cannot
        tell from prose. The longest known form that ends with the name and whose rest precedes it wins."""
        key = _key(name)
        if self.vocabulary.canonical(name) is not None or not key:
            return name
        before = _key(prose[:start])
        longer = [form for form in self.vocabulary.forms
                  if len(form) > len(key) and form.endswith(key) and before.endswith(form[: -len(key)])]
        return max(longer, key=len) if longer else name

    def names(self, text: str) -> Iterator[str]:
        """The names a text holds: extracted from prose, or the text itself, split when it is a list."""
        if self.extract is not None:
            prose = normalize_for_match(text)
            group = self.extract.groupindex["name"]  # re2's Match.start takes group numbers only
            candidates = [self._extend_left(prose, m.start(group), m.group(group))
                          for m in self.extract.finditer(prose)]
        else:
            candidates = [text]
        for c in candidates:
            c = c.strip()
            if self.options.split and self.vocabulary.canonical(c) is None:
                yield from (p.strip() for p in _SEPARATORS.split(c) if p.strip())
            elif c:
                yield c

    def _unknown_names(self, texts: set[str]) -> dict[str, list[tuple[str, str]]]:
        """Text → (name, key) of each name it holds that is neither known nor ignored, in order; texts
        without one are absent. Worked out once per distinct text: lists of ministries repeat a lot."""
        if self.extract is not None:
            # Most prose names no actor: find the few texts that do in one scan (regex.finditer_many).
            normal = {t: normalize_for_match(t) for t in texts}
            found = finditer_many(self.extract, normal.values())
            texts = {t for t in texts if normal[t] in found}
        out = {}
        for text in texts:
            names = [(name, key) for name in self.names(text)
                     if (key := _key(name)) not in self.ignore and self.vocabulary.canonical(name) is None]
            if names:
                out[text] = names
        return out

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        get = getter(self.path)
        values = [get(e.ns) for e in entities]
        unknown = self._unknown_names({t for v in values for t in _texts(v)})
        suggestions: dict[str, tuple[str, float] | None] = {}
        base = field_path(self.path)
        for e, value in zip(entities, values, strict=True):
            # Only the texts that name someone unknown matter: most entities have none.
            if isinstance(value, str):
                texts = [(base, value)] if value in unknown else []
            else:
                texts = [((*base, i), v) for i, v in enumerate(value or ()) if isinstance(v, str) and v in unknown]
            seen: set[str] = set()
            for where, text in texts:
                for name, key in unknown.get(text, ()):
                    if key in seen:
                        continue
                    seen.add(key)
                    if name not in suggestions:
                        suggestions[name] = suggest(self.vocabulary, name)
                    found = suggestions[name]
                    suggestion, score = found if found else (None, 0.0)
                    if score < self.options.suggest_min_score:
                        suggestion = None
                    yield Hit(e, where, {"name": name, "suggestion": suggestion, "score": round(score)},
                              key=f"{self.path}:{key}")


def _texts(value: Any) -> list[str]:
    """The texts of a field that is a text or a list of texts."""
    if isinstance(value, str):
        return [value]
    return [v for v in value or () if isinstance(v, str)]

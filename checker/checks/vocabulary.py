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
from checker.checks.required import field_path, rooted
from checker.corpus import Entity
from checker.fields import check_path, resolve
from checker.normalize import normalize_for_match
from checker.regex import compile_pattern
from checker.vocabulary import Vocabulary

# 、 and ・ separate names in a list (総務省地域力創造グループ・自治財政局); commas come from other sources.
_SEPARATORS = re.compile(r"[、・,，､･]")


class VocabularyOptions(Options):
    field: str
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
        self.path = rooted(self.collection, self.options.field, types_by_root)
        self.extract = compile_pattern(self.options.extract) if self.options.extract else None
        self.ignore = {_key(w) for w in self.options.ignore}
        why = check_path(types_by_root, self.path)
        return [why] if why else []

    def bind_vocabularies(self, vocabularies: dict[str, Vocabulary]) -> list[str]:
        """Called by the ruleset after `validate`: the named vocabulary must exist."""
        self.vocabulary = vocabularies.get(self.options.vocabulary)
        if self.vocabulary is None:
            known = ", ".join(sorted(vocabularies)) or "none"
            return [f"unknown vocabulary {self.options.vocabulary!r} (rules/vocabularies/ has: {known})"]
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

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            value = resolve(e.ns, self.path)
            texts = [(field_path(self.path), value)] if isinstance(value, str) else [
                ((*field_path(self.path), i), v) for i, v in enumerate(value or ()) if isinstance(v, str)]
            seen: set[str] = set()
            for where, text in texts:
                for name in self.names(text):
                    key = _key(name)
                    if key in seen or key in self.ignore or self.vocabulary.canonical(name) is not None:
                        continue
                    seen.add(key)
                    found = suggest(self.vocabulary, name)
                    suggestion, score = found if found else (None, 0.0)
                    if score < self.options.suggest_min_score:
                        suggestion = None
                    yield Hit(e, where, {"name": name, "suggestion": suggestion, "score": round(score)},
                              key=f"{self.path}:{key}")

"""What every check kind shares: the registry, the Hit a check returns, and the context it runs in.

A check kind is one small class: `Options` (a pydantic model that validates the rule's `with:` once,
when the rules load), `__init__` compiles them, and `run` turns the selected entities into hits. The
engine, not the check, turns hits into findings with locations, severities and messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from checker.domain.corpus import Corpus, Entity
from checker.rules.fields import check_path, rooted
from checker.source.spans import PathKey


class Options(BaseModel):
    """Base of every check's options: unknown options are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class RelatedHit:
    """Another place a hit concerns, with a short note in both languages."""

    entity: Entity
    field: PathKey = ()
    note: str = ""
    note_ja: str = ""


@dataclass(frozen=True)
class Hit:
    """A check's raw result: which entity (and which field in it), extra template values, related places."""

    entity: Entity
    field: PathKey = ()
    vars: dict[str, Any] = dataclasses.field(default_factory=dict)
    key: str = ""
    """Appended to the entity key for the fingerprint when one entity can yield several hits."""
    related: tuple[RelatedHit, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a run knows besides the entities: the whole corpus, the as-of date, vocabularies."""

    corpus: Corpus
    as_of: dt.date
    vocabularies: dict[str, Any] = dataclasses.field(default_factory=dict)


class Check:
    """Base class of check kinds. Subclasses set `name`, `Options`, optionally `provides`, and `run`."""

    name: ClassVar[str]
    Options: ClassVar[type[Options]] = Options
    provides: ClassVar[dict[str, Any]] = {}
    """Extra template roots the check's hits carry (name → type), e.g. {"match": MatchInfo}."""
    collections: ClassVar[tuple[str, ...] | None] = None
    """Collections the check can run on; None for any."""
    scope: ClassVar[str] = "corpus"
    """Which documents a hit can depend on, so that results can be cached per group of documents
    (checker.accel.incremental): document (its own), roadmap (a roadmap and the reviews that report on it),
    revision (every document of one edition), area (every document of one policy area), corpus (all).
    What a check reads by id (target_of, area_of, revision_of, by_id) is in its group whatever the scope,
    and a lookup that would resolve otherwise in the whole corpus makes the scope run over it
    (checker.accel.groups); tests/test_exact_stateful.py compares grouped and whole runs of every check."""

    def __init__(self, options: Options, collection: str):
        self.options = options
        self.collection = collection

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        """Problems found once options are known together with the selected collection's types."""
        return []

    def field_option(self, dotted: str, types_by_root: dict[str, Any]) -> tuple[str, list[str]]:
        """A field an option names, rooted at the selected collection (`deadline` → `kpi.deadline`),
        and what is wrong with it (an unknown name, with the valid ones): what `validate` checks."""
        path = rooted(self.collection, dotted, types_by_root)
        why = check_path(types_by_root, path)
        return path, [why] if why else []

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        raise NotImplementedError


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    REGISTRY[cls.name] = cls
    return cls


def is_missing(value: Any) -> bool:
    """The one definition of 'missing': None, blank text, an empty list, or a Deadline that is not set."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or value.strip() in {"-", "－", "―", "ー"}
    if isinstance(value, list | tuple | dict | set):
        return len(value) == 0
    is_set = getattr(value, "is_set", None)
    return is_set is False

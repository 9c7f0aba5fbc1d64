"""`status_text`: the status a statement's text ends with, (順調), (概ね順調), (遅れ) …, agrees with its field.

Options: ``text`` and ``status`` (dotted fields, default statement.text and statement.status) and
``vocabulary`` (the stem of a file in rules/vocabularies/ holding `statuses:`). A bracketed word at the
end of the text that the vocabulary knows is the written status; a hit when the field names another
status, or is empty. Brackets that hold no status word ((第二階層), (再掲)) are not statuses.

Passing: "…実施した。(順調)" with status 順調. Failing: "…遅れている。(遅れ)" with status 順調.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.domain.vocabulary import Vocabulary
from checker.rules.fields import check_path, getter

# The last bracketed phrase of a text, half- or full-width brackets, a full stop or spaces after it.
_TRAILING = re.compile(r"[(（]\s*([^()（）]{1,20}?)\s*[)）]\s*[。.．]?\s*$")


class StatusTextOptions(Options):
    text: str = Field("statement.text", description="The text whose trailing (…) gives the status.")
    status: str = Field("statement.status", description="The field that states the status.")
    vocabulary: str = Field("statuses", min_length=1, description="Stem of a file in rules/vocabularies/.")


@dataclass(frozen=True)
class StatusInfo:
    """Template values: {status_text.written} (as the text has it), {status_text.field} (the field, or -)."""

    written: str
    """The status words as the text ends with them, without brackets."""
    field: str
    """The status field, or - when empty."""


def written_status(text: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """(the words as written, their canonical status) of a known status at the end of `text`."""
    m = _TRAILING.search(text)
    if m is None:
        return None
    canonical = vocabulary.status(m.group(1))
    return (m.group(1), canonical) if canonical is not None else None


@register
class StatusText(Check):
    name = "status_text"
    scope = "document"
    Options = StatusTextOptions
    provides = {"status_text": StatusInfo}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        return [f"{name} {path!r}: {why}" for name, path in (("text", self.options.text),
                                                            ("status", self.options.status))
                if (why := check_path(types_by_root, path))]

    def bind_vocabularies(self, vocabularies: dict[str, Vocabulary]) -> list[str]:
        self.vocabulary = vocabularies.get(self.options.vocabulary)
        if self.vocabulary is None or not self.vocabulary.statuses:
            with_statuses = ", ".join(sorted(k for k, v in vocabularies.items() if v.statuses)) or "none"
            return [f"vocabulary {self.options.vocabulary!r} has no statuses (vocabularies with statuses: "
                    f"{with_statuses})"]
        return []

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        get_text, get_status = getter(self.options.text), getter(self.options.status)
        leaf = tuple(self.options.status.split(".")[1:])
        for e in entities:
            text = get_text(e.ns)
            found = written_status(text, self.vocabulary) if isinstance(text, str) else None
            if found is None:
                continue
            field = get_status(e.ns)
            if isinstance(field, str) and self.vocabulary.status(field) == found[1]:
                continue
            yield Hit(e, leaf, {"status_text": StatusInfo(found[0], field if isinstance(field, str) and field
                                                          else "-")})

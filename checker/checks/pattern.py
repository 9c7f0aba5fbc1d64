"""`pattern`: a text field must (or must not) match an RE2 regular expression.

Options: ``field``; ``must_match`` or ``must_not_match`` (exactly one). Named groups of a
``must_not_match`` hit are available to messages as ``{match.NAME}``, the whole match as ``{match.text}``.

Passing (field: text, must_not_match: "\\?\\?")::  text: 調査・研究を実施
Failing::  text: 調査・研究を実施??
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field, model_validator

from checker.checks.base import Check, Context, Hit, Options, register
from checker.domain.corpus import Entity
from checker.rules.fields import field_path, resolve
from checker.rules.regex import compile_pattern


class PatternOptions(Options):
    field: str = Field(description="Field path of the text to test; a value that is not a text is skipped.")
    must_match: str | None = Field(default=None, description="RE2 searched in the text (anywhere; anchor with "
                                   "^…$ for the whole text): a finding when it is not found.")
    must_not_match: str | None = Field(default=None, description="RE2 searched in the text: a finding when it is "
                                       "found; its named groups become {match.NAME}.")

    @model_validator(mode="after")
    def _one(self) -> PatternOptions:
        if (self.must_match is None) == (self.must_not_match is None):
            raise ValueError("give exactly one of must_match and must_not_match")
        compile_pattern(self.must_match or self.must_not_match or "")
        return self


@register
class Pattern(Check):
    name = "pattern"
    scope = "document"
    Options = PatternOptions
    provides = {"match": dict}

    def validate(self, types_by_root: dict[str, Any]) -> list[str]:
        self.path, problems = self.field_option(self.options.field, types_by_root)
        self.regex = compile_pattern(self.options.must_match or self.options.must_not_match or "")
        return problems

    def run(self, entities: list[Entity], ctx: Context) -> Iterable[Hit]:
        for e in entities:
            value = resolve(e.ns, self.path)
            if not isinstance(value, str):
                continue
            m = self.regex.search(value)
            if self.options.must_match is not None and m is None:
                yield Hit(e, field_path(self.path), {"match": {"text": ""}}, key=self.path)
            elif self.options.must_not_match is not None and m is not None:
                vars_ = {"match": {"text": m.group(0), **{k: v for k, v in m.groupdict().items() if v}}}
                yield Hit(e, field_path(self.path), vars_, key=f"{self.path}:{m.group(0)}")

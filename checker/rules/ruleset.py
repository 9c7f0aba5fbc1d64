"""Rule files (rules/*.yaml) → validated, compiled rules; every problem points at the rule file's line.

A broken ruleset is never half-used: `load_ruleset` returns either rules or errors, and the CLI exits 2
on errors before linting anything.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml.error import YAMLError

import checker.checks  # noqa: F401  (registers every check kind)
from checker.checks.base import REGISTRY, Check
from checker.domain.corpus import COLLECTIONS
from checker.domain.findings import Severity
from checker.domain.kpi.phrases import Phrases
from checker.domain.lang import in_lang
from checker.domain.vocabulary import Vocabulary, load_vocabulary
from checker.rules.filters import Predicate, compile_where
from checker.rules.regex import RegexError
from checker.rules.rule_files import DEFAULT_RULES_DIR, rule_files, vocabulary_files
from checker.rules.templates import validate_template
from checker.source.encoding import DecodeFailure, decode_bytes
from checker.source.inputs import DEFAULT_LIMITS, InputError
from checker.source.messages import did_you_mean
from checker.source.schema_errors import describe_validation_error
from checker.source.spans import Span
from checker.source.yaml_tree import BuildError, compose_text, error_from_build, error_from_yaml

RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LangText(_Strict):
    """A text in Japanese and English; both are required."""

    ja: str = Field(min_length=1, description="The Japanese text.")
    en: str = Field(min_length=1, description="The English text.")

    def in_lang(self, lang: str) -> str:
        return in_lang(lang, self.en, self.ja)


class Examples(_Strict):
    """Data that must make the rule fire (`fail`) and data on which it must stay silent (`pass`)."""

    fail: list[dict[str, Any]] = Field(min_length=1, description="Examples that must make the rule report.")
    pass_: list[dict[str, Any]] = Field(alias="pass", min_length=1, description="Examples that must not.")


class RuleSpec(_Strict):
    """One rule as written in a rule file."""

    # Anchored: pydantic (like JSON Schema) searches a pattern, so without ^…$ "My Rule" would pass.
    id: str = Field(pattern=f"^{RULE_ID.pattern}$", description="Stable kebab-case id.")
    severity: Literal["error", "warning", "info"] = Field(description="Default severity of its findings.")
    title: LangText = Field(description="Short name of the problem (a template).")
    message: LangText = Field(description="What a finding says (a template with {placeholders}).")
    hint: LangText | None = Field(default=None, description="What to write instead (a template).")
    rationale: str = Field(min_length=1, description="Why the rule exists, for reviewers and the rule reference.")
    select: str = Field(description="The collection the rule checks (see Collections).")
    where: dict[str, Any] | None = Field(default=None, description="Filter on the selected entities: field → "
                                         "condition, all must hold.")
    check: str = Field(description="The check kind (see Check kinds).")
    with_: dict[str, Any] = Field(default_factory=dict, alias="with",
                                  description="The check kind's options, validated when the rules load.")
    examples: Examples = Field(description="Pass and fail examples, run by `roadmap-check rules test` and pytest.")
    tags: list[str] = Field(default_factory=list, description="Free labels, listed in the rule reference.")


class RuleFile(_Strict):
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its spec, its check instance, its filter and where it was written."""

    spec: RuleSpec
    check: Check
    where: Predicate | None
    file: str
    line: int

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> Severity:
        return Severity.parse(self.spec.severity)


@dataclass
class Ruleset:
    rules: list[Rule]
    vocabularies: dict[str, Vocabulary | Phrases] = field(default_factory=dict)
    """Organisation vocabularies by file stem, and the KPI phrases (kpi_phrases) the ruleset validated."""
    files: list[str] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# pydantic's "String should match pattern '^[a-z]…$'" says nothing to someone who is not a programmer.
_ID_PATTERN = re.compile(r"(rules\[\d+\]\.id): String should match pattern .* (\(got .*\))", re.S)
_ID_PLAIN = (r"\1: write the id in lowercase letters a-z, digits and '-' between words, starting with a letter "
             r"(e.g. kpi-unit-missing) \2")


def _meant(word: str, choices) -> str:
    """"did you mean 'x'?; " when a choice is close to the misspelt `word`, else nothing."""
    meant = did_you_mean(word, choices)
    return f"did you mean {meant!r}?; " if meant else ""


def _err(file: str, span: Span | None, message: str) -> InputError:
    line, column = (span.line, span.column) if span else (1, 1)
    return InputError(file, line, column, message, "rule")


def _compile_rule(spec: RuleSpec, file: str, spans: dict, base: tuple, vocabularies: dict[str, Vocabulary]
                  ) -> tuple[Rule | None, list[InputError]]:
    def at(*sub: Any) -> Span | None:
        path = (*base, *sub)
        while path and path not in spans:
            path = path[:-1]
        return spans.get(path)

    errors: list[InputError] = []
    if spec.select not in COLLECTIONS:
        errors.append(_err(file, at("select"), f"rule {spec.id}: unknown collection {spec.select!r} "
                           f"({_meant(spec.select, COLLECTIONS)}valid: {', '.join(COLLECTIONS)})"))
        return None, errors
    kind = REGISTRY.get(spec.check)
    if kind is None:
        errors.append(_err(file, at("check"), f"rule {spec.id}: unknown check kind {spec.check!r} "
                           f"({_meant(spec.check, REGISTRY)}valid: {', '.join(sorted(REGISTRY))})"))
        return None, errors
    if kind.collections is not None and spec.select not in kind.collections:
        errors.append(_err(file, at("select"), f"rule {spec.id}: check {spec.check!r} runs on "
                           f"{', '.join(kind.collections)}, not {spec.select!r}"))
        return None, errors
    try:
        options = kind.Options.model_validate(spec.with_)
    except ValidationError as exc:
        # Spans of the `with:` block, re-rooted, so that each message points at the offending option.
        prefix = (*base, "with")
        sub = {k[len(prefix):]: v for k, v in spans.items() if k[:len(prefix)] == prefix}
        sub.setdefault((), at("with"))
        for (line, column), msg in describe_validation_error(exc, kind.Options, sub, {}, root_name="with"):
            errors.append(InputError(file, line, column, f"rule {spec.id}: check {spec.check!r}: {msg} "
                                     f"(options: {', '.join(kind.Options.model_fields)})", "rule"))
        return None, errors
    except (RegexError, ValueError) as exc:
        errors.append(_err(file, at("with"), f"rule {spec.id}: {exc}"))
        return None, errors
    check = kind(options, spec.select)
    types_by_root = {**COLLECTIONS[spec.select].types, **kind.provides}
    try:
        problems = check.validate(types_by_root)
        if hasattr(check, "bind_vocabularies"):
            problems += check.bind_vocabularies(vocabularies)
    except (RegexError, ValueError) as exc:
        problems = [str(exc)]
    errors += [_err(file, at("with"), f"rule {spec.id}: {p}") for p in problems]
    where, where_problems = compile_where(spec.where, spec.select, COLLECTIONS[spec.select].types)
    errors += [_err(file, at("where"), f"rule {spec.id}: {p}") for p in where_problems]
    for part in ("message", "title", "hint"):
        texts = getattr(spec, part)
        if texts is None:
            continue
        for lang in ("ja", "en"):
            for p in validate_template(getattr(texts, lang), types_by_root):
                errors.append(_err(file, at(part, lang), f"rule {spec.id}: {part}.{lang}: {p}"))
    span = at()
    rule = Rule(spec, check, where, file, span.line if span else 1)
    return (None if errors else rule), errors


def load_rule_file(path: Path, vocabularies: dict[str, Vocabulary]) -> tuple[list[Rule], list[InputError]]:
    file = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [_err(file, None, f"cannot read rule file: {exc.strerror or exc}")]
    # The same decoding, limits and messages as data files (Shift_JIS, UTF-16, bad bytes, tags, bombs).
    if len(raw) > DEFAULT_LIMITS.max_bytes:
        return [], [_err(file, None, f"rule file is {len(raw):,} bytes, over the limit of "
                         f"{DEFAULT_LIMITS.max_bytes:,}")]
    text = decode_bytes(raw)
    if isinstance(text, DecodeFailure):
        return [], [InputError(file, text.line, text.column, text.message, "rule")]
    try:
        data, builder = compose_text(text, file, DEFAULT_LIMITS)
    except BuildError as exc:
        return [], [dataclasses.replace(error_from_build(file, exc), code="rule")]
    except YAMLError as exc:
        return [], [dataclasses.replace(error_from_yaml(file, exc, text), code="rule")]
    except Exception as exc:  # never a traceback for a bad rule file
        return [], [_err(file, None, f"cannot parse rule file: {type(exc).__name__}: {exc}")]
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        return [], [InputError(file, line, column, _ID_PATTERN.sub(_ID_PLAIN, msg), "rule") for (line, column), msg
                    in describe_validation_error(exc, RuleFile, builder.spans, builder.key_spans)]
    rules: list[Rule] = []
    errors: list[InputError] = []
    for i, spec in enumerate(parsed.rules):
        rule, errs = _compile_rule(spec, file, builder.spans, ("rules", i), vocabularies)
        errors += errs
        if rule is not None:
            rules.append(rule)
    return rules, errors


def load_ruleset(paths: list[Path] | None = None) -> tuple[Ruleset, list[InputError]]:
    """Load and compile rule files (default: the shipped rules/). Errors make the ruleset unusable."""
    paths = paths or [DEFAULT_RULES_DIR]
    vocabularies: dict[str, Vocabulary | Phrases] = {}
    errors: list[InputError] = []
    # The same list, in the same order, as rules_digest hashes for the run cache's key.
    for vf in vocabulary_files(paths):
        vocab = load_vocabulary(vf)
        if isinstance(vocab, list):
            errors += vocab
        else:
            vocabularies.setdefault(vf.stem, vocab)
    files = rule_files(paths)
    if not files:
        errors.append(InputError(", ".join(str(p) for p in paths), 1, 1, "no rule files found", "rule"))
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for f in files:
        if not f.exists():
            errors.append(InputError(f.as_posix(), 1, 1, "no such rule file", "rule"))
            continue
        got, errs = load_rule_file(f, vocabularies)
        errors += errs
        for r in got:
            if r.id in seen:
                first = seen[r.id]
                errors.append(InputError(r.file, r.line, 1, f"duplicate rule id {r.id!r} "
                                         f"(first defined at {first.file}:{first.line})", "rule"))
                continue
            seen[r.id] = r
            rules.append(r)
    rules.sort(key=lambda r: r.id)
    return Ruleset(rules, vocabularies, [f.as_posix() for f in files]), errors


__all__ = ["DEFAULT_RULES_DIR", "Rule", "RuleSpec", "Ruleset", "load_rule_file", "load_ruleset"]

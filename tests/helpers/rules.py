"""The shipped ruleset, and rule ids that must exist: a test that selects a renamed rule fails, not passes."""

from __future__ import annotations

from collections.abc import Iterable

from checker.rules.builtin_rules import BUILTIN_RULES
from checker.rules.rule_files import DEFAULT_RULES_DIR, rule_files
from checker.rules.ruleset import Ruleset, load_ruleset


def shipped_ruleset() -> Ruleset:
    ruleset, errors = load_ruleset([DEFAULT_RULES_DIR])
    assert errors == [], errors
    return ruleset


def existing(ruleset: Ruleset, ids: Iterable[str]) -> tuple[str, ...]:
    """`ids`, after checking that each names a rule of `ruleset` or a built-in one.

    engine.lint ignores a selected id that names no rule (the API and CLI refuse it first), so a test
    that selects a rule which was renamed would run nothing and pass: this makes it fail instead.
    """
    ids = tuple(ids)
    assert ids, "select at least one rule"
    unknown = sorted(set(ids) - {r.id for r in ruleset.rules} - set(BUILTIN_RULES))
    assert not unknown, f"no such rule id(s): {unknown}"
    return ids


def declared_rule_ids() -> list[str]:
    """Every `- id:` line of the shipped rule files, read as text (not through the rule loader)."""
    ids = []
    for f in rule_files([DEFAULT_RULES_DIR]):
        for line in f.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- id:"):
                ids.append(stripped.removeprefix("- id:").strip().strip("'\""))
    return ids

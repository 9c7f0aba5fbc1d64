"""Every shipped rule's own pass/fail examples, run through the real loader and engine."""

from __future__ import annotations

import pytest

from checker.engine.rule_examples import run_examples
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset
from tests.helpers.rules import declared_rule_ids

RULESET, ERRORS = load_ruleset([DEFAULT_RULES_DIR])


def test_shipped_ruleset_loads_without_errors():
    assert ERRORS == []
    # Exactly the rules the files declare, read as text: the loader drops none and invents none.
    assert sorted(r.id for r in RULESET.rules) == sorted(declared_rule_ids())


@pytest.mark.parametrize("result", run_examples(RULESET), ids=lambda r: f"{r.rule}-{r.kind}{r.index}")
def test_rule_example(result):
    assert result.ok, result.problem

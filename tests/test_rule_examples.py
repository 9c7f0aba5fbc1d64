"""Every shipped rule's own pass/fail examples, run through the real loader and engine."""

from __future__ import annotations

import pytest

from checker.rules.rule_examples import run_examples
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

RULESET, ERRORS = load_ruleset([DEFAULT_RULES_DIR])


def test_shipped_ruleset_loads_without_errors():
    assert ERRORS == []
    assert len(RULESET.rules) >= 6


@pytest.mark.parametrize("result", run_examples(RULESET), ids=lambda r: f"{r.rule}-{r.kind}{r.index}")
def test_rule_example(result):
    assert result.ok, result.problem

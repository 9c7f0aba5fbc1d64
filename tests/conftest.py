"""Fixtures for the whole suite: an isolated HOME, cache and config for every test, the shipped ruleset,
and rule ids that must exist. Shared helpers live in tests/helpers/ (tests import them from there)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from checker.rules.ruleset import Ruleset
from tests.helpers.isolation import Isolation, isolate
from tests.helpers.rules import existing, shipped_ruleset


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Isolation:
    """Every test runs with its own HOME, XDG dirs, cache dir and cache key file (see helpers/isolation)."""
    return isolate(tmp_path_factory.mktemp("isolated"), monkeypatch)


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    """The shipped rules/, loaded once (a Ruleset is not changed by running it)."""
    return shipped_ruleset()


@pytest.fixture
def rule_ids(ruleset: Ruleset) -> Callable[[Iterable[str]], tuple[str, ...]]:
    """`rule_ids(["a", "b"])` → ("a", "b"), failing the test when one is not a shipped rule."""
    return lambda ids: existing(ruleset, ids)


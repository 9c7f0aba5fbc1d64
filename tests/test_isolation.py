"""The suite's own guarantees: each test has its own HOME, cache and config, and selected rule ids exist."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.accel import cache as rc
from tests.helpers.rules import existing

REAL_HOME = Path("~").expanduser()  # read at import, before any fixture ran: the user's HOME


def test_home_cache_and_config_point_into_this_tests_own_directory(isolated, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", rc.CACHE_ENV):
        assert Path(os.environ[name]).is_relative_to(base), name
    assert Path.home() == isolated.home != REAL_HOME
    assert rc.default_directory() == isolated.cache_dir


def test_without_the_roadmap_check_variables_the_defaults_are_inside_the_xdg_dirs(isolated, monkeypatch):
    monkeypatch.delenv(rc.CACHE_ENV)
    assert rc.default_directory() == isolated.cache_dir  # platformdirs under $XDG_CACHE_HOME


def test_two_tests_never_share_a_cache(isolated, tmp_path_factory):
    other = tmp_path_factory.mktemp("isolated")
    assert not other.is_relative_to(isolated.cache_dir.parent.parent)


def test_an_unknown_selected_rule_id_fails(ruleset, rule_ids):
    assert rule_ids(["kpi-target-missing", "input-error"]) == ("kpi-target-missing", "input-error")
    with pytest.raises(AssertionError, match="no-such-rule"):
        existing(ruleset, ["kpi-target-missing", "no-such-rule"])
    with pytest.raises(AssertionError):
        existing(ruleset, [])

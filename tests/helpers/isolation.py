"""Every test gets its own HOME, cache and config directories, so the suite never writes to the user's.

Where the code looks (checker/accel/cache.py): the cache directory is $ROADMAP_CHECK_CACHE_DIR, else
platformdirs' user cache dir ($XDG_CACHE_HOME, else ~/.cache); nothing goes to the config dir.
Pointing HOME and the XDG variables at a temporary directory covers the defaults and anything else that
writes under ~ (git, subprocesses: they inherit the environment); the ROADMAP_CHECK_* variables are set
too, so that a test sees the same paths whichever way the code finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

CACHE_DIR_ENV = "ROADMAP_CHECK_CACHE_DIR"
CLEARED = ("ROADMAP_CHECK_CACHE_MAX_MB", "ROADMAP_CHECK_DEBUG")
"""Variables a developer may have set that would change what a test sees."""


@dataclass(frozen=True)
class Isolation:
    """The directories one test runs with."""

    home: Path
    cache_dir: Path
    """What $ROADMAP_CHECK_CACHE_DIR names (inside $XDG_CACHE_HOME)."""


def isolate(root: Path, monkeypatch: pytest.MonkeyPatch) -> Isolation:
    """Point HOME, XDG_* and $ROADMAP_CHECK_CACHE_DIR into `root` (nothing is created)."""
    home, cache, config = root / "home", root / "xdg-cache", root / "xdg-config"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "xdg-state"))
    isolation = Isolation(home, cache / "roadmap-check")
    monkeypatch.setenv(CACHE_DIR_ENV, str(isolation.cache_dir))
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    return isolation

"""An installed roadmap-check (pre-commit, the GitHub Action) ships the rules as package data."""

from __future__ import annotations

import tomllib
from pathlib import Path

from checker.rules import ruleset
from checker.source import shipped

ROOT = Path(__file__).resolve().parents[1]


def test_rules_are_installed_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"]["checker._shipped_rules"] == "rules"
    assert {"checker._shipped_rules", "checker._shipped_rules.vocabularies"} <= set(config["packages"])
    assert config["package-data"]["checker._shipped_rules"] == ["*.yaml"]
    assert config["package-data"]["checker._shipped_rules.vocabularies"] == ["*.yaml"]
    # Every subpackage of checker is listed, or an installed copy would miss it.
    listed = set(config["packages"])
    for init in (ROOT / "checker").rglob("__init__.py"):
        assert ".".join(init.parent.relative_to(ROOT).parts) in listed


def test_a_checkout_uses_its_rules_directory():
    assert ruleset.DEFAULT_RULES_DIR == ROOT / "rules"


def test_an_installed_copy_uses_the_shipped_rules(tmp_path, monkeypatch):
    fake = tmp_path / "site-packages" / "checker" / "source" / "shipped.py"
    fake.parent.mkdir(parents=True)
    monkeypatch.setattr(shipped, "__file__", str(fake))
    assert shipped.shipped_rules_dir() == fake.parent.parent / "_shipped_rules"
    assert shipped.shipped_vocabulary("kpi_phrases") == fake.parent.parent / "_shipped_rules" / "vocabularies" / "kpi_phrases.yaml"

"""Where the shipped rules live: rules/ of a source checkout, else the copy installed with the package."""

from __future__ import annotations

from pathlib import Path


def shipped_rules_dir() -> Path:
    """rules/ of a source checkout, else checker/_shipped_rules (pyproject installs rules/ there)."""
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_shipped_rules"


def shipped_vocabulary(stem: str) -> Path:
    """The shipped vocabulary file `stem` (rules/vocabularies/STEM.yaml)."""
    return shipped_rules_dir() / "vocabularies" / f"{stem}.yaml"

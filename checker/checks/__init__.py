"""Check kinds, one module each; importing this package registers them all by name."""

from checker.checks import (  # noqa: F401
    absent,
    consistent,
    coverage,
    deadline_passed,
    duplicate,
    item_coverage,
    item_known,
    kpi_arithmetic,
    kpi_category,
    kpi_coverage,
    pattern,
    reference,
    relisted,
    required,
    status_text,
    target_agrees,
    vocabulary,
    years_within,
)
from checker.checks.base import REGISTRY

__all__ = ["REGISTRY"]

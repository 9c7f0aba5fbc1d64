"""Check kinds, one module each; importing this package registers them all by name."""

from checker.checks import (  # noqa: F401
    absent,
    consistent,
    coverage,
    deadline_passed,
    kpi_arithmetic,
    kpi_category,
    pattern,
    reference,
    relisted,
    required,
    vocabulary,
)
from checker.checks.base import REGISTRY

__all__ = ["REGISTRY"]

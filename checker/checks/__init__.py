"""Check kinds, one module each; importing this package registers them all by name."""

from checker.checks import (  # noqa: F401
    absent,
    consistent,
    coverage,
    deadline_passed,
    duplicate,
    kpi_arithmetic,
    kpi_category,
    pattern,
    reference,
    relisted,
    required,
    status_text,
    vocabulary,
)
from checker.checks.base import REGISTRY
from checker.checks.review import (  # noqa: F401
    item_coverage,
    item_known,
    kpi_coverage,
    target_agrees,
    years_within,
)

__all__ = ["REGISTRY"]

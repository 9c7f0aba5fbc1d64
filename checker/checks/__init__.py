"""Check kinds, one module each; importing this package registers them all by name."""

from checker.checks import absent, consistent, coverage, pattern, reference, required  # noqa: F401
from checker.checks.base import REGISTRY

__all__ = ["REGISTRY"]

"""Check kinds, one module each; importing this package registers them all by name."""

from checker.checks import absent, pattern, required  # noqa: F401
from checker.checks.base import REGISTRY

__all__ = ["REGISTRY"]

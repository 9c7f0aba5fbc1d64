"""Phase timings on stderr when ROADMAP_CHECK_TIMINGS is set (like ESLint's TIMING): where a slow run goes.

    ROADMAP_CHECK_TIMINGS=1 roadmap-check lint roadmaps/

Each phase prints one line, `timing <phase> <seconds>`, when it ends; forked workers print theirs
with their process id. Off by default: the report on stdout never changes.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "ROADMAP_CHECK_TIMINGS"


@contextmanager
def phase(name: str) -> Iterator[None]:
    if not os.environ.get(ENV):
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"timing {name} {time.perf_counter() - start:.3f} (pid {os.getpid()})", file=sys.stderr)


__all__ = ["ENV", "phase"]

"""Benchmark: pages per second importing a generated 200-page roadmap PDF, and peak memory (RSS)."""

from __future__ import annotations

import argparse
import copy
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.importer.run import Options, run  # noqa: E402
from checker.source.load import load_file  # noqa: E402
from tests.helpers.pdf_render import render_roadmap  # noqa: E402


def corpus(pages: int) -> dict:
    """kaikaku-2016-it with its item repeated (numbers ①…⑳ cycling) until the PDF has about `pages` pages."""
    doc = load_file(ROOT / "roadmaps" / "kaikaku-2016-it.yaml").model.model_dump(mode="json", exclude_none=True)
    base = doc["reform_items"][0]
    # One item fills about 0.9 of an A3 landscape page in this layout.
    doc["reform_items"] = [dict(copy.deepcopy(base), number=(i % 20) + 1) for i in range(int(pages * 1.1))]
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "roadmap.pdf"
        n = render_roadmap(pdf, corpus(args.pages))
        start = time.perf_counter()
        outcome = run([str(pdf)], Options(Path(tmp) / "out", force=True))
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {n}")
    print(f"import: {seconds:.1f} s, {n / seconds:.1f} pages/s")
    print(f"peak RSS (whole process, incl. rendering): {peak:.0f} MB")
    print(f"documents written: {len(outcome.written)}, errors: {len(outcome.errors)}")


if __name__ == "__main__":
    main()

"""Benchmark: pages per second importing a generated 200-page roadmap PDF, and peak memory (RSS)."""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.domain.load import load_file  # noqa: E402
from checker.importer.run import Options, run  # noqa: E402
from tests.helpers.pdf_render import render_roadmap  # noqa: E402


def corpus(pages: int) -> dict:
    """kaikaku-2016-it with its item repeated (numbers ①…⑳ cycling) until the PDF has about `pages` pages."""
    doc = load_file(ROOT / "roadmaps" / "kaikaku-2016-it.yaml").model.model_dump(mode="json", exclude_none=True)
    base = doc["reform_items"][0]
    # One item fills about 0.9 of an A3 landscape page in this layout.
    doc["reform_items"] = [dict(copy.deepcopy(base), number=(i % 20) + 1) for i in range(int(pages * 1.1))]
    return doc


def _render(path: str, pages: int) -> None:
    render_roadmap(Path(path), corpus(pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None,
                        help="Worker processes for the pages (sets ROADMAP_CHECK_WORKERS; default: the usable CPUs).")
    args = parser.parse_args()
    if args.workers:
        os.environ["ROADMAP_CHECK_WORKERS"] = str(args.workers)
    from checker.importer.pdf.reader import workers
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "roadmap.pdf"
        # Rendered in a child process, so that this process's peak RSS is the import's alone.
        child = multiprocessing.get_context("spawn").Process(target=_render, args=(str(pdf), args.pages))
        child.start()
        child.join()
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            n = len(doc.pages)
        size = pdf.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu_before = _cpu()
        start = time.perf_counter()
        outcome = run([str(pdf)], Options(Path(tmp) / "out", force=True))
        seconds = time.perf_counter() - start
        cpu_seconds = _cpu() - cpu_before
        cells = sum(len(i["schedule"]) + len(i["kpis"]) for d in outcome_docs(Path(tmp) / "out")
                    for i in d["reform_items"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"PDF: {n} pages, {size / 1e6:.1f} MB; imported {cells} schedule cells and KPIs")
    print(f"import: {seconds:.1f} s, {n / seconds:.1f} pages/s, {workers()} worker(s); CPU time {cpu_seconds:.1f} s "
          f"({n / cpu_seconds:.1f} pages per CPU-second; on a busy machine the wall clock is mostly waiting)")
    print(f"peak RSS of the importing process: {peak:.0f} MB (before the import: {before:.0f} MB)")
    print(f"documents written: {len(outcome.written)}, errors: {len(outcome.errors)}")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def outcome_docs(out: Path) -> list[dict]:
    return [load_file(f).model.model_dump(mode="json") for f in sorted(out.glob("*.yaml"))]


if __name__ == "__main__":
    main()

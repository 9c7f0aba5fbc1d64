"""Benchmark: parse, cold, warm and warm-after-one-change lint at 1k/10k/100k cells, against Spectral.

    .venv/bin/python benchmarks/run.py            # the full run (a few minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --sizes 1000 --runs 1 --no-spectral    # a quick look

Each lint is `roadmap-check lint DIR --format json --output /dev/null` in a fresh process, every
shipped rule, timed on the wall clock; the figure is the median of --runs runs, with the peak RSS of
those processes (os.wait4). Each round is a cold run (from an empty cache directory), Spectral, a warm
run (on the cache the cold run filled) and a "changed" run (after appending a comment to one file);
rounds rather than all cold runs first, because this machine's speed drifts. Spectral, when installed
under benchmarks/spectral/ (npm install there), lints the same files with benchmarks/spectral/ruleset.yaml,
the required-field rules only. The table goes to stdout, then one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # run as a script (python benchmarks/run.py): the repository root, for benchmarks.*

from benchmarks.generate import generate  # noqa: E402

CHECKER = ROOT / ".venv" / "bin" / "roadmap-check"
SPECTRAL = HERE / "spectral" / "node_modules" / ".bin" / "spectral"
AS_OF = "2019-12-31"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def lint_cmd(corpus: Path) -> list[str]:
    return [str(CHECKER), "lint", str(corpus), "--format", "json", "--output", os.devnull, "--as-of", AS_OF,
            "--quiet"]


def parse_only(corpus: Path) -> tuple[float, float]:
    """(parse seconds, full load seconds) in this process, for every file of the corpus.

    Parse is YAML text to values and source map with the fastest loader there is (the C fast path of
    checker.source.yaml_tree, which the checker uses); load adds reading, decoding and validating the models.
    """
    from checker.domain.load import load_paths
    from checker.source.yaml_tree import compose_text

    files = sorted(corpus.rglob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    start = time.perf_counter()
    for f, text in zip(files, texts, strict=True):
        compose_text(text, f.name, key_spans=False)
    compose = time.perf_counter() - start
    start = time.perf_counter()
    result = load_paths([corpus])
    load = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"generated corpus has input errors: {result.errors[:3]}")
    return compose, load


def settle(cache_dir: Path, timeout: float = 30.0) -> None:
    """Wait until no cache entry is still being written (a run's detached writer announces its entry
    with a marker in pending/ and may outlive the run by a fraction of a second): the next measurement
    then has the machine to itself, and a cold run starts from a cache that stays empty."""
    deadline = time.monotonic() + timeout
    pending = cache_dir / "pending"
    while pending.is_dir() and any(pending.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)


def measure(corpus: Path, runs: int, cache_dir: Path, with_spectral: bool) -> dict[str, float | None]:
    """Medians of `runs` rounds, each round a cold run, Spectral (when installed and wanted), a warm run
    and a run after one edit, in that order.

    Interleaved rather than all cold runs, then all warm ones: this machine's speed drifts by a third
    within a minute, and figures that are compared (cold with Spectral, warm and changed with cold)
    are then taken side by side, under the same drift.
    """
    env = {**os.environ, "ROADMAP_CHECK_CACHE_DIR": str(cache_dir)}
    cmd = lint_cmd(corpus)
    spectral_cmd = spectral_command(corpus) if with_spectral else None
    cold, warm, changed, rss, spectral, spectral_rss = [], [], [], [], [], []
    victim = sorted(corpus.rglob("progress-*.yaml"))[0]
    original = victim.read_bytes()
    try:
        for i in range(runs):
            settle(cache_dir)
            shutil.rmtree(cache_dir, ignore_errors=True)
            t, m, _ = timed(cmd, env)
            cold.append(t)
            rss.append(m)
            if spectral_cmd is not None:
                t, m, _ = timed(spectral_cmd)
                spectral.append(t)
                spectral_rss.append(m)
            settle(cache_dir)
            t, m, _ = timed(cmd, env)
            warm.append(t)
            rss.append(m)
            settle(cache_dir)
            victim.write_bytes(original + f"# benchmark edit {i}\n".encode())
            t, m, _ = timed(cmd, env)
            changed.append(t)
            rss.append(m)
            victim.write_bytes(original)
    finally:
        victim.write_bytes(original)
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm),
            "warm_one_changed_s": statistics.median(changed), "rss_mb": max(rss),
            "spectral_s": statistics.median(spectral) if spectral else None,
            "spectral_rss_mb": max(spectral_rss) if spectral_rss else None}


def spectral_command(corpus: Path) -> list[str] | None:
    """Spectral on the same files with the required-field rules, when it is installed."""
    if not SPECTRAL.exists():
        return None
    return [str(SPECTRAL), "lint", f"{corpus}/**/*.yaml", "--ruleset", str(HERE / "spectral" / "ruleset.yaml"),
            "--format", "json", "--output", os.devnull, "--quiet"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median), below 100,000 cells")
    ap.add_argument("--runs-largest", type=int, default=5,
                    help="rounds at 100,000 cells and more, Spectral included (5: about 3 minutes in all on "
                         "2 cores; this machine's speed drifts by a third within a minute, and a median of "
                         "five is steadier than one of three)")
    ap.add_argument("--large-sizes", type=int, nargs="*", default=[10000, 100000],
                    help="sizes of the one-large-item profile (cold only)")
    ap.add_argument("--no-spectral", action="store_true")
    ap.add_argument("--work", type=Path, default=None, help="where to generate (default: a temp dir)")
    args = ap.parse_args(argv)
    if not CHECKER.exists():
        raise SystemExit(f"{CHECKER} not found: run `make test` or `pip install -e .` into .venv first")
    work = args.work or Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    rows: list[dict[str, float]] = []
    began = time.perf_counter()
    for n in args.sizes:
        corpus = work / f"normal-{n}"
        generate(n, "normal", corpus, seed=0)
        compose, load = parse_only(corpus)
        row = {"n": n, "parse_s": compose, "load_s": load,
               **measure(corpus, args.runs if n < 100000 else args.runs_largest, work / f"cache-{n}",
                         not args.no_spectral)}
        rows.append(row)
        print(f"# {n} cells done after {time.perf_counter() - began:.0f} s", file=sys.stderr)
    large: dict[int, float] = {}
    for n in args.large_sizes:
        corpus = work / f"large-{n}"
        generate(n, "one-large-item", corpus, seed=0)
        env = {**os.environ, "ROADMAP_CHECK_CACHE_DIR": str(work / f"cache-large-{n}")}
        times = []
        for _ in range(args.runs if n < 100000 else args.runs_largest):
            settle(work / f"cache-large-{n}")
            shutil.rmtree(work / f"cache-large-{n}", ignore_errors=True)
            times.append(timed(lint_cmd(corpus), env)[0])
        large[n] = statistics.median(times)
        print(f"# one-large-item {n} done after {time.perf_counter() - began:.0f} s", file=sys.stderr)

    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    print(f"{'cells':>8} {'parse s':>8} {'load s':>8} {'cold s':>8} {'warm s':>8} {'changed s':>9} "
          f"{'warm %':>7} {'chg %':>6} {'RSS MB':>7} {'spectral s':>10} {'x faster':>8}")
    for r in rows:
        ratio = r["spectral_s"] / r["cold_s"] if r["spectral_s"] else None
        print(f"{r['n']:>8} {fmt(r['parse_s']):>8} {fmt(r['load_s']):>8} {fmt(r['cold_s']):>8} "
              f"{fmt(r['warm_s']):>8} {fmt(r['warm_one_changed_s']):>9} {100 * r['warm_s'] / r['cold_s']:>6.0f}% "
              f"{100 * r['warm_one_changed_s'] / r['cold_s']:>5.0f}% {r['rss_mb']:>7.0f} {fmt(r['spectral_s']):>10} "
              f"{fmt(ratio):>8}")
    for n, t in large.items():
        print(f"one-large-item {n:>7} cells (half in one reform item): cold {t:.2f} s")
    last = rows[-1]
    by_n = {r["n"]: r for r in rows}
    summary = {
        "n": last["n"], "parse_s": round(last["parse_s"], 3), "load_s": round(last["load_s"], 3),
        "cold_s": round(last["cold_s"], 3), "warm_s": round(last["warm_s"], 3),
        "warm_one_changed_s": round(last["warm_one_changed_s"], 3), "rss_mb": round(last["rss_mb"], 1),
        "warm_ratio": round(last["warm_s"] / last["cold_s"], 3),
        "warm_one_changed_ratio": round(last["warm_one_changed_s"] / last["cold_s"], 3),
        "scaling_10k_100k": (round(by_n[100000]["cold_s"] / by_n[10000]["cold_s"], 2)
                             if 10000 in by_n and 100000 in by_n else None),
        "spectral_s": round(last["spectral_s"], 3) if last["spectral_s"] else None,
        "spectral_ratio": round(last["spectral_s"] / last["cold_s"], 2) if last["spectral_s"] else None,
        "large_item_cold_s": {str(k): round(v, 3) for k, v in large.items()},
        "large_item_scaling": (round(large[100000] / large[10000], 2) if 10000 in large and 100000 in large
                               else None),
        "total_s": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(summary, ensure_ascii=False))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fuzz the loader (and the engine on what loads): any bytes give a document or input errors, never an exception.

    python -m tests.fuzz.fuzz_loader --seconds 300 [--corpus DIR] [--rules]

With atheris installed (`pip install -e '.[fuzz]'`) this is coverage-guided libFuzzer over the checker's
own modules, seeded with roadmaps/*.yaml and rules/*.yaml; a crash leaves its input in
$TMPDIR/roadmap-check-fuzz/ and exits non-zero. Without atheris it falls back on seeded random
byte-level mutations (flips, inserts, deletions, splices of the seeds, YAML punctuation) for the
same time. It prints the number of inputs tried: libFuzzer's final stats with atheris, a summary line
(with how many loaded as documents) without.

Invariants checked on every input: the loader's C fast path and its Python builder agree; load_bytes never raises; input errors have 1-based positions on a
line of the file (or the line after the last); documents that load also lint with the shipped rules
without an exception, and every finding points inside its file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "roadmaps").glob("*.yaml")) + sorted((REPO / "rules").glob("*.yaml"))
AS_OF = dt.date(2017, 12, 31)
# Small limits keep each input cheap; the limits themselves are tested in tests/hostile.
LIMITS_KW = {"max_bytes": 256 * 1024, "max_depth": 64, "max_nodes": 20_000, "max_line_chars": 100_000}


class Target:
    """The function under test, with the ruleset loaded once."""

    def __init__(self) -> None:
        from checker.domain.load import Limits
        from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset

        self.limits = Limits(**LIMITS_KW)
        self.ruleset, errors = load_ruleset([DEFAULT_RULES_DIR])
        assert not errors, errors
        self.inputs = 0
        self.loaded = 0

    def same_on_both_yaml_paths(self, data: bytes) -> None:
        """The C fast path and the Python builder give the same values, spans and errors (tests/test_fastyaml.py)."""
        from tests.helpers.yaml_paths import outcome

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        fast, slow = outcome(text, True, self.limits), outcome(text, False, self.limits)
        assert fast == slow, (fast, slow)

    def __call__(self, data: bytes) -> None:
        from checker.domain.load import LoadedDocument, load_bytes
        from checker.engine.run import lint

        self.inputs += 1
        self.same_on_both_yaml_paths(data)
        result = load_bytes(data, "fuzz.yaml", self.limits)
        # YAML breaks lines at CR, LF, CRLF, NEL, LS and PS, as editors do; splitlines() counts all of
        # those (and a few more that YAML refuses anyway), so it bounds the line numbers from above.
        n_lines = len(data.decode("utf-8", "replace").splitlines()) + 1
        if not isinstance(result, LoadedDocument):
            assert result, "load_bytes returned neither a document nor errors"
            for e in result:
                assert e.line >= 1 and e.column >= 1 and e.message and e.code, e
                assert e.line <= n_lines + 1, (e, n_lines)
            return
        self.loaded += 1
        findings = lint([result], self.ruleset, AS_OF).findings
        for f in findings:
            assert 1 <= f.location.line <= result.line_count + 1, f
            assert f.location.column >= 1, f


# ---------------------------------------------------------------- fallback: seeded random mutations

_TOKENS = [b":", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!python/object ", b"!x ", b"'", b'"',
           b"\t", b"\n", b"#", b"? ", b"|", b">", b"---\n", b"...\n", b"\x00", b"\xff", b"\xe3\x81", b"<<: ",
           b"\xef\xbb\xbf", b"~", b"2016-13-45", b"1e99999", b"0x", b"\\"]


def mutate(rng: random.Random, seed: bytes, seeds: list[bytes]) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        pos = rng.randint(0, len(data))
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.choice(_TOKENS)
        elif op == 2:
            del data[pos:pos + rng.randint(1, 64)]
        elif op == 3:
            other = rng.choice(seeds)
            start = rng.randint(0, len(other))
            data[pos:pos] = other[start:start + rng.randint(1, 256)]
        elif op == 4 and data:
            start = rng.randint(0, len(data))
            data[pos:pos] = data[start:start + rng.randint(1, 128)]  # duplicate a stretch (keys, items)
        else:
            line_start = data.rfind(b"\n", 0, pos) + 1
            data[line_start:line_start] = b" " * rng.randint(1, 4)  # shift indentation
    return bytes(data)


def run_random(target: Target, seconds: float, seed: int) -> int:
    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in SEEDS]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(seeds), seeds)
        try:
            target(data)
        except Exception:
            crash = Path(tempfile.gettempdir()) / "roadmap-check-fuzz" / f"crash-{target.inputs}.yaml"
            crash.parent.mkdir(parents=True, exist_ok=True)
            crash.write_bytes(data)
            print(f"fuzz_loader: crash on input {target.inputs}, saved to {crash}", file=sys.stderr)
            raise
    return 0


# ---------------------------------------------------------------- atheris


def run_atheris(seconds: int, corpus: Path | None) -> int:
    import atheris

    with atheris.instrument_imports(include=["checker"]):
        pass

    target = Target()

    def one_input(data: bytes) -> None:
        target(data)

    seed_dir = corpus or Path(tempfile.mkdtemp(prefix="roadmap-check-fuzz-corpus-"))
    seed_dir.mkdir(parents=True, exist_ok=True)
    for p in SEEDS:
        (seed_dir / f"seed-{p.parent.name}-{p.name}").write_bytes(p.read_bytes())
    artifacts = Path(tempfile.gettempdir()) / "roadmap-check-fuzz"
    artifacts.mkdir(parents=True, exist_ok=True)
    argv = [sys.argv[0], f"-max_total_time={seconds}", f"-artifact_prefix={artifacts}/", "-max_len=65536",
            "-print_final_stats=1", str(seed_dir)]
    atheris.Setup(argv, one_input)
    # libFuzzer ends the process itself (exit 0 when the time is up, without running atexit handlers);
    # -print_final_stats=1 makes it print the number of inputs run (stat::number_of_executed_units).
    atheris.Fuzz()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.fuzz_loader", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="How long to fuzz (default 60).")
    parser.add_argument("--corpus", type=Path, default=None, help="atheris: a directory to keep the corpus in.")
    parser.add_argument("--random", action="store_true", help="Use the random mutator even if atheris is installed.")
    parser.add_argument("--seed", type=int, default=0, help="Random mutator: the seed (default 0).")
    args = parser.parse_args(argv)
    if not args.random:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("fuzz_loader: atheris is not installed; using seeded random mutations", file=sys.stderr)
        else:
            return run_atheris(args.seconds, args.corpus)
    target = Target()
    started = time.monotonic()
    code = run_random(target, args.seconds, args.seed)
    print(f"fuzz_loader: {target.inputs} inputs, {target.loaded} loaded as documents, "
          f"{time.monotonic() - started:.0f} s, no crash", file=sys.stderr)
    return code


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())

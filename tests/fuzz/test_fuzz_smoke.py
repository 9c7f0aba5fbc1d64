"""The fuzz target runs (about two seconds, random mutations and, when installed, atheris) and finds nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.fuzz_loader import Target, mutate

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tests.fuzz.fuzz_loader", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)


def test_random_mutation_fuzzing_for_two_seconds():
    proc = _run("--seconds", "2", "--random")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "no crash" in proc.stderr and "Traceback" not in proc.stderr


def test_atheris_fuzzing_for_two_seconds():
    pytest.importorskip("atheris")
    proc = _run("--seconds", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "stat::number_of_executed_units" in proc.stderr and "Traceback" not in proc.stderr


def test_the_target_accepts_a_real_document_and_rejects_noise():
    import random

    target = Target()
    seed = (REPO / "roadmaps" / "kaikaku-2016-it.yaml").read_bytes()
    target(seed)
    assert target.loaded == 1
    rng = random.Random(1)
    for _ in range(50):
        target(mutate(rng, seed, [seed]))
    assert target.inputs == 51

"""Smoke test of the benchmark corpus generator: small corpora load cleanly and exercise many rule families."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate
from checker import api
from checker.domain.load import load_paths


@pytest.mark.parametrize("profile", ["normal", "one-large-item"])
def test_generated_corpus_loads_and_every_family_fires(tmp_path: Path, profile: str) -> None:
    files = generate(200, profile, tmp_path / "corpus", seed=0)
    loaded = load_paths([tmp_path / "corpus"])
    assert loaded.errors == []
    assert len(loaded.documents) == files
    cells = sum(len(item.schedule) for d in loaded.documents if d.kind == "roadmap"
                for item in d.model.reform_items)
    assert cells == 200
    report = api.run(api.LintOptions(paths=(str(tmp_path / "corpus"),), as_of=dt.date(2019, 12, 31)))
    assert report.input_errors == ()
    rules = {f.rule for f in report.findings}
    families = {
        "responsible": {"reform-item-responsible-missing", "schedule-item-responsible-missing",
                        "progress-statement-ministry-missing"},
        "kpi": {"kpi-target-missing", "kpi-deadline-missing"},
        "reference": {r for r in rules if r.startswith("progress-claim-")},
        "counts": {r for r in rules if r.startswith("count-")},
    }
    fired = {name for name, ids in families.items() if rules & ids}
    # The one-large-item corpus has few KPIs at this size, so fewer families are certain to fire there.
    assert len(fired) >= (3 if profile == "normal" else 2), sorted(rules)
    assert "responsible" in fired and "reference" in fired, sorted(rules)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate(300, "normal", tmp_path / "a", seed=3)
    generate(300, "normal", tmp_path / "b", seed=3)
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.yaml")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.yaml")}
    assert a == b and a


def test_the_benchmark_script_runs_at_a_small_size(tmp_path: Path) -> None:
    """benchmarks/run.py end to end at 200 cells (no timing asserted): table, then the JSON line."""
    import json
    import subprocess

    run = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
    checker = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "roadmap-check"
    if not checker.exists():
        pytest.skip("benchmarks/run.py drives .venv/bin/roadmap-check, which `make test` installs")
    done = subprocess.run([sys.executable, str(run), "--sizes", "200", "--runs", "1", "--large-sizes", "200",
                           "--no-spectral", "--work", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0].split()[:4] == ["cells", "parse", "s", "load"]
    summary = json.loads(lines[-1])
    assert summary["n"] == 200 and summary["spectral_s"] is None
    for key in ("parse_s", "cold_s", "warm_s", "warm_one_changed_s", "rss_mb"):
        assert summary[key] > 0, key
    assert set(summary["large_item_cold_s"]) == {"200"}


def test_import_pdf_benchmark_runs(capsys, monkeypatch) -> None:
    pytest.importorskip("reportlab")
    from benchmarks import import_pdf

    monkeypatch.setattr(sys, "argv", ["import_pdf.py", "--pages", "2"])
    import_pdf.main()
    out = capsys.readouterr().out
    assert "pages/s" in out and "peak RSS" in out and "errors: 0" in out

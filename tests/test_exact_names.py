"""Regression tests for issue 17, case 4: any file name is reported safely in every format, its bytes that
are not UTF-8 escaped visibly (\\xNN), through the cache and without it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.domain.findings import fingerprint, visible
from checker.report import NAMES

ROADMAPS = Path(__file__).resolve().parents[1] / "roadmaps"


@pytest.fixture
def odd_names(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    d = tmp_path / "docs"
    d.mkdir()
    base = os.fsencode(d)
    try:
        for f in ROADMAPS.glob("*.yaml"):
            name = f.name.encode().replace(b"progress", b"progr\xe9ss")  # Latin-1 é: not UTF-8
            with open(os.path.join(base, name), "wb") as out:
                out.write(f.read_bytes())
        with open(os.path.join(base, b"broken-\xff\xfe.yaml"), "wb") as out:
            out.write(b"document: [unclosed\n")
        # The same id again, so that a message quotes the other file's name.
        with open(os.path.join(base, b"dup-\x80.yaml"), "wb") as out:
            out.write((ROADMAPS / "kaikaku-2015-it.yaml").read_bytes())
    except OSError:
        pytest.skip("this file system does not take names that are not UTF-8")
    return d


@pytest.mark.parametrize("fmt", NAMES)
@pytest.mark.parametrize("cache", [True, False])
def test_every_format_survives_names_that_are_not_utf8(odd_names, fmt, cache):
    runner = CliRunner()
    args = ["lint", str(odd_names), "--as-of", "2017-12-31", "-f", fmt] + ([] if cache else ["--no-cache"])
    for _ in range(2 if cache else 1):  # cold, then from the cache
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.stderr  # input errors (the broken file), not "internal error"
        assert "internal error" not in result.stderr
        out = result.stdout_bytes.decode("utf-8")  # strictly UTF-8
        assert any(s in out for s in ("\\xff\\xfe", "\\\\xff\\\\xfe", "%FF%FE"))
        assert any(s in out for s in ("progr\\xe9ss", "progr\\\\xe9ss", "progr%E9ss"))
        if fmt in ("json", "sarif"):
            json.loads(out)


def test_a_report_file_with_such_names(odd_names, tmp_path):
    result = CliRunner().invoke(main, ["lint", str(odd_names), "--as-of", "2017-12-31", "-f", "sarif",
                                       "-o", str(tmp_path / "r.sarif"), "-f", "text"])
    assert result.exit_code == 2 and "internal error" not in result.stderr
    sarif = json.loads((tmp_path / "r.sarif").read_bytes().decode("utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for run in sarif["runs"] for r in run["results"]}
    assert any("broken-%FF%FE.yaml" in u for u in uris)


def test_a_baseline_with_such_names(odd_names, tmp_path):
    (odd_names / "broken.yaml").unlink(missing_ok=True)
    for p in odd_names.iterdir():
        if b"broken" in os.fsencode(p.name) or b"dup" in os.fsencode(p.name):
            p.unlink()
    out = tmp_path / "baseline.json"
    result = CliRunner().invoke(main, ["baseline", "create", str(odd_names), "--as-of", "2017-12-31", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    assert "progr\\\\xe9ss" in text
    check = CliRunner().invoke(main, ["baseline", "check", str(odd_names), "--as-of", "2017-12-31", "-b", str(out)])
    assert check.exit_code == 0, check.stdout


def test_ids_written_with_surrogate_escapes(tmp_path):
    """YAML can write a lone surrogate in a double-quoted string ("\\udcff"): ids and texts with one are
    reported too."""
    text = (ROADMAPS / "kaikaku-2016-it.yaml").read_text(encoding="utf-8").replace(
        "id: kaikaku-2016-it", 'id: "kaikaku-\\udcff-\\ud800"', 1)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")  # a duplicate id: a message quotes it
    for fmt in NAMES:
        result = CliRunner().invoke(main, ["lint", str(tmp_path), "--as-of", "2017-12-31", "-f", fmt, "--no-cache"])
        assert result.exit_code == 2 and "internal error" not in result.stderr
        result.stdout_bytes.decode("utf-8")


def test_visible_and_fingerprint():
    assert visible("plain 日本語") == "plain 日本語"
    assert visible(os.fsdecode(b"a\xff.yaml")) == "a\\xff.yaml"
    assert visible("x\ud800") == "x\\ud800"
    assert fingerprint("r", "d", os.fsdecode(b"\xff")) != fingerprint("r", "d", os.fsdecode(b"\xfe"))

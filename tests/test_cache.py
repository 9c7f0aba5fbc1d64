"""The on-disk cache: hits give the same report, any change of input misses, corrupt entries are rewritten."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from checker import api
from checker.cache import Cache, make_key

ROADMAPS = Path(__file__).resolve().parent.parent / "roadmaps"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(ROADMAPS, tmp_path / "roadmaps")
    return tmp_path / "roadmaps"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _run(corpus: Path, cache: bool = True, as_of: dt.date = dt.date(2017, 12, 31)) -> api.LintReport:
    return api.run(api.LintOptions(paths=(str(corpus),), as_of=as_of, cache=cache))


def _fingerprints(report: api.LintReport) -> list[tuple[str, str, int]]:
    return [(f.fingerprint, f.message, f.location.line) for f in report.findings]


def test_warm_run_equals_cold_run(corpus: Path, cache_dir: Path) -> None:
    cold = _run(corpus, cache=False)
    first = _run(corpus)
    assert any((cache_dir / "run").rglob("*")), "the run result was stored"
    warm = _run(corpus)
    assert _fingerprints(cold) == _fingerprints(first) == _fingerprints(warm)
    assert cold.summary.files == warm.summary.files


def test_a_changed_file_is_relinted(corpus: Path, cache_dir: Path) -> None:
    _run(corpus)
    target = corpus / "kaikaku-2016-it.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('      - "総務省地域力創造グループ"\n      - "内閣官房 情報通信技術(IT)総合戦略室"\n',
                                   "", 1).replace("    responsible:\n    schedule:", "    responsible: []\n    schedule:", 1),
                      encoding="utf-8")
    changed = _run(corpus)
    assert _fingerprints(changed) == _fingerprints(_run(corpus, cache=False))
    assert "reform-item-responsible-missing" in {f.rule for f in changed.findings}


def test_as_of_is_part_of_the_key(corpus: Path, cache_dir: Path) -> None:
    early = _run(corpus, as_of=dt.date(2015, 1, 1))
    late = _run(corpus, as_of=dt.date(2030, 1, 1))
    assert _fingerprints(late) == _fingerprints(_run(corpus, cache=False, as_of=dt.date(2030, 1, 1)))
    assert _fingerprints(early) == _fingerprints(_run(corpus, cache=False, as_of=dt.date(2015, 1, 1)))


def test_corrupt_entries_are_ignored_and_rewritten(corpus: Path, cache_dir: Path) -> None:
    expected = _fingerprints(_run(corpus, cache=False))
    _run(corpus)
    entries = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert entries
    for p in entries:
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])  # truncated, as by a crash mid-write
    assert _fingerprints(_run(corpus)) == expected
    assert _fingerprints(_run(corpus)) == expected


def test_get_put_round_trip_and_garbage(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = make_key("x", 1)
    assert cache.get("t", key) is None
    cache.put("t", key, {"a": [1, 2]})
    assert cache.get("t", key) == {"a": [1, 2]}
    (tmp_path / "t" / key[:2] / key).write_bytes(b"not a cache entry")
    assert cache.get("t", key) is None
    assert not (tmp_path / "t" / key[:2] / key).exists()


def test_unwritable_directory_only_disables_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = Cache(blocker / "sub")  # a directory cannot be made under a file
    cache.put("t", make_key("k"), 1)
    assert cache.get("t", make_key("k")) is None

"""The on-disk cache: hits give the same report, any change of input misses, corrupt entries are rewritten.

Entries are plain data, never pickles: whatever a cache directory restored from elsewhere holds, reading
it runs no code, and no key is kept anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import threading
import time
from pathlib import Path

import pytest

from checker import api
from checker.accel import cache as rc
from checker.accel.cache import Cache, make_key, wait_for_writes

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
    report = api.run(api.LintOptions(paths=(str(corpus),), as_of=as_of, cache=cache))
    wait_for_writes()  # the run's entry is written by a child process; these tests look at the files
    return report


def _fingerprints(report: api.LintReport) -> list[tuple[str, str, int]]:
    return [(f.fingerprint, f.message, f.location.line) for f in report.findings]


def test_warm_run_equals_cold_run(corpus: Path, cache_dir: Path) -> None:
    cold = _run(corpus, cache=False)
    first = _run(corpus)
    assert any(kind == "run" for kind, _, _ in _rows(cache_dir)), "the run result was stored"
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


def _rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules", rules)
    return rules


def _run_with(corpus: Path, **options: object) -> api.LintReport:
    report = api.run(api.LintOptions(paths=(str(corpus),), as_of=dt.date(2017, 12, 31), cache=True, **options))
    wait_for_writes()
    return report


def test_rule_file_vocabulary_and_selection_are_part_of_the_key(corpus: Path, cache_dir: Path, tmp_path: Path) -> None:
    """The run key holds the rule files' bytes, not their parsed form: every edit of them misses."""
    rules = _rules_copy(tmp_path)
    before = _run_with(corpus, rules=(rules,))
    assert "kpi-target-missing" in {f.rule for f in before.findings}
    kpi = rules / "kpi.yaml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("id: kpi-target-missing\n    severity: error",
                                                           "id: kpi-target-missing\n    severity: info", 1),
                   encoding="utf-8")
    after = _run_with(corpus, rules=(rules,))
    assert after.summary.rules != before.summary.rules
    assert {f.severity.label for f in after.findings if f.rule == "kpi-target-missing"} == {"info"}
    # The vocabulary beside the rules: once it lists 庁室, the schedule actor is no longer unknown.
    assert "schedule-actor-unknown" in {f.rule for f in after.findings}
    vocab = rules / "vocabularies" / "organizations.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("organizations:\n", "organizations:\n  - name: 庁室\n", 1),
                     encoding="utf-8")
    known = _run_with(corpus, rules=(rules,))
    assert "schedule-actor-unknown" not in {f.rule for f in known.findings}
    assert _fingerprints(known) == _fingerprints(
        api.run(api.LintOptions(paths=(str(corpus),), rules=(rules,), as_of=dt.date(2017, 12, 31))))
    only = _run_with(corpus, rules=(rules,), select=("kpi-target-missing",))
    assert {f.rule for f in only.findings} == {"kpi-target-missing"}
    assert [r.id for r in only.summary.rules] == ["kpi-target-missing", "input-error"]
    ignored = _run_with(corpus, rules=(rules,), ignore=("kpi-target-missing",))
    assert "kpi-target-missing" not in {f.rule for f in ignored.findings}
    assert "kpi-target-missing" not in {r.id for r in ignored.summary.rules}


def test_an_unknown_rule_id_is_an_error_even_with_a_warm_cache(corpus: Path, cache_dir: Path) -> None:
    _run(corpus)
    _run(corpus)
    with pytest.raises(api.ApiError, match="unknown rule id"):
        _run_with(corpus, select=("no-such-rule",))


def test_a_broken_rule_file_is_an_error_even_with_a_warm_cache(corpus: Path, cache_dir: Path, tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    _run_with(corpus, rules=(rules,))
    (rules / "kpi.yaml").write_text("rules: [", encoding="utf-8")
    with pytest.raises(api.ApiError, match=r"kpi\.yaml"):
        _run_with(corpus, rules=(rules,))


def test_a_warm_run_imports_neither_the_rules_nor_the_loader(corpus: Path, cache_dir: Path) -> None:
    """Start-up is most of a warm run: answered from the run cache, it needs no YAML, rule or pydantic code."""
    import subprocess
    import sys

    script = ("import sys\nfrom checker.cli import main\ntry:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
              "heavy = sorted(m for m in ('pydantic', 'ruamel.yaml', 'checker.domain.load', 'checker.rules.ruleset', 'checker.checks',"
              " 'checker.domain.corpus', 'rapidfuzz') if m in sys.modules)\nprint('HEAVY', heavy, file=sys.stderr)\n"
              "sys.exit(code)\n")
    args = [sys.executable, "-c", script, "lint", str(corpus), "--as-of", "2017-12-31", "--format", "json"]
    env = {**os.environ, "ROADMAP_CHECK_CACHE_DIR": str(cache_dir)}
    cold = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    warm = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert cold.returncode == warm.returncode == 1
    assert cold.stdout == warm.stdout
    assert "HEAVY ['checker.checks'" in cold.stderr
    assert "HEAVY []" in warm.stderr, warm.stderr


def test_corrupt_entries_are_ignored_and_rewritten(corpus: Path, cache_dir: Path) -> None:
    expected = _fingerprints(_run(corpus, cache=False))
    _run(corpus)
    entries = _rows(cache_dir)
    assert entries
    for kind, key, data in entries:
        _write_row(cache_dir, kind, key, data[: len(data) // 2])  # truncated
    assert _fingerprints(_run(corpus)) == expected
    assert _fingerprints(_run(corpus)) == expected
    assert {k: d for k, _, d in _rows(cache_dir)} != {k: d[: len(d) // 2] for k, _, d in entries}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_database_is_started_anew(corpus: Path, cache_dir: Path, damage: str) -> None:
    """The database file itself overwritten or cut short (between runs): the run still lints, and
    the cache works again afterwards."""
    from checker.accel.cache_store import DB_NAME

    expected = _fingerprints(_run(corpus, cache=False))
    _run(corpus)
    db = cache_dir / DB_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    data = db.read_bytes()
    db.write_bytes({"garbage": os.urandom(len(data)), "truncated": data[: len(data) // 3], "empty": b""}[damage])
    assert _fingerprints(_run(corpus)) == expected
    assert _fingerprints(_run(corpus)) == expected
    assert any(kind == "run" for kind, _, _ in _rows(cache_dir)), "entries are stored again"


def test_get_put_round_trip_and_garbage(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = make_key("x", 1)
    assert cache.get("t", key) is None
    cache.put("t", key, {"a": [1, 2]})
    assert cache.get("t", key) == {"a": [1, 2]}
    cache.store.put("t", key, b"not a cache entry")
    assert cache.get("t", key) is None
    assert cache.store.get("t", key) is None, "the bad entry is deleted"


def test_unwritable_directory_only_disables_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = Cache(blocker / "sub")  # a directory cannot be made under a file
    cache.put("t", make_key("k"), 1)
    assert cache.get("t", make_key("k")) is None


# ------------------------------------------------------------------ authentication


def _rows(cache_dir: Path) -> list[tuple[str, str, bytes]]:
    """Every entry of the cache directory as stored: (kind, key, bytes)."""
    from checker.accel.cache_store import EntryStore

    wait_for_writes()
    return EntryStore(cache_dir).items()


def _write_row(cache_dir: Path, kind: str, key: str, data: bytes) -> None:
    """Store `data` as an entry directly, as a corrupt disk or an attacker with access to the directory might."""
    from checker.accel.cache_store import EntryStore

    EntryStore(cache_dir).put(kind, key, data)


def _refuse_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make pickle.loads (and the Unpickler) fail the test if the cache ever calls them."""
    def refuse(*args, **kwargs):
        pytest.fail("the cache unpickled something")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)


class _MakesDirectory:
    """Unpickling this calls os.mkdir(marker): the proof of code execution the tests look for."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def test_a_damaged_entry_misses_and_is_rewritten(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = make_key("t", 1)
    cache.put("t", key, {"value": "honest"})
    data = cache.store.get("t", key)
    assert data is not None and data.endswith(b'["data",{"value":"honest"}]')
    cache.store.put("t", key, data.replace(b"honest", b"forged"))  # payload changed, header and checksum kept
    assert cache.get("t", key) is None
    assert cache.store.get("t", key) is None, "the bad entry is deleted"
    cache.put("t", key, {"value": "honest"})
    assert cache.get("t", key) == {"value": "honest"}, "and rewritten on the next store"


def test_tampered_run_entries_are_relinted_and_rewritten(corpus: Path, cache_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fingerprints(_run(corpus, cache=False))
    _run(corpus)
    tampered = {}
    for kind, key, data in _rows(cache_dir):
        tampered[kind, key] = data[:-1] + bytes([data[-1] ^ 1])  # one payload bit flipped, header and sum kept
        _write_row(cache_dir, kind, key, tampered[kind, key])
    assert tampered
    assert _fingerprints(_run(corpus)) == expected
    now = {(kind, key): data for kind, key, data in _rows(cache_dir)}
    assert all(now.get(k) != t for k, t in tampered.items()), "every tampered entry was dropped or rewritten"
    cache = Cache()
    assert all(cache.get(kind, key) is not None for kind, key in now), "and what is there verifies"


def test_runs_never_unpickle(corpus: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cold, warm and after an edit: every entry is written and read back as data."""
    expected = _fingerprints(_run(corpus, cache=False))
    _refuse_unpickling(monkeypatch)
    assert _fingerprints(_run(corpus)) == expected
    assert _fingerprints(_run(corpus)) == expected
    victim = sorted(corpus.glob("*.yaml"))[0]
    victim.write_bytes(victim.read_bytes() + b"# an edit\n")
    assert _fingerprints(_run(corpus)) == _fingerprints(_run(corpus, cache=False))
    assert {kind for kind, _, _ in _rows(cache_dir)} == {"doc", "group", "run"}


def test_entries_read_back_equal_to_what_was_stored(corpus: Path) -> None:
    from checker.accel.cache_codec import decode, encode
    from checker.accel.stub import DocumentSummary
    from checker.domain.load import load_paths
    from checker.engine.result import RunResult
    from checker.source.inputs import InputError

    report = api.run(api.LintOptions(paths=(str(corpus),), as_of=dt.date(2017, 12, 31), cache=False))
    findings = tuple(report.findings) + tuple(report.findings)  # equal strings, stored once in the entry
    back = decode(encode(findings))
    assert back == findings and [f.fingerprint for f in back] == [f.fingerprint for f in findings]
    assert all("fingerprint" in f.__dict__ for f in back), "fingerprints come back, not hashed again"
    assert back[0].message is back[len(report.findings)].message
    assert len(encode(findings)) < 1.6 * len(encode(tuple(report.findings)))
    errors = [InputError("a.yaml", 3, 4, "YAML error: …", "yaml-syntax")]
    run = RunResult(findings, tuple(errors), ("notes.txt",), ("a.yaml", "b.yaml"), report.summary.rules)
    assert decode(encode(run)) == run and decode(encode(errors)) == errors
    for doc in load_paths([corpus]).documents:
        summary = DocumentSummary.of(doc)
        again = decode(encode(summary))
        assert again == summary and again.header == doc.header
    assert encode(object()) is None and encode({1.5, 2}) is None


def test_malicious_pickle_with_a_valid_looking_header_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    cache = Cache(tmp_path / "cache")
    key = make_key("t", 3)
    evil = pickle.dumps(_MakesDirectory(marker))
    for tag in (bytes(32), os.urandom(32), b"", Cache._sum("t", key, evil)):  # the last one checks out
        cache.store.put("t", key, rc._MAGIC + key.encode() + b"\n" + tag + evil)
        assert cache.get("t", key) is None
        assert not marker.exists() and cache.store.get("t", key) is None


def test_malicious_pickles_in_place_of_every_entry_never_run(corpus: Path, cache_dir: Path, tmp_path: Path) -> None:
    expected = _fingerprints(_run(corpus))
    marker = tmp_path / "pwned"
    evil = pickle.dumps(_MakesDirectory(marker))
    entries = _rows(cache_dir)
    assert entries
    for kind, key, _ in entries:
        _write_row(cache_dir, kind, key, rc._MAGIC + key.encode() + b"\n" + Cache._sum(kind, key, evil) + evil)
    assert _fingerprints(_run(corpus)) == expected
    assert not marker.exists()


def test_entries_are_read_back_and_a_forked_child_writes_with_a_connection_of_its_own(tmp_path: Path) -> None:
    import os

    cache = Cache(tmp_path / "cache")
    keys = [make_key("bg", i) for i in range(50)]
    for i, key in enumerate(keys):
        cache.put("bg", key, {"i": i})
    assert [cache.get("bg", key) for key in keys] == [{"i": i} for i in range(50)]
    pid = os.fork()
    if pid == 0:  # the same Cache object: its store opens a connection of its own in this process
        code = 1
        try:
            cache.put("bg", make_key("child"), "from the child")
            code = 0 if cache.get("bg", keys[7]) == {"i": 7} else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("bg", make_key("child")) == "from the child"
    assert cache.get("bg", keys[7]) == {"i": 7}, "the parent's connection still works"


def test_processes_writing_side_by_side_lose_nothing(tmp_path: Path) -> None:
    """Like a pool's workers (or two runs at once) storing entries in one directory at the same time."""
    import os

    pids = []
    for n in range(3):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                writer = Cache(tmp_path / "cache")
                for i in range(200):
                    writer.put("w", make_key(n, i), [n, i, "x" * 1000])
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in pids)
    cache = Cache(tmp_path / "cache")
    assert all(cache.get("w", make_key(n, i)) == [n, i, "x" * 1000] for n in range(3) for i in range(200))


def test_a_detached_entry_is_there_once_the_writes_are_waited_for(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    key = make_key("detached", 1)
    cache.put_detached("detached", key, list(range(100_000)))
    wait_for_writes()
    assert cache.store.get("detached", key) is not None
    assert Cache(tmp_path / "cache").get("detached", key) == list(range(100_000))


def test_a_detached_writer_starts_after_the_report_but_its_entry_is_announced_at_once(tmp_path: Path) -> None:
    """The writer is forked at the next cache read of this process (or at its end), not while the report
    renders; readers elsewhere see the announcement meanwhile and wait, and a read here starts it."""
    from checker.accel.cache_writes import WRITER

    cache = Cache(tmp_path / "cache")
    key = make_key("deferred", 1)
    cache.put_detached("run", key, ["finding", 1])
    assert cache._marker("run", key).exists()
    assert WRITER.mine().deferred and not WRITER.children and not cache.has("run", key)
    assert cache.get("run", key) == ["finding", 1]  # the read starts the writer and waits for it
    assert not WRITER.deferred and not cache._marker("run", key).exists()


def test_a_detached_put_without_a_process_to_fork_writes_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    cache = Cache(tmp_path / "cache")
    key = make_key("detached", 2)
    cache.put_detached("detached", key, "written here")
    assert cache.get("detached", key) == "written here"


def test_a_reader_elsewhere_waits_for_an_announced_entry(tmp_path: Path) -> None:
    """A run does not wait for its detached writer at exit; a run right after it finds the entry announced
    and waits for it rather than linting everything again."""
    from checker.accel.cache_writes import announce, retire

    writer = Cache(tmp_path / "cache")
    key = make_key("announced", 1)
    marker = writer._marker("run", key)
    announce(marker)
    assert marker.exists() and not writer.has("run", key)
    reader = Cache(tmp_path / "cache")
    timer = threading.Timer(0.3, lambda: (Cache(tmp_path / "cache").put("run", key, "late but there"),
                                          retire(marker)))
    timer.start()
    try:
        assert reader.get("run", key) == "late but there"
    finally:
        timer.join()


def test_a_stale_announcement_is_given_up_and_removed(tmp_path: Path) -> None:
    from checker.accel import cache_writes
    from checker.accel.cache_writes import announce

    cache = Cache(tmp_path / "cache")
    marker = cache._marker("run", make_key("announced", 2))
    announce(marker)  # by a writer that was killed before it wrote anything
    old = marker.stat().st_mtime - cache_writes.PENDING_TIMEOUT - 1
    os.utime(marker, (old, old))
    assert cache.get("run", make_key("announced", 2)) is None
    assert not marker.exists()


def test_clearing_the_cache_cancels_an_announced_write(tmp_path: Path) -> None:
    """`rm -rf` of the cache while a detached writer works: the next run must be a cold one. The writer
    stores only while its announcement is there, and clearing the directory removes it."""
    from checker.accel.cache_writes import announce, still_announced

    cache = Cache(tmp_path / "cache")
    marker = cache._marker("run", make_key("announced", 3))
    announce(marker)
    assert still_announced(marker)
    shutil.rmtree(tmp_path / "cache")
    assert not still_announced(marker)


def test_runs_in_a_row_share_the_entry_of_a_detached_writer(corpus: Path, cache_dir: Path) -> None:
    import subprocess
    import sys

    args = [sys.executable, "-m", "checker.cli", "lint", str(corpus), "--as-of", "2017-12-31", "--format", "json"]
    env = {**os.environ, "ROADMAP_CHECK_CACHE_DIR": str(cache_dir)}
    first = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # pipes closed at its exit
    second = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == second.returncode == 1 and first.stdout == second.stdout
    deadline = time.monotonic() + 10
    while any((cache_dir / "pending").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any((cache_dir / "pending").iterdir())
    assert any(kind == "run" for kind, _, _ in _rows(cache_dir))


def test_detached_writes_while_this_process_keeps_its_connection_are_all_stored(tmp_path: Path) -> None:
    """Forks while a connection is open (the pool's workers, the detached writer): SQLite's lock state
    must not cross the fork, or a child's write is lost now and then ('database is locked')."""
    cache = Cache(tmp_path / "cache")
    keys = [make_key("detached-many", i) for i in range(12)]
    for i, key in enumerate(keys):
        assert cache.get("other", key) is None  # the connection is open in this process when it forks
        cache.put_detached("detached-many", key, ["finding"] * 1000 + [i])
        cache.put("small", key, i)
    wait_for_writes()
    reader = Cache(tmp_path / "cache")
    assert [reader.get("detached-many", key)[-1] for key in keys] == list(range(12))
    assert [reader.get("small", key) for key in keys] == list(range(12))


@pytest.mark.parametrize("what", ["a directory", "a symbolic link"])
def test_a_database_path_that_is_not_a_file_turns_caching_off(corpus: Path, cache_dir: Path, tmp_path: Path,
                                                              what: str) -> None:
    from checker.accel.cache_store import DB_NAME

    cache_dir.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("not the cache's to write\n")
    if what == "a directory":
        (cache_dir / DB_NAME).mkdir()
    else:
        (cache_dir / DB_NAME).symlink_to(victim)
    expected = _fingerprints(_run(corpus, cache=False))
    assert _fingerprints(_run(corpus)) == expected
    assert _fingerprints(_run(corpus)) == expected
    assert victim.read_text() == "not the cache's to write\n"
    cache = Cache(cache_dir)
    cache.put("t", make_key("k"), 1)
    assert cache.get("t", make_key("k")) is None


def test_the_cache_keeps_the_newest_run_entries_and_stays_under_its_size(tmp_path: Path) -> None:
    from checker.accel.cache_store import EntryStore

    store = EntryStore(tmp_path / "cache")
    for i in range(30):
        store.put("run", f"r{i}", b"r" * 1000)
        store.put("group", f"g{i}", b"g" * 100)
    store.trim(10**9, keep={"run": 5})
    assert [key for kind, key, _ in store.items() if kind == "run"] == [f"r{i}" for i in range(25, 30)]
    assert len([1 for kind, _, _ in store.items() if kind == "group"]) == 30, "other kinds are not counted"
    before = store.size()
    store.trim(2000)  # over: cut to three quarters of it, the oldest written first
    assert store.size() <= 1500 < before
    left = {key for _, key, _ in store.items()}
    assert "r29" in left and "g29" in left and "g0" not in left
    store.put("group", "g0", b"g" * 100)  # written again: now the newest
    store.trim(1400)
    assert "g0" in {key for _, key, _ in store.items()}


def test_runs_keep_the_cache_bounded(corpus: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every state of the files stores a whole-run entry: only the newest KEEP_DETACHED stay."""
    monkeypatch.setattr(rc, "KEEP_DETACHED", 3)
    target = corpus / "kaikaku-2016-it.yaml"
    original = target.read_text(encoding="utf-8")
    for i in range(6):
        target.write_text(original + f"# edit {i}\n", encoding="utf-8")
        _run(corpus)
    assert len([1 for kind, _, _ in _rows(cache_dir) if kind == "run"]) == 3
    assert _fingerprints(_run(corpus)) == _fingerprints(_run(corpus, cache=False)), "and still right"


def test_the_size_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rc.MAX_MB_ENV, raising=False)
    assert rc.max_bytes() == rc.DEFAULT_MAX_MB * 1024 * 1024
    monkeypatch.setenv(rc.MAX_MB_ENV, "64")
    assert rc.max_bytes() == 64 * 1024 * 1024
    for unusable in ("0", "-5", "lots", ""):
        monkeypatch.setenv(rc.MAX_MB_ENV, unusable)
        assert rc.max_bytes() == rc.DEFAULT_MAX_MB * 1024 * 1024

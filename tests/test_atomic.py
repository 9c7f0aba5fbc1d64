"""Atomic writes (checker/source/atomic.py): an interrupted write leaves the old file whole and no temporary file behind.

Failures are injected at each step of a write (while writing, at fsync, at the rename) and as a
KeyboardInterrupt; then through the CLI for --output reports and `baseline create`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.source import atomic

REPO = Path(__file__).resolve().parent.parent
OLD = "old report: complete\n" * 100
NEW = "新しい報告\n" * 10_000


def leftovers(directory: Path, name: str) -> list[str]:
    """Temporary files atomic.write_* may have left (named .NAME.*.tmp beside the target)."""
    return sorted(p.name for p in directory.iterdir() if p.name != name)


class Boom(OSError):
    pass


def _fail_write(monkeypatch) -> None:
    """Make the file object's write() put half the data on disk, then fail (a full disk)."""
    real_fdopen = os.fdopen

    class HalfFile:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise Boom(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: HalfFile(real_fdopen(fd, mode)))


def _fail_fsync(monkeypatch) -> None:
    def fsync(fd: int) -> None:
        raise Boom(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def _fail_replace(monkeypatch) -> None:
    def replace(src, dst) -> None:
        raise Boom(18, "Invalid cross-device link")

    monkeypatch.setattr(atomic.os, "replace", replace)


def _interrupt(monkeypatch) -> None:
    def fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", fsync)


INJECTIONS = {"write": (_fail_write, Boom), "fsync": (_fail_fsync, Boom), "rename": (_fail_replace, Boom),
              "ctrl-c": (_interrupt, KeyboardInterrupt)}


@pytest.mark.parametrize("step", INJECTIONS)
def test_failure_mid_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch, step):
    target = tmp_path / "report.json"
    target.write_text(OLD, encoding="utf-8")
    inject, error = INJECTIONS[step]
    inject(monkeypatch)
    with pytest.raises(error):
        atomic.write_text(target, NEW)
    assert target.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path, "report.json") == []


@pytest.mark.parametrize("step", INJECTIONS)
def test_failure_on_a_new_file_leaves_nothing(tmp_path, monkeypatch, step):
    inject, error = INJECTIONS[step]
    inject(monkeypatch)
    with pytest.raises(error):
        atomic.write_text(tmp_path / "new.json", NEW)
    assert list(tmp_path.iterdir()) == []


def test_readers_see_the_old_file_until_the_rename(tmp_path, monkeypatch):
    """Just before the rename the new content is complete in the temp file and the target is still old."""
    target = tmp_path / "report.json"
    target.write_text(OLD, encoding="utf-8")
    real_replace = os.replace
    seen: list[tuple[str, str]] = []

    def replace(src, dst) -> None:
        seen.append((Path(dst).read_text(encoding="utf-8"), Path(src).read_text(encoding="utf-8")))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.write_text(target, NEW)
    assert seen == [(OLD, NEW)]
    assert target.read_text(encoding="utf-8") == NEW
    assert leftovers(tmp_path, "report.json") == []


def test_success_writes_exact_bytes_and_creates_parents(tmp_path):
    target = tmp_path / "a" / "b" / "report.sarif"
    atomic.write_text(target, "改行\r\nなし")
    assert target.read_bytes() == "改行\r\nなし".encode()
    atomic.write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert leftovers(target.parent, "report.sarif") == []


def test_existing_mode_is_kept(tmp_path):
    target = tmp_path / "report.json"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    atomic.write_text(target, NEW)
    assert target.stat().st_mode & 0o777 == 0o640


# ---------------------------------------------------------------- through the CLI


def _corpus(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "roadmaps", tmp_path / "r")
    return tmp_path / "r"


def test_lint_output_interrupted_keeps_the_old_report(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text(OLD, encoding="utf-8")
    _fail_write(monkeypatch)
    result = CliRunner().invoke(main, ["lint", str(corpus), "--no-cache", "--as-of", "2017-12-31",
                                       "--format", "json", "--output", str(out)])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(out.parent, "report.json") == []


def test_lint_output_written_whole(tmp_path):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out" / "report.json"
    result = CliRunner().invoke(main, ["lint", str(corpus), "--no-cache", "--as-of", "2017-12-31",
                                       "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    import json

    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert leftovers(out.parent, "report.json") == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_written_in_place_not_replaced(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomic.write_text(fifo, NEW)
    reader.join(timeout=10)
    assert got == [NEW.encode("utf-8")]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it
    assert leftovers(tmp_path, "report.pipe") == []


def test_lint_output_to_a_device_leaves_it_a_device(tmp_path):
    """--output /dev/null (the benchmark writes there): as root, a rename over it replaced the device.
    Tried on a null device made for the test, so that a regression cannot break the machine's own."""
    import stat

    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # Linux's null device
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here (needs root on Linux)")
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(main, ["lint", str(corpus), "--no-cache", "--as-of", "2017-12-31",
                                       "--format", "json", "--output", str(null)])
    assert result.exit_code == 1
    assert stat.S_ISCHR(null.stat().st_mode)
    assert not list(tmp_path.glob(".null.*.tmp"))


def test_baseline_create_interrupted_keeps_the_old_baseline(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    baseline = tmp_path / "b" / "baseline.json"
    baseline.parent.mkdir()
    baseline.write_text(OLD, encoding="utf-8")
    _fail_fsync(monkeypatch)
    result = CliRunner().invoke(main, ["baseline", "create", str(corpus), "--no-cache", "--as-of", "2017-12-31",
                                       "--output", str(baseline)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "Input/output error" in result.stderr
    assert baseline.read_text(encoding="utf-8") == OLD
    assert leftovers(baseline.parent, "baseline.json") == []

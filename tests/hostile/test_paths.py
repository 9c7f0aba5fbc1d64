"""Paths that cannot be read: permission denied, symlink loops, missing paths, and non-YAML files in the tree."""

from __future__ import annotations

import errno
import os
import pathlib

import pytest

from tests.helpers.hostile import (
    GOOD_DOC,
    assert_good_still_checked,
    assert_input_error,
    assert_no_traceback,
    lint,
    write_corpus,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode; the simulated test below covers it")
def test_file_with_mode_000_is_an_input_error(tmp_path):
    directory = write_corpus(tmp_path / "c", {"secret.yaml": GOOD_DOC.replace("good", "secret")})
    secret = directory / "secret.yaml"
    secret.chmod(0)
    try:
        assert_input_error(lint(str(directory)), "secret.yaml", "cannot read file: Permission denied", 1, 1)
    finally:
        secret.chmod(0o644)


def test_unreadable_file_is_an_input_error_simulated(tmp_path, monkeypatch):
    """As the permission check above, for root: reading that one file raises EACCES."""
    directory = write_corpus(tmp_path / "c", {"secret.yaml": GOOD_DOC.replace("good", "secret")})
    real_read = pathlib.Path.read_bytes

    def read_bytes(self: pathlib.Path) -> bytes:
        if self.name == "secret.yaml":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    assert_input_error(lint(str(directory)), "secret.yaml", "cannot read file: Permission denied", 1, 1)


def test_unreadable_directory_is_an_input_error_simulated(tmp_path, monkeypatch):
    directory = write_corpus(tmp_path / "c", {"locked/inner.yaml": GOOD_DOC.replace("good", "inner")})
    real_iterdir = pathlib.Path.iterdir

    def iterdir(self: pathlib.Path):
        if self.name == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_iterdir(self)

    monkeypatch.setattr(pathlib.Path, "iterdir", iterdir)
    assert_input_error(lint(str(directory)), "locked", "cannot read directory: Permission denied", 1, 1)


def test_directory_symlink_loop_is_reported_once_and_does_not_hang(tmp_path):
    directory = write_corpus(tmp_path / "c", {})
    (directory / "sub").mkdir()
    (directory / "sub" / "back").symlink_to(directory, target_is_directory=True)
    run = lint(str(directory))
    error = assert_input_error(run, "back", "directory loop (symlink) skipped", 1, 1)
    assert len(run.input_errors()) == 1, run.input_errors()
    # The loop did not make GOOD_DOC count twice.
    assert len(run.findings("reform-item-responsible-missing")) == 1
    assert error["location"]["file"].endswith("sub/back")


def test_file_symlink_loop_is_an_input_error(tmp_path):
    directory = write_corpus(tmp_path / "c", {})
    (directory / "a.yaml").symlink_to(directory / "b.yaml")
    (directory / "b.yaml").symlink_to(directory / "a.yaml")
    run = lint(str(directory))
    assert_input_error(run, "a.yaml", "cannot read file: Too many levels of symbolic links", 1, 1)
    assert_input_error(run, "b.yaml", "cannot read file: Too many levels of symbolic links", 1, 1)


def test_dangling_symlink_is_an_input_error(tmp_path):
    directory = write_corpus(tmp_path / "c", {})
    (directory / "gone.yaml").symlink_to(directory / "nowhere.yaml")
    assert_input_error(lint(str(directory)), "gone.yaml", "cannot read file: No such file or directory", 1, 1)


def test_path_that_does_not_exist_is_an_input_error(tmp_path):
    directory = write_corpus(tmp_path / "c", {})
    run = lint(str(directory), str(tmp_path / "no-such-dir"), str(tmp_path / "no-such-file.yaml"))
    assert_input_error(run, "no-such-dir", "no such file or directory", 1, 1)
    assert_input_error(run, "no-such-file.yaml", "no such file or directory", 1, 1)


NON_YAML = {"README.md": "# 改革工程表\n", "table.csv": "番号,工程\n15,調査\n", "image.png": b"\x89PNG\r\n\x1a\n",
            "data.yaml.bak": GOOD_DOC, "notes.txt": "not yaml: at all: [\n"}


def test_non_yaml_files_are_skipped_silently_by_default(tmp_path):
    directory = write_corpus(tmp_path / "c", NON_YAML)
    run = lint(str(directory))
    assert_no_traceback(run)
    assert run.exit_code == 1 and run.input_errors() == []
    assert_good_still_checked(run)
    assert "skipped" not in run.stderr


def test_non_yaml_files_are_named_with_verbose(tmp_path):
    directory = write_corpus(tmp_path / "c", {**NON_YAML, "upper.YML": GOOD_DOC.replace("good", "upper")})
    run = lint(str(directory), "--verbose")
    assert_no_traceback(run)
    assert run.exit_code == 1 and run.input_errors() == []
    skipped = sorted(line.rsplit("/", 1)[-1] for line in run.stderr.splitlines() if "skipped (not YAML)" in line)
    assert skipped == sorted(NON_YAML)
    # .YML in capitals is YAML: linted, with its own finding.
    files = sorted(f["location"]["file"].rsplit("/", 1)[-1] for f in run.findings("reform-item-responsible-missing"))
    assert files == ["good.yaml", "upper.YML"]


def test_hidden_directories_are_not_walked(tmp_path):
    """.git and editor folders hold no roadmaps: a broken file there is neither read nor reported."""
    directory = write_corpus(tmp_path / "c", {".git/broken.yaml": "document: {id: x\n"})
    run = lint(str(directory))
    assert run.exit_code == 1 and run.input_errors() == []
    assert_good_still_checked(run)

"""Size and shape attacks: alias bombs, absurd nesting, huge files and lines, floods of values.

Each runs the real CLI in a child process beside GOOD_DOC and measures wall time and the child's peak
RSS (os.wait4). The bounds (10 s, 500 MB) are safety bounds, not performance targets: they fail only if
a limit stops working. The limits (checker.domain.load.Limits, all configurable; --max-file-size on the CLI):

    max_bytes       20 MiB      the largest real document is ~7 KB, the largest benchmark file 4.5 MB
    max_depth       64          real documents nest 7 levels
    max_nodes       250,000     values per file, aliases expanded; real files ~2,000, benchmarks ≤ 110,000
    max_line_chars  1,000,000   one line; the longest real line is under 1,000 characters
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from checker.domain.load import Limits, LoadedDocument, load_bytes, load_text
from tests.helpers.hostile import (
    GOOD_NAME,
    assert_good_still_checked,
    assert_input_error,
    assert_no_traceback,
    lint_subprocess,
    write_corpus,
)

MAX_SECONDS = 10.0
MAX_RSS = 500 * 1024 * 1024
MEASURED: dict[str, tuple[float, int]] = {}
"""case → (seconds, peak RSS bytes), printed with -s."""

HEAD = "document: {id: big, kind: roadmap, title: 改革工程表, revision: 2016}\n"


def billion_laughs() -> str:
    """Nine levels of ten aliases each: 10⁹ values once expanded, 500 bytes as written."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return HEAD + "reform_items: []\n" + "\n".join(lines) + "\n"


def _measure(name: str, tmp_path: Path, content: bytes | str, *args: str):
    directory = write_corpus(tmp_path / "c", {name: content})
    run = lint_subprocess(str(directory), *args)
    MEASURED[name] = (run.seconds, run.max_rss)
    print(f"{name}: {run.seconds:.2f} s, peak RSS {run.max_rss / 2**20:.0f} MiB")
    assert run.seconds < MAX_SECONDS, f"{name} took {run.seconds:.1f} s"
    assert run.max_rss < MAX_RSS, f"{name} peaked at {run.max_rss / 2**20:.0f} MiB"
    return run


CASES = [
    ("billion-laughs.yaml", billion_laughs(), "expands to more than 250,000 values", 8),
    ("deep-flow-list.yaml", HEAD + "reform_items: " + "[" * 10_000 + "]" * 10_000 + "\n",
     "nesting deeper than 64 levels", 2),
    ("deep-flow-map.yaml", HEAD + "reform_items: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
     "nesting deeper than 64 levels", 2),
    # Block style 10,000 deep: compact nested sequences keep it to 20 KB ("- - - … x").
    ("deep-block-list.yaml", HEAD + "reform_items:\n" + "- " * 10_000 + "x\n", "nesting deeper than 64 levels", 3),
    # Block mappings need one more space per level: 2,000 levels are 2 MB (10,000 would be 50 MB: below).
    ("deep-block-map.yaml", HEAD + "reform_items:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(2_000)),
     "nesting deeper than 64 levels", 67),
    ("flood-of-values.yaml", HEAD + "reform_items:\n" + "- 1\n" * 1_000_000,
     "the file holds more than 250,000 values", None),
    ("one-megabyte-line.yaml", HEAD + "reform_items:\n  - number: 15\n    title: " + "x" * 2**20 + "\n",
     "line 4 is longer than 1000000 characters", 4),
]


@pytest.mark.parametrize(("name", "content", "fragment", "line"), CASES, ids=[c[0] for c in CASES])
def test_shape_attack_is_refused_in_bounded_time_and_memory(tmp_path, name, content, fragment, line):
    run = _measure(name, tmp_path, content)
    assert_input_error(run, name, fragment, line)


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path):
    content = (b"#" + b"x" * 98 + b"\n") * 500_000
    assert len(content) == 50_000_000
    run = _measure("fifty-megabytes.yaml", tmp_path, content)
    assert_input_error(run, "fifty-megabytes.yaml", "over the limit of 20,971,520 (raise it with --max-file-size)", 1)
    # Refused from its size alone: the process stays far below the file's size.
    assert run.max_rss < 50_000_000


def test_fifty_megabyte_file_with_the_limit_raised_is_still_bounded(tmp_path):
    content = (b"# " + b"x" * 98 + b"\n") * 500_000
    run = _measure("fifty-megabytes-allowed.yaml", tmp_path, content, "--max-file-size", str(64 * 2**20))
    assert_input_error(run, "fifty-megabytes-allowed.yaml", "holds no YAML document (empty, or only comments)", 1)


def test_deep_block_map_of_ten_thousand_levels_is_refused_by_size(tmp_path):
    content = HEAD + "reform_items:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(10_000))
    assert len(content) > 50_000_000
    run = _measure("deep-block-map-10k.yaml", tmp_path, content)
    assert_input_error(run, "deep-block-map-10k.yaml", "over the limit of 20,971,520", 1)


def test_one_megabyte_line_of_japanese_is_read_and_linted(tmp_path):
    """A 1 MB line of Japanese is ~350,000 characters: within max_line_chars, so it is checked like any text."""
    title = "自治体クラウドの取組事例について調査・研究" * 17_000
    content = HEAD + f"reform_items:\n  - number: 15\n    title: {title}\n    responsible: []\n"
    assert len(content.encode()) > 1_000_000
    run = _measure("japanese-line.yaml", tmp_path, content)
    assert_no_traceback(run)
    assert run.exit_code == 1 and run.input_errors() == []
    assert_good_still_checked(run)
    files = {Path(f["location"]["file"]).name for f in run.findings("reform-item-responsible-missing")}
    assert files == {GOOD_NAME, "japanese-line.yaml"}


def test_deeply_nested_rule_file_is_a_rule_error(tmp_path):
    rules = tmp_path / "deep-rules.yaml"
    rules.write_text("rules: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    directory = write_corpus(tmp_path / "c", {})
    run = lint_subprocess(str(directory), "--rules", str(rules))
    assert_no_traceback(run)
    assert run.exit_code == 2 and run.stdout == ""
    assert f"{rules.as_posix()}:1:" in run.stderr and "nesting deeper than 64 levels" in run.stderr
    assert run.seconds < MAX_SECONDS and run.max_rss < MAX_RSS


# ---------------------------------------------------------------- the limits are configurable


def _codes(result) -> list[tuple[int, str]]:
    assert isinstance(result, list), result
    return [(e.line, e.code) for e in result]


def test_each_limit_is_configurable():
    doc = HEAD + "reform_items:\n  - number: 15\n    title: 業務の簡素化\n    responsible: [総務省]\n"
    assert isinstance(load_bytes(doc.encode(), "a.yaml"), LoadedDocument)
    assert _codes(load_bytes(doc.encode(), "a.yaml", Limits(max_bytes=100))) == [(1, "too-large")]
    assert _codes(load_bytes(doc.encode(), "a.yaml", Limits(max_depth=2))) == [(3, "too-deep")]
    assert _codes(load_bytes(doc.encode(), "a.yaml", Limits(max_nodes=10))) == [(1, "too-large")]
    assert _codes(load_bytes(doc.encode(), "a.yaml", Limits(max_line_chars=40))) == [(1, "too-large")]
    # The pre-count before composing (files longer than max_nodes / 2 characters) names the line too.
    flood = HEAD + "reform_items:\n" + "- 1\n" * 100
    assert _codes(load_bytes(flood.encode(), "a.yaml", Limits(max_nodes=50))) == [(40, "too-large")]


def test_no_recursion_error_even_with_a_low_recursion_limit():
    """The depth limit fires long before Python's recursion limit, whatever that is set to."""
    text = HEAD + "reform_items: " + "[" * 10_000 + "]" * 10_000 + "\n"
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        result = load_text(text, "deep.yaml")
    finally:
        sys.setrecursionlimit(old)
    assert _codes(result) == [(2, "too-deep")]

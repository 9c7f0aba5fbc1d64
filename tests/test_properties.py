"""Properties of the whole pipeline, with hypothesis: no exception on any corpus, order- and hash-independent
findings, positions inside their files, fingerprints that survive unrelated edits, mutated bytes that only
ever give findings or input errors.

The PYTHONHASHSEED property runs the real CLI in child processes (set and iteration order of str keys
depends on the hash seed, which a single process cannot vary).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker.domain.findings import Finding
from checker.domain.load import LoadedDocument, LoadResult, load_bytes, load_paths
from checker.engine.run import lint
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset
from tests.helpers.mutate import dump_yaml
from tests.helpers.strategies import corpora

REPO = Path(__file__).resolve().parent.parent
ROADMAPS = REPO / "roadmaps"
ORIGINALS = {p.name: p.read_bytes() for p in sorted(ROADMAPS.glob("*.yaml"))}
AS_OF = dt.date(2017, 12, 31)
RULESET, RULE_ERRORS = load_ruleset([DEFAULT_RULES_DIR])


def _settings(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


def _write(directory: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (directory / name).write_bytes(data)


def _lint_files(files: dict[str, bytes], as_of: dt.date = AS_OF) -> tuple[LoadResult, list[Finding]]:
    # hypothesis reuses pytest's tmp_path across examples: a fresh directory each time instead.
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), files)
        loaded = load_paths([tmp])
        result = lint(loaded.documents, RULESET, as_of, input_errors=loaded.errors)
        findings = [_relative(f, tmp) for f in result.findings]
        return loaded, findings


def _relative(f: Finding, tmp: str):
    from dataclasses import replace

    return replace(f, location=replace(f.location, file=Path(f.location.file).name))


def _signature(findings: list[Finding]) -> list[tuple]:
    """What must not depend on file names or order: rule, document, position, message and fingerprint."""
    return sorted((f.rule, f.location.document, f.location.path, f.location.line, f.location.column, f.message,
                   f.fingerprint) for f in findings)


def test_ruleset_loads():
    assert RULE_ERRORS == []


# ---------------------------------------------------------------- 1. any valid corpus lints


@_settings(60)
@given(corpora())
def test_any_generated_corpus_lints_without_exception(corpus):
    files = {name: dump_yaml(data).encode() for name, data in corpus.documents.items()}
    loaded, findings = _lint_files(files, corpus.as_of)
    assert loaded.errors == []
    assert len(loaded.documents) == len(files)
    assert all(f.rule != "input-error" for f in findings)


# ---------------------------------------------------------------- 2. order and hash seed do not matter


@_settings(40)
@given(st.permutations(sorted(ORIGINALS)), st.lists(st.sampled_from("abcdefghij"), min_size=7, max_size=7))
def test_findings_do_not_depend_on_file_names_or_order(order, prefixes):
    """Files renamed so that they sort in another order give the same findings (modulo the file name)."""
    renamed = {f"{p}{i:02d}-{name}": ORIGINALS[name] for i, (p, name) in enumerate(zip(prefixes, order, strict=True))}
    _, findings = _lint_files(renamed)
    _, baseline = _lint_files(ORIGINALS)
    assert findings and _signature(findings) == _signature(baseline)


def _cli_json(directory: Path, hash_seed: str) -> list[tuple]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "lint", str(directory), "--no-cache", "--as-of",
                           AS_OF.isoformat(), "--format", "json"], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    return [(f["rule"], f["location"]["document"], f["location"]["path"], f["location"]["line"],
             f["location"]["column"], f["message"], f["fingerprint"], Path(f["location"]["file"]).name)
            for f in report["findings"]]


def test_findings_do_not_depend_on_hash_seed_or_file_order(tmp_path):
    """The CLI under four PYTHONHASHSEEDs, on the corpus and on a copy renamed to sort in reverse."""
    forward = tmp_path / "forward"
    shutil.copytree(ROADMAPS, forward)
    backward = tmp_path / "backward"
    backward.mkdir()
    names = sorted(ORIGINALS)
    new_names = {name: f"{len(names) - i:02d}-{name}" for i, name in enumerate(names)}
    _write(backward, {new_names[name]: data for name, data in ORIGINALS.items()})
    runs = {(which, seed): _cli_json(directory, seed)
            for which, directory in (("forward", forward), ("backward", backward))
            for seed in ("0", "1", "4242", "random")}
    reference = runs[("forward", "0")]
    assert reference
    for (which, seed), found in runs.items():
        if which == "forward":
            assert found == reference, seed  # byte-for-byte the same findings in the same order
        else:
            unnamed = sorted(f[:-1] for f in found)
            assert unnamed == sorted(f[:-1] for f in reference), seed
            assert sorted(f[-1] for f in found) == sorted(new_names[f[-1]] for f in reference), seed


# ---------------------------------------------------------------- 3. positions inside their files


def _assert_inside(findings: list[Finding], files: dict[str, bytes]) -> None:
    for f in findings:
        lines = files[f.location.file].decode("utf-8", "replace").splitlines()
        loc = f.location
        if f.rule == "input-error":
            assert 1 <= loc.line <= len(lines) + 1 and loc.column >= 1, f
            continue
        assert 1 <= loc.line <= len(lines), f
        assert 1 <= loc.column <= len(lines[loc.line - 1]) + 1, f
        assert (loc.end_line, loc.end_column) >= (loc.line, loc.column), f
        assert loc.end_line <= len(lines) + 1, f


@st.composite
def defected_corpus(draw) -> dict[str, bytes]:
    """The real corpus with some values emptied or replaced, so that many rules fire (still valid YAML)."""
    from tests.helpers.mutate import load_yaml

    files = {}
    for name, raw in ORIGINALS.items():
        data = load_yaml(raw.decode("utf-8"))
        for item in data.get("reform_items", []):
            if draw(st.booleans()):
                item["responsible"] = []
            for key in ("schedule", "kpis", "entries"):
                for entry in item.get(key, []):
                    if isinstance(entry, dict) and "text" in entry and draw(st.integers(0, 5)) == 0:
                        entry["text"] = draw(st.sampled_from(["", "全国で99グループ", "2015年度中に設定予定",
                                                              "IT室と財務省が調査", "目標：倍増"]))
        files[name] = dump_yaml(data).encode()
    return files


@_settings(40)
@given(defected_corpus())
def test_every_finding_points_inside_its_file(files):
    _, findings = _lint_files(files)
    assert findings
    _assert_inside(findings, files)


def test_every_finding_on_the_real_corpus_points_inside_its_file():
    _, findings = _lint_files(ORIGINALS)
    assert len(findings) >= 5
    _assert_inside(findings, ORIGINALS)


# ---------------------------------------------------------------- 4. fingerprints survive unrelated edits

# Not "\t# comment": libyaml refuses a tab before a comment (tests/hostile covers the message).
_UNRELATED = st.sampled_from(["", "# 注記: 事務局確認済み", "   # indented comment", "#", "      ", "# roadmap-check"])


@_settings(40)
@given(st.sampled_from(sorted(ORIGINALS)), st.lists(st.tuples(st.integers(0, 10_000), _UNRELATED), min_size=1,
                                                    max_size=8))
def test_fingerprints_survive_comments_and_blank_lines_inserted_above(name, insertions):
    lines = ORIGINALS[name].decode("utf-8").split("\n")
    for position, text in sorted(insertions, reverse=True):
        lines.insert(position % len(lines), text)
    edited = "\n".join(lines).encode("utf-8")
    before = load_bytes(ORIGINALS[name], name)
    after = load_bytes(edited, name)
    # An insertion inside a block scalar (|, >) or a multi-line quoted string changes the value itself:
    # that is a related edit, not an unrelated one.
    assume(isinstance(after, LoadedDocument) and after.model == before.model)
    _, old = _lint_files(ORIGINALS)
    _, new = _lint_files({**ORIGINALS, name: edited})
    assert sorted(f.fingerprint for f in new) == sorted(f.fingerprint for f in old)
    assert len(edited.split(b"\n")) == len(lines) > len(ORIGINALS[name].split(b"\n"))


# ---------------------------------------------------------------- 5. mutated bytes never raise

_INSERTS = [b":", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!python/object ", b"'", b'"', b"\t",
            b"\n", b"#", b"? ", b"|", b"---\n", b"\x00", b"\xff", b"\xe3\x81", b"<<: ", b"\r", b"\xef\xbb\xbf"]


@st.composite
def mutated_file(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(ORIGINALS)))
    data = bytearray(ORIGINALS[name])
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 3))
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == 1:
            data[pos:pos] = draw(st.sampled_from(_INSERTS) | st.binary(min_size=1, max_size=8))
        elif op == 2:
            del data[pos:pos + draw(st.integers(1, 200))]
        else:
            start = draw(st.integers(0, len(data)))
            data[pos:pos] = data[start:start + draw(st.integers(1, 200))]
    return name, bytes(data)


@_settings(200)
@given(mutated_file())
def test_mutated_corpus_files_give_findings_or_input_errors_never_exceptions(case):
    name, data = case
    result = load_bytes(data, name)
    if isinstance(result, LoadedDocument):
        findings = lint([result], RULESET, AS_OF).findings
    else:
        assert result and all(e.line >= 1 and e.column >= 1 and e.message for e in result)
        findings = lint([], RULESET, AS_OF, input_errors=result).findings
        assert {f.rule for f in findings} == {"input-error"}
    _assert_inside(findings, {name: data})

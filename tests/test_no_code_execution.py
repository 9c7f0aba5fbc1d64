"""Rules and data never execute code: no object-constructing YAML tags, no eval, no imports named by a file.

Tags are refused by the loader for data, rule and vocabulary files alike; a payload that would create a
directory if it ran proves that nothing was constructed, not just that an error came out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.hostile import (
    RULE,
    assert_input_error,
    assert_no_traceback,
    assert_rule_error,
    line_of,
    lint,
    write_corpus,
)

CHECKER = Path(__file__).resolve().parent.parent / "checker"


def payloads(marker: Path) -> list[tuple[str, str, str]]:
    """(case id, YAML value, the tag as the message names it); each would create `marker` if constructed."""
    return [
        ("python-object-apply", f"!!python/object/apply:os.mkdir [{marker}]", "!!python/object/apply:os.mkdir"),
        ("python-object-new", f"!!python/object/new:os.mkdir [{marker}]", "!!python/object/new:os.mkdir"),
        ("python-object", "!!python/object:os.system {}", "!!python/object:os.system"),
        ("python-name", "!!python/name:os.system", "!!python/name:os.system"),
        ("python-module", "!!python/module:os", "!!python/module:os"),
        ("custom-tag", "!include /etc/passwd", "!include"),
        ("custom-tag-on-a-list", f"!mkdir [{marker}]", "!mkdir"),
        ("verbatim-tag", f"!<tag:yaml.org,2002:python/object/apply:os.mkdir> [{marker}]",
         "!!python/object/apply:os.mkdir"),
    ]


CASE_IDS = [p[0] for p in payloads(Path("m"))]


@pytest.mark.parametrize("case", range(len(CASE_IDS)), ids=CASE_IDS)
def test_tags_in_data_are_refused_and_never_run(tmp_path, case):
    marker = tmp_path / "pwned"
    _, value, shown = payloads(marker)[case]
    doc = f"document: {{id: evil, kind: roadmap, title: t}}\nreform_items:\n  - number: 15\n    title: {value}\n"
    run = lint(str(write_corpus(tmp_path / "c", {"evil.yaml": doc})))
    error = assert_input_error(run, "evil.yaml", f"YAML tag {shown} is not allowed", 4, 12)
    assert "never construct objects" in error["message"]
    assert not marker.exists()


def test_tag_on_a_mapping_key_is_refused(tmp_path):
    doc = "document: {id: evil, kind: roadmap, title: t}\n!!python/name:os.system reform_items: []\n"
    run = lint(str(write_corpus(tmp_path / "c", {"evil.yaml": doc})))
    assert_input_error(run, "evil.yaml", "YAML tag !!python/name:os.system is not allowed", 2, 1)


@pytest.mark.parametrize("case", range(len(CASE_IDS)), ids=CASE_IDS)
def test_tags_in_rule_files_are_refused_and_never_run(tmp_path, case):
    marker = tmp_path / "pwned"
    _, value, shown = payloads(marker)[case]
    rules = tmp_path / "rules.yaml"
    text = RULE.replace("rationale: because", f"rationale: {value}")
    rules.write_text(text, encoding="utf-8")
    run = lint(str(write_corpus(tmp_path / "c", {})), "--rules", str(rules))
    assert_rule_error(run, rules.as_posix(), line_of(text, "rationale:"), f"YAML tag {shown} is not allowed")
    assert not marker.exists()


def test_tags_in_vocabulary_files_are_refused(tmp_path):
    marker = tmp_path / "pwned"
    rules = tmp_path / "rules"
    (rules / "vocabularies").mkdir(parents=True)
    (rules / "r.yaml").write_text(RULE, encoding="utf-8")
    vocab = rules / "vocabularies" / "organizations.yaml"
    vocab.write_text(f"organizations:\n  - name: !!python/object/apply:os.mkdir [{marker}]\n", encoding="utf-8")
    run = lint(str(write_corpus(tmp_path / "c", {})), "--rules", str(rules))
    assert_no_traceback(run)
    assert run.exit_code == 2 and run.stdout == ""
    assert f"{vocab.as_posix()}:2:" in run.stderr and "!!python/object/apply:os.mkdir is not allowed" in run.stderr
    assert not marker.exists()


def test_check_kind_is_looked_up_in_the_registry_never_imported(tmp_path):
    rules = tmp_path / "rules.yaml"
    for kind in ("os.system", "checker.checks.required", "builtins.eval", "__import__"):
        rules.write_text(RULE.replace("check: required", f"check: {kind}"), encoding="utf-8")
        run = lint(str(write_corpus(tmp_path / "c", {})), "--rules", str(rules))
        assert_rule_error(run, rules.as_posix(), 6, f"unknown check kind '{kind}'")


FORBIDDEN = {
    "eval(": re.compile(r"(?<![\w.])eval\s*\("),
    "exec(": re.compile(r"(?<![\w.])exec\s*\("),
    "__import__": re.compile(r"__import__"),
    "importlib.import_module": re.compile(r"import_module|importlib\.util|from importlib import (util|import_module)"),
    "compile( of code": re.compile(r"(?<![\w.])compile\s*\("),
    "unsafe YAML loaders": re.compile(r"UnsafeLoader|typ\s*=\s*['\"]unsafe|ruamel\.yaml\.Loader\b|FullLoader"),
}
UNPICKLING = re.compile(r"\bimport (pickle|marshal|shelve|dill)\b|\bfrom (pickle|marshal|shelve|dill) import")
PICKLE_ALLOWED = {"checker/accel/cache.py"}
"""Unpickling runs code named by the bytes it reads. Only the cache may do it, and only on entries whose
HMAC-SHA256 under the user's key (kept outside the cache directory) verifies (see tests/test_cache.py)."""


def test_checker_source_contains_no_code_execution():
    sources = sorted(CHECKER.rglob("*.py"))
    assert len(sources) > 20
    hits = []
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            hits += [f"{path.relative_to(CHECKER.parent)}:{number}: {what}: {line.strip()}"
                     for what, pattern in FORBIDDEN.items() if pattern.search(code)]
    assert hits == []


def test_only_the_cache_unpickles():
    users = sorted(str(p.relative_to(CHECKER.parent)) for p in CHECKER.rglob("*.py")
                   if UNPICKLING.search(p.read_text(encoding="utf-8")))
    assert set(users) <= PICKLE_ALLOWED, users


def test_the_forbidden_patterns_do_find_what_they_look_for():
    """The grep above is only worth something if its patterns match the calls it forbids."""
    samples = {"eval(": "x = eval(s)", "exec(": "exec (code)", "__import__": "m = __import__(name)",
               "importlib.import_module": "importlib.import_module(n)", "compile( of code": "compile(src, f, 'exec')",
               "unsafe YAML loaders": "YAML(typ='unsafe')"}
    assert all(FORBIDDEN[k].search(v) for k, v in samples.items()) and UNPICKLING.search("import pickle")
    assert not FORBIDDEN["importlib.import_module"].search("from importlib import metadata")
    assert not FORBIDDEN["eval("].search("ast.literal_eval(x)") and not FORBIDDEN["compile( of code"].search(
        "re2.compile(p)")

"""Rule files written by others: every mistake is refused at load with rule-file:line, exit 2, and nothing is linted.

A regex that backtracks catastrophically under a backtracking engine ((a+)+$) is *accepted*: rules run on
RE2 (checker/rules/regex.py), which matches in time linear in the input and never backtracks, so the pattern
is harmless; the test shows it finishing fast on a long adversarial input. Patterns only a backtracking
engine can run (back-references, look-around) are refused with RE2's reason.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from checker.rules.regex import compile_pattern
from tests.helpers.hostile import RULE, assert_no_traceback, assert_rule_error, line_of, lint, write_corpus

PATTERN_RULE = RULE.replace("check: required\n    with: {fields: [responsible]}",
                            'check: pattern\n    with: {field: title, must_match: "PATTERN"}').replace(
    "fail: [{title: t, responsible: []}]", "fail: [{title: ab, responsible: []}]").replace(
    "pass: [{title: t, responsible: [総務省]}]", "pass: [{title: aaa, responsible: []}]")


def run_rules(tmp_path: Path, *texts: str | bytes):
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"rules-{i}.yaml"
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        paths += ["--rules", str(path)]
    directory = write_corpus(tmp_path / "c", {})
    return lint(str(directory), *paths), [Path(p).as_posix() for p in paths[1::2]]


CASES = [
    ("invalid-regex", PATTERN_RULE.replace("PATTERN", "(unclosed"), "with:",
     "invalid or unsupported regular expression '(unclosed': missing )"),
    ("back-reference", PATTERN_RULE.replace("PATTERN", r"(a)\\1"), "with:",
     "look-around and back-references need backtracking"),
    ("look-ahead", PATTERN_RULE.replace("PATTERN", "a(?=b)"), "with:", "look-around and back-references"),
    ("unknown-check-kind", RULE.replace("check: required", "check: nonsense"), "check:",
     "unknown check kind 'nonsense' (valid: absent,"),
    ("check-kind-as-module-path", RULE.replace("check: required", "check: os.system"), "check:",
     "unknown check kind 'os.system'"),
    ("template-missing-field", RULE.replace("{reform_item.title}」", "{reform_item.nosuch}」"), "ja: \"改革",
     "placeholder {reform_item.nosuch}: 'reform_item' has no field 'nosuch'"),
    ("template-unknown-object", RULE.replace("{reform_item.title}'", "{kpi.name}'"), "en: \"Reform",
     "placeholder {kpi.name}: unknown name 'kpi'"),
    ("template-unbalanced-brace", RULE.replace("{reform_item.title}'", "{reform_item.title'"), "en: \"Reform",
     "unbalanced '{' or '}'"),
    ("no-examples", RULE.split("    examples:")[0], "- id:", "rules[0].examples is required but missing"),
    ("empty-fail-examples", RULE.replace("fail: [{title: t, responsible: []}]", "fail: []"), "fail:",
     "rules[0].examples.fail: List should have at least 1 item"),
    ("unknown-option", RULE.replace("{fields: [responsible]}", "{fields: [responsible], bogus: 1}"), "with:",
     "check 'required': unknown field 'bogus' in with (allowed: fields)"),
    ("option-of-wrong-type", RULE.replace("{fields: [responsible]}", "{fields: responsible}"), "with:",
     "check 'required': with.fields: Input should be a valid list (got 'responsible')"),
    ("option-naming-no-field", RULE.replace("{fields: [responsible]}", "{fields: [nosuch]}"), "with:",
     "'reform_item' has no field 'nosuch'"),
    ("exactly-one-of-two-options", PATTERN_RULE.replace('must_match: "PATTERN"', 'must_match: a, must_not_match: b'),
     "with:", "give exactly one of must_match and must_not_match"),
    ("unknown-collection", RULE.replace("select: reform_items", "select: nothings"), "select:",
     "unknown collection 'nothings'"),
    ("bad-severity", RULE.replace("severity: error", "severity: fatal"), "severity:",
     "rules[0].severity: Input should be 'error', 'warning' or 'info'"),
    ("rule-id-not-kebab-case", RULE.replace("id: my-rule", "id: My Rule"), "id: My",
     "rules[0].id: write the id in lowercase letters"),
    ("unknown-rule-field", RULE.replace("    rationale:", "    severity_level: 1\n    rationale:"), "severity_level",
     "unknown field 'severity_level'"),
    ("yaml-syntax", RULE.replace("en: Title}", "en: Title"), "select:", "did not find expected ',' or '}'"),
    ("empty-file", "", None, "holds no YAML document"),
    ("shift-jis", RULE.encode("cp932"), "タイトル", "looks like Shift_JIS/CP932"),
]


@pytest.mark.parametrize(("name", "text", "needle", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_broken_rule_file_is_refused_with_its_line(tmp_path, name, text, needle, fragment):
    run, (path,) = run_rules(tmp_path, text)
    source = text.decode("cp932") if isinstance(text, bytes) else text
    assert_rule_error(run, path, line_of(source, needle) if needle else 1, fragment)


def test_duplicate_rule_id_in_one_file(tmp_path):
    text = RULE + RULE.split("rules:\n", 1)[1]
    run, (path,) = run_rules(tmp_path, text)
    assert_rule_error(run, path, 15, f"duplicate rule id 'my-rule' (first defined at {path}:2)")


def test_duplicate_rule_id_across_files(tmp_path):
    run, (first, second) = run_rules(tmp_path, RULE, RULE)
    assert_rule_error(run, second, 2, f"duplicate rule id 'my-rule' (first defined at {first}:2)")


def test_one_bad_rule_file_stops_the_whole_run(tmp_path):
    """A good rule file beside a bad one does not run on its own: a half-loaded ruleset would hide checks."""
    run, (_, bad) = run_rules(tmp_path, RULE, RULE.replace("id: my-rule", "id: other").replace(
        "check: required", "check: nonsense"))
    assert_rule_error(run, bad, 6, "unknown check kind 'nonsense'")


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path):
    """(a+)+$ on 'aaaa…a!' takes exponential time with backtracking; RE2 does it in one pass."""
    regex = compile_pattern("(a+)+$")
    adversarial = "a" * 1_000_000 + "!"
    start = time.perf_counter()
    assert regex.search(adversarial) is None
    assert time.perf_counter() - start < 1.0

    rules = tmp_path / "rules.yaml"
    rules.write_text(PATTERN_RULE.replace("PATTERN", "(a+)+$"), encoding="utf-8")
    doc = ("document: {id: evil, kind: roadmap, title: t}\nreform_items:\n  - number: 15\n"
           f"    title: {'a' * 500_000}!\n    responsible: [総務省]\n")
    directory = write_corpus(tmp_path / "c", {"evil.yaml": doc})
    start = time.perf_counter()
    run = lint(str(directory), "--rules", str(rules))
    assert time.perf_counter() - start < 10.0
    assert_no_traceback(run)
    assert run.exit_code == 1
    # The long title does not end in a's, so must_match fails there: one finding, on evil.yaml line 4.
    hits = [(Path(f["location"]["file"]).name, f["location"]["line"]) for f in run.findings("my-rule")]
    assert hits == [("evil.yaml", 4), ("good.yaml", 4)]

"""docs/rule-language.md: generated from the code, up to date, complete, and its examples really work."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker import api
from checker.checks.base import REGISTRY
from checker.cli import main
from checker.domain.corpus import COLLECTIONS
from checker.engine.rule_examples import run_examples
from checker.report.rule_language import (
    fields_of,
    language_reference,
    reachable_types,
    rule_source,
    type_name,
)
from checker.rules.filters import compile_where
from checker.rules.rule_files import DEFAULT_RULES_DIR
from checker.rules.ruleset import RuleSpec, load_ruleset

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "rule-language.md"


@pytest.fixture(scope="module")
def text() -> str:
    return language_reference(api.load_rules().rules)


def section(text: str, heading: str) -> str:
    return text.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def test_the_file_is_up_to_date(text):
    assert DOC.read_text(encoding="utf-8") == text, "run `make docs` (roadmap-check rules language --output " \
                                                   "docs/rule-language.md)"


def test_cli_prints_and_writes_the_same(tmp_path, text):
    assert CliRunner().invoke(main, ["rules", "language"]).stdout == text
    out = tmp_path / "lang.md"
    assert CliRunner().invoke(main, ["rules", "language", "--output", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == text


def test_every_rule_key_is_listed_with_whether_it_is_required(text):
    keys = section(text, "## Rule keys")
    for name, info in RuleSpec.model_fields.items():
        row = re.search(rf"^\| `{info.alias or name}` \| (yes|no) \|", keys, re.M)
        assert row and row.group(1) == ("yes" if info.is_required() else "no"), name


def test_every_collection_has_its_placeholders_and_a_working_example(text, tmp_path):
    shutil.copytree(DEFAULT_RULES_DIR / "vocabularies", tmp_path / "vocabularies")
    for name, spec in COLLECTIONS.items():
        body = section(text, f"### `{name}`")
        for root, cls in spec.types.items():
            assert f"| `{root}` | [`{cls.__name__}`]" in body, (name, root)
        blocks = re.findall(r"```yaml\n(rules:\n.*?)```", body, re.S)
        assert len(blocks) == 1, name
        rule_file = tmp_path / f"{name}.yaml"
        rule_file.write_text(blocks[0], encoding="utf-8")
        ruleset, errors = load_ruleset([rule_file])
        assert not errors, (name, errors)
        (rule,) = ruleset.rules
        assert rule.spec.select == name
        results = run_examples(ruleset)
        assert results and all(r.ok for r in results), [r.problem for r in results if not r.ok]
    # the collections whose documents are not roadmaps need whole-document examples, and show them
    for name in ("progress_entries", "progress_statements", "kpi_status_rows"):
        assert "- documents:" in section(text, f"### `{name}`")


def test_every_check_kind_and_option_is_explained(text):
    for name, cls in REGISTRY.items():
        body = section(text, f"### `{name}`")
        for opt, info in cls.Options.model_fields.items():
            row = re.search(rf"^\| `{opt}` \| (yes|no) \| .*\| ([^|]+) \|$", body, re.M)
            assert row, (name, opt)
            assert row.group(1) == ("yes" if info.is_required() else "no")
            assert len(row.group(2).strip()) > 10, (name, opt)
        for placeholder in cls.provides:
            assert f"`{{{placeholder}}}`" in body
    # the pattern options say how they match: searched, not matched against the whole text
    pattern = section(text, "### `pattern`")
    assert "searched in the text (anywhere; anchor with ^…$ for the whole text)" in pattern
    assert "RE2" in section(text, "## Regular expressions") and "linear time" in text


def test_every_reachable_field_has_a_type_and_a_meaning(text):
    roots = [t for s in COLLECTIONS.values() for t in s.types.values()]
    roots += [t for c in REGISTRY.values() for t in c.provides.values()]
    classes = reachable_types(roots)
    assert {"DocumentMeta", "ResolvedKpi", "Target", "Deadline", "Baseline", "StatusRowView",
            "MatchInfo", "Fact"} <= {c.__name__ for c in classes}
    for cls in classes:
        body = section(text, f"### `{cls.__name__}`")
        for field, type_text, meaning in fields_of(cls):
            assert meaning, f"{cls.__module__}.{cls.__name__}.{field} has no description in the code"
            assert f"| `{field}` | `{type_text.replace('|', chr(92) + '|')}` |" in body


def test_the_where_sample_compiles():
    where = {"target": "present", "document.kind": "roadmap", "tier": {"in": [1, 2]},
             "text": {"matches": "^・", "ne": "・"}}
    predicate, problems = compile_where(where, "kpis", COLLECTIONS["kpis"].types)
    assert problems == [] and predicate is not None


@pytest.mark.parametrize(("annotation", "expected"), [
    (int | None, "int | None"), (list[str], "list[str]"), (typing.Literal["A", "B"], "'A' | 'B'"),
    (tuple[int, ...], "tuple[int, …]"), (typing.Any, "any"), (dict[str, typing.Any], "dict[str, any]"),
])
def test_type_names(annotation, expected):
    assert type_name(annotation) == expected


def test_every_shipped_rule_source_stands_on_its_own(tmp_path):
    """rule_source() inlines anchors that an earlier rule of the file defines (progress.yaml's &roadmap)."""
    shutil.copytree(DEFAULT_RULES_DIR / "vocabularies", tmp_path / "vocabularies")
    rules = api.load_rules().rules
    inlined = 0
    for rule in rules:
        source = rule_source(rule)
        inlined += "&roadmap" in source and "&roadmap" not in Path(rule.file).read_text(encoding="utf-8").split(
            f"id: {rule.id}\n", 1)[1]
        (tmp_path / "one.yaml").write_text("rules:\n" + source, encoding="utf-8")
        ruleset, errors = load_ruleset([tmp_path / "one.yaml"])
        assert not errors, (rule.id, errors)
        assert [r.spec for r in ruleset.rules] == [rule.spec]
    assert inlined >= 1

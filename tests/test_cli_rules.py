"""`rules list|show|test|docs` and `schema data|rules`; docs/rules.md and checker/schemas/*.json stay up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from checker.cli import main
from checker.report.ruledoc import plain_data
from checker.rules.ruleset import DEFAULT_RULES_DIR
from tests.helpers.rules import shipped_ruleset

REPO = Path(__file__).resolve().parent.parent
RULESET = shipped_ruleset()  # load errors fail the module, not hide a rule
REGENERATE = ("roadmap-check rules docs --output docs/rules.md && roadmap-check schema data --output "
              "checker/schemas/data.schema.json && roadmap-check schema rules --output checker/schemas/rules.schema.json")


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rules_list_names_every_rule():
    result = cli("rules", "list", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == [r.id for r in RULESET.rules]
    assert "KPI has no target" in result.stdout


def test_rules_show_gives_title_rationale_examples_and_options():
    result = cli("rules", "show", "kpi-deadline-missing", "--lang", "en")
    assert result.exit_code == 0
    for part in ("KPI target has no deadline", "Rationale:", "Options: {\"fields\": [\"deadline\"]}",
                 "fail: {kpis:", "pass: {kpis:", "Defined in:"):
        assert part in result.stdout


def test_rules_show_unknown_id_suggests_and_exits_2():
    result = cli("rules", "show", "kpi-deadline-mising")
    assert result.exit_code == 2 and "did you mean kpi-deadline-missing" in result.stderr


def test_rules_test_runs_shipped_examples():
    result = cli("rules", "test", "--quiet")
    assert result.exit_code == 0, result.stdout
    assert "0 failed" in result.stdout


def test_rules_test_fails_on_a_broken_example_and_exits_2_on_a_bad_file(tmp_path):
    source = (DEFAULT_RULES_DIR / "kpi.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "kpi.yaml"
    # Swap one rule's fail example into its pass list: the example must now fail.
    wrong.write_text(source.replace("      pass:\n        - {kpis: [{tier: 1, text: \"・クラウド",
                                    "      pass:\n        - {kpis: [{tier: 2, text: \"・歳出効率化の成果 (事後的に検証する指標)\"}]}\n"
                                    "        - {kpis: [{tier: 1, text: \"・クラウド", 1), encoding="utf-8")
    failed = cli("rules", "test", str(wrong))
    assert failed.exit_code == 1 and "FAIL kpi-target-missing pass[0]" in failed.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [{id: x}]\n", encoding="utf-8")
    broken = cli("rules", "test", str(bad))
    assert broken.exit_code == 2 and "bad.yaml:1" in broken.stderr


def test_docs_rules_md_is_up_to_date():
    result = cli("rules", "docs")
    assert result.exit_code == 0
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.stdout == on_disk, f"docs/rules.md is out of date; regenerate: {REGENERATE}"
    for r in RULESET.rules:
        assert f"## `{r.id}`" in on_disk


@pytest.mark.parametrize("which", ["data", "rules"])
def test_shipped_schemas_are_up_to_date_and_valid(which):
    result = cli("schema", which)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    on_disk = (REPO / "checker" / "schemas" / f"{which}.schema.json").read_text(encoding="utf-8")
    assert result.stdout == on_disk, f"checker/schemas/{which}.schema.json is out of date; regenerate: {REGENERATE}"


def _errors(schema_name: str, data: Any) -> list[str]:
    schema = json.loads((REPO / "checker" / "schemas" / f"{schema_name}.schema.json").read_text(encoding="utf-8"))
    return [f"{list(e.absolute_path)}: {e.message}"
            for e in jsonschema.Draft202012Validator(schema).iter_errors(plain_data(data))]


@pytest.mark.parametrize("path", sorted((REPO / "roadmaps").glob("*.yaml")), ids=lambda p: p.name)
def test_every_roadmap_validates_against_the_data_schema(path):
    assert _errors("data", YAML(typ="safe").load(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", sorted(DEFAULT_RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_rule_file_validates_against_the_rules_schema(path):
    assert _errors("rules", YAML(typ="safe").load(path.read_text(encoding="utf-8"))) == []


def test_data_schema_rejects_a_misspelt_key_and_rules_schema_a_bad_option():
    doc = {"document": {"id": "x", "kind": "roadmap", "title": "t"}, "reform_items": [{"numbr": 1}]}
    assert _errors("data", doc)
    rule = {"rules": [{"id": "x", "severity": "error", "title": {"ja": "a", "en": "a"},
                       "message": {"ja": "a", "en": "a"}, "rationale": "r", "select": "kpis", "check": "required",
                       "with": {"felds": ["target"]}, "examples": {"fail": [{}], "pass": [{}]}}]}
    assert _errors("rules", rule)
    rule["rules"][0]["with"] = {"fields": ["target"]}
    assert _errors("rules", rule) == []


def test_schema_output_file(tmp_path):
    out = tmp_path / "s.json"
    assert cli("schema", "data", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")

"""Run each rule's own pass/fail examples: the engine of `roadmap-check rules test` and of pytest.

An example is either a fragment of one reform item, wrapped into a roadmap document::

    {kpis: [{tier: 2, text: "…"}]}

or whole documents, for rules that compare documents::

    {documents: [{document: {id: r, kind: roadmap, …}, reform_items: […]}, …], as_of: 2018-04-01}

A `fail` example must make the rule report at least one finding (exactly `findings: N` when given);
a `pass` example must make it report none. Examples go through the real YAML loader.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML

from checker.checks.base import Context
from checker.domain.corpus import Corpus
from checker.domain.findings import Finding
from checker.domain.load import LoadedDocument, load_text
from checker.engine.run import run_rule
from checker.rules.ruleset import Rule, Ruleset

EXAMPLE_AS_OF = dt.date(2017, 12, 31)
_DEFAULT_DOCUMENT = {"id": "example", "kind": "roadmap", "title": "example", "revision": 2016,
                     "fiscal_years": {"first": 2016, "last": 2020}, "reform_period": {"first": 2016, "last": 2018}}
_DEFAULT_ITEM = {"number": 1, "title": "example", "responsible": ["総務省"]}
_CONTROL_KEYS = {"documents", "as_of", "findings", "document"}


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str
    """fail or pass."""
    index: int
    ok: bool
    findings: tuple[Finding, ...]
    problem: str = ""


def example_documents(example: dict[str, Any]) -> list[dict[str, Any]]:
    if "documents" in example:
        return list(example["documents"])
    fragment = {k: v for k, v in example.items() if k not in _CONTROL_KEYS}
    header = {**_DEFAULT_DOCUMENT, **example.get("document", {})}
    return [{"document": header, "reform_items": [{**_DEFAULT_ITEM, **fragment}]}]


def _dump(data: Any) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.dump(data, out)
    return out.getvalue()


def load_example(example: dict[str, Any], label: str) -> tuple[list[LoadedDocument], list[str]]:
    docs: list[LoadedDocument] = []
    problems: list[str] = []
    for i, data in enumerate(example_documents(example)):
        result = load_text(_dump(data), f"<{label}#{i}>")
        if isinstance(result, LoadedDocument):
            docs.append(result)
        else:
            problems += [f"{e.file}:{e.line}: {e.message}" for e in result]
    return docs, problems


def run_example(rule: Rule, ruleset: Ruleset, kind: str, index: int, example: dict[str, Any]) -> ExampleResult:

    label = f"{rule.id} {kind}[{index}]"
    docs, problems = load_example(example, label)
    if problems:
        return ExampleResult(rule.id, kind, index, False, (), "example does not load: " + "; ".join(problems))
    as_of = example.get("as_of", EXAMPLE_AS_OF)
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    corpus = Corpus(docs)
    findings = tuple(run_rule(rule, corpus, Context(corpus, as_of, ruleset.vocabularies)))
    if kind == "fail":
        want = example.get("findings")
        ok = len(findings) == want if want is not None else len(findings) > 0
        problem = "" if ok else f"expected {want if want is not None else 'at least one'} finding(s), got {len(findings)}"
    else:
        ok = not findings
        problem = "" if ok else "expected no finding, got: " + "; ".join(f.message for f in findings)
    return ExampleResult(rule.id, kind, index, ok, findings, problem)


def run_examples(ruleset: Ruleset, rule_ids: set[str] | None = None) -> list[ExampleResult]:
    results = []
    for rule in ruleset.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for kind, examples in (("fail", rule.spec.examples.fail), ("pass", rule.spec.examples.pass_)):
            for i, ex in enumerate(examples):
                results.append(run_example(rule, ruleset, kind, i, ex))
    return results

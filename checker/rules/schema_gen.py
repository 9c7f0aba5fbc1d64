"""JSON Schemas for editors and other tools: the roadmap data files and the rule files (`roadmap-check schema`)."""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

import checker.checks  # noqa: F401  (registers every check kind)
from checker.checks.base import REGISTRY
from checker.domain.corpus import COLLECTIONS
from checker.domain.model import MODEL_BY_KIND
from checker.rules.ruleset import RuleFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def data_schema() -> dict[str, Any]:
    """One schema for every document kind, chosen by `document.kind` so editors give precise errors."""
    models = list(MODEL_BY_KIND.items())
    refs, defs = models_json_schema([(m, "validation") for _, m in models], ref_template="#/$defs/{model}")

    def by_kind(i: int) -> dict[str, Any]:
        kind, model = models[i]
        ref = refs[(model, "validation")]
        if i == len(models) - 1:
            return ref
        return {"if": {"properties": {"document": {"properties": {"kind": {"const": kind}}}}},
                "then": ref, "else": by_kind(i + 1)}

    return {"$schema": DIALECT, "title": "roadmap-check data file (roadmaps/*.yaml)",
            "description": f"A roadmap, progress report or KPI status document; kinds: {', '.join(MODEL_BY_KIND)}.",
            **by_kind(0), "$defs": defs["$defs"]}


def rules_schema() -> dict[str, Any]:
    """The rule file schema, with `select`/`check` enumerated and `with` checked per check kind."""
    kinds = sorted(REGISTRY.items())
    refs, defs = models_json_schema([(RuleFile, "validation"), *((k.Options, "validation") for _, k in kinds)],
                                    ref_template="#/$defs/{model}")
    spec = defs["$defs"]["RuleSpec"]
    spec["properties"]["select"]["enum"] = list(COLLECTIONS)
    spec["properties"]["check"]["enum"] = [name for name, _ in kinds]
    spec["allOf"] = [{"if": {"properties": {"check": {"const": name}}, "required": ["check"]},
                      "then": {"properties": {"with": refs[(k.Options, "validation")]}}} for name, k in kinds]
    return {"$schema": DIALECT, "title": "roadmap-check rule file (rules/*.yaml)",
            **refs[(RuleFile, "validation")], "$defs": defs["$defs"]}


SCHEMAS = {"data": data_schema, "rules": rules_schema}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

"""Message templates and where-filters: validated against entity types at load, resolved per entity."""

from __future__ import annotations

import re
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domain.corpus import COLLECTIONS, Corpus
from checker.domain.load import LoadedDocument, load_text
from checker.rules.fields import check_path, getter, resolve
from checker.rules.filters import all_of, compile_where
from checker.rules.templates import format_value, render, render_all, shorten, validate_template

KPI_TYPES = COLLECTIONS["kpis"].types

DOC = """\
document: {id: r, kind: roadmap, title: t, revision: 2016}
reform_items:
  - number: 15
    title: 業務の簡素化
    responsible: [総務省]
    kpis:
      - tier: 1
        text: "・クラウド導入市区町村数【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】"
      - tier: 2
        text: "・地方公共団体の情報システム運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】"
"""


def corpus() -> Corpus:
    doc = load_text(DOC, "r.yaml")
    assert isinstance(doc, LoadedDocument)
    return Corpus([doc])


def test_template_fields_are_checked_against_types():
    assert validate_template("KPI「{kpi.name}」の目標「{kpi.target.text}」", KPI_TYPES) == []
    problems = validate_template("{kpi.nmae}", KPI_TYPES)
    assert len(problems) == 1 and "no field 'nmae'" in problems[0] and "name" in problems[0]
    assert "unknown name 'statement'" in validate_template("{statement.text}", KPI_TYPES)[0]
    assert "plain value" in validate_template("{kpi.name.first}", KPI_TYPES)[0]
    assert validate_template("literal {{braces}}", KPI_TYPES) == []
    assert "unbalanced" in validate_template("broken {kpi.name", KPI_TYPES)[0]


def test_render_resolves_nested_fields_and_formats_values():
    kpis = corpus().collection("kpis")
    ns = kpis[0].ns
    assert render("{kpi.name}: {kpi.baseline.value}{kpi.baseline.unit} → {kpi.target.value}", ns) == \
        "クラウド導入市区町村数: 550団体 → 1000"
    assert render("{kpi.deadline.fiscal_year}", kpis[1].ns) == "-"
    assert render("{{x}} {reform_item.responsible}", ns) == "{x} 総務省"


def test_format_value():
    assert format_value(None) == "-"
    assert format_value(1000.0) == "1000"
    assert format_value(0.3) == "0.3"
    assert format_value(["総務省", "内閣官房"]) == "総務省、内閣官房"
    assert format_value(True) == "true"


def test_check_path_follows_properties_and_dataclass_fields():
    assert check_path(KPI_TYPES, "kpi.deadline_missing") is None
    assert check_path(KPI_TYPES, "kpi.deadline.fiscal_year") is None
    assert check_path(KPI_TYPES, "document.reports_on") is None


def test_where_filters():
    kpis = corpus().collection("kpis")
    pred, problems = compile_where({"target": "present", "tier": {"in": [1]}}, "kpis", KPI_TYPES)
    assert problems == []
    assert [pred(e) for e in kpis] == [True, False]
    pred, _ = compile_where({"deadline": "absent"}, "kpis", KPI_TYPES)
    assert [pred(e) for e in kpis] == [False, True]
    pred, _ = compile_where({"name": {"matches": "コスト$"}}, "kpis", KPI_TYPES)
    assert [pred(e) for e in kpis] == [False, True]
    assert resolve(kpis[0].ns, "reform_item.number") == 15


def test_where_problems_are_reported():
    _, problems = compile_where({"tiers": 1, "tier": {"between": [1, 2]}, "name": {"matches": "(?=x)"}},
                                "kpis", KPI_TYPES)
    assert len(problems) == 3
    assert "no field 'tiers'" in problems[0]
    assert "unknown operator 'between'" in problems[1]
    assert "look-around" in problems[2]


def test_long_values_are_shortened_in_messages():
    ns = {"kpi": {"name": "長" * 5000}}
    out = render("KPI「{kpi.name}」", ns)
    assert len(out) < 320 and out.endswith("…」")


def test_pydantic_internals_are_not_field_choices():
    problem = validate_template("{document.nope}", COLLECTIONS["documents"].types)[0]
    assert "model_extra" not in problem and "model_fields_set" not in problem and "reports_on" in problem


# ---------------------------------------------------------------- compiled forms agree with the plain ones
# render, resolve and where-filters are compiled once per template or path for speed; these reference
# versions are the straightforward per-call forms they replaced, and must give the same answers.


def _resolve_reference(ns: dict, dotted: str) -> object:
    head, *rest = dotted.split(".")
    if head not in ns:
        return None
    value = ns[head]
    for part in rest:
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def _render_reference(template: str, ns: dict) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        return shorten(format_value(_resolve_reference(ns, m.group(1))))

    return re.sub(r"\{\{|\}\}|\{([^{}]*)\}", sub, template)


_NS = {"kpi": {"name": "名称", "tier": 1, "values": [1.0, 2.5], "long": "長" * 400, "none": None},
       "a": SimpleNamespace(b=SimpleNamespace(c=3.0), d=None, e=True), "none": None}
_PATHS = ["kpi", "kpi.name", "kpi.tier", "kpi.values", "kpi.long", "kpi.none", "kpi.none.x", "kpi.nope",
          "a.b.c", "a.b", "a.d.x", "a.e", "a.zz.yy", "none", "none.x", "missing", "missing.x", "", " ", "a..b"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["{", "}", "{{", "}}", "x", "「", " "]),
                          st.sampled_from(_PATHS).map(lambda p: "{" + p + "}")), max_size=12).map("".join))
def test_compiled_templates_render_like_the_substitution(template: str):
    assert render(template, _NS) == _render_reference(template, _NS)


def test_getters_resolve_like_the_loop():
    for path in _PATHS:
        assert getter(path)(_NS) == resolve(_NS, path) == _resolve_reference(_NS, path), path


def test_where_filters_combine_several_operators_in_order():
    kpis = corpus().collection("kpis")
    pred, problems = compile_where({"tier": {"in": [1, 2], "ne": 2, "present": True}}, "kpis", KPI_TYPES)
    assert problems == []
    assert [pred(e) for e in kpis] == [True, False]
    pred, _ = compile_where({"tier": {"not_in": [1], "present": False}}, "kpis", KPI_TYPES)
    assert [pred(e) for e in kpis] == [False, False]
    pred, _ = compile_where({"target": "present", "tier": 2, "name": {"eq": "地方公共団体の情報システム運用コスト"}},
                            "kpis", KPI_TYPES)
    assert [pred(e) for e in kpis] == [False, True]
    assert all_of([])(kpis[0]) is True


def test_templates_rendered_together_share_their_fields():
    templates = ("KPI {kpi.name} {{x}}", "KPI「{kpi.name}」{kpi.tier}", "", "{a.b.c} {kpi.name}")
    assert render_all(templates, _NS) == tuple(_render_reference(t, _NS) for t in templates)
    assert render_all(("a {{b}}", "}}"), _NS) == ("a {b}", "}")

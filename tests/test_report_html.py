"""The HTML report without a browser: model building, packing, diffs, placement, escaping, golden file."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.domain.findings import Finding, Location, Related, Severity, sort_findings
from checker.report import html, render
from checker.report import model as rm
from checker.report.html_place import Locator, finding_views
from checker.report.model_build import char_diff, pack_rows
from tests.helpers.html import GOLDEN_CORPUS, HOSTILE, ROOT, census, report, write_hostile_corpus
from tests.helpers.sample import RUN
from tests.helpers.strategies import corpora

AS_OF = dt.date(2017, 12, 31)
SPOT = rm.Spot("x", "f.yaml", "p", 1, 1)


def cell(first: int, span: int, name: str = "c") -> rm.Cell:
    return rm.Cell(name, name, (), (), first, span, False, False, (), SPOT)


# ------------------------------------------------------------------ packing the grid


def test_one_year_cells_stack_in_their_column_and_a_wide_cell_takes_the_first_free_row():
    a, b, c, wide = cell(0, 1, "a"), cell(0, 1, "b"), cell(1, 1, "c"), cell(1, 2, "wide")
    rows = pack_rows([a, b, c, wide], 3)
    # a and c share row 1; b sits under a, and wide (columns 1-2) fits beside it in row 2.
    assert [[(s.cells, s.span) for s in r] for r in rows] == [
        [((a,), 1), ((c,), 1), ((), 1)],
        [((b,), 1), ((wide,), 2)],
    ]


def test_rows_that_divide_the_columns_alike_merge_into_stacks():
    cells = [cell(0, 1, "a1"), cell(0, 1, "a2"), cell(0, 1, "a3"), cell(1, 1, "b1"), cell(2, 1, "c1")]
    rows = pack_rows(cells, 3)
    assert len(rows) == 1
    assert [[c.id for c in s.cells] for s in rows[0]] == [["a1", "a2", "a3"], ["b1"], ["c1"]]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.integers(0, n - 1).flatmap(lambda f: st.tuples(st.just(f), st.integers(1, n - f))), max_size=25))))
def test_packing_draws_every_cell_once_in_its_own_columns(case):
    columns, spans = case
    cells = [cell(f, s, f"c{i}") for i, (f, s) in enumerate(spans)]
    rows = pack_rows(cells, columns)
    drawn = []
    for row in rows:
        assert sum(s.span for s in row) == columns  # every row fills the table exactly
        col = 0
        for slot in row:
            for c in slot.cells:
                assert (c.first_column, c.span) == (col, slot.span)
            drawn += slot.cells
            col += slot.span
    assert sorted(c.id for c in drawn) == sorted(c.id for c in cells)
    for row in rows:  # within a column, cells keep reading order
        for slot in row:
            ids = [int(c.id[1:]) for c in slot.cells]
            assert ids == sorted(ids)


# ------------------------------------------------------------------ character differences


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_char_diff_rebuilds_both_texts(a, b):
    ops = char_diff(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b


def test_char_diff_marks_the_changed_characters_only():
    ops = char_diff("・庁室と総務省が訪問", "IT室と総務省が訪問")
    assert ("delete", "・庁") in ops and ("insert", "IT") in ops
    assert ("equal", "室と総務省が訪問") in ops


# ------------------------------------------------------------------ placing findings


def finding(path: str, line: int = 1, file: str = "f.yaml", related: tuple = ()) -> Finding:
    return Finding("r", Severity.WARNING, "m", "m", Location(file, line, 1, line, 2, path, "d"), "e", related)


def test_a_finding_goes_to_the_deepest_element_whose_path_holds_it():
    spots = [rm.Spot("doc", "f.yaml", "", 1, 99), rm.Spot("item", "f.yaml", "reform_items[0]", 5, 50),
             rm.Spot("c1", "f.yaml", "reform_items[0].schedule[1]", 10, 12),
             rm.Spot("c10", "f.yaml", "reform_items[0].schedule[10]", 30, 32)]
    loc = Locator(spots)
    assert loc.place(finding("reform_items[0].schedule[1].text")).anchor == "c1"
    assert loc.place(finding("reform_items[0].schedule[10]")).anchor == "c10"
    assert loc.place(finding("reform_items[0].schedule[11].text")).anchor == "item"  # [1] is not [11]'s prefix
    assert loc.place(finding("document.reports_on")).anchor == "doc"
    assert loc.place(finding("", line=31)).anchor == "c10"  # no path: by line
    assert loc.place(finding("x", file="other.yaml")) is None


def test_related_locations_link_to_the_element_drawn_at_their_line():
    spots = [rm.Spot("doc", "g.yaml", "", 1, 99), rm.Spot("k", "g.yaml", "reform_items[0].kpis[0]", 40, 41)]
    f = finding("reform_items[0]", related=(Related("g.yaml", 41, 3, "here", "ここ"), Related("h.yaml", 2, 1)))
    view = finding_views([f], Locator(spots), "ja")[0]
    assert [(r.href, r.message) for r in view.related] == [("#k", "ここ"), (None, "")]


# ------------------------------------------------------------------ the report of roadmaps/


@pytest.fixture(scope="module")
def roadmaps():
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # the report names files as given: roadmaps/…
        return report(("roadmaps",), AS_OF)


def test_every_finding_of_roadmaps_is_drawn_on_an_element_and_listed(roadmaps):
    result, model, page = roadmaps
    views = finding_views(result.findings, Locator(model.spots()), "en")
    assert views and all(v.place is not None for v in views)
    for v in views:
        assert page.count(f'id="{v.anchor}"') == 1 and f'href="#{v.anchor}"' in page
        assert f'id="{v.place}"' in page


def test_every_schedule_cell_is_drawn_once_with_its_years(roadmaps):
    _, model, page = roadmaps
    roadmaps_ = [d for d in model.documents if d.kind == "roadmap"]
    assert len(roadmaps_) == 3
    for d in roadmaps_:
        for item in d.reform_items:
            drawn = [c for row in item.rows for s in row for c in s.cells] + list(item.undated)
            assert sorted(c.spot.anchor for c in drawn) == sorted(c.spot.anchor for c in item.cells)
            for c in item.cells:
                assert d.years[c.first_column] == max(min(c.fiscal_years), d.years[0])
    texts = census(page).texts
    for d in roadmaps_:
        for item in d.reform_items:
            for c in item.cells:
                assert c.text in texts


def test_claims_are_graded_on_the_cells_they_quote(roadmaps):
    _, model, _ = roadmaps
    it2016 = next(d for d in model.documents if d.id == "kaikaku-2016-it")
    s5 = next(c for c in it2016.reform_items[0].cells if c.id == "s5")
    (claim,) = s5.claims
    assert claim.grade == "near" and claim.document == "progress-2017-it"
    assert ("delete", "庁") in claim.diff and ("insert", "IT") in claim.diff
    s4 = next(c for c in it2016.reform_items[0].cells if c.id == "s4")
    assert [c.grade for c in s4.claims] == ["exact"] and s4.claims[0].diff == ()
    kpi = it2016.reform_items[0].kpis_tier1[0]
    assert [(s.category, s.actual) for s in kpi.status] == [("A", "948団体")]
    assert (kpi.target_kind, kpi.target_value, kpi.deadline) == ("relative", "+100%", "2017")


def test_summary_counts_by_severity_rule_and_document(roadmaps):
    result, _, page = roadmaps
    errors = sum(f.severity == Severity.ERROR and f.suppressed is None for f in result.findings)
    assert re.search(rf'<tr class="sev-error"><th scope="row"><span class="sev">error</span></th><td class="num">{errors}</td>',
                     page)
    assert "<time datetime=\"2017-12-31\">" in page
    for r in result.summary.rules:
        assert f"<code>{r.id}</code>" in page


def test_the_page_is_self_contained(roadmaps):
    page = roadmaps[2]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page
    assert census(page).tags.count("script") == 1  # the filter, and nothing else


def test_japanese_report_draws_the_published_headers(roadmaps):
    result, model, _ = roadmaps
    page = render("html", result.findings, result.summary, "ja", model=model)
    assert '<html lang="ja">' in page
    assert "～2016年度" in page and "2020年度～" in page and "《主担当府省庁等》" in page and "KPI(第一階層)" in page


def test_ui_strings_exist_in_both_languages():
    assert set(html.STRINGS["en"]) == set(html.STRINGS["ja"])


# ------------------------------------------------------------------ escaping


def test_hostile_text_is_escaped_everywhere(tmp_path):
    corpus = write_hostile_corpus(tmp_path / "corpus")
    _, _, page = report((str(corpus),), AS_OF)
    found = census(page)
    assert found.tags.count("script") == 1 and found.tags.count("style") == 1 and "<b>bold" not in page
    assert HOSTILE in found.texts  # the cell shows the text itself
    assert "window.__pwned" not in page.split("<script>", 1)[1]  # the real script holds no data
    assert "&lt;/style&gt;&lt;script&gt;" in page


def hostile_model(text: str) -> rm.ReportModel:
    """A model built directly, so that any text (not only YAML-able ones) can be tried."""
    spot = rm.Spot("d0-c0", "f.yaml", "reform_items[0].schedule[0]", 3, 4)
    c = rm.Cell("s1", text, (2017,), (text,), 0, 1, True, True,
                (rm.ClaimRef("near", 90.0, text, char_diff(text, text + "x"), text, "d1-e0"),), spot)
    item = rm.ReformItem(1, text, (text,), ((rm.Slot((c,), 1),),), (c,), (), (), (),
                         rm.Spot("d0-i0", "f.yaml", "reform_items[0]", 2, 9))
    doc = rm.Document(text, "roadmap", "f.yaml", text, text, 1, text, text, text, None, (2017,), (2017, 2017),
                      (0, 1), (text,), None, (item,), (), rm.Spot("d0", "f.yaml", "", 1, 9))
    return rm.ReportModel((doc,))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
       | st.sampled_from(["</script>", "<!--", "]]>", "\"'><img src=x onerror=alert(1)>", "</style>"]))
def test_any_text_shows_as_text(text):
    f = Finding(text, Severity.ERROR, text, text, Location("f.yaml", 3, 1, 3, 2, "reform_items[0].schedule[0]", text),
                "e", (Related("f.yaml", 3, 1, text, text),), text, text, text, text)
    page = render("html", [f], RUN, "en", model=hostile_model(text))
    found = census(page)
    assert found.tags.count("script") == 1
    assert set(found.tags) <= {"html", "head", "meta", "title", "style", "body", "a", "header", "h1", "p", "time",
                               "main", "section", "h2", "dl", "div", "dt", "dd", "table", "caption", "thead",
                               "tr", "th", "tbody", "td", "span", "code", "h3", "ul", "li", "nav", "colgroup",
                               "col", "b", "del", "ins", "form", "label", "select", "option", "output",
                               "noscript", "script"}
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n")
    assert cleaned in [t.replace("\r\n", "\n").replace("\r", "\n") for t in found.texts]


# ------------------------------------------------------------------ golden file


GOLDEN = ROOT / "tests" / "golden"


def golden_findings(model: rm.ReportModel) -> list[Finding]:
    """Hand-built findings on the invented corpus: stable whatever the shipped rules find."""
    rd, pr = str(GOLDEN_CORPUS / "roadmap-health.yaml"), str(GOLDEN_CORPUS / "progress-health.yaml")
    ks = str(GOLDEN_CORPUS / "kpi-status-health.yaml")

    def f(rule, sev, msg, file, line, path, doc, related=()):
        return Finding(rule, sev, msg, f"{msg}(日本語)", Location(file, line, 5, line, 20, path, doc), path, related,
                       f"Title of {rule}", f"{rule}の題", "A hint", "対処の例")

    return sort_findings([
        f("kpi-deadline-missing", Severity.ERROR, "KPI has no deadline", rd, 41, "reform_items[0].kpis[1].text",
          "invented-health-2018"),
        f("count-changed", Severity.WARNING, "Cell a2 changed", rd, 23, "reform_items[0].schedule[1].text",
          "invented-health-2018", (Related(pr, 21, 24, "the claim", "引用"),)),
        f("progress-claim-near-match", Severity.INFO, "Claim differs (訂→定)", pr, 21,
          "reform_items[0].entries[1].schedule_item", "invented-progress-2019", (Related(rd, 23, 15, "cell"),)),
        f("progress-statement-ministry-missing", Severity.ERROR, "No ministry", pr, 28,
          "reform_items[0].entries[2].progress[0]", "invented-progress-2019"),
        f("kpi-status-category", Severity.WARNING, "Category N with an actual", ks, 28, "reform_items[0].kpis[1]",
          "invented-kpi-status-2019"),
        f("review-reports-on-missing", Severity.ERROR, "Document-level finding", ks, 5, "document.reports_on",
          "invented-kpi-status-2019"),
        f("input-error", Severity.ERROR, "YAML error in a file not drawn", "tests/golden/html_corpus/broken.yaml",
          3, "", ""),
    ])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_of_the_invented_corpus_matches_golden_file(lang, monkeypatch):
    monkeypatch.chdir(ROOT)
    from checker import api

    model = api.report_model(api.LintOptions(paths=(str(GOLDEN_CORPUS),), as_of=dt.date(2019, 12, 31)))
    findings = golden_findings(model)
    page = render("html", findings, RUN, lang, model=model)
    path = GOLDEN / f"html-corpus-{lang}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(page, encoding="utf-8", newline="")
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 .venv/bin/python -m pytest {__file__}"
    assert page == path.read_text(encoding="utf-8"), "regenerate with UPDATE_GOLDEN=1 if the change is intended"
    views = finding_views(findings, Locator(model.spots()), lang)
    assert [v.place for v in views if v.place is None] == [None]  # only the file that was never loaded
    assert Path(path).stat().st_size < 200_000


# ------------------------------------------------------------------ through the CLI


def test_cli_writes_html_beside_other_formats(tmp_path):
    import json

    from click.testing import CliRunner

    from checker.cli import main

    page, js = tmp_path / "out" / "report.html", tmp_path / "r.json"
    result = CliRunner().invoke(main, ["lint", str(ROOT / "roadmaps"), "--as-of", "2017-12-31", "--no-cache",
                                       "--lang", "ja", "--format", "html", "--output", str(page),
                                       "--format", "json", "--output", str(js), "--format", "text"])
    assert result.exit_code == 1, result.output
    assert f"wrote html report to {page}" in result.stderr and "<html" not in result.stdout
    text = page.read_text(encoding="utf-8")
    n = len(json.loads(js.read_text(encoding="utf-8"))["findings"])
    assert '<html lang="ja">' in text and "～2016年度" in text
    assert len(re.findall(r'<tr id="l\d+"', text)) == n and len(re.findall(r'<div class="finding ', text)) == n
    assert text.count('class="cell') - text.count('class="cell-') == 36  # every schedule cell drawn


def test_cli_html_to_stdout_without_documents_still_lists_findings(tmp_path):
    from click.testing import CliRunner

    from checker.cli import main

    broken = tmp_path / "broken.yaml"
    broken.write_text("document: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(broken), "--no-cache", "--format", "html", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stdout.startswith("<!DOCTYPE html>") and 'id="unplaced"' in result.stdout
    assert "input-error" in result.stdout


# ------------------------------------------------------------------ generated corpora


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.randoms(use_true_random=False))
def test_generated_corpora_are_drawn_whole_and_every_finding_is_placed(corpus, rng):
    """Invented corpora (tests/strategies.py), some cells and claims altered: every cell drawn once in the
    column of its first year; each claim on the cell it quotes; every finding drawn on an element."""
    import tempfile

    from checker import api
    from tests.helpers.mutate import dump_yaml

    docs = dict(corpus.documents)
    progress = next(n for n, d in docs.items() if d["document"]["kind"] == "progress_report")
    entries = docs[progress]["reform_items"][0]["entries"]
    if entries:  # alter one claim by a character: a near or weak match, or none
        e = rng.choice(entries)
        text = e["schedule_item"]
        k = rng.randrange(len(text))
        e["schedule_item"] = text[:k] + "変" + text[k + 1 :]
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in docs.items():
            (Path(tmp) / name).write_text(dump_yaml(data), encoding="utf-8")
        options = api.LintOptions(paths=(tmp,), as_of=corpus.as_of)
        result, model = api.run(options), api.report_model(options)
        page = render("html", result.findings, result.summary, "en", model=model)
    views = finding_views(result.findings, Locator(model.spots()), "en")
    assert all(v.place is not None and f'id="{v.place}"' in page for v in views)
    anchors = {}
    for d in model.documents:
        for item in d.reform_items:
            drawn = [c for row in item.rows for s in row for c in s.cells] + list(item.undated)
            assert sorted(c.id for c in drawn) == sorted(c.id for c in item.cells)
            for c in item.cells:
                assert d.years[c.first_column] == min(max(min(c.fiscal_years), d.years[0]), d.years[-1])
                anchors[c.spot.anchor] = c
    for d in model.documents:
        for s in d.sections:
            for e in s.entries:
                for anchor, cell_id in e.cells:
                    assert anchors[anchor].id == cell_id
                    assert any(cl.entry_anchor == e.spot.anchor for cl in anchors[anchor].claims)
                if e.grade == "exact":
                    assert e.cells

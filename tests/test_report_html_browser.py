"""The HTML report in a real browser: Debian's chromium, driven by Playwright (never `playwright install`).

The report of roadmaps/ is opened from file://; the page, a grid screenshot and an A3 print are kept as
test artefacts in test-artefacts/ (gitignored; $ROADMAP_CHECK_TEST_ARTEFACTS overrides), whose paths the
tests print. Without a chromium these tests skip and say why (.ci/run installs it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from checker.report.html_place import Locator, finding_views
from tests.helpers.html import HOSTILE, ROOT, report, write_hostile_corpus

AS_OF = dt.date(2017, 12, 31)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium() -> str | None:
    """The system chromium: $ROADMAP_CHECK_CHROMIUM, else Debian's, else one on PATH."""
    given = os.environ.get("ROADMAP_CHECK_CHROMIUM")
    if given:
        return given
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def artefacts() -> Path:
    path = Path(os.environ.get("ROADMAP_CHECK_TEST_ARTEFACTS") or ROOT / "test-artefacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    if exe is None:
        pytest.skip("no chromium found (apt-get install chromium; .ci/run installs it): browser tests not run")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        # A chromium that is there but does not start is a failure, not a skip.
        b = p.chromium.launch(executable_path=exe)
        yield b
        b.close()


@pytest.fixture(scope="module")
def roadmaps():
    """(lint report, model, path of the saved HTML) of roadmaps/, files named as given (roadmaps/…)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result, model, page = report(("roadmaps",), AS_OF)
    path = artefacts() / "html-report-roadmaps.html"
    path.write_text(page, encoding="utf-8")
    return result, model, path


@pytest.fixture
def page(browser, roadmaps):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(roadmaps[2].as_uri())
    yield pg
    context.close()
    assert errors == []


def test_every_finding_and_every_schedule_cell_is_visible(page, roadmaps):
    result, model, _ = roadmaps
    views = finding_views(result.findings, Locator(model.spots()), "en")
    assert len(views) >= 10
    for v in views:
        inline = page.locator(f"#{v.anchor}")
        assert inline.is_visible(), v.rule
        assert inline.locator(".f-msg").inner_text() == v.message
        # drawn inside the element it points at (cell, KPI, claim, statement, row)
        assert page.locator(f"#{v.place} #{v.anchor}").count() == 1 or page.locator(f"#{v.place}").evaluate(
            "(el, id) => el.parentElement.contains(document.getElementById(id))", v.anchor)
        assert page.locator(f"#l{v.n}").is_visible()
    cells = [c for d in model.documents for item in d.reform_items for c in item.cells]
    assert len(cells) == 36
    for c in cells:
        box = page.locator(f"#{c.spot.anchor}")
        assert box.is_visible()
        assert box.locator(".cell-text").inner_text() == c.text
    # each in its year's column: the box starts within the column header of its first year
    grid = page.locator("#d1-i0")
    heads = grid.locator("thead tr:last-child th")
    for c in (c for c in cells if c.spot.anchor.startswith("d1-")):
        head = heads.nth(c.first_column).bounding_box()
        box = page.locator(f"#{c.spot.anchor}").bounding_box()
        assert head["x"] - 1 <= box["x"] <= head["x"] + head["width"], c.id


def visible_rows(page) -> int:
    return page.locator("#findings-list tbody tr:visible").count()


def test_filters_hide_and_show(page, roadmaps):
    result = roadmaps[0]
    total = len(result.findings)
    errors = sum(f.severity.label == "error" for f in result.findings)
    assert visible_rows(page) == total
    assert page.locator("#filter-count").inner_text() == f"{total} / {total}"
    page.select_option("#filter-severity", "error")
    assert visible_rows(page) == errors < total
    assert page.locator(".finding.sev-warning:visible").count() == 0  # on the grid too
    assert page.locator(".finding.sev-error:visible").count() == errors
    page.select_option("#filter-rule", "kpi-target-missing")
    n = sum(f.rule == "kpi-target-missing" for f in result.findings)
    assert visible_rows(page) == n and page.locator("#filter-count").inner_text() == f"{n} / {total}"
    page.select_option("#filter-severity", "")
    page.select_option("#filter-rule", "")
    page.select_option("#filter-document", "progress-2017-local")
    assert visible_rows(page) == sum(f.location.document == "progress-2017-local" for f in result.findings)
    page.select_option("#filter-document", "")
    assert visible_rows(page) == total


def test_a_near_claim_shows_its_differing_characters(page):
    claim = page.locator("#d1 .claim.grade-near").first
    assert claim.is_visible()
    assert claim.locator("del").all_inner_texts() == ["庁"]
    assert claim.locator("ins").all_inner_texts() == ["IT"]
    colours = claim.locator("ins").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colours not in ("rgba(0, 0, 0, 0)", "transparent")
    # the claim links to the progress entry that makes it
    claim.locator("a").click()
    assert page.evaluate("location.hash").startswith("#d3-e")


def test_keyboard_alone_reaches_the_filters_and_the_findings(page, roadmaps):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "findings-list"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-severity"
    page.keyboard.press("ArrowDown")  # a closed select changes with the arrow keys
    assert page.evaluate("document.activeElement.value") == "error"
    assert visible_rows(page) == sum(f.severity.label == "error" for f in roadmaps[0].findings)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    # on to the first "show" link, and Enter moves focus to the finding on the grid
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#findings-list tbody') !== null"):
            break
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target and target.startswith("#f")
    page.keyboard.press("Enter")
    assert page.evaluate("'#' + document.activeElement.id") == target


def test_no_network_request_and_readable_without_script(browser, roadmaps):
    result, _, path = roadmaps
    context = browser.new_context(java_script_enabled=False)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    pg = context.new_page()
    pg.goto(path.as_uri())
    assert [u for u in requests if not u.startswith("file:")] == []
    assert pg.locator("#filters").is_hidden()
    assert pg.locator(".finding:visible").count() == len(result.findings)
    assert pg.locator("#findings-list tbody tr:visible").count() == len(result.findings)
    context.close()


def test_hostile_cell_text_shows_as_text(browser, tmp_path):
    corpus = write_hostile_corpus(tmp_path / "corpus")
    _, model, page = report((str(corpus),), AS_OF)
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    context = browser.new_context()
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(path.as_uri())
    cell = model.documents[0].reform_items[0].cells[0]
    assert pg.locator(f"#{cell.spot.anchor} .cell-text").inner_text() == HOSTILE
    assert pg.locator(f"#{model.documents[0].spot.anchor}-h").inner_text() == HOSTILE  # the title too
    assert pg.evaluate("window.__pwned") is None and dialogs == []
    assert pg.locator("style").count() == 1 and pg.locator("script").count() == 1
    assert pg.locator("#filters").is_visible()  # the page's own script still ran
    context.close()


def test_screenshot_and_a3_print(page, roadmaps, capsys):
    out = artefacts()
    grid = out / "html-report-grid-kaikaku-2016-it.png"
    full = out / "html-report-roadmaps.png"
    pdf = out / "html-report-roadmaps-a3.pdf"
    page.locator("#d1").screenshot(path=str(grid))
    page.screenshot(path=str(full), full_page=True)
    data = page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    # A3 landscape is 420 × 297 mm = 1190.55 × 841.89 pt; every page of the print has that box.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - 1190.55) < 2 and abs(float(h) - 841.89) < 2 for w, h in boxes)
    assert len(boxes) >= len(roadmaps[1].documents)  # each document starts a page
    for p in (grid, full, pdf):
        assert p.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nHTML report artefacts: {roadmaps[2]}\n  {grid}\n  {full}\n  {pdf}")


CONTRAST_JS = """
(sel) => {
  function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function background(el) {  // the first opaque background behind el: its own, an ancestor's, or a column's
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.a > 0) { return c; }
      if (e.tagName === 'TD') {
        const col = e.closest('table').querySelectorAll('col')[e.cellIndex];
        if (col) { const cc = rgb(getComputedStyle(col).backgroundColor); if (cc.a > 0) { return cc; } }
      }
    }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  return Array.from(document.querySelectorAll(sel)).filter(el => el.textContent.trim()).map(el => {
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    return [el.tagName + '.' + el.className, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""


def test_text_contrast_meets_wcag_aa(page):
    # Normal-size text needs 4.5:1 (WCAG 2.1 AA, 1.4.3); checked on every kind of coloured text.
    selectors = [".finding p", ".finding code", ".finding a", ".badge", "del", "ins", ".cell a", ".kpi a",
                 ".muted", ".cell-resp", "thead th", ".sev", "table.rows td", "a", ".status", ".f-loc"]
    low = []
    for sel in selectors:
        for name, ratio in page.evaluate(CONTRAST_JS, sel):
            if ratio < 4.5:
                low.append((sel, name, round(ratio, 2)))
    assert low == []

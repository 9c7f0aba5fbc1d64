"""Shared by the HTML report tests: building reports of a directory, invented corpora, a tag census."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

from checker import api
from checker.report import render

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_CORPUS = Path("tests/golden/html_corpus")
"""Invented documents for the golden HTML file (relative to ROOT, as the report names them)."""

HOSTILE = "</style><script>window.__pwned=1</script>\"quoted\" 'single' & <b>bold</b> </td></table>"
"""A schedule cell text that must show as text: it closes the style, opens a script, breaks quotes."""


def report(paths: tuple[str, ...], as_of: dt.date, lang: str = "en") -> tuple[api.LintReport, object, str]:
    """(lint report, report model, html) of `paths`, with no cache."""
    options = api.LintOptions(paths=paths, as_of=as_of)
    result = api.run(options)
    model = api.report_model(options)
    return result, model, render("html", result.findings, result.summary, lang, model=model)


def write_hostile_corpus(directory: Path, text: str = HOSTILE) -> Path:
    """A roadmap whose cell, KPI, title and id carry `text`, and a progress report quoting the cell."""
    q = json.dumps  # a JSON string is a YAML string: every character survives
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "roadmap.yaml").write_text(f"""\
document:
  id: {q("evil-" + text)}
  kind: roadmap
  title: {q(text)}
  revision: 2016
  fiscal_years: {{first: 2016, last: 2019}}
  reform_period: {{first: 2016, last: 2018}}
reform_items:
  - number: 1
    title: {q(text)}
    responsible: [{q(text)}]
    schedule:
      - id: s1
        text: {q(text)}
        fiscal_years: [2017]
      - id: s2
        text: "普通の工程を実施"
        fiscal_years: [2016, 2017]
    kpis:
      - tier: 1
        text: {q("・" + text + "【目標：2018年度までに倍増】")}
""", encoding="utf-8")
    (directory / "progress.yaml").write_text(f"""\
document:
  id: {q("progress-" + text)}
  kind: progress_report
  title: {q(text)}
  reports_on: {q("evil-" + text)}
  covers: {{first: 2017, last: 2017}}
reform_items:
  - number: 1
    entries:
      - schedule_item: {q(text)}
        progress:
          - ministry: {q(text)}
            text: {q(text)}
""", encoding="utf-8")
    return directory


class TagCensus(HTMLParser):
    """Every start tag and the text inside elements of a given class, as a browser's tokenizer sees them."""

    def __init__(self, text_class: str = "cell-text"):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text_class = text_class
        self.texts: list[str] = []
        self._depth = 0
        self._open = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if self._open:
            self._depth += 1
        elif self.text_class in (dict(attrs).get("class") or "").split():
            self._open, self._depth = True, 0
            self.texts.append("")

    def handle_endtag(self, tag):
        if self._open:
            if self._depth == 0:
                self._open = False
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._open:
            self.texts[-1] += data


def census(html: str, text_class: str = "cell-text") -> TagCensus:
    parser = TagCensus(text_class)
    parser.feed(html)
    parser.close()
    return parser

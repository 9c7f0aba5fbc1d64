"""Formatters, one per file: pure functions from findings and a run summary to text. Registry by name."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.domain.findings import Finding
    from checker.report.model import ReportModel
    from checker.report.summary import RunSummary

Formatter = Callable[..., str]
"""render(findings, run, lang="en", color=False) -> str; those in MODEL_FORMATS also take model=."""

NAMES = ("github", "html", "json", "junit", "markdown", "sarif", "text")
MODEL_FORMATS = frozenset({"html"})
"""Formats that draw the documents themselves: they take a checker.report.model.ReportModel (model=),
which the caller builds (checker.api.report_model) only when one of them is asked for."""


def _import(name: str) -> Formatter:
    # Explicit imports, one per format, so that a run imports only the formatters it uses (start-up
    # time) and no module name ever comes from outside the code.
    if name == "text":
        from checker.report import text as module
    elif name == "json":
        from checker.report import json as module
    elif name == "sarif":
        from checker.report import sarif as module
    elif name == "junit":
        from checker.report import junit as module
    elif name == "github":
        from checker.report import github as module
    elif name == "markdown":
        from checker.report import markdown as module
    elif name == "html":
        from checker.report import html as module
    else:
        raise KeyError(name)
    return module.render


class _Registry(Mapping[str, Formatter]):
    """name → render function, importing each formatter module on first use."""

    def __getitem__(self, name: str) -> Formatter:
        return _import(name)

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


FORMATTERS: Mapping[str, Formatter] = _Registry()


def render(name: str, findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False,
           model: ReportModel | None = None) -> str:
    """Render findings in the named format; `color` only affects text, `model` only MODEL_FORMATS."""
    if name in MODEL_FORMATS:
        return FORMATTERS[name](findings, run, lang=lang, color=color, model=model)
    return FORMATTERS[name](findings, run, lang=lang, color=color)


def render_bytes(name: str, findings: Sequence[Finding], run: RunSummary, lang: str = "en",
                 model: ReportModel | None = None) -> bytes:
    """render() as UTF-8, for a file: a formatter that makes bytes itself (json) is not decoded and re-encoded."""
    if name == "json":
        from checker.report import json as module

        return module.render_bytes(findings, run, lang=lang)
    return render(name, findings, run, lang, model=model).encode("utf-8")

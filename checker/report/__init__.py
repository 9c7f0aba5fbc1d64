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
    findings, run = writable(findings, run, keep_files=name == "sarif")
    if name in MODEL_FORMATS:
        from checker.domain.findings import visible

        # The report model quotes the documents and their file names too: what it made, made writable.
        return visible(FORMATTERS[name](findings, run, lang=lang, color=color, model=model))
    return FORMATTERS[name](findings, run, lang=lang, color=color)


def writable(findings: Sequence[Finding], run: RunSummary, keep_files: bool = False
             ) -> tuple[Sequence[Finding], RunSummary]:
    """The findings and summary with every string one that UTF-8 can write: a file name that is not UTF-8
    shows its bytes as \\xNN (checker.domain.findings.visible) in every format. Fingerprints stay those
    of the names as they are (a baseline matches them). One check of all the text first: a run with no
    such name (nearly every run) pays a few milliseconds, not a copy of its findings. `keep_files`: file
    names stay as they are, for a format that escapes them itself (SARIF percent-encodes their bytes)."""
    from checker.domain.findings import visible

    if _all_writable(findings, run):
        return findings, run
    import dataclasses

    def clean(value: object, field: str = "") -> object:
        if keep_files and field in ("file", "files"):
            return value
        if isinstance(value, str):
            return visible(value)
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: clean(getattr(value, f.name), f.name)
                                                 for f in dataclasses.fields(value) if f.init})
        return value

    out = []
    for f in findings:
        made = clean(f)
        made.__dict__["fingerprint"] = f.fingerprint  # type: ignore[union-attr]
        out.append(made)
    return out, clean(run)  # type: ignore[return-value]


def _all_writable(findings: Sequence[Finding], run: RunSummary) -> bool:
    """Whether UTF-8 can write every string of the report: one join per field, then one encode (a
    generator over every string took a third of a second for 29,000 findings; this, a few hundredths)."""
    from operator import attrgetter

    parts = ["\x00".join(run.files)]
    for name in ("rule", "message", "message_ja", "entity", "title", "title_ja", "hint", "hint_ja"):
        parts.append("\x00".join(map(attrgetter(name), findings)))
    parts.append("\x00".join([f.suppressed for f in findings if f.suppressed]))
    locations = list(map(attrgetter("location"), findings))
    for name in ("file", "path", "document"):
        parts.append("\x00".join(map(attrgetter(name), locations)))
    parts.append("\x00".join([r.file + r.message + r.message_ja for f in findings for r in f.related]))
    try:
        "\x00".join(parts).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def render_bytes(name: str, findings: Sequence[Finding], run: RunSummary, lang: str = "en",
                 model: ReportModel | None = None) -> bytes:
    """render() as UTF-8, for a file: a formatter that makes bytes itself (json) is not decoded and re-encoded."""
    if name == "json":
        from checker.report import json as module

        findings, run = writable(findings, run)
        return module.render_bytes(findings, run, lang=lang)
    return render(name, findings, run, lang, model=model).encode("utf-8")

"""One import run: read every source, build and link the documents, write one YAML file each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checker.domain.load import LoadedDocument, load_text
from checker.importer import link
from checker.importer.emit import render
from checker.importer.grid import Imported, Section, SourceError
from checker.importer.review_tables import kpi_status, progress_report
from checker.importer.roadmap_table import roadmap
from checker.importer.sources import read_source
from checker.source.atomic import write_text

BUILD = {"roadmap": roadmap, "progress_report": progress_report, "kpi_status": kpi_status}


@dataclass
class Options:
    output_dir: Path
    kind: str | None = None
    doc_id: str | None = None
    reports_on: str | None = None
    force: bool = False
    max_pages: int = 5000
    progress: Callable[[str], None] = lambda _m: None


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else 1 if self.guesses else 0


def _join_reviews(made: list[tuple[Section, Imported]]) -> list[Imported]:
    """One review table per reform item, one after another in a source, under the same key issue, are
    one document with several items (a progress report covers every item of its area)."""
    out: list[Imported] = []
    last: tuple[Section, Imported] | None = None
    for section, doc in made:
        if last is not None and doc.kind != "roadmap" and last[1].kind == doc.kind \
                and last[0].source == section.source and _issue(last[1]) == _issue(doc) \
                and not _numbers(last[1]) & _numbers(doc):
            head = last[1]
            head.data["reform_items"].extend(doc.data["reform_items"])
            head.sources.extend(doc.sources)
            head.guesses.extend(doc.guesses)
            head.notes.extend(doc.notes)
            src, more = head.data["document"]["source"], doc.data["document"]["source"]
            head.data["document"]["source"] = src._replace(value=f"{src.value}, {more.where}",
                                                           where=f"{src.where}, {more.where}")
            continue
        out.append(doc)
        last = (section, doc)
    return out


def _issue(doc: Imported) -> str | None:
    issue = doc.data["document"].get("key_issue")
    return issue.value if issue else None


def _numbers(doc: Imported) -> set[int]:
    return {i["number"].value for i in doc.data["reform_items"]}


def build(sections: list[Section], reports_on: str | None = None) -> list[Imported]:
    """Sections → linked documents (roadmaps first, then the reviews tied to them)."""
    made = _join_reviews([(s, BUILD[s.kind](s)) for s in sections])
    roadmaps = link.link_roadmaps([d for d in made if d.kind == "roadmap"])
    reviews = [d for d in made if d.kind != "roadmap"]
    for doc in reviews:
        link.link_review(doc, roadmaps, reports_on)
    return roadmaps + reviews


def _unique(docs: list[Imported], outcome: Outcome) -> None:
    seen: dict[str, int] = {}
    for doc in docs:
        doc_id = doc.data["document"]["id"]
        n = seen.get(doc_id.value, 0) + 1
        seen[doc_id.value] = n
        if n > 1:
            new = f"{doc_id.value}-{n}"
            doc.guesses.append(f"another document of this import has the id {doc_id.value}; this one is {new}")
            doc.data["document"]["id"] = doc_id._replace(value=new)


SOURCE_SUFFIXES = (".pdf", ".xlsx", ".xlsm", ".txt", ".tsv")


def _expand(sources: list[str], outcome: Outcome) -> list[str]:
    """A directory stands for the PDF, workbook and text files in it (sorted, not recursive)."""
    out: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(str(p) for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
            if not found:
                outcome.errors.append(f"{source}: a directory with no {', '.join(SOURCE_SUFFIXES)} files")
            out.extend(found)
        else:
            out.append(source)
    return out


def run(sources: list[str], options: Options) -> Outcome:
    outcome = Outcome()
    sections: list[Section] = []
    for source in _expand(sources, outcome):
        options.progress(f"reading {source}")
        try:
            found, notes = read_source(Path(source), options.progress, options.max_pages)
        except SourceError as exc:
            outcome.errors.append(f"{source}: {exc}")
            continue
        except Exception as exc:  # a reader's own failure on one source never stops the others
            outcome.errors.append(f"{source}: cannot be read (internal error: {type(exc).__name__}: {exc}); "
                                  "please report it with the file")
            continue
        outcome.notes.extend(notes)
        if not found:
            outcome.errors.append(f"{source}: no 改革工程表, 改革工程の進捗状況 or KPIの状況 table found"
                                  + (f" ({notes[-1]})" if notes else ""))
        sections.extend(found)
    docs = build(sections, options.reports_on)
    if options.kind:
        skipped = [d for d in docs if d.kind != options.kind]
        if skipped:
            outcome.notes.append(f"{len(skipped)} document(s) of other kinds than {options.kind} not written")
        docs = [d for d in docs if d.kind == options.kind]
    if options.doc_id:
        if len(docs) != 1:
            outcome.errors.append(f"--id names one document, but the sources hold {len(docs)}; import them "
                                  "one at a time or leave out --id")
            return outcome
        docs[0].data["document"]["id"] = docs[0].data["document"]["id"]._replace(value=options.doc_id)
    _unique(docs, outcome)
    for doc in docs:
        _write(doc, sources, options, outcome)
    return outcome


def _write(doc: Imported, sources: list[str], options: Options, outcome: Outcome) -> None:
    doc_id = doc.data["document"]["id"].value
    target = options.output_dir / f"{doc_id}.yaml"
    names = ", ".join(sorted({s.split(":")[0] for s in doc.sources}))
    text = render(doc, f"Imported by roadmap-check import from {names}.")
    loaded = load_text(text, str(target))
    if not isinstance(loaded, LoadedDocument):
        outcome.errors.append(f"{target}: the imported document does not load ({loaded[0].message}); not written")
        return
    if target.exists() and not options.force:
        outcome.errors.append(f"{target} exists; not overwritten (use --force)")
        return
    options.output_dir.mkdir(parents=True, exist_ok=True)
    write_text(target, text)
    outcome.written.append(target)
    outcome.guesses.extend(f"{target}: {g}" for g in doc.guesses)

"""Corpus → report model (checker.report.model): documents drawn as tables, claims matched, no I/O.

Claims are matched exactly as the `reference` check matches them (checker.checks.reference.match_claims,
with the thresholds of the run's own reference rules), so that a cell marked "near" on the drawing is the
cell a progress-claim-near-match finding names.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping

from checker.checks.base import Context
from checker.checks.reference import ClaimMatch, ReferenceOptions, match_claims
from checker.domain.corpus import Corpus, Entity
from checker.domain.load import LoadedDocument, PathKey
from checker.domain.matching import GRADE_ORDER, MatchResult, PartMatch
from checker.domain.model import Deadline, Target
from checker.domain.normalize import split_bullets, strip_bullets
from checker.engine.run import dotted_path
from checker.report import model as rm

KIND_ORDER = {"roadmap": 0, "progress_report": 1, "kpi_status": 2}
CLAIM_GRADES = ("exact", "near", "weak")
"""Grades at which a claim counts as quoting a cell (none: it quotes nothing)."""


def char_diff(cell: str, claim: str) -> tuple[rm.DiffOp, ...]:
    """The cell's text against the claim's, character by character: equal, delete (cell only), insert."""
    ops: list[rm.DiffOp] = []
    matcher = difflib.SequenceMatcher(None, cell, claim, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", cell[i1:i2]))
            continue
        if i1 < i2:
            ops.append(("delete", cell[i1:i2]))
        if j1 < j2:
            ops.append(("insert", claim[j1:j2]))
    return tuple(ops)


def pack_rows(cells: list[rm.Cell], columns: int) -> tuple[tuple[rm.Slot, ...], ...]:
    """Cells into table rows as the published table draws them: each year column stacks its cells from
    the top in reading order, and a cell spanning several years sits in the first row where all its
    columns are free. Consecutive rows that divide the columns alike become one row of stacks, so that
    a column of one-year cells is not stretched to the height of its neighbours' cells."""
    taken: list[list[rm.Cell | None]] = []
    for cell in cells:
        cols = range(cell.first_column, cell.first_column + cell.span)
        row = next((r for r in taken if all(r[c] is None for c in cols)), None)
        if row is None:
            row = [None] * columns
            taken.append(row)
        for c in cols:
            row[c] = cell
    merged: list[tuple[tuple[int, ...], list[list[rm.Cell]]]] = []
    for row in taken:
        widths: list[int] = []
        stacks: list[list[rm.Cell]] = []
        c = 0
        while c < columns:
            cell = row[c]
            widths.append(cell.span if cell is not None else 1)
            stacks.append([cell] if cell is not None else [])
            c += widths[-1]
        if merged and merged[-1][0] == tuple(widths):
            for stack, more in zip(merged[-1][1], stacks, strict=True):
                stack.extend(more)
        else:
            merged.append((tuple(widths), stacks))
    return tuple(tuple(rm.Slot(tuple(stack), w) for w, stack in zip(widths, stacks, strict=True))
                 for widths, stacks in merged)


def _years(doc: LoadedDocument) -> tuple[int, ...]:
    meta = doc.model.document
    if meta.fiscal_years is not None:
        return tuple(range(meta.fiscal_years.first, meta.fiscal_years.last + 1))
    found = [y for item in doc.model.reform_items for s in item.schedule for y in s.fiscal_years]
    if meta.reform_period is not None:
        found += [meta.reform_period.first, meta.reform_period.last]
    return tuple(range(min(found), max(found) + 1)) if found else ()


def _target(t: Target | None) -> tuple[str | None, str | None, str | None]:
    """(text, kind, value as read) of a target, e.g. ("倍増(約1,000団体)", "relative", "+100%")."""
    if t is None:
        return None, None, None
    approx = "約" if t.approximate else ""
    if t.kind == "absolute" and t.value is not None:
        value = f"{approx}{t.value:,g}{t.unit or ''}"
    elif t.kind == "relative" and t.change is not None:
        value = f"{t.change * 100:+g}%"
    else:
        value = t.direction
    return t.text, t.kind, value


def _deadline(d: Deadline | None) -> str | None:
    if d is None or not d.is_set:
        return None
    return d.date.isoformat() if d.date is not None else str(d.fiscal_year)


def weakest(result: MatchResult) -> PartMatch | None:
    """The part of a claim that matched worst (the one that sets its grade)."""
    return max(result.parts, key=lambda p: (GRADE_ORDER[p.grade], -p.score), default=None)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class _Builder:
    """One pass over the corpus: anchors first (so that references can point forwards), then documents."""

    def __init__(self, corpus: Corpus, as_of: dt.date, reference: Mapping[str, ReferenceOptions]):
        self.corpus = corpus
        self.docs = sorted(corpus.documents, key=lambda d: (KIND_ORDER.get(d.kind, 9), d.id, d.file))
        self.doc_anchor = {id(d): f"d{i}" for i, d in enumerate(self.docs)}
        self.anchor: dict[tuple[int, PathKey], str] = {}
        """(id(document), data path) → HTML id of the element written there."""
        ctx = Context(corpus, as_of)
        default = ReferenceOptions(grades=["none"])
        self.claims: dict[str, ClaimMatch] = match_claims(
            ctx, "progress_entries", reference.get("progress_entries", default))
        self.status_matches: dict[str, ClaimMatch] = match_claims(
            ctx, "kpi_status_rows", reference.get("kpi_status_rows", default))
        self._groups: dict[tuple[int, str, int], dict[PathKey, list[Entity]]] = {}
        self._reviews_of: dict[int, list[LoadedDocument]] | None = None
        self.cell_claims: dict[str, list[rm.ClaimRef]] = {}
        self.kpi_status: dict[str, list[rm.StatusRef]] = {}

    def spot(self, doc: LoadedDocument, path: PathKey, anchor: str) -> rm.Spot:
        self.anchor[(id(doc), path)] = anchor
        if not path:
            return rm.Spot(anchor, doc.file, "", 1, max(doc.line_count, 1))
        s = doc.span(path)
        return rm.Spot(anchor, doc.file, dotted_path(path), s.line, max(s.end_line, s.line))

    def anchor_of(self, e: Entity) -> str:
        return self.anchor[(id(e.doc), e.path)]

    def build(self) -> rm.ReportModel:
        # Reviews are read first: their claims and rows are attached to the roadmaps' cells and KPIs.
        self._assign_anchors()
        self._attach_claims()
        self._attach_status()
        return rm.ReportModel(tuple(self._document(d) for d in self.docs))

    def _assign_anchors(self) -> None:
        for doc in self.docs:
            base = self.doc_anchor[id(doc)]
            self.anchor[(id(doc), ())] = base
            for coll, short in (("reform_items", "i"), ("schedule_items", "c"), ("kpis", "k"),
                                ("progress_entries", "e"), ("progress_statements", "s"),
                                ("kpi_status_rows", "r")):
                for n, e in enumerate(self.corpus.entities_of(coll, doc)):
                    self.anchor[(id(doc), e.path)] = f"{base}-{short}{n}"

    def _attach_claims(self) -> None:
        for doc in self.docs:
            for e in self.corpus.entities_of("progress_entries", doc):
                match = self.claims.get(f"{doc.id}@{e.key}")
                if match is None:
                    continue
                written = split_bullets(e.ns["entry"].schedule_item)
                aligned = len(written) == len(match.result.parts)
                for k, part in enumerate(match.result.parts):
                    cand, _ = match.candidate(part.candidate)
                    if cand is None or part.grade not in CLAIM_GRADES:
                        continue
                    claim = strip_bullets(written[k]) if aligned else part.part
                    cell_text = strip_bullets(cand.ns["schedule_item"].text)
                    diff = () if part.grade == "exact" else char_diff(cell_text, claim)
                    self.cell_claims.setdefault(self.anchor_of(cand), []).append(
                        rm.ClaimRef(part.grade, round(part.score, 1), claim, diff, doc.id, self.anchor_of(e)))

    def _attach_status(self) -> None:
        for doc in self.docs:
            for e in self.corpus.entities_of("kpi_status_rows", doc):
                match = self.status_matches.get(f"{doc.id}@{e.key}")
                best = weakest(match.result) if match is not None else None
                if best is None or best.grade not in CLAIM_GRADES:
                    continue
                cand, _ = match.candidate(best.candidate)
                if cand is None:
                    continue
                row = e.ns["status_row"]
                actual = row.actual
                self.kpi_status.setdefault(self.anchor_of(cand), []).append(rm.StatusRef(
                    doc.id, row.category, actual.text if actual else None,
                    _date(actual.as_of) if actual else None, self.anchor_of(e)))

    def _document(self, doc: LoadedDocument) -> rm.Document:
        meta = doc.model.document
        target = self.corpus.target_of(doc)
        years = _years(doc) if doc.kind == "roadmap" else ()
        period = (meta.reform_period.first, meta.reform_period.last) if meta.reform_period else None
        covers = (meta.covers.first, meta.covers.last) if meta.covers else None
        columns = None
        if period is not None and years:
            first, last = max(period[0], years[0]), min(period[1], years[-1])
            columns = (first - years[0], last - first + 1) if first <= last else None
        reviewers = tuple(sorted({r.id for r in self._reviews(doc)}))
        reviewed = self._reviewed_years(doc)
        items: tuple[rm.ReformItem, ...] = ()
        sections: tuple[rm.SectionItem, ...] = ()
        if doc.kind == "roadmap":
            items = tuple(self._reform_item(doc, e, years, period, reviewed)
                          for e in self.corpus.entities_of("reform_items", doc))
        elif doc.kind == "progress_report":
            sections = self._progress(doc)
        else:
            sections = self._status_table(doc)
        return rm.Document(
            meta.id, doc.kind, doc.file, meta.title, meta.published_text, meta.revision, meta.area, meta.key_issue,
            meta.reports_on, self.doc_anchor.get(id(target)) if target is not None else None, years, period, columns,
            reviewers, covers, items, sections, self.spot(doc, (), self.doc_anchor[id(doc)]))

    def _reviews(self, doc: LoadedDocument) -> list[LoadedDocument]:
        """The progress reports on `doc` (indexed on first use: one scan, not one per roadmap)."""
        if self._reviews_of is None:
            self._reviews_of = {}
            for r in self.docs:
                target = self.corpus.target_of(r) if r.kind == "progress_report" else None
                if target is not None:
                    self._reviews_of.setdefault(id(target), []).append(r)
        return self._reviews_of.get(id(doc), [])

    def _reviewed_years(self, doc: LoadedDocument) -> set[int] | None:
        """The fiscal years some progress report on `doc` covers; None: every year (a report with no
        `covers`)."""
        years: set[int] = set()
        for r in self._reviews(doc):
            covers = r.model.document.covers
            if covers is None:
                return None
            years.update(range(covers.first, covers.last + 1))
        return years

    def _in(self, e: Entity, collection: str) -> list[Entity]:
        """The entities of `collection` that lie under entity `e` (a reform item, an entry)."""
        return self._under(e.doc, collection, e.path)

    def _under(self, doc: LoadedDocument, collection: str, path: PathKey) -> list[Entity]:
        """The entities of `collection` whose path starts with `path`, in document order; grouped once per
        document and collection, since a scan per item was quadratic on roadmaps of thousands of items."""
        key = (id(doc), collection, len(path))
        groups = self._groups.get(key)
        if groups is None:
            groups = self._groups[key] = {}
            for c in self.corpus.entities_of(collection, doc):
                groups.setdefault(c.path[: len(path)], []).append(c)
        return groups.get(tuple(path), [])

    def _reform_item(self, doc: LoadedDocument, e: Entity, years: tuple[int, ...],
                     period: tuple[int, int] | None, reviewed: set[int] | None) -> rm.ReformItem:
        item = e.ns["reform_item"]
        cells = [self._cell(c, years, period, reviewed) for c in self._in(e, "schedule_items")]
        kpis = [self._kpi(k) for k in self._in(e, "kpis")]
        dated = [c for c in cells if c.fiscal_years and years]
        return rm.ReformItem(
            item.number, item.title, tuple(item.responsible), pack_rows(dated, len(years)), tuple(cells),
            tuple(c for c in cells if c not in dated), tuple(k for k in kpis if k.tier == 1),
            tuple(k for k in kpis if k.tier != 1), self.spot(doc, e.path, self.anchor_of(e)))

    def _cell(self, e: Entity, years: tuple[int, ...], period: tuple[int, int] | None,
              reviewed: set[int] | None) -> rm.Cell:
        s = e.ns["schedule_item"]
        fy = tuple(s.fiscal_years)
        first = last = 0
        if fy and years:
            # Clamped: a year before the first column is drawn in it (the published ～2016年度 column),
            # one after the last in the last (2020年度～).
            first = min(max(min(fy) - years[0], 0), len(years) - 1)
            last = min(max(max(fy) - years[0], 0), len(years) - 1)
        in_period = period is not None and any(period[0] <= y <= period[1] for y in fy)
        due = reviewed is None or bool(reviewed & set(fy)) or (not fy and bool(reviewed))
        anchor = self.anchor_of(e)
        return rm.Cell(s.id, s.text, fy, tuple(s.responsible), first, last - first + 1, in_period, due,
                       tuple(self.cell_claims.get(anchor, ())), self.spot(e.doc, e.path, anchor))

    def _kpi(self, e: Entity) -> rm.Kpi:
        k = e.ns["kpi"]
        text, kind, value = _target(k.target)
        b = k.baseline
        baseline = None if b is None else (f"{b.value:,g}{b.unit or ''}"
                                           + (f" ({b.fiscal_year})" if b.fiscal_year else ""))
        anchor = self.anchor_of(e)
        return rm.Kpi(k.tier, k.text, k.name, text, kind, value, _deadline(k.deadline), k.deadline_withheld,
                      baseline, bool(k.relisted), bool(k.ex_post), tuple(self.kpi_status.get(anchor, ())),
                      self.spot(e.doc, e.path, anchor))

    @staticmethod
    def _sections(doc: LoadedDocument) -> Iterable[tuple[PathKey, object]]:
        for i, item in enumerate(doc.model.reform_items):
            yield ("reform_items", i), item

    def _progress(self, doc: LoadedDocument) -> tuple[rm.SectionItem, ...]:
        out = []
        for path, item in self._sections(doc):
            entries = []
            for e in self._under(doc, "progress_entries", path):
                match = self.claims.get(f"{doc.id}@{e.key}")
                cells = () if match is None else tuple(dict.fromkeys(
                    (self.anchor_of(c), c.ns["schedule_item"].id) for p in match.result.parts
                    if p.grade in CLAIM_GRADES for c in [match.candidate(p.candidate)[0]] if c is not None))
                mine = self._in(e, "progress_statements")
                entries.append(rm.Entry(
                    e.ns["entry"].schedule_item, match.result.grade if match else None, cells,
                    tuple(self._statement(s) for s in mine if s.ns["statement"].section == "progress"),
                    tuple(self._statement(s) for s in mine if s.ns["statement"].section == "next_steps"),
                    self.spot(doc, e.path, self.anchor_of(e))))
            out.append(rm.SectionItem(item.number, item.title, entries=tuple(entries),
                                      spot=self.spot(doc, path, f"{self.doc_anchor[id(doc)]}-p{path[1]}")))
        return tuple(out)

    def _statement(self, e: Entity) -> rm.Statement:
        st = e.ns["statement"]
        return rm.Statement(st.ministry, st.text, st.status, st.section, self.spot(e.doc, e.path, self.anchor_of(e)))

    def _status_table(self, doc: LoadedDocument) -> tuple[rm.SectionItem, ...]:
        out = []
        for path, item in self._sections(doc):
            mine = []
            for e in self._under(doc, "kpi_status_rows", path):
                r = e.ns["status_row"]
                match = self.status_matches.get(f"{doc.id}@{e.key}")
                best = weakest(match.result) if match is not None else None
                cand = match.candidate(best.candidate)[0] if best is not None and best.grade in CLAIM_GRADES else None
                mine.append(rm.StatusRow(
                    r.tier, r.name, r.target, r.actual.text if r.actual else None,
                    _date(r.actual.as_of) if r.actual else None, r.category, r.next,
                    self.anchor_of(cand) if cand is not None else None, self.spot(doc, e.path, self.anchor_of(e))))
            out.append(rm.SectionItem(item.number, item.title, rows=tuple(mine),
                                      spot=self.spot(doc, path, f"{self.doc_anchor[id(doc)]}-t{path[1]}")))
        return tuple(out)


def build_model(corpus: Corpus, as_of: dt.date,
                reference: Mapping[str, ReferenceOptions] | None = None) -> rm.ReportModel:
    """The report model of a corpus. `reference`: the options of the run's reference rules by collection
    (progress_entries, kpi_status_rows), so that grades agree with the findings; defaults otherwise."""
    return _Builder(corpus, as_of, reference or {}).build()

"""Defect injection over the real corpus: one mutation of one document must yield exactly its findings.

Each case copies roadmaps/ to a temporary directory, replaces one document by a mutated dump of its
data (tests/mutate.py), lints the copy with every shipped rule as of 2017-12-31 and compares with the
unmutated corpus by (rule, fingerprint). The findings that appear must be exactly the expected ones,
and the findings that disappear exactly those the mutation naturally removes (stated per case).
Fingerprints do not depend on lines, so re-dumping a whole document (comments and layout lost) is
neutral: the round-trip cases prove it.

Expected findings name the entity by its data path (resolved to the corpus key at test time) rather
than by a hash, so that each case reads as "this rule, at this place". Cases whose rule has not landed
in the shipped ruleset are skipped; expectations of other rules that have not landed are ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checker.domain.corpus import Corpus
from checker.domain.findings import Finding, fingerprint
from checker.domain.load import LoadedDocument, load_paths
from checker.engine.run import lint
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset
from tests.helpers.mutate import (
    Mutation,
    chain,
    delete_at,
    load_yaml,
    mutate_text,
    replace_at,
    set_at,
    set_path,
)

AS_OF = dt.date(2017, 12, 31)
ROADMAPS = Path(__file__).resolve().parent.parent / "roadmaps"
RULESET, _RULE_ERRORS = load_ruleset([DEFAULT_RULES_DIR])  # once per module: loading compiles every rule
LOADED = {r.id for r in RULESET.rules}
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in sorted(ROADMAPS.glob("*.yaml"))}

IT15, IT16, LOCAL16 = "kaikaku-2015-it", "kaikaku-2016-it", "kaikaku-2016-local"
PROG_IT, PROG_LOCAL = "progress-2017-it", "progress-2017-local"
KPI_IT, KPI_LOCAL = "kpi-status-2017-it", "kpi-status-2017-local"
FILE = {doc: f"{doc}.yaml" for doc in (IT15, IT16, LOCAL16, PROG_IT, PROG_LOCAL, KPI_IT, KPI_LOCAL)}
R = ("reform_items", 0)  # every document of the seed holds one reform item, ⑮

Key = tuple[str, str]  # (rule, fingerprint)


@dataclass(frozen=True)
class Expect:
    """One finding: a rule, the entity of `collection` at `path` in `document`, and the hit key."""

    rule: str
    document: str
    collection: str
    path: tuple[str | int, ...]
    key: str
    """What the check appends to the entity key after '|' (a field, a fact, a report id, ...)."""


@dataclass(frozen=True)
class Case:
    id: str
    document: str
    mutation: Mutation
    new: tuple[Expect, ...]
    gone: tuple[Expect, ...] = ()
    """Baseline findings the mutation removes by its nature (each case says why)."""
    needs: tuple[str, ...] = field(default=())
    """Rules that must be shipped for the case to test anything; defaults to the rules of `new`."""


def run(directory: Path) -> tuple[dict[Key, Finding], list[LoadedDocument]]:
    loaded = load_paths([directory])
    assert loaded.errors == [], loaded.errors
    result = lint(loaded.documents, RULESET, AS_OF)
    return {(f.rule, f.fingerprint): f for f in result.findings}, loaded.documents


def resolve(expects: tuple[Expect, ...], documents: list[LoadedDocument]) -> dict[Key, Expect]:
    """Fingerprints of the expected findings of shipped rules, keyed like the lint results."""
    corpus = Corpus(documents)
    out: dict[Key, Expect] = {}
    for x in expects:
        if x.rule not in LOADED:
            continue
        matches = [e for e in corpus.collection(x.collection) if e.doc.id == x.document and e.path == x.path]
        assert len(matches) == 1, f"expectation names no single entity: {x}"
        entity = f"{matches[0].key}|{x.key}" if x.key else matches[0].key
        out[(x.rule, fingerprint(x.rule, x.document, entity))] = x
    return out


def describe(findings: dict[Key, Finding], keys: set[Key]) -> list[str]:
    return sorted(f"{findings[k].rule} {findings[k].location.document} {findings[k].entity}: "
                  f"{findings[k].message}" for k in keys)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[dict[Key, Finding], list[LoadedDocument]]:
    copy = tmp_path_factory.mktemp("baseline") / "roadmaps"
    shutil.copytree(ROADMAPS, copy)
    return run(copy)


def lint_mutated(tmp_path: Path, document: str, mutation: Mutation) -> tuple[dict[Key, Finding],
                                                                               list[LoadedDocument]]:
    copy = tmp_path / "roadmaps"
    shutil.copytree(ROADMAPS, copy)
    name = FILE[document]
    (copy / name).write_text(mutate_text(SOURCES[name], mutation), encoding="utf-8")
    return run(copy)


# ---------------------------------------------------------------- expectation shorthands


def cell(rule: str, doc: str, index: int, key: str) -> Expect:
    return Expect(rule, doc, "schedule_items", (*R, "schedule", index), key)


def kpi(rule: str, doc: str, index: int, key: str) -> Expect:
    return Expect(rule, doc, "kpis", (*R, "kpis", index), key)


def row(rule: str, doc: str, index: int, key: str) -> Expect:
    return Expect(rule, doc, "kpi_status_rows", (*R, "kpis", index), key)


def entry(rule: str, doc: str, index: int, key: str = "part0") -> Expect:
    return Expect(rule, doc, "progress_entries", (*R, "entries", index), key)


def doc(rule: str, document: str, key: str) -> Expect:
    return Expect(rule, document, "documents", ("document",), key)


def statement(rule: str, doc: str, index: int, section: str, k: int, key: str) -> Expect:
    return Expect(rule, doc, "progress_statements", (*R, "entries", index, section, k), key)


def text(rule: str, doc: str, path: tuple[str | int, ...], key: str) -> Expect:
    """A fact found in prose (the `texts` collection): `path` ends at the text field."""
    return Expect(rule, doc, "texts", (*R, *path), key)


def unowned_cells(doc: str, count: int, keep: tuple[int, ...] = ()) -> tuple[Expect, ...]:
    return tuple(cell("schedule-item-responsible-missing", doc, i, "schedule_item.effective_responsible")
                 for i in range(count) if i not in keep)


def schedule_len(doc: str) -> int:
    return len(load_yaml(SOURCES[FILE[doc]])["reform_items"][0]["schedule"])


UNRELATED = "マイナンバーカードの普及に向けた広報を全国で展開"
DOUBLING = "【2014年度：550団体 目標：2017年度までに倍増(約1,000団体)を図る】"

CASES = [
    # ------------------------------------------------------------ drop a ministry
    Case("item-responsible-emptied-2015", IT15, set_at((*R, "responsible"), []),
         (Expect("reform-item-responsible-missing", IT15, "reform_items", R, "reform_item.responsible"),
          *unowned_cells(IT15, schedule_len(IT15)))),
    Case("item-responsible-emptied-2016-it", IT16, set_at((*R, "responsible"), []),
         (Expect("reform-item-responsible-missing", IT16, "reform_items", R, "reform_item.responsible"),
          *unowned_cells(IT16, schedule_len(IT16)))),
    # A cell with its own 主担当 does not inherit the loss: s2 stays owned.
    Case("item-responsible-emptied-cell-keeps-own-2016-local", LOCAL16,
         chain(set_at((*R, "responsible"), []), set_at((*R, "schedule", 1, "responsible"), ["総務省"])),
         (Expect("reform-item-responsible-missing", LOCAL16, "reform_items", R, "reform_item.responsible"),
          *unowned_cells(LOCAL16, schedule_len(LOCAL16), keep=(1,)))),
    Case("statement-ministry-deleted", PROG_IT, delete_at((*R, "entries", 2, "progress", 1, "ministry")),
         (statement("progress-statement-ministry-missing", PROG_IT, 2, "progress", 1, "statement.ministry"),)),
    Case("next-step-ministry-null", PROG_LOCAL, set_at((*R, "entries", 0, "next_steps", 0, "ministry"), None),
         (statement("progress-statement-ministry-missing", PROG_LOCAL, 0, "next_steps", 0,
                    "statement.ministry"),)),
    # ------------------------------------------------------------ withhold or drop a deadline
    # kpi-target-arithmetic keeps its finding on this KPI (same entity); only its message quotes the new text.
    Case("deadline-to-be-set-2016-it", IT16,
         replace_at((*R, "kpis", 0, "text"), "2017年度までに倍増", "倍増(目標期限を集中改革期間中に設定)"),
         (kpi("kpi-deadline-missing", IT16, 0, "kpi.deadline"),)),
    Case("deadline-dropped-2015", IT15, replace_at((*R, "kpis", 0, "text"), "2017年度までに", ""),
         (kpi("kpi-deadline-missing", IT15, 0, "kpi.deadline"),)),
    Case("deadline-to-be-set-2016-local", LOCAL16,
         replace_at((*R, "kpis", 1, "text"), "2017年度までに倍増", "倍増(目標期限を集中改革期間中に設定)"),
         (kpi("kpi-deadline-missing", LOCAL16, 1, "kpi.deadline"),)),
    Case("deadline-already-passed", IT15, replace_at((*R, "kpis", 0, "text"), "2017年度までに", "2016年度までに"),
         (kpi("kpi-deadline-passed", IT15, 0, "kpi.deadline:2016年度までに"),)),
    # A written field beside the text that says otherwise.
    # The written deadline wins over the text, so the KPI status row's 2017 now disagrees with it.
    Case("written-deadline-contradicts-text", IT16, set_at((*R, "kpis", 0, "deadline"), {"fiscal_year": 2018}),
         (kpi("kpi-field-contradicts-text", IT16, 0, "kpi.conflicts:deadline"),
          row("kpi-status-target-differs", KPI_IT, 0, ""))),
    # ------------------------------------------------------------ remove a target
    # Without a target there is no arithmetic to check: that KPI's kpi-target-arithmetic finding goes.
    Case("target-removed-2016-it", IT16, replace_at((*R, "kpis", 0, "text"), DOUBLING, ""),
         (kpi("kpi-target-missing", IT16, 0, "kpi.target"),),
         gone=(kpi("kpi-target-arithmetic", IT16, 0, "arithmetic"),)),
    Case("target-removed-2016-local", LOCAL16, replace_at((*R, "kpis", 1, "text"), DOUBLING, ""),
         (kpi("kpi-target-missing", LOCAL16, 1, "kpi.target"),),
         gone=(kpi("kpi-target-arithmetic", LOCAL16, 1, "arithmetic"),)),
    # ------------------------------------------------------------ change one count
    # 58 disagrees with the edition's 56 (within) and is also a value the 2015 edition never had
    # (between: each new value is reported once, at its first place in the newer edition).
    Case("count-changed-in-progress-statement", PROG_IT,
         replace_at((*R, "entries", 0, "progress", 0, "text"), "全国で56グループ", "全国で58グループ"),
         (text("count-inconsistent-within-revision", PROG_IT, ("entries", 0, "progress", 0, "text"),
               "グループ:58"),
          text("count-changed-between-revisions", PROG_IT, ("entries", 0, "progress", 0, "text"),
               "グループ:2015->2016"))),
    # ------------------------------------------------------------ replace a progress claim
    Case("claim-replaced-2016-it", PROG_IT, set_at((*R, "entries", 1, "schedule_item"), UNRELATED),
         (entry("progress-claim-unmatched", PROG_IT, 1),
          cell("schedule-item-not-reported", IT16, 3, f"report:{PROG_IT}"))),
    # The row quoted two bulleted cells (s5 with its 庁室/IT室 near match, s6): both lose their report,
    # and the near-match note on the old row goes with it.
    Case("claim-replaced-two-cells", PROG_IT, set_at((*R, "entries", 2, "schedule_item"), UNRELATED),
         (entry("progress-claim-unmatched", PROG_IT, 2),
          cell("schedule-item-not-reported", IT16, 4, f"report:{PROG_IT}"),
          cell("schedule-item-not-reported", IT16, 5, f"report:{PROG_IT}")),
         gone=(entry("progress-claim-word-changed", PROG_IT, 2),)),
    # A loose paraphrase of s8 (市町村 for 都道府県, 取組を支援 for 方策を調査・研究) is a weak match: the
    # row is flagged, and s8 counts as unreported because only exact and near matches cover a cell.
    Case("claim-paraphrased-weakly", PROG_IT,
         set_at((*R, "entries", 4, "schedule_item"), "市町村における情報システム運用コストの削減に向けた取組を支援"),
         (entry("progress-claim-weak-match", PROG_IT, 4),
          cell("schedule-item-not-reported", IT16, 7, f"report:{PROG_IT}"))),
    Case("claim-replaced-2016-local", PROG_LOCAL, set_at((*R, "entries", 2, "schedule_item"), UNRELATED),
         (entry("progress-claim-unmatched", PROG_LOCAL, 2),
          cell("schedule-item-not-reported", LOCAL16, 5, f"report:{PROG_LOCAL}"))),
    # ------------------------------------------------------------ misspell an organisation
    Case("ministry-misspelt-in-statement", PROG_IT, set_at((*R, "entries", 2, "progress", 0, "ministry"), "総務相"),
         (statement("progress-ministry-unknown", PROG_IT, 2, "progress", 0, "statement.ministry:総務相"),)),
    Case("ministry-misspelt-in-item-responsible", IT15,
         set_at((*R, "responsible", 0), "総務相地域力創造グループ"),
         (Expect("responsible-organization-unknown", IT15, "reform_items", R,
                 "reform_item.responsible:総務相地域力創造グループ"),)),
    Case("ministry-misspelt-in-cell-responsible", IT16, set_at((*R, "schedule", 7, "responsible"), ["総務相"]),
         (cell("schedule-organization-unknown", IT16, 7, "schedule_item.responsible:総務相"),)),
    Case("unknown-actor-in-cell-text", IT16,
         replace_at((*R, "schedule", 5, "text"), "都道府県に対しても", "総務庁は都道府県に対しても"),
         (cell("schedule-actor-unknown", IT16, 5, "schedule_item.text:総務庁"),)),
    # ------------------------------------------------------------ re-listed (再掲) KPIs
    # Renaming changes the KPI's identity: its kpi-deadline-missing finding moves to the new name, and
    # the KPI status row that names the original no longer finds it.
    Case("relisted-kpi-renamed", LOCAL16, replace_at((*R, "kpis", 2, "text"), "運用コスト", "保守費用"),
         (kpi("relisted-kpi-differs", LOCAL16, 2, "relisted:name"),
          kpi("kpi-deadline-missing", LOCAL16, 2, "kpi.deadline"),
          row("kpi-status-row-unmatched", KPI_LOCAL, 2, "part0"),
          doc("kpi-status-row-missing", KPI_LOCAL, "item:15/kpi:2:地方公共団体の情報システム保守費用")),
         gone=(kpi("kpi-deadline-missing", LOCAL16, 2, "kpi.deadline"),),
         needs=("relisted-kpi-differs",)),
    Case("relisted-kpi-target-changed", LOCAL16, replace_at((*R, "kpis", 2, "text"), "3割圧縮", "2割圧縮"),
         (kpi("relisted-kpi-differs", LOCAL16, 2, "relisted:target"),
          row("kpi-status-target-differs", KPI_LOCAL, 2, ""))),
    # The tier is part of a KPI's identity, so kpi-deadline-missing moves with it.
    Case("relisted-kpi-tier-changed", LOCAL16, set_at((*R, "kpis", 2, "tier"), 1),
         (kpi("relisted-kpi-differs", LOCAL16, 2, "relisted:tier"),
          kpi("kpi-deadline-missing", LOCAL16, 2, "kpi.deadline")),
         gone=(kpi("kpi-deadline-missing", LOCAL16, 2, "kpi.deadline"),),
         needs=("relisted-kpi-differs",)),
    # ------------------------------------------------------------ KPI status rows
    Case("kpi-category-A-to-B", KPI_IT, set_at((*R, "kpis", 0, "category"), "B"),
         (row("kpi-category-contradicts-definition", KPI_IT, 0, "category"),)),
    Case("kpi-category-A-to-N-local", KPI_LOCAL, set_at((*R, "kpis", 0, "category"), "N"),
         (row("kpi-category-contradicts-definition", KPI_LOCAL, 0, "category"),)),
    Case("kpi-category-N-to-A-without-data", KPI_IT, set_at((*R, "kpis", 2, "category"), "A"),
         (row("kpi-category-contradicts-definition", KPI_IT, 2, "category"),)),
    Case("kpi-actual-falls-behind", KPI_IT, set_at((*R, "kpis", 0, "actual", "text"), "600団体"),
         (row("kpi-category-contradicts-definition", KPI_IT, 0, "category"),)),
    # The renamed row took the place of the one with the 市町村/市区町村 near-match note.
    Case("kpi-status-row-renamed", KPI_IT, set_at((*R, "kpis", 0, "name"), "マイナンバーカード交付率"),
         (row("kpi-status-row-unmatched", KPI_IT, 0, "part0"),
          doc("kpi-status-row-missing", KPI_IT, "item:15/kpi:1:クラウド導入市区町村数")),
         gone=(row("kpi-status-name-differs", KPI_IT, 0, "part0"),)),
    # Without reports_on the report's rows are matched against nothing, so their near-match notes go too
    # (and coverage of its roadmap is no longer checked: that is why the header rule is an error).
    Case("review-reports-on-removed", PROG_LOCAL, delete_at(("document", "reports_on")),
         (Expect("review-reports-on-missing", PROG_LOCAL, "documents", ("document",), "document.reports_on"),),
         gone=(entry("progress-claim-near-match", PROG_LOCAL, 0), entry("progress-claim-near-match", PROG_LOCAL, 3))),
    # ------------------------------------------------------------ KPI arithmetic
    Case("kpi-arithmetic-stated-value-disagrees", IT15,
         replace_at((*R, "kpis", 2, "text"), "【目標：3割圧縮(", "【2015年度：200億円 目標：3割圧縮(160億円)("),
         (kpi("kpi-target-arithmetic", IT15, 2, "arithmetic"),)),
    # The converse: a baseline that makes 倍増 and 約1,000 agree repairs the seed's arithmetic finding.
    Case("kpi-arithmetic-repaired", IT16, replace_at((*R, "kpis", 0, "text"), "550団体", "500団体"),
         (), gone=(kpi("kpi-target-arithmetic", IT16, 0, "arithmetic"),),
         needs=("kpi-target-arithmetic",)),
    # ------------------------------------------------------------ a direction only, a target to be set
    # Neither gives a value, so that KPI's kpi-target-arithmetic finding goes.
    Case("target-direction-only-2016-it", IT16, replace_at((*R, "kpis", 0, "text"), DOUBLING, "【増加】"),
         (kpi("kpi-target-direction-only", IT16, 0, "kpi.target:0"),),
         gone=(kpi("kpi-target-arithmetic", IT16, 0, "arithmetic"),)),
    Case("target-to-be-set-2015", IT15,
         replace_at((*R, "kpis", 0, "text"), DOUBLING, "【目標値は2016年度中に設定予定】"),
         (kpi("kpi-target-to-be-set", IT15, 0, "kpi.target_set_by.text:0"),
          kpi("kpi-target-setting-overdue", IT15, 0, "kpi.target_set_by:目標値は2016年度中に設定予定")),
         gone=(kpi("kpi-target-arithmetic", IT15, 0, "arithmetic"),)),
    # ------------------------------------------------------------ promises past their date
    Case("promise-date-passed-in-next-steps", PROG_IT,
         replace_at((*R, "entries", 5, "next_steps", 0, "text"), "平成29年度中に", "平成28年度中に"),
         (text("promise-deadline-passed", PROG_IT, ("entries", 5, "next_steps", 0, "text"),
               "text.value:平成28年度中に"),)),
    Case("promise-date-passed-in-kpi-status", KPI_IT,
         replace_at((*R, "kpis", 2, "next"), "2018年度までに", "2017年9月までに"),
         (text("promise-deadline-passed", KPI_IT, ("kpis", 2, "next"), "text.value:2017年9月までに"),)),
    Case("deadline-setting-overdue-2015", IT15,
         replace_at((*R, "kpis", 2, "text"), "集中改革期間中に設定", "2017年9月までに設定"),
         (kpi("kpi-deadline-setting-overdue", IT15, 2, "kpi.deadline_withheld:2017年9月までに"),)),
    # In the 2016 roadmap the same edit also makes the local re-listing differ from its original.
    Case("deadline-setting-overdue-2016-it", IT16,
         replace_at((*R, "kpis", 2, "text"), "集中改革期間中に設定", "2017年9月までに設定"),
         (kpi("kpi-deadline-setting-overdue", IT16, 2, "kpi.deadline_withheld:2017年9月までに"),
          kpi("relisted-kpi-differs", LOCAL16, 2, "relisted:deadline")),
         needs=("kpi-deadline-setting-overdue",)),
    # ------------------------------------------------------------ completeness across documents
    # A whole item left out is one finding; its rows' own findings go with them.
    Case("progress-item-removed", PROG_IT, set_at(("reform_items",), []),
         (doc("progress-item-missing", PROG_IT, "item:15"),),
         gone=(entry("progress-claim-word-changed", PROG_IT, 2),)),
    Case("kpi-status-row-removed", KPI_IT, delete_at((*R, "kpis", 2)),
         (doc("kpi-status-row-missing", KPI_IT, "item:15/kpi:2:地方公共団体の情報システム運用コスト"),)),
    Case("kpi-status-item-removed", KPI_LOCAL, set_at(("reform_items",), []),
         (doc("kpi-status-row-missing", KPI_LOCAL, "item:15"),),
         gone=(row("kpi-category-contradicts-definition", KPI_LOCAL, 1, "category"),)),
    # An item number the roadmap lacks: the item is missing too, and its rows match nothing (their
    # near-match notes go; no row is blamed with an empty candidate).
    Case("progress-item-renumbered", PROG_LOCAL, set_at((*R, "number"), 99),
         (doc("review-item-not-in-roadmap", PROG_LOCAL, "item:99#0"), doc("progress-item-missing", PROG_LOCAL, "item:15")),
         gone=(entry("progress-claim-near-match", PROG_LOCAL, 0), entry("progress-claim-near-match", PROG_LOCAL, 3))),
    Case("kpi-status-target-unit-changed", KPI_LOCAL, replace_at((*R, "kpis", 0, "target"), "1000団体", "1000件"),
         (row("kpi-status-target-differs", KPI_LOCAL, 0, ""),)),
    Case("schedule-id-repeated", IT16, set_at((*R, "schedule", 1, "id"), "s1"),
         (cell("schedule-id-duplicate", IT16, 1, "duplicate"),)),
    Case("reform-item-number-repeated", IT16, lambda data: {**data, "reform_items": [
        *data["reform_items"], {"number": 15, "title": "重複", "responsible": ["総務省"]}]},
         (Expect("reform-item-number-duplicate", IT16, "reform_items", ("reform_items", 1), "duplicate"),)),
    # The copy of a KPI without a target carries that finding too. (Copies, not the same object twice: the
    # dump would write that as a YAML alias, at the first one's line.)
    Case("kpi-repeated", IT16, lambda data: set_path(data, (*R, "kpis"), [
        *data["reform_items"][0]["kpis"], copy.deepcopy(data["reform_items"][0]["kpis"][1])]),
         (kpi("kpi-duplicate", IT16, 3, "duplicate"), kpi("kpi-target-missing", IT16, 3, "kpi.target"))),
    Case("kpi-status-row-repeated", KPI_IT, lambda data: set_path(data, (*R, "kpis"), [
        *data["reform_items"][0]["kpis"], copy.deepcopy(data["reform_items"][0]["kpis"][2])]),
         (row("kpi-status-row-duplicate", KPI_IT, 3, "duplicate"),)),
    Case("schedule-year-outside", IT16, set_at((*R, "schedule", 3, "fiscal_years"), [2107]),
         (cell("schedule-year-outside-document", IT16, 3, ""),)),
    Case("review-covers-outside-roadmap", PROG_IT, set_at(("document", "covers"), {"first": 2021, "last": 2021}),
         (doc("review-years-outside-roadmap", PROG_IT, ""),)),
    Case("status-field-contradicts-text", PROG_IT, set_at((*R, "entries", 0, "progress", 0, "status"), "遅れ"),
         (statement("progress-status-text-differs", PROG_IT, 0, "progress", 0, ""),)),
    Case("claim-verb-changed", PROG_IT, replace_at((*R, "entries", 1, "schedule_item"), "重点的に支援", "重点的に検討"),
         (entry("progress-claim-word-changed", PROG_IT, 1),)),
    # Punctuation only: a note, not a warning.
    Case("claim-punctuation-changed", PROG_IT,
         replace_at((*R, "entries", 1, "schedule_item"), "導入を、地方交付税", "導入を地方交付税"),
         (entry("progress-claim-near-match", PROG_IT, 1),)),
]


def _needs(case: Case) -> set[str]:
    return set(case.needs) or {x.rule for x in case.new}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_mutation_yields_exactly_its_findings(case: Case, baseline, tmp_path):
    missing = _needs(case) - LOADED
    if missing:
        pytest.skip(f"rule(s) not shipped yet: {', '.join(sorted(missing))}")
    before, base_docs = baseline
    after, docs = lint_mutated(tmp_path, case.document, case.mutation)
    new, gone = set(after) - set(before), set(before) - set(after)
    want_new, want_gone = resolve(case.new, docs), resolve(case.gone, base_docs)
    assert new == set(want_new), (f"unexpected: {describe(after, new - set(want_new))}; "
                                  f"missing: {sorted(map(str, (want_new[k] for k in set(want_new) - new)))}")
    assert gone == set(want_gone), (f"disappeared: {describe(before, gone - set(want_gone))}; "
                                    f"still there: {sorted(map(str, (want_gone[k] for k in set(want_gone) - gone)))}")


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_round_trip_dump_changes_no_finding(name, baseline, tmp_path):
    """Re-dumping a document (comments and layout lost) must not change a single finding or message."""
    before, _ = baseline
    document = name.removesuffix(".yaml")
    after, _ = lint_mutated(tmp_path, document, lambda data: data)
    assert set(after) == set(before)
    assert {k: f.message for k, f in after.items()} == {k: f.message for k, f in before.items()}


# ---------------------------------------------------------------- the count in the roadmap itself

S1_TEXT = ("schedule", 0, "text")


def test_count_changed_in_2016_roadmap(baseline, tmp_path):
    """全国で58グループ in s1 of the 2016 roadmap: the rest of the edition (56) now disagrees with it.

    within_revision takes the value most places of the edition state (56) as right, so the injected 58 is
    reported once, at s1, against the first 56. between_revisions reports each new value once at its
    first place: 58 at s1 (the same finding as the seed's 56 at s1, now saying 58) and 56, first at s10.
    """
    for rule in ("count-inconsistent-within-revision", "count-changed-between-revisions"):
        if rule not in LOADED:
            pytest.skip(f"rule not shipped yet: {rule}")
    before, _ = baseline
    after, docs = lint_mutated(tmp_path, IT16, replace_at((*R, *S1_TEXT), "全国で56グループ", "全国で58グループ"))
    within = "count-inconsistent-within-revision"
    want = resolve((
        text(within, IT16, S1_TEXT, "グループ:58"),
        text("count-changed-between-revisions", IT16, ("schedule", 9, "text"), "グループ:2015->2016"),
    ), docs)
    assert set(after) - set(before) == set(want), describe(after, set(after) - set(before))
    assert set(before) - set(after) == set()
    changed = {k for k in set(after) & set(before) if after[k].message != before[k].message}
    [s1_between] = resolve((text("count-changed-between-revisions", IT16, S1_TEXT, "グループ:2015->2016"),),
                           docs)
    assert changed == {s1_between}
    assert "(58)" in after[s1_between].message and "(54)" in after[s1_between].message
    assert "(56)" in before[s1_between].message


def test_every_shipped_rule_is_injected():
    """Each shipped rule is the expected outcome of at least one mutation (a new rule needs a case here)."""
    covered = {x.rule for c in CASES for x in (*c.new, *c.gone)} | {
        "count-inconsistent-within-revision", "count-changed-between-revisions"}
    assert LOADED - covered == set()


# ---------------------------------------------------------------- no message prints an empty name

EMPTY = re.compile(r"''|「」|\(\)|（）| of  |\bof \(|: ,|\(it has: \)")


def _all_mutated_messages(tmp_path: Path) -> list[str]:
    """Every message (both languages) of every mutation case's lint."""
    messages = []
    for case in CASES:
        target = tmp_path / case.id / "roadmaps"
        shutil.copytree(ROADMAPS, target)
        (target / FILE[case.document]).write_text(mutate_text(SOURCES[FILE[case.document]], case.mutation),
                                               encoding="utf-8")
        loaded = load_paths([target])
        result = lint(loaded.documents, RULESET, AS_OF, input_errors=loaded.errors)
        messages += [m for f in result.findings for m in (f.message, f.message_ja)]
    return messages


def test_no_finding_message_has_an_empty_quoted_name(tmp_path):
    messages = _all_mutated_messages(tmp_path)
    assert len(messages) > 100
    assert [m for m in messages if EMPTY.search(m)] == []

"""Hypothesis strategies for clean corpora: roadmaps and their reviews, consistent by construction.

A generated corpus holds one roadmap edition (optionally an earlier one it supersedes and a re-listing
variant of the same edition), a progress report that quotes every schedule cell due in the year it
covers, verbatim, with 【ministry】 statements by the cell's responsible bodies, and a KPI status table
whose rows name the roadmap's KPIs with targets whose arithmetic holds and a 区分 that follows the A/B/N
definitions with a clear margin. Nothing in it is a defect, so the shipped rules should stay silent.

Every text is built from phrase pools shaped like the seed (rules read prose with patterns, so the
phrases exercise them): counts written 全国でNグループ, actors written ・XとYが、, promises written
N年度中に…する, KPIs written 名称【基準年度：値 目標：期限までに倍増(約値)を図る】.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.helpers.mutate import load_yaml

VOCABULARY = Path(__file__).resolve().parents[2] / "rules" / "vocabularies" / "organizations.yaml"


def _organisation_names() -> list[str]:
    """Canonical names and their aliases from the shipped vocabulary (a fixed list if it is absent)."""
    if not VOCABULARY.exists():
        return ["総務省", "内閣府", "財務省", "内閣官房 情報通信技術(IT)総合戦略室", "IT室"]
    names: list[str] = []
    for org in load_yaml(VOCABULARY.read_text(encoding="utf-8"))["organizations"]:
        names.append(org["name"])
        names.extend(org.get("aliases", []))
        # A ministry with one of its units, written as the seed writes 総務省地域力創造グループ.
        names.extend(org["name"] + unit for unit in org.get("units", [])[:2])
    return names


ORGANISATIONS = _organisation_names()

# ---------------------------------------------------------------- phrase pools

RECIPIENTS = ["", "自治体に対し、", "都道府県に対し、", "市町村を中心に", "各府省と連携し、"]
OBJECTS = [
    "自治体クラウドの取組事例", "庁内システムの現状・課題等", "情報システム運用コスト", "業務の簡素化・標準化の取組",
    "クラウド化の効果", "行政手続のオンライン化", "地方行政サービス改革の取組状況", "共同調達の先進事例",
    "システム更新時期の集約", "窓口業務の民間委託", "番号制度を活用した事務の効率化", "歳出効率化の成果",
]
VERBS = [
    "について調査・研究", "を深掘り・分析し、その結果を整理・類型化", "について助言・情報提供等を実施", "の普及促進を徹底",
    "の要因を検証", "を地方交付税措置により重点的に支援", "の測定方法の検討・結果の公表", "を把握・検証",
    "の試算・公表", "を引き続き推進",
]
REPORTS = [
    "関係団体へのヒアリングを実施した。", "調査票を配布し、回答を集計中。", "先進事例を取りまとめ、自治体に周知した。",
    "説明会を開催し、助言を実施した。", "地方財政計画に所要の経費を計上した。",
]
STATUSES = ["順調", "概ね順調"]
NEXT_STEPS = ["引き続き推進する。", "左記取組を引き続き実施する。", "取組の進捗を踏まえ、必要な取組を検討。"]

# (name, unit) of KPIs: a count of bodies, a number of cases, a cost.
KPI_NAMES = [
    ("クラウド導入市区町村数", "団体"), ("共同調達参加団体数", "団体"), ("オンライン申請件数", "件"),
    ("窓口業務委託団体数", "団体"), ("情報システム運用コスト", "億円"), ("電子申告利用件数", "件"),
]
# Names are unique within a reform item; two items may share one (with other numbers), which once made
# kpi-category-contradicts-definition take another item's baseline (tests/test_generated_clean.py).
KPI_POOL = [(q + name, unit) for q in ("", "広域") for name, unit in KPI_NAMES]


@dataclass(frozen=True)
class Corpus:
    """Plain data of every document, keyed by file name, and the date to lint as of."""

    documents: dict[str, dict[str, Any]]
    as_of: dt.date


def fy_end(year: int) -> dt.date:
    """Last day of fiscal year `year` (年度 runs April–March)."""
    return dt.date(year + 1, 3, 31)


@st.composite
def cell_texts(draw, count: int | None) -> list[str]:
    """Distinct schedule cell texts; `count` (全国でNグループ) is woven into some when given."""
    n = draw(st.integers(1, 6))
    texts: list[str] = []
    for _ in range(n):
        obj = draw(st.sampled_from(OBJECTS))
        if count is not None and draw(st.booleans()):
            obj += f"(全国で{count}グループ)"
        text = draw(st.sampled_from(RECIPIENTS)) + obj + draw(st.sampled_from(VERBS))
        if draw(st.integers(0, 4)) == 0:
            a, b = draw(st.lists(st.sampled_from(ORGANISATIONS), min_size=2, max_size=2, unique=True))
            text = f"・{a}と{b}が、{text}"
        if text not in texts:
            texts.append(text)
    return texts


@st.composite
def kpis(draw, names: list[tuple[str, str]], first_year: int, covered: int, last_year: int
         ) -> list[dict[str, Any]]:
    """KPIs named from `names` with a baseline before the covered year and a deadline in the roadmap's years."""
    chosen = names[:draw(st.integers(1, 3))]
    out = []
    for name, unit in chosen:
        base_year = draw(st.integers(first_year - 2, covered - 1))
        deadline = draw(st.integers(covered, last_year))
        base = draw(st.integers(5, 400)) * 10
        kind = draw(st.sampled_from(["double", "cut", "absolute"]))
        if kind == "double":
            goal = 2 * base
            target = f"{deadline}年度までに倍増(約{goal:,}{unit})を図る"
            status_target = f"{base_year}年度から{deadline}年度までに倍増(約{goal}{unit})"
        elif kind == "cut":
            share = draw(st.integers(1, 5))
            goal = base * (10 - share) // 10
            target = f"{deadline}年度までに{share}割削減({goal:,}{unit})"
            status_target = f"{base_year}年度から{deadline}年度までに{share}割削減({goal}{unit})"
        else:
            goal = base + draw(st.integers(1, 100)) * 10
            target = f"{deadline}年度までに{goal:,}{unit}"
            status_target = f"{deadline}年度までに{goal}{unit}"
        out.append({"tier": draw(st.sampled_from([1, 2])), "name": name, "unit": unit, "base": base,
                    "base_year": base_year, "goal": goal, "deadline": deadline, "status_target": status_target,
                    "text": f"・{name}【{base_year}年度：{base:,}{unit} 目標：{target}】"})
    return out


@st.composite
def status_row(draw, k: dict[str, Any], covered: int) -> dict[str, Any]:
    """A KPIの状況 row whose 区分 follows the definitions, at least 15 points away from the A/B boundary."""
    as_of = dt.date(covered, draw(st.integers(4, 12)), 1)
    start, end = fy_end(k["base_year"]), fy_end(k["deadline"])
    elapsed = (as_of - start).days / (end - start).days
    options = ["N"] + (["A"] if elapsed <= 1.0 else []) + (["B"] if elapsed >= 0.15 else [])
    category = draw(st.sampled_from(options))
    row: dict[str, Any] = {"tier": k["tier"], "name": k["name"], "target": k["status_target"], "category": category,
                           "next": f"{covered}年度末の実績値は、{covered + 1}年夏頃に把握予定"}
    if category == "N":
        row["actual"] = {"text": "-"}
        return row
    share = (draw(st.integers(min(100, round(elapsed * 100) + 15), 120)) if category == "A"
             else draw(st.integers(0, round(elapsed * 100) - 15)))
    current = round(k["base"] + (k["goal"] - k["base"]) * share / 100)
    row["actual"] = {"text": f"{current}{k['unit']}", "as_of": as_of}
    return row


@st.composite
def roadmap_items(draw, first_year: int, covered: int, last_year: int) -> list[dict[str, Any]]:
    numbers = draw(st.lists(st.integers(1, 40), min_size=1, max_size=3, unique=True))
    items = []
    for number in numbers:
        count = draw(st.one_of(st.none(), st.integers(10, 99)))
        texts = draw(cell_texts(count))
        # Every item has a cell due in the covered year, so the progress report has rows to quote.
        years = [covered] + [draw(st.integers(first_year, last_year)) for _ in texts[1:]]
        responsible = draw(st.lists(st.sampled_from(ORGANISATIONS), min_size=1, max_size=2, unique=True))
        items.append({
            "number": number,
            "title": draw(st.sampled_from(OBJECTS)) + "の推進",
            "responsible": responsible,
            "count": count,
            "schedule": [{"id": f"s{i + 1}", "text": t, "fiscal_years": [y], "responsible": []}
                         for i, (t, y) in enumerate(zip(texts, years, strict=True))],
            "kpis": draw(kpis(draw(st.permutations(KPI_POOL)), first_year, covered, last_year)),
        })
    return items


def _roadmap(doc_id: str, revision: int, items: list[dict[str, Any]], first_year: int, last_year: int,
             supersedes: str | None = None, variant: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": doc_id, "kind": "roadmap", "title": "経済・財政再生計画 改革工程表",
                            "revision": revision, "fiscal_years": {"first": first_year, "last": last_year},
                            "reform_period": {"first": 2016, "last": 2018}}
    if supersedes:
        meta["supersedes"] = supersedes
    if variant:
        meta["variant"] = variant
    return {"document": meta, "reform_items": [
        {"number": i["number"], "title": i["title"], "responsible": i["responsible"], "schedule": i["schedule"],
         "kpis": [{"tier": k["tier"], "text": k["text"], **({"relisted": True} if k.get("relisted") else {})}
                  for k in i["kpis"]]}
        for i in items]}


@st.composite
def progress_report(draw, roadmap_id: str, revision: int, items: list[dict[str, Any]], covered: int):
    report_items = []
    for item in items:
        entries = []
        for cell in item["schedule"]:
            if covered not in cell["fiscal_years"]:
                continue
            ministries = draw(st.lists(st.sampled_from(item["responsible"]), min_size=1,
                                       max_size=len(item["responsible"]), unique=True))
            progress = []
            for m in ministries:
                status = draw(st.sampled_from(STATUSES))
                said = draw(st.sampled_from(REPORTS))
                if item["count"] is not None and draw(st.booleans()):
                    said = f"全国で{item['count']}グループの事例を分析し、" + said
                progress.append({"ministry": m, "text": f"{said}({status})", "status": status})
            next_steps = [{"ministry": m, "text": draw(st.sampled_from(
                [*NEXT_STEPS, f"{covered}年度中に結果を公表する。", f"{covered + 1}年度中に試算・公表する。"]))}
                for m in ministries]
            entries.append({"schedule_item": cell["text"], "progress": progress, "next_steps": next_steps})
        report_items.append({"number": item["number"], "title": item["title"], "entries": entries})
    return {"document": {"id": f"progress-{covered}", "kind": "progress_report", "title": "改革工程の進捗状況",
                         "revision": revision, "reports_on": roadmap_id,
                         "covers": {"first": covered, "last": covered}},
            "reform_items": report_items}


@st.composite
def kpi_status(draw, roadmap_id: str, revision: int, items: list[dict[str, Any]], covered: int):
    return {"document": {"id": f"kpi-status-{covered}", "kind": "kpi_status", "title": "KPIの状況",
                         "revision": revision, "reports_on": roadmap_id, "covers": {"first": covered, "last": covered}},
            "reform_items": [{"number": i["number"], "title": i["title"],
                              "kpis": [draw(status_row(k, covered)) for k in i["kpis"]]} for i in items]}


@st.composite
def corpora(draw) -> Corpus:
    """A clean corpus: roadmap, progress report and KPI status; optionally an earlier edition and a re-listing."""
    revision = draw(st.integers(2015, 2018))
    first_year = revision
    last_year = first_year + draw(st.integers(2, 5))
    covered = draw(st.integers(first_year + 1, min(last_year, first_year + 2)))
    items = draw(roadmap_items(first_year, covered, last_year))
    roadmap_id = f"roadmap-{revision}"
    docs: dict[str, dict[str, Any]] = {}
    supersedes = None
    if draw(st.booleans()):
        # The earlier edition: the same items and counts, read a year before.
        supersedes = f"roadmap-{revision - 1}"
        docs[f"{supersedes}.yaml"] = _roadmap(supersedes, revision - 1, items, first_year - 1, last_year)
    docs[f"{roadmap_id}.yaml"] = _roadmap(roadmap_id, revision, items, first_year, last_year, supersedes)
    if draw(st.booleans()):
        # A re-listing in another area of the same edition: one KPI repeated word for word, marked 再掲. Any
        # KPI, including one whose name another item also uses (the original is then the identical one).
        item, k = draw(st.sampled_from([(i, k) for i in items for k in i["kpis"]]))
        relisted = {**k, "text": k["text"] + " (再掲)", "relisted": True}
        variant = {**item, "kpis": [relisted], "schedule": item["schedule"][:1]}
        docs[f"{roadmap_id}-local.yaml"] = _roadmap(f"{roadmap_id}-local", revision, [variant], first_year,
                                                    last_year, variant="再掲")
    docs[f"progress-{covered}.yaml"] = draw(progress_report(roadmap_id, revision, items, covered))
    docs[f"kpi-status-{covered}.yaml"] = draw(kpi_status(roadmap_id, revision, items, covered))
    # Lint at the end of the covered year: every promise and deadline in the corpus is still open.
    return Corpus(docs, fy_end(covered))

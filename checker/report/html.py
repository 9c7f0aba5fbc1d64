"""HTML report: one self-contained page with each roadmap drawn as its published grid, findings on it.

Rendered by Jinja2 with autoescape on and StrictUndefined (templates in checker/report/templates/): every
string from the data is escaped by the engine, and no data ever reaches the script, which only filters
on data- attributes. Without a report model (checker.report.model) the page holds the summary and the
findings list only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache

import jinja2

from checker.domain.findings import TOOL_NAME, Finding
from checker.report.html_place import Locator, by_place, finding_views
from checker.report.model import ReportModel
from checker.report.summary import Counts, RunSummary

SEVERITIES = ("error", "warning", "info")

# UI words; data strings never come from here. Keys missing in a language fail loudly (StrictUndefined).
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Roadmap check report", "summary": "Summary", "as_of": "As of", "version": "Version",
        "files": "Files checked", "severity": "Severity", "rule": "Rule", "document": "Document",
        "count": "Findings", "by_severity": "By severity", "by_rule": "By rule", "by_document": "By document",
        "ruleset": "Rule set", "rules_ran": "rules ran", "error": "error", "warning": "warning", "info": "info",
        "suppressed": "suppressed", "findings": "Findings", "all": "All", "filter": "Filter findings",
        "showing": "Showing", "of": "of", "location": "Location", "message": "Message", "place": "On the grid",
        "show": "show", "hint": "Hint", "related": "Related", "no_findings": "No findings.",
        "skip": "Skip to the findings list", "contents": "Contents", "roadmaps": "Roadmaps",
        "progress_reports": "Progress reports", "kpi_tables": "KPI status tables",
        "reform_period": "Reform period (集中改革期間)", "responsible": "Responsible (《主担当府省庁等》)",
        "kpi1": "KPI (tier 1)", "kpi2": "KPI (tier 2)", "fy": "FY", "fy_from": "to ", "fy_to": " on",
        "undated": "No fiscal year", "claims": "Progress claims", "claim_none": "No progress claim quotes it",
        "exact": "exact", "near": "near", "weak": "weak", "none": "none", "read_as": "Read as",
        "target": "Target", "deadline": "Deadline", "withheld": "withheld", "baseline": "Baseline",
        "no_target": "none found", "no_deadline": "none set", "relisted": "relisted (再掲)",
        "ex_post": "verified ex post", "status": "KPI status", "category": "Category (区分)",
        "actual": "Actual", "reports_on": "Reports on", "published": "Published", "area": "Area",
        "key_issue": "Key issue", "covers": "Covers", "file": "File", "schedule_item": "Schedule item (改革工程)",
        "match": "Matches", "progress": "Progress (計画期間中の進捗)", "next_steps": "Next steps (今後の進展について)",
        "tier": "Tier", "kpi": "KPI", "target_col": "Target (deadline)", "actual_col": "Actual (as of)",
        "next": "Next review and plan", "roadmap_kpi": "Roadmap KPI", "unplaced": "Files not drawn",
        "deleted": "only in the cell", "inserted": "only in the claim", "own_responsible": "Own responsible",
        "cell": "cell", "no_match": "no schedule cell", "unknown_roadmap": "roadmap not in this run",
        "to_list": "back to the list", "revision": "Revision", "kind_roadmap": "roadmap",
        "kind_progress_report": "progress report", "kind_kpi_status": "KPI status",
        "noscript": "Filtering needs JavaScript; every finding is listed below.",
        "kind_absolute": "absolute", "kind_relative": "relative change", "kind_direction": "direction",
        "increase": "increase", "decrease": "decrease",
    },
    "ja": {
        "title": "改革工程表 検査結果", "summary": "概要", "as_of": "基準日", "version": "バージョン",
        "files": "検査したファイル", "severity": "重大度", "rule": "ルール", "document": "文書",
        "count": "件数", "by_severity": "重大度別", "by_rule": "ルール別", "by_document": "文書別",
        "ruleset": "ルールセット", "rules_ran": "ルールを実行", "error": "エラー", "warning": "警告", "info": "情報",
        "suppressed": "抑止", "findings": "指摘一覧", "all": "すべて", "filter": "指摘の絞り込み",
        "showing": "表示", "of": "/", "location": "場所", "message": "内容", "place": "工程表上の位置",
        "show": "表示", "hint": "対処", "related": "関連箇所", "no_findings": "指摘はありません。",
        "skip": "指摘一覧へ移動", "contents": "目次", "roadmaps": "改革工程表",
        "progress_reports": "改革工程の進捗状況", "kpi_tables": "KPIの状況",
        "reform_period": "集中改革期間", "responsible": "《主担当府省庁等》",
        "kpi1": "KPI(第一階層)", "kpi2": "KPI(第二階層)", "fy": "", "fy_from": "～", "fy_to": "～",
        "undated": "年度の記載なし", "claims": "進捗の引用", "claim_none": "進捗での引用なし",
        "exact": "一致", "near": "近似", "weak": "不一致の疑い", "none": "該当なし", "read_as": "読み取り結果",
        "target": "目標", "deadline": "期限", "withheld": "未設定", "baseline": "基準値",
        "no_target": "読み取れず", "no_deadline": "設定なし", "relisted": "再掲",
        "ex_post": "事後的に検証する指標", "status": "KPIの状況", "category": "区分",
        "actual": "実績値", "reports_on": "対象の工程表", "published": "公表", "area": "分野",
        "key_issue": "重要課題", "covers": "対象年度", "file": "ファイル", "schedule_item": "改革工程",
        "match": "照合", "progress": "計画期間中の進捗", "next_steps": "今後の進展について",
        "tier": "階層", "kpi": "KPI", "target_col": "目標値(達成時期)", "actual_col": "実績値(時点)",
        "next": "次回の把握時期と今後の方針", "roadmap_kpi": "工程表のKPI", "unplaced": "図示できないファイル",
        "deleted": "工程表のみ", "inserted": "引用のみ", "own_responsible": "担当",
        "cell": "工程", "no_match": "該当する工程なし", "unknown_roadmap": "対象の工程表がこの検査にない",
        "to_list": "一覧へ戻る", "revision": "改定", "kind_roadmap": "工程表",
        "kind_progress_report": "進捗状況", "kind_kpi_status": "KPIの状況",
        "noscript": "絞り込みには JavaScript が必要です。指摘はすべて下に表示しています。",
        "kind_absolute": "絶対値", "kind_relative": "相対変化", "kind_direction": "方向",
        "increase": "増加", "decrease": "減少",
    },
}


def circled(n: int) -> str:
    """A reform item's number as printed: 15 → ⑮ (1–50); other numbers in parentheses."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


@cache
def environment() -> jinja2.Environment:
    """One environment per process: templates are compiled once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("checker.report", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["circled"] = circled
    return env


def _counts_by(values: Sequence[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items())


def context(findings: Sequence[Finding], run: RunSummary, lang: str, model: ReportModel | None) -> dict:
    """Everything the template reads: plain values, already in the report's language."""
    lang = lang if lang in STRINGS else "en"
    locator = Locator(model.spots() if model is not None else ())
    views = finding_views(findings, locator, lang)
    active = [v for v in views if v.suppressed is None]
    rules = {r.id: r for r in run.rule_infos(findings)}
    drawn = {d.file for d in model.documents} if model is not None else set()
    unplaced: dict[str, list] = {}
    for v in views:
        if v.place is None:
            unplaced.setdefault(v.file, []).append(v)
    return {
        "t": STRINGS[lang], "lang": lang, "tool": TOOL_NAME, "run": run, "counts": Counts.of(findings),
        "severities": SEVERITIES, "findings": views, "placed": by_place(views), "unplaced": unplaced,
        "model": model, "drawn": drawn,
        "by_severity": [(s, sum(v.severity == s for v in active)) for s in SEVERITIES],
        "by_rule": [(rid, rules[rid].title_in(lang) if rid in rules else rid, n)
                    for rid, n in _counts_by([v.rule for v in active])],
        "by_document": _counts_by([v.document for v in active]),
        "rules": sorted(rules.values(), key=lambda r: r.id),
        "filter_rules": sorted({v.rule for v in views}),
        "filter_documents": sorted({v.document for v in views}),
    }


def render(findings: Sequence[Finding], run: RunSummary, lang: str = "en", color: bool = False,
           model: ReportModel | None = None) -> str:
    return environment().get_template("report.html.j2").render(context(findings, run, lang, model))

"""One fixed, hand-built list of findings (not the live corpus) that every formatter renders for the golden files."""

from __future__ import annotations

import datetime as dt

from checker.domain.findings import Finding, Location, Related, RuleInfo, Severity, sort_findings
from checker.engine.accepted import StaleEntry
from checker.report.summary import RunSummary

IT = "roadmaps/kaikaku-2016-it.yaml"
ODD = "roadmaps/odd name ｜ 100%.yaml"

FINDINGS = sort_findings([
    Finding("kpi-deadline-missing", Severity.ERROR,
            "KPI '地方公共団体の情報システム運用コスト' has target '3割圧縮' but no deadline",
            "KPI「地方公共団体の情報システム運用コスト」の目標「3割圧縮」に達成期限が設定されていない",
            Location(IT, 137, 9, 138, 40, "reform_items[0].kpis[3]", "kaikaku-2016-it"),
            "item:15/kpi:2:情報システム運用コスト", (), "KPI target has no deadline", "KPIの目標に達成期限がない",
            "Give a deadline such as 2018年度までに"),
    Finding("count-changed-between-revisions", Severity.WARNING,
            "'全国で56グループ' (56) changed from '全国で54グループ' (54), a 3.7% change: 100% sure?",
            "「全国で56グループ」(56)が前回版の「全国で54グループ」(54)から変わった",
            Location(IT, 53, 15, 53, 80, "reform_items[0].schedule[0].text", "kaikaku-2016-it"),
            "item:15/schedule:s1|56", (Related("roadmaps/kaikaku-2015-it.yaml", 69, 15, "54 groups, in 2015",
                                               "2015年版では54グループ"),),
            "Count changed between revisions", "回次間で件数が変わった", ""),
    Finding("schedule-actor-unknown", Severity.INFO,
            "Actor '庁室' is unknown | closest: IT室\nsecond line, with a comma",
            "実施主体「庁室」は不明 | 最も近い: IT室\n二行目",
            Location(IT, 70, 15, 70, 60, "reform_items[0].schedule[2].text", "kaikaku-2016-it"),
            "item:15/schedule:s3|庁室", (), "Unknown actor", "不明な実施主体", ""),
    Finding("kpi-target-missing", Severity.ERROR, "KPI '歳出効率化の成果' has no quantitative target",
            "KPI「歳出効率化の成果」に定量的な目標が設定されていない",
            Location(IT, 134, 9, 134, 50, "reform_items[0].kpis[2]", "kaikaku-2016-it"),
            "item:15/kpi:2:歳出効率化の成果", (), "KPI has no target", "KPIに目標がない", "",
            suppressed="事後的に検証する指標 (verified ex post by design)"),
    Finding("kpi-target-missing", Severity.ERROR, "KPI 'x' has no quantitative target",
            "KPI「x」に定量的な目標が設定されていない",
            Location(ODD, 12, 9, 12, 20, "reform_items[0].kpis[0]", "odd"),
            "item:1/kpi:1:x", (), "KPI has no target", "KPIに目標がない", "", suppressed=""),
    Finding("input-error", Severity.ERROR, "YAML error: mapping values are not allowed here",
            "YAML error: mapping values are not allowed here", Location("roadmaps/broken.yaml", 3, 7, 3, 7),
            "roadmaps/broken.yaml|yaml-syntax|3", (), "Input cannot be checked", "入力を検査できない"),
])

RULES = (
    RuleInfo("count-changed-between-revisions", Severity.WARNING, "Count changed between revisions",
             "回次間で件数が変わった", "A count that changes between editions needs a reason.",
             "Say why the count changed", "件数が変わった理由を書く"),
    RuleInfo("input-error", Severity.ERROR, "Input cannot be checked", "入力を検査できない",
             "A file that cannot be read is not checked."),
    RuleInfo("kpi-deadline-missing", Severity.ERROR, "KPI target has no deadline", "KPIの目標に達成期限がない",
             "A target without a deadline cannot be evaluated.", "Give a deadline", "達成期限を記載する"),
    RuleInfo("kpi-target-missing", Severity.ERROR, "KPI has no target", "KPIに目標がない",
             "A KPI without a target can only be marked F."),
)

RUN = RunSummary(
    version="0.0.0-test", as_of=dt.date(2017, 12, 31),
    files=("roadmaps/broken.yaml", "roadmaps/kaikaku-2015-it.yaml", IT, ODD),
    rules=RULES, baseline="roadmap-check-baseline.json", baseline_matched=2,
    baseline_stale=(StaleEntry("0123456789abcdef0123456789abcdef", "kpi-target-missing", "kaikaku-2015-it",
                               "item:15/kpi:2:old", "KPI 'old' has no quantitative target"),),
)

EMPTY_RUN = RunSummary(version="0.0.0-test", as_of=dt.date(2017, 12, 31), files=(IT,), rules=RULES)

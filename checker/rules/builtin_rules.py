"""The rules the tool itself reports (not in rules/*.yaml): their ids and what reports say about them."""

from __future__ import annotations

from checker.domain.findings import Severity
from checker.report.summary import RuleInfo

INPUT_ERROR_RULE = "input-error"
NO_REASON_RULE = "suppression-without-reason"
UNUSED_RULE = "suppression-unused"

BUILTIN_RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo(INPUT_ERROR_RULE, Severity.ERROR, "Input cannot be checked", "入力を検査できない",
             "A file that cannot be read, parsed or validated against the data model is not checked at all, "
             "so it is reported as an error and the run exits with code 2.",
             "Fix the YAML or the field named in the message", "メッセージが示す YAML または項目を直す"),
    RuleInfo(NO_REASON_RULE, Severity.WARNING, "Suppression without a reason", "理由のない抑止コメント",
             "A suppression (# roadmap-check: ignore[rule-id] reason) must say why, so that reviewers can judge "
             "it later. It still applies.",
             "Write the reason after the bracket", "括弧の後に理由を書く"),
    RuleInfo(UNUSED_RULE, Severity.WARNING, "Suppression matches nothing", "該当のない抑止コメント",
             "A suppression that covers no finding is either stale (the defect was fixed) or names the wrong rule "
             "or line; left in place, it would hide a future finding.",
             "Remove the comment, or fix its rule id", "コメントを削除するか、ルールIDを直す"),
)}

__all__ = ["BUILTIN_RULES", "INPUT_ERROR_RULE", "NO_REASON_RULE", "UNUSED_RULE"]

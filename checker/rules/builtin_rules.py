"""The rules the tool itself reports (not in rules/*.yaml): their ids, texts in ja and en, and findings.

The one place these texts live: the rule list of a report (RuleInfo), the findings' titles, messages
and hints all come from here.
"""

from __future__ import annotations

from checker.domain.findings import Finding, Location, RuleInfo, Severity

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
             "Write the reason after the bracket: # roadmap-check: ignore[rule-id] reason",
             "括弧の後に理由を書く: # roadmap-check: ignore[rule-id] 理由"),
    RuleInfo(UNUSED_RULE, Severity.WARNING, "Suppression matches nothing", "該当のない抑止コメント",
             "A suppression that covers no finding is either stale (the defect was fixed) or names the wrong rule "
             "or line; left in place, it would hide a future finding.",
             "Remove the comment, or fix its rule id", "コメントを削除するか、ルールIDを直す"),
)}

MESSAGES: dict[str, tuple[str, str]] = {
    NO_REASON_RULE: ("suppression of {ids} gives no reason", "抑止コメント({ids})に理由が書かれていない"),
    UNUSED_RULE: ("suppression of {ids} matches no finding", "抑止コメント({ids})に該当する指摘がない"),
    "no-such-rule": (" (no such rule)", "(そのようなルールはない)"),
}
"""Message templates (en, ja) of the suppression findings; an input error's message is the error's own."""


def builtin_finding(rule_id: str, message: str, message_ja: str, location: Location, entity: str) -> Finding:
    """A finding of a built-in rule, its title and hint taken from BUILTIN_RULES."""
    info = BUILTIN_RULES[rule_id]
    return Finding(rule_id, info.severity, message, message_ja, location, entity, (), info.title, info.title_ja,
                   info.hint, info.hint_ja)


__all__ = ["BUILTIN_RULES", "INPUT_ERROR_RULE", "MESSAGES", "NO_REASON_RULE", "UNUSED_RULE", "builtin_finding"]

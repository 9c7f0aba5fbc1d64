"""The library API behind the CLI: `run(LintOptions) -> LintReport`, plus rule loading and baseline helpers."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import suppressions
from checker.engine import INPUT_ERROR_RULE, GroupStore, lint
from checker.findings import Finding, Severity, sort_findings
from checker.load import DEFAULT_LIMITS, InputError, Limits, LoadResult
from checker.report.summary import RuleInfo, RunSummary
from checker.ruleset import DEFAULT_RULES_DIR, Ruleset, load_ruleset
from checker.timing import phase

if TYPE_CHECKING:
    from checker import baseline as bl

# Start-up time: the cache (pickle, hmac, platformdirs), --changed-since (subprocess), the baseline and
# importlib.metadata are imported only by the runs that use them.

FAIL_ON = ("error", "warning", "info", "never")

# Rules the tool itself reports (not in rules/*.yaml): described here for reports and docs.
BUILTIN_RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo(INPUT_ERROR_RULE, Severity.ERROR, "Input cannot be checked", "入力を検査できない",
             "A file that cannot be read, parsed or validated against the data model is not checked at all, "
             "so it is reported as an error and the run exits with code 2.",
             "Fix the YAML or the field named in the message", "メッセージが示す YAML または項目を直す"),
    RuleInfo(suppressions.NO_REASON_RULE, Severity.WARNING, "Suppression without a reason", "理由のない抑止コメント",
             "A suppression (# roadmap-check: ignore[rule-id] reason) must say why, so that reviewers can judge "
             "it later. It still applies.",
             "Write the reason after the bracket", "括弧の後に理由を書く"),
    RuleInfo(suppressions.UNUSED_RULE, Severity.WARNING, "Suppression matches nothing", "該当のない抑止コメント",
             "A suppression that covers no finding is either stale (the defect was fixed) or names the wrong rule "
             "or line; left in place, it would hide a future finding.",
             "Remove the comment, or fix its rule id", "コメントを削除するか、ルールIDを直す"),
)}


class ApiError(Exception):
    """A problem that stops a run before any report (exit code 2): bad rules, options, baseline or ref."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def tool_version() -> str:
    """The installed distribution's version ("0.0.0" when running from a source tree never installed)."""
    # Read the METADATA file directly: importlib.metadata costs ~20 ms of imports (email, zipfile, csv)
    # on every run. Same search as importlib.metadata: the first sys.path entry holding the dist-info.
    for entry in sys.path:
        try:
            found = sorted(Path(entry or ".").glob("roadmap_checker-*.dist-info/METADATA"))
            for meta in found:
                with meta.open(encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break  # end of the headers
        except OSError:
            continue
    from importlib import metadata

    try:
        return metadata.version("roadmap-checker")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


@dataclass(frozen=True)
class LintOptions:
    """Everything a lint run depends on (the CLI maps its flags onto these one to one)."""

    paths: tuple[str, ...] = ("roadmaps",)
    rules: tuple[Path, ...] = ()
    """Rule files or directories; empty means the shipped rules/."""
    as_of: dt.date = field(default_factory=dt.date.today)
    select: tuple[str, ...] = ()
    """Run only these rule ids (empty: all)."""
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    """Report only findings whose fingerprint this baseline file does not list."""
    changed_since: str | None = None
    """A git ref: report only findings in files changed since it (rules still see every file)."""
    limits: Limits = DEFAULT_LIMITS
    cache: bool = False
    """Reuse loaded documents and whole-run results from checker.cache (the CLI turns it on)."""


@dataclass(frozen=True)
class LintReport:
    """The outcome of a run: what to report, the summary formatters need, and what decides the exit code."""

    findings: tuple[Finding, ...]
    """Reported findings, sorted; suppressed ones included (marked), baseline-matched ones left out."""
    summary: RunSummary
    input_errors: tuple[InputError, ...] = ()
    skipped: tuple[str, ...] = ()
    """Non-YAML files found under the paths and not checked."""
    unfiltered: tuple[Finding, ...] = ()
    """Every finding before the baseline was applied (what `baseline create` records)."""

    def exit_code(self, fail_on: str = "error") -> int:
        """2 for unreadable input; else 1 when an unsuppressed finding is at or above `fail_on`; else 0."""
        if self.input_errors:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity.parse(fail_on)
        return int(any(f.suppressed is None and f.severity >= threshold for f in self.findings))

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed is None)


def load_rules(paths: tuple[Path, ...] | list[Path] = ()) -> Ruleset:
    """The compiled ruleset, or ApiError with one file:line:column message per problem."""
    ruleset, errors = load_ruleset(list(paths) or [DEFAULT_RULES_DIR])
    if errors:
        raise ApiError([f"{e.file}:{e.line}:{e.column}: {e.message}" for e in errors])
    return ruleset


def _check_ids(ids: tuple[str, ...], known: set[str], flag: str) -> None:
    unknown = sorted(set(ids) - known)
    if unknown:
        raise ApiError([f"{flag}: unknown rule id(s): {', '.join(unknown)} (see `roadmap-check rules list`)"])


def run(options: LintOptions, ruleset: Ruleset | None = None) -> LintReport:
    """Load, lint, apply suppressions, --changed-since and the baseline; never prints anything."""
    ruleset = ruleset if ruleset is not None else load_rules(options.rules)
    known = {r.id for r in ruleset.rules} | set(BUILTIN_RULES)
    _check_ids(options.select, known, "--select")
    _check_ids(options.ignore, known, "--ignore")
    sel, ign = set(options.select), set(options.ignore)

    def wanted(rule_id: str) -> bool:
        return (not sel or rule_id in sel) and rule_id not in ign

    baseline = None
    if options.baseline is not None:
        from checker import baseline as bl

        try:
            baseline = bl.load(options.baseline)
        except bl.BaselineError as exc:
            raise ApiError([str(exc)]) from None
    changed = None
    if options.changed_since is not None:
        from checker.changed import ChangedSinceError, changed_files, is_changed, work_dir

        try:
            changed = changed_files(options.changed_since, work_dir(list(options.paths)))
        except ChangedSinceError as exc:
            raise ApiError([str(exc)]) from None

    active = Ruleset([r for r in ruleset.rules if wanted(r.id)], ruleset.vocabularies, ruleset.files)
    meta = {r for r in (suppressions.NO_REASON_RULE, suppressions.UNUSED_RULE) if wanted(r)}

    store = None  # set below when the cache is on: findings are then reused per group of documents

    def compute(loaded: LoadResult) -> tuple[list[Finding], list[InputError]]:
        try:
            with phase("lint"):
                result = lint(loaded.documents, active, options.as_of, input_errors=loaded.errors, store=store,
                              pool=loaded.pool)
        finally:
            if loaded.pool is not None:
                with phase("worker pool close"):
                    loaded.pool.close()
        with phase("suppressions"):
            # Sorted here, before the run is cached: a warm run then reports them as they come back.
            return sort_findings(suppressions.apply(result.findings, loaded.documents, {r.id for r in active.rules},
                                                    {r.id for r in ruleset.rules}, meta)), result.input_errors

    def load(paths: list[str | Path], limits: Limits, cache: Any, digests: dict[str, str] | None = None
             ) -> LoadResult:
        # A large corpus is loaded and linted by worker processes that keep the documents (checker.pool).
        from checker import pool
        from checker.parallel import worker_count

        return pool.load_paths(paths, limits, cache, active, worker_count(), digests)

    def core_run() -> tuple[Any, Any, Any, Any]:
        """(findings, input errors, skipped files, files) of the files, through the cache when it is on."""
        nonlocal store
        if options.cache and ruleset.files:
            from checker import cache as rc

            # Everything besides the files that the findings depend on (see checker.cache).
            run_key = (rc.ruleset_digest(ruleset.files, [r.id for r in ruleset.rules]),
                       tuple(r.spec.model_dump_json() for r in active.rules), tuple(sorted(meta)), options.as_of)
            cache = rc.Cache()
            if cache.enabled:
                store = GroupStore(lambda k: cache.get("group", k), lambda k, v: cache.put("group", k, v),
                                   lambda *parts: rc.make_key(rc.code_digest(), run_key[0], *parts))
            core = rc.cached_run(options.paths, options.limits, run_key, compute, cache if cache.enabled else None,
                                 load)
            return core.findings, core.input_errors, core.skipped, core.files
        loaded = load(list(options.paths), options.limits, None)
        found, errors = compute(loaded)
        return (found, errors, tuple(loaded.skipped),
                sorted({d.file for d in loaded.documents} | {e.file for e in loaded.errors}))

    from checker.stub import InputChanged

    try:
        core_findings, core_errors, core_skipped, core_files = core_run()
    except InputChanged as exc:  # a file was edited mid-run: no report beats a wrong one
        raise ApiError([str(exc)]) from None
    findings = list(core_findings)
    if changed is not None:
        # Rules saw every document (cross-document checks need them); only the reporting is narrowed.
        findings = [f for f in findings if f.rule == INPUT_ERROR_RULE or is_changed(f.location.file, changed)]
    # compute() sorted them, and narrowing keeps the order.

    summary_rules = [RuleInfo.from_rule(r) for r in active.rules]
    summary_rules += [BUILTIN_RULES[i] for i in sorted({INPUT_ERROR_RULE, *meta})]
    files = list(core_files)
    summary = RunSummary(tool_version(), options.as_of, tuple(files), tuple(summary_rules),
                         changed_since=options.changed_since)
    reported = findings
    if baseline is not None:
        active_ids = {r.id for r in summary_rules}

        def in_scope(e: bl.BaselineEntry) -> bool:
            return e.rule in active_ids and (changed is None or not e.file or is_changed(e.file, changed))

        match = bl.compare(findings, baseline, in_scope)
        reported = list(match.new)
        summary = replace(summary, baseline=str(options.baseline), baseline_matched=match.matched,
                          baseline_stale=bl.stale_entries(match))
    return LintReport(tuple(reported), summary, tuple(core_errors), tuple(core_skipped), tuple(findings))


def create_baseline(options: LintOptions, path: Path, ruleset: Ruleset | None = None) -> tuple[LintReport, bl.Baseline]:
    """Lint (ignoring options.baseline) and write the findings' fingerprints to `path` atomically."""
    from checker import baseline as bl

    report = run(replace(options, baseline=None), ruleset)
    if report.input_errors:
        return report, bl.Baseline(())
    baseline = bl.from_findings(report.findings)
    bl.write(path, baseline)
    return report, baseline

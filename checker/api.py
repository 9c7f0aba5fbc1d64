"""The library API behind the CLI: `run(LintOptions) -> LintReport`, plus rule loading and baseline helpers."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.api_context import with_context
from checker.domain.findings import Finding, RuleInfo, Severity
from checker.domain.lang import in_lang
from checker.report.summary import RunSummary
from checker.rules.builtin_rules import BUILTIN_RULES, INPUT_ERROR_RULE, NO_REASON_RULE, UNUSED_RULE
from checker.rules.rule_files import DEFAULT_RULES_DIR
from checker.rules.selection import unknown_ids, wanted
from checker.source.inputs import DEFAULT_LIMITS, InputChanged, InputError, Limits
from checker.timing import phase

if TYPE_CHECKING:
    from checker.accel.cache import Cache
    from checker.domain.load import LoadResult
    from checker.engine import accepted as acc
    from checker.engine.result import RunResult
    from checker.engine.run import Runner
    from checker.report.model import ReportModel
    from checker.rules.ruleset import Ruleset

# Start-up time: a warm run is answered from the run cache, keyed on bytes alone (the files, the rule
# files, the options), so the loader, the rules, the checks and pydantic are imported only on a miss.
# The cache itself, --changed-since (subprocess), the baseline and importlib.metadata are imported only
# by the runs that use them.

FAIL_ON = ("error", "warning", "info", "never")


class ApiError(Exception):
    """A problem that stops a run before any report (exit code 2): bad rules, options, baseline or ref.
    `messages_ja`, when given, says the same in Japanese, one line for each of `messages`."""

    def __init__(self, messages: list[str], messages_ja: list[str] | None = None):
        super().__init__("\n".join(messages))
        self.messages, self.messages_ja = messages, messages_ja or []

    def lines(self, lang: str) -> list[str]:
        ja = self.messages_ja if len(self.messages_ja) == len(self.messages) else [""] * len(self.messages)
        return [in_lang(lang, en, j) for en, j in zip(self.messages, ja, strict=True)]


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
    extend_rules: tuple[Path, ...] = ()
    """Rule files or directories loaded in addition to `rules` (or to the shipped rules/)."""
    as_of: dt.date = field(default_factory=dt.date.today)
    select: tuple[str, ...] = ()
    """Run only these rule ids (empty: all)."""
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    """Report only findings whose fingerprint this baseline file does not list."""
    changed_since: str | None = None
    """A git ref: report only findings in files changed since it (rules still see every file)."""
    new_since: str | None = None
    """A git ref: report only findings whose fingerprint the same run over the tree at that ref lacks."""
    limits: Limits = DEFAULT_LIMITS
    cache: bool = False
    """Reuse loaded documents and whole-run results from checker.accel.cache (the CLI turns it on)."""
    context_paths: tuple[str, ...] = ()  # where else named files' references are looked for (source.context)
    origins: tuple[tuple[str, str], ...] = ()
    """(option, where it was set) for error messages, e.g. ("select", "pyproject.toml [tool.roadmap-check]")."""
    jobs: int = 0
    """Most worker processes; 0: ROADMAP_CHECK_WORKERS, else the CPUs (≤ 8); 1 without cache: the engine alone."""

    @property
    def rule_paths(self) -> tuple[Path, ...]:
        """Every rule file or directory the run loads: `rules` (default: the shipped ones) then `extend_rules`."""
        return (*(self.rules or (DEFAULT_RULES_DIR,)), *self.extend_rules)

    def origin(self, option: str) -> str:
        return dict(self.origins).get(option, f"--{option}")


@dataclass(frozen=True)
class LintReport:
    """The outcome of a run: what to report, the summary formatters need, and what decides the exit code."""

    findings: tuple[Finding, ...]
    """Reported findings, sorted; suppressed ones included (marked), baseline-matched ones left out."""
    summary: RunSummary
    input_errors: tuple[InputError, ...] = ()
    skipped: tuple[str, ...] = ()
    """Non-YAML files found under the paths and not checked."""
    cache_said: tuple[str, ...] = ()  # `cache off: <reason>` or how it was degraded; last, what it did (--verbose)

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
    from checker.rules.ruleset import load_ruleset

    ruleset, errors = load_ruleset(list(paths) or [DEFAULT_RULES_DIR])
    if errors:
        raise ApiError([f"{e.file}:{e.line}:{e.column}: {e.message}" for e in errors],
                       [f"{e.file}:{e.line}:{e.column}: {e.message_ja}" for e in errors])
    return ruleset


def _check_ids(ids: tuple[str, ...], known: set[str], flag: str) -> None:
    problem = unknown_ids(ids, known, flag)
    if problem:
        raise ApiError([problem[0]], [problem[1]])


def run(options: LintOptions, ruleset: Ruleset | None = None) -> LintReport:
    """Load, lint, apply suppressions, --changed-since and the baseline; never prints anything."""
    baseline = None
    if options.baseline is not None:
        from checker.engine import accepted as acc

        try:
            baseline = acc.load(options.baseline)
        except acc.AcceptedFindingsError as exc:
            raise ApiError([str(exc)]) from None
    changed = None
    if options.changed_since is not None:
        from checker.source.changed import ChangedSinceError, changed_files, is_changed, work_dir

        try:
            changed = changed_files(options.changed_since, work_dir(list(options.paths)))
        except ChangedSinceError as exc:
            raise ApiError([str(exc)]) from None

    older = _fingerprints_at_ref(options, ruleset) if options.new_since is not None else None
    cache_said: list[str] = []
    try:
        core, context = with_context(options, lambda o: _core_run(o, ruleset, cache_said))
    except InputChanged as exc:  # a file was edited mid-run: no report beats a wrong one
        raise ApiError([str(exc)]) from None
    findings = list(core.findings)
    if changed is not None:
        # Rules saw every document (cross-document checks need them); only the reporting is narrowed.
        findings = [f for f in findings if f.rule == INPUT_ERROR_RULE or is_changed(f.location.file, changed)]
    # The core sorted them, and narrowing keeps the order.
    new = findings
    if older is not None:
        # Input errors always pass: a file that cannot be read has no findings to compare.
        new = [f for f in findings if f.rule == INPUT_ERROR_RULE or f.fingerprint not in older]

    summary_rules = list(core.rules)
    summary = RunSummary(tool_version(), options.as_of, tuple(core.files), tuple(summary_rules),
                         changed_since=options.changed_since, new_since=options.new_since,
                         new_since_matched=len(findings) - len(new), notes=core.notes, context=context)
    reported = new
    if baseline is not None:
        active_ids = {r.id for r in summary_rules}

        def in_scope(e: acc.AcceptedFinding) -> bool:
            return e.rule in active_ids and (changed is None or not e.file or is_changed(e.file, changed))

        # Against every finding, not only the new ones: an entry whose finding --new-since left out is
        # matched, not stale.
        match = acc.compare(findings, baseline, in_scope)
        unlisted = {id(f) for f in match.new}
        reported = [f for f in new if id(f) in unlisted]
        summary = replace(summary, baseline=str(options.baseline), baseline_matched=match.matched,
                          baseline_stale=acc.stale_entries(match))
    return LintReport(tuple(reported), summary, tuple(core.input_errors), tuple(core.skipped), tuple(cache_said))


def _fingerprints_at_ref(options: LintOptions, ruleset: Ruleset | None) -> frozenset[str]:
    """Fingerprints of the findings the same run (rules, options) gives on the paths as they were at
    options.new_since; the unchanged documents come from the cache, so this costs little after the first time."""
    from checker.accel.cache import default_directory
    from checker.source.git_tree import GitRefError, tree_at

    keep_in = default_directory() if options.cache else None  # kept there, so that the run cache answers next time
    try:
        with tree_at(options.new_since or "", options.paths, keep_in) as tree:
            if not tree.paths:  # none of the paths existed at the ref: every finding is new
                return frozenset()
            core = _core_run(replace(options, paths=tree.paths, new_since=None, changed_since=None, baseline=None),
                             ruleset)
    except (GitRefError, InputChanged) as exc:
        raise ApiError([str(exc)]) from None
    # Named as in the working tree, so that nothing compared depends on where the temporary tree was.
    return frozenset(_at_work_path(f, tree.to_work).fingerprint for f in core.findings if f.rule != INPUT_ERROR_RULE)


def _at_work_path(f: Finding, to_work: Any) -> Finding:
    return replace(f, location=replace(f.location, file=to_work(f.location.file)),
                   related=tuple(replace(r, file=to_work(r.file)) for r in f.related))


class _Prepared:
    """The ruleset of a run, loaded and checked against --select/--ignore on first use: a run answered
    from the run cache never needs it."""

    def __init__(self, options: LintOptions, given: Ruleset | None):
        self.options, self.given = options, given
        self._active: Ruleset | None = None
        self.all_ids: set[str] = set()

    def wanted(self, rule_id: str) -> bool:
        return wanted(rule_id, self.options.select, self.options.ignore)

    @property
    def meta(self) -> set[str]:
        """The suppression rules (checker.engine.suppressions) this run reports."""
        return {r for r in (NO_REASON_RULE, UNUSED_RULE) if self.wanted(r)}

    @property
    def active(self) -> Ruleset:
        if self._active is None:
            from checker.rules.ruleset import Ruleset

            ruleset = self.given if self.given is not None else load_rules(self.options.rule_paths)
            self.all_ids = {r.id for r in ruleset.rules}
            known = self.all_ids | set(BUILTIN_RULES)
            _check_ids(self.options.select, known, self.options.origin("select"))
            _check_ids(self.options.ignore, known, self.options.origin("ignore"))
            self._active = Ruleset([r for r in ruleset.rules if self.wanted(r.id)], ruleset.vocabularies,
                                   ruleset.files)
        return self._active

    def rule_infos(self) -> list[RuleInfo]:
        infos = [RuleInfo.from_rule(r) for r in self.active.rules]
        return infos + [BUILTIN_RULES[i] for i in sorted({INPUT_ERROR_RULE, *self.meta})]


def _core_run(options: LintOptions, given: Ruleset | None, said: list[str] | None = None) -> RunResult:
    """(findings, …, rule infos) of the files, through the cache when on; `said`: its notes, then what it did."""
    prepared = _Prepared(options, given)
    rule_paths = [Path(f) for f in given.files] if given is not None else list(options.rule_paths)
    if options.cache and (given is None or given.files):
        from checker.accel import cache as rc
        from checker.accel.run_cache import cached_run
        from checker.rules.rule_files import rules_digest

        cache = rc.Cache()
        # The digest covers --extend-rules too: rule_paths holds the shipped (or --rules) set and the extra ones.
        rules = rules_digest(rule_paths or [DEFAULT_RULES_DIR])
        # Everything besides the files that the findings depend on (see checker.accel.cache): bytes and
        # options only, so that a hit costs no rule parsing.
        run_key = (rules, tuple(sorted(set(options.select))), tuple(sorted(set(options.ignore))), options.as_of)

        def group_key(*parts: Any) -> str:
            return rc.make_key(rc.code_digest(), rules, *parts)

        runners: list[Runner] = []

        def load(paths: list[str | Path], limits: Limits, _: Any, digests: dict[str, str] | None) -> LoadResult:
            runners.append(get_runner(options, prepared, paths, cache, group_key, digests))
            return runners[-1].load(paths, limits)

        try:
            return cached_run(options.paths, options.limits, run_key,
                              lambda loaded: _compute(loaded, prepared, options.as_of, runners[-1]), cache, load,
                              lambda: rules_digest(rule_paths or [DEFAULT_RULES_DIR]) != rules)  # rules parsed as hashed?
        finally:
            for runner in runners:  # closed by _compute already, unless loading failed
                runner.close()
            with phase("cache close"):
                cache.store.close()
            (said if said is not None else []).extend([*cache.notes(), cache.summary()])
    from checker.engine.result import RunResult

    runner = get_runner(options, prepared, list(options.paths), None)
    try:
        loaded = runner.load(list(options.paths), options.limits)
        found, errors, infos = _compute(loaded, prepared, options.as_of, runner)
    finally:
        runner.close()
    return RunResult(tuple(found), tuple(errors), tuple(loaded.skipped),
                     tuple(sorted({d.file for d in loaded.documents} | {e.file for e in loaded.errors})),
                     tuple(infos))


def get_runner(options: LintOptions, prepared: _Prepared, paths: list[str | Path], cache: Cache | None,
               group_key: Any = None, digests: dict[str, str] | None = None) -> Runner:
    """The one place a run picks how it loads files and runs rules (checker.engine.run.Runner).

    One job and no cache: the engine alone, and nothing of checker.accel is imported. Otherwise
    checker.accel.runner's: a pool of workers that load and lint (a large corpus, several jobs), groups
    of documents through the cache, or groups of rules in forked workers.
    """
    jobs = options.jobs
    if jobs < 1:
        from checker.accel.parallel import worker_count

        jobs = worker_count()
    if cache is None and jobs == 1:
        from checker.engine.run import SerialRunner

        return SerialRunner()
    from checker.accel import pool
    from checker.accel import runner as ar
    from checker.domain.load import discover

    store = ar.cache_store(cache, group_key) if cache is not None else ar.NO_STORE
    if jobs > 1 and pool.pays(discover(paths)[0], options.limits, cache, jobs, digests):
        return ar.PoolRunner(jobs, prepared.active, store, cache, digests)
    if cache is None:
        return ar.ForkedRunner(jobs)
    return ar.GroupRunner(jobs, store, cache, digests)


def _compute(loaded: LoadResult, prepared: _Prepared, as_of: dt.date, runner: Runner
             ) -> tuple[list[Finding], list[InputError], list[RuleInfo]]:
    """Lint what was loaded and apply suppressions; the runner is closed when the rules have run."""
    from checker.domain.findings import sort_findings
    from checker.engine import suppressions
    from checker.engine.run import lint

    active = prepared.active
    try:
        with phase("lint"):
            result = lint(loaded.documents, active, as_of, input_errors=loaded.errors, run=runner.run)
    finally:
        runner.close()
    # lint() sorted them, and a run is cached sorted: a warm run reports them as they come back.
    found = result.findings
    if any(d.marked_lines for d in loaded.documents):  # suppression comments: mark, add, sort again
        with phase("suppressions"):
            found = sort_findings(suppressions.apply(found, loaded.documents, {r.id for r in active.rules},
                                                     prepared.all_ids, prepared.meta))
    return found, result.input_errors, prepared.rule_infos()


def report_model(options: LintOptions, ruleset: Ruleset | None = None) -> ReportModel:
    """The documents under options.paths as a read-only report model (for --format html).

    Loaded here, in one process and without the cache: the model is asked for only by a visual report,
    and a run answered from the run cache has no documents in hand. Claims are graded with the
    thresholds of the ruleset's own `reference` rules, so that the drawing agrees with the findings.
    Unreadable files are left out (the run reports them as input errors).
    """
    from checker.domain.corpus import Corpus
    from checker.domain.load import load_paths
    from checker.report.model_build import build_model

    rules = ruleset if ruleset is not None else load_rules(options.rule_paths)
    reference = {}
    for rule in rules.rules:
        if rule.spec.check == "reference":
            reference.setdefault(rule.spec.select, rule.check.options)  # the first rule's thresholds
    loaded = load_paths(list(options.paths), options.limits)
    return build_model(Corpus(loaded.documents), options.as_of, reference)


def create_baseline(options: LintOptions, path: Path, ruleset: Ruleset | None = None) -> tuple[LintReport, acc.AcceptedFindings]:
    """Lint (ignoring options.baseline) and write the findings' fingerprints to `path` atomically."""
    from checker.engine import accepted as acc

    report = run(replace(options, baseline=None), ruleset)
    if report.input_errors:
        return report, acc.AcceptedFindings(())
    baseline = acc.from_findings(report.findings)
    acc.write(path, baseline)
    return report, baseline

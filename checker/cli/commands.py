"""Command-line interface: a thin click layer over checker.api (parsing flags, writing reports, exit codes)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from checker import api
from checker.cli.importing import import_
from checker.cli.rules import rules, schema
from checker.cli.settings import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, apply_settings, default_lang, fail
from checker.engine.accepted import DEFAULT_BASELINE
from checker.report import MODEL_FORMATS, render, render_bytes
from checker.report import NAMES as FORMAT_NAMES
from checker.source.atomic import write_bytes
from checker.source.inputs import DEFAULT_LIMITS
from checker.timing import phase

# Start-up time matters (a pre-commit hook runs this on every commit): modules that only some commands
# or formats need (ruledoc, rule_examples, difflib, the formatters, the cache) are imported where used.

def info(ctx_quiet: bool, message: str) -> None:
    if not ctx_quiet:
        click.echo(message, err=True)


class _Main(click.Group):
    """Turns anything unexpected into one clear line and exit code 2: never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except api.ApiError as exc:  # in the language the command settled on, once it has
            fail(exc.lines(ctx.meta.get("roadmap_check_lang") or default_lang()))
        except KeyboardInterrupt:
            fail("interrupted")
        except BrokenPipeError:  # `roadmap-check lint | head`: the reader left; nothing more to say
            sys.stderr.close()
            sys.exit(EXIT_USAGE)
        except Exception as exc:
            if os.environ.get("ROADMAP_CHECK_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set ROADMAP_CHECK_DEBUG=1 for a traceback)")


class _OrderedCommand(click.Command):
    """Records the order in which options occurred, so that each --output pairs with the --format before it."""

    def make_parser(self, ctx: click.Context):
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_args(args: list[str]):
            opts, largs, order = parse(args)
            ctx.meta["option_order"] = [getattr(p, "name", None) for p in order]
            return opts, largs, order

        parser.parse_args = parse_args
        return parser


def pair_outputs(order: list[str | None], formats: tuple[str, ...], outputs: tuple[str, ...]
                 ) -> list[tuple[str, str | None]]:
    """[(format, output file or None for stdout)]: each --output applies to the --format just before it."""
    if not formats:
        if len(outputs) > 1:
            raise click.UsageError("several --output without --format: give a --format before each --output")
        return [("text", outputs[0] if outputs else None)]
    pairs: list[list[Any]] = []
    fi = oi = 0
    for name in order:
        if name == "formats":
            pairs.append([formats[fi], None])
            fi += 1
        elif name == "outputs":
            if not pairs or pairs[-1][1] is not None:
                raise click.UsageError(f"--output {outputs[oi]} must follow a --format (each --output applies "
                                       "to the --format just before it)")
            pairs[-1][1] = outputs[oi]
            oi += 1
    to_stdout = [f for f, o in pairs if o is None]
    if len(to_stdout) > 1:
        raise click.UsageError(f"formats {', '.join(to_stdout)} would all go to stdout; give all but one an --output")
    return [(f, o) for f, o in pairs]


def common_options(func: Callable) -> Callable:
    """Options every linting command shares; values not given come from the configuration file."""

    @click.argument("paths", nargs=-1, type=click.Path(path_type=str))
    @click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
                  help="Rule file or directory (repeatable); replaces the shipped rules/.")
    @click.option("--extend-rules", "extend_rules", multiple=True, type=click.Path(path_type=Path),
                  help="Rule file or directory to add to the shipped (or --rules) ones (repeatable).")
    @click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="Date deadline rules compare against (YYYY-MM-DD). Default: today.")
    @click.option("--select", multiple=True, metavar="RULE_ID[,…]", help="Run only these rules (repeatable).")
    @click.option("--ignore", multiple=True, metavar="RULE_ID[,…]", help="Do not run these rules (repeatable).")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None,
                  help="Language of messages. Default: from LC_ALL/LANG (ja* → ja, else en).")
    @click.option("--config", "config_args", multiple=True, metavar="FILE | 'KEY = VALUE'",
                  help="A configuration file to use instead of discovery, or a TOML `KEY = VALUE` that overrides "
                       "one key, e.g. --config \"as-of = '2017-12-31'\" (repeatable).")
    @click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
    @click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_LIMITS.max_bytes,
                  metavar="BYTES", show_default=True, help="Larger input files are reported, not read.")
    @click.option("--context", "context", multiple=True, type=click.Path(path_type=str), metavar="PATH",
                  help="Where else to look for the documents that named files reference (repeatable); "
                       "they are loaded for the checks, and nothing is reported for them.")
    @click.option("--no-cache", "no_cache", is_flag=True,
                  help="Do not read or write the cache ($ROADMAP_CHECK_CACHE_DIR, else the user cache dir).")
    @click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (0: auto).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr (errors still).")
    @click.option("--verbose", "-v", is_flag=True,
                  help="Also say on stderr which non-YAML files were skipped and what the cache did.")
    @functools.wraps(func)
    def wrapper(**kw: Any) -> Any:
        apply_settings(click.get_current_context(), kw, func.__name__)
        return func(**kw)

    return wrapper


def _entries(n: int) -> str:
    return f"{n} baseline entr{'y' if n == 1 else 'ies'}"


def _notes(report: api.LintReport, quiet: bool, verbose: bool, lang: str = "en") -> None:
    """stderr notes: the cache when it is off or degraded (and what it did, with --verbose), skipped files,
    baseline results, input errors."""
    for note in report.cache_said[:-1]:  # the cache off or degraded: said once, whatever --quiet
        click.echo(f"roadmap-check: {note}", err=True)
    if verbose and report.cache_said and report.cache_said[-1]:  # what the cache did
        click.echo(f"roadmap-check: {report.cache_said[-1]}", err=True)
    if verbose:
        for s in report.skipped:
            click.echo(f"roadmap-check: skipped (not YAML): {s}", err=True)
        for c in report.summary.context:
            click.echo(f"roadmap-check: loaded as context (not reported): {c}", err=True)
    if report.input_errors:
        n = len(report.input_errors)
        click.echo(f"roadmap-check: 入力エラー {n}件: それらのファイルは検査していない(終了コード 2)" if lang == "ja" else
                   f"roadmap-check: {n} input error(s): those files were not checked; exit code 2", err=True)
    s = report.summary
    for note in s.notes_in(lang):
        click.echo(f"roadmap-check: {note}", err=True)
    if s.baseline is not None and not quiet:
        click.echo(f"roadmap-check: baseline {s.baseline}: {s.baseline_matched} finding(s) matched, "
                   f"{len(report.new_findings)} new, {_entries(len(s.baseline_stale))} stale", err=True)
        for e in s.baseline_stale:
            click.echo(f"roadmap-check: stale baseline entry {e.fingerprint} {e.rule} {e.document} "
                       f"{e.entity}: {e.message}", err=True)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # A callback rather than click.version_option(api.tool_version()): the version is looked up only
    # when asked for, not on every start.
    if value and not ctx.resilient_parsing:
        click.echo(f"roadmap-check, version {api.tool_version()}")
        ctx.exit()


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
def main() -> None:
    """roadmap-check: lint reform roadmaps (改革工程表) and their progress and KPI reviews."""


@main.command(cls=_OrderedCommand)
@common_options
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(sorted(FORMAT_NAMES)),
              help="Report format (repeatable). Default: text.")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=str),
              help="File for the --format just before it (written atomically). Without it: stdout.")
@click.option("--fail-on", type=click.Choice(api.FAIL_ON), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report only findings this baseline does not list.")
@click.option("--changed-since", metavar="GIT_REF", default=None,
              help="Report only findings in files changed since GIT_REF (plus untracked files).")
@click.option("--new-since", metavar="GIT_REF", default=None,
              help="Report only findings that the tree at GIT_REF did not have (same rules and options).")
def lint(options: api.LintOptions, formats: tuple[str, ...], outputs: tuple[str, ...], fail_on: str,
         baseline: Path | None, changed_since: str | None, new_since: str | None, lang: str, quiet: bool,
         verbose: bool) -> None:
    """Check roadmap files (default PATHS: roadmaps/).

    Exit code 0: nothing at or above --fail-on; 1: findings at or above it; 2: usage, rule-file or
    input errors. Pair formats and files like: --format sarif --output r.sarif --format text
    """
    pairs = pair_outputs(click.get_current_context().meta.get("option_order", []), formats, outputs)
    from dataclasses import replace

    with phase("run"):
        report = api.run(replace(options, baseline=baseline, changed_since=changed_since, new_since=new_since))
    # The formatters need --fail-on too: JUnit fails only the test cases at or above it.
    report = replace(report, summary=replace(report.summary, fail_on=fail_on))
    _notes(report, quiet, verbose, lang)
    # Only a visual report draws the documents: their model is built for it alone (checker.report.model).
    model = api.report_model(options) if any(fmt in MODEL_FORMATS for fmt, _ in pairs) else None
    stdout_format = None
    for fmt, out in pairs:
        if out is None:
            stdout_format = fmt
            continue
        try:
            with phase("report"):
                data = render_bytes(fmt, report.findings, report.summary, lang, model=model)
            write_bytes(out, data)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        info(quiet, f"roadmap-check: wrote {fmt} report to {out}")
    if stdout_format is not None:
        color = stdout_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        click.echo(render(stdout_format, report.findings, report.summary, lang, color=color, model=model), nl=False)
    elif not quiet:
        from checker.report.summary import summary_line

        click.echo(f"roadmap-check: {summary_line(report.findings, report.summary, lang)}", err=True)
    sys.exit(report.exit_code(fail_on))


@main.command("config")
@common_options
@click.option("--fail-on", type=click.Choice(api.FAIL_ON), default="error", help="As for lint.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None, help="As for lint.")
def config_command(**_: Any) -> None:
    """Print the effective settings (command line over inline --config over configuration file over defaults)
    and their origins."""
    from checker.config import describe

    settings, file, isolated, inline = click.get_current_context().meta["roadmap_check_config"]
    click.echo(describe(settings, file, isolated, inline, settings["lang"].value), nl=False)


# ------------------------------------------------------------------ baseline


@main.group()
def baseline() -> None:
    """Accept today's findings (create) and gate on new ones (check)."""


@baseline.command("create")
@common_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_BASELINE),
              show_default=True, help="Baseline file to write (atomically).")
def baseline_create(options: api.LintOptions, output: Path, lang: str, quiet: bool, verbose: bool) -> None:
    """Record the fingerprints of the current findings (exit 2, and no file, on input errors)."""
    report, made = api.create_baseline(options, output)
    _notes(report, quiet, verbose, lang)
    if report.input_errors:
        click.echo(render("text", report.findings, report.summary, lang), nl=False)
        sys.exit(EXIT_USAGE)
    info(quiet, f"roadmap-check: wrote {_entries(len(made.entries))} to {output}")


@baseline.command("check")
@common_options
@click.option("--baseline", "-b", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(DEFAULT_BASELINE), show_default=True, help="Baseline file to compare with.")
def baseline_check(options: api.LintOptions, baseline_file: Path, lang: str, quiet: bool, verbose: bool) -> None:
    """Exit 1 when there are findings the baseline does not list, or baseline entries that match nothing."""
    from dataclasses import replace

    report = api.run(replace(options, baseline=baseline_file))
    _notes(report, quiet, verbose, lang)
    click.echo(render("text", report.findings, report.summary, lang), nl=False)
    for e in report.summary.baseline_stale:
        click.echo(f"stale: {e.rule} {e.document} {e.entity} ({e.fingerprint})")
    if report.input_errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if report.new_findings or report.summary.baseline_stale else EXIT_OK)


# ------------------------------------------------------------------ rules


main.add_command(rules)
main.add_command(schema)
main.add_command(import_)


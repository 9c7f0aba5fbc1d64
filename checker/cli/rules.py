"""The `rules` and `schema` commands: list, show, test and document rules; JSON Schemas for editors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker import api
from checker.cli.settings import EXIT_FINDINGS, EXIT_OK, configured_rules, fail
from checker.source.atomic import write_text


@click.group()
def rules() -> None:
    """List, show, test and document rules."""


_rules_option = click.option("--rules", "rules_paths", multiple=True, type=click.Path(path_type=Path),
                             help="Rule file or directory (repeatable). Default: the configured rules and "
                                  "extend-rules (see `roadmap-check config`), else the shipped rules/.")
_lang_option = click.option("--lang", type=click.Choice(["ja", "en"]), default=None,
                            help="Language. Default: from the locale.")


@rules.command("list")
@_rules_option
@_lang_option
def rules_list(rules_paths: tuple[Path, ...], lang: str | None) -> None:
    """One line per rule: id, severity, check kind, title."""
    paths, lang = configured_rules(rules_paths, lang, speaks=True)
    ruleset = api.load_rules(paths)
    width = max((len(r.id) for r in ruleset.rules), default=0)
    kinds = max((len(r.spec.check) for r in ruleset.rules), default=0)
    for r in ruleset.rules:
        title = r.spec.title.in_lang(lang)
        click.echo(f"{r.id:<{width}}  {r.spec.severity:<7}  {r.spec.check:<{kinds}}  {title}")


@rules.command("show")
@click.argument("rule_id")
@_rules_option
@_lang_option
def rules_show(rule_id: str, rules_paths: tuple[Path, ...], lang: str | None) -> None:
    """Title, rationale, check and options, messages and examples of one rule."""
    paths, lang = configured_rules(rules_paths, lang, speaks=True)
    ruleset = api.load_rules(paths)
    rule = ruleset.get(rule_id)
    if rule is None:
        import difflib

        from checker.domain.lang import in_lang

        close = difflib.get_close_matches(rule_id, [r.id for r in ruleset.rules], n=3)
        fail(in_lang(lang, f"no rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""),
                     f"ルール {rule_id!r} はありません" + (f"。{'、'.join(close)} のことですか?" if close else "")))
    from checker.report.ruledoc import rule_text

    click.echo(rule_text(rule, lang), nl=False)


@rules.command("test")
@click.argument("rule_files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only failures and the summary.")
def rules_test(rule_files: tuple[Path, ...], quiet: bool) -> None:
    """Run every rule's own pass/fail examples (default: the configured rules, else the shipped rules/).
    Exit 1 if any fails."""
    from checker.engine.rule_examples import run_examples

    ruleset = api.load_rules(configured_rules(rule_files)[0])
    results = run_examples(ruleset)
    failed = [r for r in results if not r.ok]
    for r in results:
        if not r.ok:
            click.echo(f"FAIL {r.rule} {r.kind}[{r.index}]: {r.problem}")
        elif not quiet:
            click.echo(f"ok   {r.rule} {r.kind}[{r.index}]")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed ({len(ruleset.rules)} rules)")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@rules.command("docs")
@_rules_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of stdout, e.g. docs/rules.md.")
def rules_docs(rules_paths: tuple[Path, ...], output: Path | None) -> None:
    """A Markdown reference of every rule (the repo keeps it in docs/rules.md)."""
    from checker.report.ruledoc import rules_reference

    text = rules_reference(api.load_rules(configured_rules(rules_paths)[0]).rules, api.BUILTIN_RULES.values())
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)


@rules.command("language")
@_rules_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of stdout, e.g. docs/rule-language.md.")
def rules_language(rules_paths: tuple[Path, ...], output: Path | None) -> None:
    """A Markdown reference of the rule language: keys, collections and fields, check kinds and options."""
    from checker.report.rule_language import language_reference

    text = language_reference(api.load_rules(configured_rules(rules_paths)[0]).rules)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)


# ------------------------------------------------------------------ schema


@click.command("schema")
@click.argument("which", type=click.Choice(["data", "rules"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of stdout.")
def schema(which: str, output: Path | None) -> None:
    """JSON Schema of the data files (data) or the rule files (rules), for editors and other tools."""
    # pydantic and every check kind: imported by this command only
    from checker.rules.schema_gen import SCHEMAS, dumps

    text = dumps(SCHEMAS[which]())
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)

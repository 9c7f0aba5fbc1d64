"""Command-line interface (minimal; the full CLI replaces this)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from checker.engine import lint as run_lint
from checker.load import load_paths
from checker.ruleset import load_ruleset


@click.group()
def main() -> None:
    """roadmap-check: lint reform roadmaps (改革工程表) and their reviews."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--as-of", "as_of", default=None)
def lint(paths: tuple[str, ...], as_of: str | None) -> None:
    ruleset, errors = load_ruleset([Path("rules")])
    if errors:
        for e in errors:
            click.echo(f"{e.file}:{e.line}:{e.column}: {e.message}", err=True)
        sys.exit(2)
    loaded = load_paths(paths or ["roadmaps"])
    day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    result = run_lint(loaded.documents, ruleset, day, input_errors=loaded.errors)
    for f in result.findings:
        loc = f.location
        click.echo(f"{loc.file}:{loc.line}:{loc.column}: {f.severity.label} [{f.rule}] {f.message_ja}")
    sys.exit(2 if result.input_errors else (1 if result.findings else 0))

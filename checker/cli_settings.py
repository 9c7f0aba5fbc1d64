"""The command line's shared pieces: exit codes, the default language, failing with exit 2, and how the
linting commands' options combine with the configuration file and the defaults."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from checker import api, config
from checker.source.inputs import Limits

EXIT_USAGE = 2


EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def default_lang() -> str:
    """ja when the locale says Japanese (LC_ALL, then LC_MESSAGES, then LANG), else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def fail(messages: list[str] | str) -> None:
    """Print problems to stderr and exit 2 (usage, rule-file, baseline or input problems)."""
    for m in [messages] if isinstance(messages, str) else messages:
        click.echo(f"roadmap-check: {m}", err=True)
    sys.exit(EXIT_USAGE)


def _ids(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i.strip() for v in values for i in v.split(",") if i.strip())


def _given(ctx: click.Context, kw: dict[str, Any]) -> dict[str, Any]:
    """The settings the command line gave (None where it gave nothing), keyed like the configuration."""
    def cli(name: str) -> bool:
        return ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)

    as_of = kw.pop("as_of")
    given = {"paths": tuple(kw.pop("paths")) or None, "rules": tuple(kw.pop("rules")) or None,
             "extend-rules": tuple(kw.pop("extend_rules")) or None, "select": _ids(kw.pop("select")) or None,
             "ignore": _ids(kw.pop("ignore")) or None, "as-of": as_of.date() if as_of else None,
             "lang": kw.get("lang")}
    for key, name in (("fail-on", "fail_on"), ("baseline", "baseline"), ("baseline", "baseline_file"),
                      ("baseline", "output")):
        if name in kw and cli(name):
            given[key] = kw[name]
    return given


def _defaults(default_lang: Callable[[], str]) -> dict[str, config.Setting]:
    locale = next((f"{v}={os.environ[v]}" for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    return {"paths": config.Setting(("roadmaps",), "default"), "rules": config.Setting((), "default (shipped rules)"),
            "extend-rules": config.Setting((), "default"), "select": config.Setting((), "default (all rules)"),
            "ignore": config.Setting((), "default"), "as-of": config.Setting(dt.date.today(), "default (today)"),
            "fail-on": config.Setting("error", "default"), "baseline": config.Setting(None, "default"),
            "lang": config.Setting(default_lang(), f"default (locale {locale})" if locale else "default")}


def settings_of(ctx: click.Context, kw: dict[str, Any], default_lang: Callable[[], str]) -> dict[str, config.Setting]:
    """Command line over configuration file over defaults (checker.config); exit 2 on a bad file."""
    try:
        file = config.discover(kw.pop("config_file"), kw.pop("isolated"))
    except config.ConfigError as exc:
        for line in str(exc).splitlines():
            click.echo(f"roadmap-check: {line}", err=True)
        sys.exit(EXIT_USAGE)
    settings = config.resolve(_given(ctx, kw), file, _defaults(default_lang))
    ctx.meta["roadmap_check_config"] = (settings, file, ctx.params.get("isolated", False))
    return settings


def apply_settings(ctx: click.Context, kw: dict[str, Any], command: str, default_lang: Callable[[], str]) -> None:
    """Replace a linting command's raw option values in `kw` by the effective settings: `options`
    (api.LintOptions), `lang`, and `fail_on` / `baseline` / the baseline commands' file where they exist."""
    s = settings_of(ctx, kw, default_lang)
    origins = tuple((k, f"{k} ({s[k].origin})") for k in ("select", "ignore") if s[k].origin != "command line")
    kw["options"] = api.LintOptions(
        paths=tuple(s["paths"].value), rules=tuple(s["rules"].value), extend_rules=tuple(s["extend-rules"].value),
        as_of=s["as-of"].value, select=tuple(s["select"].value), ignore=tuple(s["ignore"].value),
        limits=Limits(max_bytes=kw.pop("max_file_size")), cache=not kw.pop("no_cache"), jobs=kw.pop("jobs"),
        origins=origins)
    kw["lang"] = s["lang"].value
    for name, key in (("fail_on", "fail-on"), ("baseline", "baseline")):
        if name in kw:
            kw[name] = s[key].value
    for name in ("baseline_file", "output"):  # baseline check / create: the configured baseline file
        if command.startswith("baseline_") and name in kw and s["baseline"].value is not None:
            kw[name] = s["baseline"].value


def configured_rules(given: tuple[Path, ...]) -> tuple[Path, ...]:
    """The rule files of the `rules` commands: those given, else the configuration's `rules` (or the
    shipped ones) and `extend-rules`, so that `rules test` and `rules list` see a project's house rules."""
    if given:
        return given
    try:
        file = config.discover()
    except config.ConfigError as exc:
        for line in str(exc).splitlines():
            click.echo(f"roadmap-check: {line}", err=True)
        sys.exit(EXIT_USAGE)
    if file is None or not ({"rules", "extend-rules"} & set(file.values)):
        return ()
    return api.LintOptions(rules=tuple(file.values.get("rules", ())),
                           extend_rules=tuple(file.values.get("extend-rules", ()))).rule_paths

"""The command line's shared pieces: exit codes, the default language, failing with exit 2, and how the
linting commands' options combine with the configuration file and the defaults."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from checker import api, config
from checker.source.inputs import Limits

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
             "lang": kw.get("lang"), "context": tuple(kw.pop("context", ())) or None}
    for key, name in (("fail-on", "fail_on"), ("baseline", "baseline"), ("baseline", "baseline_file"),
                      ("baseline", "output")):
        if name in kw and cli(name):
            given[key] = kw[name]
    return given


def _defaults() -> dict[str, config.Setting]:
    locale = next((f"{v}={os.environ[v]}" for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    return {"paths": config.Setting(("roadmaps",), "default"), "rules": config.Setting((), "default (shipped rules)"),
            "extend-rules": config.Setting((), "default"), "select": config.Setting((), "default (all rules)"),
            "ignore": config.Setting((), "default"), "as-of": config.Setting(dt.date.today(), "default (today)"),
            "fail-on": config.Setting("error", "default"), "baseline": config.Setting(None, "default"),
            "lang": config.Setting(default_lang(), f"default (locale {locale})" if locale else "default"),
            "context": config.Setting((), "default (the named files' directory tree)")}


def config_error(exc: config.ConfigError, lang: str | None) -> None:
    """Print a configuration's problems in the user's language and exit 2: --lang when given, else the
    `lang` the configuration itself sets (when that key is valid), else the locale."""
    fail(exc.lines(lang or exc.lang or default_lang()))


def settings_of(ctx: click.Context, kw: dict[str, Any]) -> dict[str, config.Setting]:
    """Command line over inline --config over configuration file over defaults (checker.config); exit 2
    on a bad configuration."""
    isolated = kw.pop("isolated")
    try:
        file, inline = config.gather(kw.pop("config_args"), isolated)
    except config.ConfigError as exc:
        config_error(exc, kw.get("lang"))
    settings = config.resolve(_given(ctx, kw), file, _defaults(), inline=inline)
    ctx.meta["roadmap_check_config"] = (settings, file, isolated, inline)
    ctx.meta["roadmap_check_lang"] = settings["lang"].value  # for errors found later (cli._Main)
    return settings


def apply_settings(ctx: click.Context, kw: dict[str, Any], command: str) -> None:
    """Replace a linting command's raw option values in `kw` by the effective settings: `options`
    (api.LintOptions), `lang`, and `fail_on` / `baseline` / the baseline commands' file where they exist."""
    s = settings_of(ctx, kw)
    origins = tuple((k, f"{s[k].at}: {k}" if s[k].at else f"{k} ({s[k].origin})") for k in ("select", "ignore")
                    if s[k].origin != "command line")
    kw["options"] = api.LintOptions(
        paths=tuple(s["paths"].value), rules=tuple(s["rules"].value), extend_rules=tuple(s["extend-rules"].value),
        as_of=s["as-of"].value, select=tuple(s["select"].value), ignore=tuple(s["ignore"].value),
        limits=Limits(max_bytes=kw.pop("max_file_size")), cache=not kw.pop("no_cache"), jobs=kw.pop("jobs"),
        context_paths=tuple(s["context"].value), origins=origins)
    kw["lang"] = s["lang"].value
    for name, key in (("fail_on", "fail-on"), ("baseline", "baseline")):
        if name in kw:
            kw[name] = s[key].value
    for name in ("baseline_file", "output"):  # baseline check / create: the configured baseline file
        if command.startswith("baseline_") and name in kw and s["baseline"].value is not None:
            kw[name] = s["baseline"].value
    if command in ("lint", "baseline_check"):
        _configured_baseline_exists(s["baseline"], s["lang"].value)


def _configured_baseline_exists(baseline: config.Setting, lang: str) -> None:
    """A configured baseline that is not there yet: say where it is configured and how to make it (a
    --baseline given on the command line is left to the baseline loader's own message)."""
    path = baseline.value
    try:
        if not baseline.at or path is None or Path(path).exists():
            return
    except OSError:  # a name too long to be a file: the baseline loader says so
        return
    config_error(config.ConfigError([config.Problem(
        baseline.at, f"baseline: {path} does not exist yet; create it with `roadmap-check baseline create` "
                     "(which writes the configured file), or remove the key",
        f"baseline: {path} がまだありません。`roadmap-check baseline create` で作成するか(設定されたファイルに"
        "書き出します)、このキーを消してください")]), lang)


def configured_rules(given: tuple[Path, ...], lang: str | None = None, speaks: bool = False
                     ) -> tuple[tuple[Path, ...], str]:
    """The rule files of the `rules` commands and their language: the files given, else the configuration's
    `rules` (or the shipped ones) and `extend-rules`, so that `rules test` and `rules list` see a project's
    house rules; `lang` when given, else the configured one, else the locale's. A command that prints no
    text in a language (`speaks` false) given its files reads no configuration, as before there was one."""
    if given and (lang or not speaks):
        return given, lang or default_lang()
    try:
        file = config.discover()
    except config.ConfigError as exc:
        config_error(exc, lang)
    lang = lang or (file.values.get("lang") if file else None) or default_lang()
    if given:
        return given, lang
    if file is None or not ({"rules", "extend-rules"} & set(file.values)):
        return (), lang
    return api.LintOptions(rules=tuple(file.values.get("rules", ())),
                           extend_rules=tuple(file.values.get("extend-rules", ()))).rule_paths, lang

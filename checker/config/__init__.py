"""Project configuration: `[tool.roadmap-check]` in pyproject.toml or a roadmap-check.toml, found like ruff's,
and inline `--config "KEY = VALUE"` overrides.

Discovery walks from the current directory up to the root and takes the first directory holding a
configuration, no merging across directories. In one directory the precedence is ruff's
(.ruff.toml > ruff.toml > pyproject.toml): `.roadmap-check.toml`, then `roadmap-check.toml`, then
`pyproject.toml`, which counts only when it has a `[tool.roadmap-check]` table. Relative paths in a
file resolve against that file's directory, in an inline override against the current directory.
Precedence, key by key: command-line flag > inline --config > file > default.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.config.keys import FAIL_ON, KEYS, LANGS, ConfigError, Problem, check_values, nearest
from checker.config.toml import key_line, read_toml, table_line, toml_problem
from checker.domain.lang import in_lang

CONFIG_NAMES = (".roadmap-check.toml", "roadmap-check.toml", "pyproject.toml")
TABLE = "tool.roadmap-check"
INLINE = "command line (--config)"
"""The origin `roadmap-check config` shows for a key set by an inline --config."""


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file: where it is, which table holds the settings, and its validated values."""

    path: Path
    table: str | None
    """"tool.roadmap-check" in a pyproject.toml; None when the keys are at the top level."""
    values: Mapping[str, Any]
    lines: Mapping[str, int] = field(default_factory=dict)
    """The line each key is set on, for messages about its value (e.g. an unknown rule id in `select`)."""

    @property
    def label(self) -> str:
        return f"{self.path} [{self.table}]" if self.table else str(self.path)

    def at(self, key: str) -> str:
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line else str(self.path)


@dataclass(frozen=True)
class Inline:
    """The keys set by inline `--config "KEY = VALUE"` arguments (the last one wins), validated like a file's."""

    values: Mapping[str, Any]
    args: Mapping[str, str]
    """For each key, the --config argument that set it."""
    label: str = INLINE

    def at(self, key: str) -> str:
        return _arg(self.args[key]) if key in self.args else ""


@dataclass(frozen=True)
class Setting:
    """An effective value, where it came from ("command line", a config file, "default"), and for values
    from a configuration, the place to name in messages (file:line, or the --config argument)."""

    value: Any
    origin: str
    at: str = ""


# ------------------------------------------------------------------ files


def _table(data: dict[str, Any], path: Path) -> tuple[str | None, Any]:
    if path.name == "pyproject.toml":
        return TABLE, data.get("tool", {}).get("roadmap-check") if isinstance(data.get("tool"), dict) else None
    return None, data


def load(path: Path) -> ConfigFile:
    """Read and validate one configuration file (a pyproject.toml: its [tool.roadmap-check] table)."""
    path = path.resolve()
    text, data = read_toml(path)
    table, raw = _table(data, path)
    if raw is None:
        raise ConfigError([Problem(str(path), f"no [{TABLE}] table; add one, e.g. [{TABLE}] then as-of = \"2017-12-31\"",
                                   f"[{TABLE}] テーブルがありません。例: [{TABLE}] の行の下に as-of = \"2017-12-31\"")])
    if not isinstance(raw, dict):
        raise ConfigError([Problem(str(path), f"{TABLE} must be a table: write [{TABLE}] on a line of its own",
                                   f"{TABLE} はテーブルで書いてください: [{TABLE}] を一行に書きます")])
    if table is None and isinstance(raw.get("tool"), dict) and "roadmap-check" in raw["tool"]:
        line = table_line(text, TABLE)
        raise ConfigError([Problem(f"{path}:{line}" if line else str(path),
                                   f"in {path.name} the keys go at the top level: remove the [{TABLE}] line "
                                   f"(that table is for pyproject.toml)",
                                   f"{path.name} ではキーを最上位に書きます: [{TABLE}] の行を消してください"
                                   f"(そのテーブルは pyproject.toml 用です)")])
    lines = {k: n for k in raw if (n := key_line(text, table, k)) is not None}
    values, problems = check_values(raw, path.parent, lambda k: f"{path}:{lines[k]}" if k in lines else str(path),
                                    f"[{table}] " if table else "")
    if problems:
        lang = values.get("lang")
        raise ConfigError(problems, lang)
    return ConfigFile(path, table, values, lines)


def _has_table(path: Path) -> bool:
    """Whether a file configures roadmap-check; a pyproject.toml whose [tool.…] table is a near miss of
    [tool.roadmap-check] is an error, not passed over: its settings would be silently ignored."""
    if path.name != "pyproject.toml":
        return True
    text, data = read_toml(path)
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return False
    if "roadmap-check" in tool:
        return True
    close = next((t for t in tool if nearest(t, ["roadmap-check"], cutoff=0.8)), None)
    if close is not None:
        line = table_line(text, f"tool.{close}")
        raise ConfigError([Problem(f"{path}:{line}" if line else str(path),
                                   f"[tool.{close}] is not read; did you mean [{TABLE}]?",
                                   f"[tool.{close}] は読まれません。[{TABLE}] のことですか?")])
    return False


def find(start: Path) -> Path | None:
    """The configuration file that applies in `start`: the nearest directory upwards that has one."""
    start = start.resolve()
    for d in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file() and _has_table(candidate):
                return candidate
    return None


# ------------------------------------------------------------------ --config FILE or KEY = VALUE


def _arg(arg: str) -> str:
    """An argument as messages show it: quoted, on one line (a message is one line per problem)."""
    arg = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in arg)
    return f"--config '{arg}'" if '"' in arg else f'--config "{arg}"'


def _kind(path: Path) -> str:
    """"file", "dir" or "" (nothing there, or no possible file name: a TOML fragment longer than a file
    name may be makes the file system say ENAMETOOLONG)."""
    try:
        return "file" if path.is_file() else "dir" if path.is_dir() else ""
    except (OSError, ValueError):
        return ""


def _inline(arg: str, cwd: Path) -> tuple[dict[str, Any], list[Problem]] | None:
    """An argument read as TOML and validated like a file's keys; None when it is not TOML and has no
    `=` either (then it was meant as a file name)."""
    import tomllib

    try:
        raw = tomllib.loads(arg)
    except tomllib.TOMLDecodeError as exc:
        return ({}, [toml_problem(_arg(arg), arg, exc, positions=False)]) if "=" in arg else None
    return check_values(raw, cwd, lambda _k: _arg(arg)) if raw else None


def split_args(args: Sequence[str], isolated: bool = False, cwd: Path | None = None
               ) -> tuple[Path | None, Inline | None, list[Problem]]:
    """--config arguments, as in ruff: an existing file is the configuration file (at most one), anything
    else a TOML `KEY = VALUE` fragment. Returns (file, inline overrides, problems)."""
    cwd = cwd or Path.cwd()
    files: list[Path] = []
    values: dict[str, Any] = {}
    set_by: dict[str, str] = {}
    problems: list[Problem] = []
    for arg in args:
        path = Path(arg)
        kind = _kind(path)
        if kind == "file":
            files.append(path)
        elif kind == "dir":
            problems.append(Problem(_arg(arg), "is a directory; give a file (pyproject.toml or roadmap-check.toml)",
                                    "ディレクトリです。ファイル(pyproject.toml または roadmap-check.toml)を指定してください"))
        elif (read := _inline(arg, cwd)) is None:
            problems.append(Problem(_arg(arg), "no such file; to set one key instead write e.g. "
                                    "--config \"as-of = '2017-12-31'\"",
                                    "そのファイルはありません。キーを一つ指定するなら例: --config \"as-of = '2017-12-31'\""))
        else:
            got, bad = read
            values.update(got)
            set_by.update(dict.fromkeys(got, arg))
            problems += bad
    if len(files) > 1:
        names = ", ".join(map(str, files))
        problems.append(Problem("--config", f"only one configuration file may be given (got {names})",
                                f"設定ファイルは一つだけ指定できます({names} が指定されています)"))
    if files and isolated:
        problems.append(Problem(_arg(str(files[0])), "cannot be used with --isolated, which ignores every "
                                "configuration file (inline --config \"KEY = VALUE\" can)",
                                "--isolated(すべての設定ファイルを無視する)とは併用できません"
                                "(--config \"KEY = VALUE\" の形なら併用できます)"))
    return (files[0] if files else None), (Inline(values, set_by) if set_by else None), problems


def gather(args: Sequence[str] = (), isolated: bool = False, cwd: Path | None = None
           ) -> tuple[ConfigFile | None, Inline | None]:
    """The configuration file in effect (--config FILE, none with --isolated, else found upwards) and the
    inline overrides; ConfigError with every problem of both, and the language they ask for."""
    cwd = cwd or Path.cwd()
    path, inline, problems = split_args(args, isolated, cwd)
    file, lang = None, None
    try:
        if path is not None and not isolated:
            file = load(path)
        elif not isolated and (found := find(cwd)) is not None:
            file = load(found)
    except ConfigError as exc:
        problems += exc.problems
        lang = exc.lang
    if problems:
        raise ConfigError(problems, (inline.values.get("lang") if inline else None) or lang)
    return file, inline


def discover(config: Path | None = None, isolated: bool = False, cwd: Path | None = None) -> ConfigFile | None:
    """The configuration file in effect: `config` when given (--config), none with --isolated, else found upwards."""
    return gather((str(config),) if config is not None else (), isolated, cwd)[0]


# ------------------------------------------------------------------ effective settings


def _near_cwd(path: str, cwd: Path) -> str:
    """A configured path as findings should name it: relative to the cwd when under it, else absolute."""
    p = Path(os.path.normpath(path))
    try:
        rel = p.relative_to(cwd)
    except ValueError:
        return str(p)
    return rel.as_posix() if str(rel) != "." else "."


def resolve(given: Mapping[str, Any], file: ConfigFile | None, defaults: Mapping[str, Setting],
            cwd: Path | None = None, inline: Inline | None = None) -> dict[str, Setting]:
    """Effective settings: each key from the command line when given (not None), else an inline --config,
    else the file, else the default.

    Two keys combine as in ruff, layer over layer (file, inline --config, command line): a layer's
    `extend-rules` add to those below, a layer's `rules` name the whole ruleset, so the `rules` and
    `extend-rules` below give way.
    """
    cwd = (cwd or Path.cwd()).resolve()
    layers = [layer for layer in (file, inline) if layer is not None]
    cli = Inline({k: v for k, v in given.items() if v is not None}, {}, "command line")
    out: dict[str, Setting] = {}
    for key in KEYS:
        setting = defaults[key]
        for layer in layers:
            if key in layer.values:
                value = layer.values[key]
                if key in ("paths", "context"):
                    value = tuple(_near_cwd(p, cwd) for p in value)
                setting = Setting(value, layer.label, layer.at(key))
        if key in cli.values:
            setting = Setting(cli.values[key], "command line")
        out[key] = setting
    out["extend-rules"] = _extend_rules([*layers, cli], defaults["extend-rules"])
    return out


def _extend_rules(layers: Sequence[ConfigFile | Inline], default: Setting) -> Setting:
    rules: tuple[Path, ...] = ()
    adding: list[ConfigFile | Inline] = []
    for layer in layers:
        if "rules" in layer.values:
            rules, adding = (), []
        if layer.values.get("extend-rules"):
            rules += tuple(layer.values["extend-rules"])
            adding.append(layer)
    if not adding:
        return default
    return Setting(rules, ", then ".join(a.label for a in adding), adding[0].at("extend-rules") if len(adding) == 1 else "")


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "(none)"
    return f'"{value}"' if isinstance(value, str | Path) else str(value)


_ORIGINS_JA = {"command line": "コマンドライン", INLINE: "コマンドライン (--config)", "default": "既定",
               "default (today)": "既定 (今日)", "default (shipped rules)": "既定 (同梱のルール)",
               "default (all rules)": "既定 (すべてのルール)"}


def _origin(origin: str, lang: str) -> str:
    """An origin in the report's language: the fixed labels translated, file names as they are."""
    if lang != "ja":
        return origin
    parts = [_ORIGINS_JA.get(p) or (p.replace("default (locale ", "既定 (ロケール ", 1)
                                    if p.startswith("default (locale ") else p) for p in origin.split(", then ")]
    return "、次に ".join(parts)


def describe(settings: Mapping[str, Setting], file: ConfigFile | None, isolated: bool,
             inline: Inline | None = None, lang: str = "en") -> str:
    """`roadmap-check config`: the file in effect, then one line per key with its value and origin."""
    head = (in_lang(lang, "configuration: none (--isolated)", "設定: なし (--isolated)") if isolated else
            in_lang(lang, "configuration: ", "設定: ") + file.label if file else
            in_lang(lang, "configuration: none found (defaults apply)", "設定: 見つかりません (既定値を使います)"))
    if inline is not None:
        head += in_lang(lang, "\noverrides: ", "\n上書き: ") + " ".join(_arg(a) for a in dict.fromkeys(inline.args.values()))
    width = max(len(k) for k in settings)
    lines = [head] + [f"{k:<{width}} = {_show(s.value) if s.value is not None else in_lang(lang, '(none)', '(なし)')}"
                      f"  # {_origin(s.origin, lang)}" for k, s in settings.items()]
    return "\n".join(lines) + "\n"


__all__ = ["CONFIG_NAMES", "FAIL_ON", "INLINE", "KEYS", "LANGS", "ConfigError", "ConfigFile", "Inline", "Problem",
           "Setting",
           "describe", "discover", "find", "gather", "load", "resolve", "split_args"]

"""Project configuration: `[tool.roadmap-check]` in pyproject.toml or a roadmap-check.toml, found like ruff's.

Discovery walks from the current directory up to the root and takes the first directory holding a
configuration, no merging across directories. In one directory the precedence is ruff's
(.ruff.toml > ruff.toml > pyproject.toml): `.roadmap-check.toml`, then `roadmap-check.toml`, then
`pyproject.toml`, which counts only when it has a `[tool.roadmap-check]` table. Relative paths in a
file resolve against that file's directory. The command line wins over the file, key by key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_NAMES = (".roadmap-check.toml", "roadmap-check.toml", "pyproject.toml")
TABLE = "tool.roadmap-check"
FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("ja", "en")


class ConfigError(Exception):
    """A configuration file that cannot be read or holds a bad key or value (exit code 2)."""


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file: where it is, which table holds the settings, and its validated values."""

    path: Path
    table: str | None
    """"tool.roadmap-check" in a pyproject.toml; None when the keys are at the top level."""
    values: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.path} [{self.table}]" if self.table else str(self.path)


@dataclass(frozen=True)
class Setting:
    """An effective value and where it came from ("command line", a config file, "default")."""

    value: Any
    origin: str


# ------------------------------------------------------------------ values


def _strings(v: Any) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise ValueError("must be a list of non-empty strings, e.g. [\"roadmaps\"]")
    return list(v)


def _paths(v: Any, base: Path) -> tuple[str, ...]:
    return tuple(str(base / p) for p in _strings(v))


def _existing(v: Any, base: Path) -> tuple[Path, ...]:
    out = []
    for p in _strings(v):
        path = (base / p).resolve()
        if not path.exists():
            raise ValueError(f"{p!r} does not exist (looked for {path})")
        out.append(path)
    return tuple(out)


def _ids(v: Any, _base: Path) -> tuple[str, ...]:
    return tuple(i.strip() for s in _strings(v) for i in s.split(",") if i.strip())


def _date(v: Any, _base: Path) -> dt.date:
    if isinstance(v, dt.datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError(f"must be a date YYYY-MM-DD, e.g. \"2017-12-31\" (got {v!r})")


def _choice(choices: tuple[str, ...]) -> Callable[[Any, Path], str]:
    def parse(v: Any, _base: Path) -> str:
        if v not in choices:
            import difflib  # only on a bad value: start-up time

            close = difflib.get_close_matches(str(v), choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"must be one of {', '.join(choices)} (got {v!r}){hint}")
        return v
    return parse


def _file(v: Any, base: Path) -> Path:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("must be a file name (a string)")
    return (base / v).resolve()


KEYS: dict[str, Callable[[Any, Path], Any]] = {
    "paths": _paths, "rules": _existing, "extend-rules": _existing, "select": _ids, "ignore": _ids,
    "as-of": _date, "fail-on": _choice(FAIL_ON), "baseline": _file, "lang": _choice(LANGS),
}
"""Every key a configuration may hold, and how its value is read (relative paths: against the file's dir)."""


# ------------------------------------------------------------------ files


def _key_line(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set in `table` (None: top level), for messages; None when not found."""
    current: str | None = None
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for n, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            current = header.group(1).replace('"', "").replace("'", "").replace(" ", "")
        elif current == table and pattern.match(line):
            return n
    return None


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8")
        return text, tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8; a TOML file must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _table(data: dict[str, Any], path: Path) -> tuple[str | None, Any]:
    if path.name == "pyproject.toml":
        return TABLE, data.get("tool", {}).get("roadmap-check") if isinstance(data.get("tool"), dict) else None
    return None, data


def load(path: Path) -> ConfigFile:
    """Read and validate one configuration file (a pyproject.toml: its [tool.roadmap-check] table)."""
    path = path.resolve()
    text, data = _read(path)
    table, raw = _table(data, path)
    where = f"[{table}] " if table else ""
    if raw is None:
        raise ConfigError(f"{path}: no [{TABLE}] table")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where or TABLE + ' '}must be a table")
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        line = _key_line(text, table, key)
        at = f"{path}:{line}" if line else str(path)
        parse = KEYS.get(key)
        if parse is None:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(KEYS)})"
            problems.append(f"{at}: {where}unknown key {key!r}{hint}")
            continue
        try:
            values[key] = parse(value, path.parent)
        except ValueError as exc:
            problems.append(f"{at}: {where}{key}: {exc}")
    if problems:
        raise ConfigError("\n".join(problems))
    return ConfigFile(path, table, values)


def _has_table(path: Path) -> bool:
    if path.name != "pyproject.toml":
        return True
    _, data = _read(path)
    tool = data.get("tool")
    return isinstance(tool, dict) and "roadmap-check" in tool


def find(start: Path) -> Path | None:
    """The configuration file that applies in `start`: the nearest directory upwards that has one."""
    start = start.resolve()
    for d in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file() and _has_table(candidate):
                return candidate
    return None


def discover(config: Path | None = None, isolated: bool = False, cwd: Path | None = None) -> ConfigFile | None:
    """The configuration in effect: `config` when given (--config), none with --isolated, else found upwards."""
    if isolated:
        return None
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"--config {config}: no such file")
        return load(config)
    found = find(cwd or Path.cwd())
    return load(found) if found is not None else None


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
            cwd: Path | None = None) -> dict[str, Setting]:
    """Effective settings: each key from the command line when given (not None), else the file, else default.

    Two exceptions, as in ruff: command-line --extend-rules add to the file's; command-line --rules name
    the whole ruleset, so the file's `rules` and `extend-rules` both give way.
    """
    cwd = (cwd or Path.cwd()).resolve()
    values = dict(file.values) if file else {}
    if "paths" in values:
        values["paths"] = tuple(_near_cwd(p, cwd) for p in values["paths"])
    label = file.label if file else ""
    out: dict[str, Setting] = {}
    for key in KEYS:
        cli_value = given.get(key)
        if key == "extend-rules":
            out[key] = _extend_rules(cli_value, values.get(key) if given.get("rules") is None else None, label,
                                     defaults[key])
        elif cli_value is not None:
            out[key] = Setting(cli_value, "command line")
        elif key in values:
            out[key] = Setting(values[key], label)
        else:
            out[key] = defaults[key]
    return out


def _extend_rules(cli_value: Any, from_file: Any, label: str, default: Setting) -> Setting:
    if cli_value and from_file:
        return Setting(tuple(from_file) + tuple(cli_value), f"{label}, then the command line")
    if cli_value:
        return Setting(tuple(cli_value), "command line")
    if from_file:
        return Setting(tuple(from_file), label)
    return default


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "(none)"
    return f'"{value}"' if isinstance(value, str | Path) else str(value)


def describe(settings: Mapping[str, Setting], file: ConfigFile | None, isolated: bool) -> str:
    """`roadmap-check config`: the file in effect, then one line per key with its value and origin."""
    head = ("configuration: none (--isolated)" if isolated else
            f"configuration: {file.label}" if file else "configuration: none found (defaults apply)")
    width = max(len(k) for k in settings)
    lines = [head] + [f"{k:<{width}} = {_show(s.value)}  # {s.origin}" for k, s in settings.items()]
    return "\n".join(lines) + "\n"


__all__ = ["CONFIG_NAMES", "KEYS", "ConfigError", "ConfigFile", "Setting", "describe", "discover", "find", "load",
           "resolve"]

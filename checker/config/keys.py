"""The configuration keys: how each value is read, and every configuration problem in English and Japanese.

A problem names where it is (file:line, or the `--config` argument), what is wrong and what to write
instead, in both languages; the CLI picks one with `in_lang` once it knows the user's language, which
may itself come from the configuration being reported on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.domain.lang import in_lang

FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("ja", "en")


@dataclass(frozen=True)
class Problem:
    """One configuration problem: where (file:line, or `--config "…"`), and the text in both languages."""

    where: str
    en: str
    ja: str

    def text(self, lang: str) -> str:
        """One line: characters that are not printable (a newline, U+0085 in a path or key) are escaped."""
        text = f"{self.where}: {in_lang(lang, self.en, self.ja)}" if self.where else in_lang(lang, self.en, self.ja)
        return text if text.isprintable() else "".join(
            c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class ConfigError(Exception):
    """A configuration that cannot be read or holds a bad key or value (exit code 2).

    `lang` is the language the configuration itself asks for (a valid `lang` key beside the bad ones),
    so that its errors can be told in it when the command line does not say.
    """

    def __init__(self, problems: Iterable[Problem], lang: str | None = None):
        self.problems = tuple(problems)
        self.lang = lang
        super().__init__("\n".join(p.text("en") for p in self.problems))

    def lines(self, lang: str) -> list[str]:
        return [p.text(lang) for p in self.problems]


class BadValue(Exception):
    """A value a key cannot take: what is wrong, in English and Japanese (the key's example is added)."""

    def __init__(self, en: str, ja: str, instead: bool = False):
        super().__init__(en)
        self.en, self.ja = en, ja
        self.instead = instead
        """The text already says what to write instead: no example is added."""


def _got(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


# ------------------------------------------------------------------ values


def _strings(v: Any) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise BadValue(f"must be a list of non-empty strings (got {_got(v)})",
                       f"空でない文字列のリストで書いてください({_got(v)} と書かれています)")
    return list(v)


def _paths(v: Any, base: Path) -> tuple[str, ...]:
    return tuple(str(base / p) for p in _strings(v))


def _existing(v: Any, base: Path) -> tuple[Path, ...]:
    out = []
    for p in _strings(v):
        try:
            path = (base / p).resolve()
            found = path.exists()
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long for the file system
            raise BadValue(f"{p!r} is not a usable path ({exc})", f"{p!r} はパスとして使えません({exc})") from None
        if not found:
            raise BadValue(f"{p!r} does not exist (looked for {path})", f"{p!r} が見つかりません({path} を探しました)")
        out.append(path)
    return tuple(out)


def _ids(v: Any, _base: Path) -> tuple[str, ...]:
    return tuple(i.strip() for s in _strings(v) for i in s.split(",") if i.strip())


def _date(v: Any, _base: Path) -> dt.date:
    if isinstance(v, dt.datetime):
        raise BadValue("must be a date (YYYY-MM-DD), not a date and time",
                       "日時ではなく日付(YYYY-MM-DD)で書いてください")
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise BadValue(f"must be a date YYYY-MM-DD (got {_got(v)})",
                   f"日付 YYYY-MM-DD で書いてください({_got(v)} と書かれています)")


def _choice(key: str, choices: tuple[str, ...]) -> Callable[[Any, Path], str]:
    def parse(v: Any, _base: Path) -> str:
        if isinstance(v, str) and v in choices:
            return v
        close = nearest(v, choices, cutoff=0.5) if isinstance(v, str) else None
        if close:  # the did-you-mean is the line to write instead
            raise BadValue(f"must be one of {', '.join(choices)} (got {_got(v)}); did you mean {key} = \"{close}\"?",
                           f"{'、'.join(choices)} のいずれかで書いてください({_got(v)} と書かれています)。"
                           f"{key} = \"{close}\" のことですか?", instead=True)
        raise BadValue(f"must be one of {', '.join(choices)} (got {_got(v)})",
                       f"{'、'.join(choices)} のいずれかで書いてください({_got(v)} と書かれています)")
    return parse


def _file(v: Any, base: Path) -> Path:
    if not isinstance(v, str) or not v.strip():
        raise BadValue(f"must be a file name, a string (got {_got(v)})",
                       f"ファイル名を文字列で書いてください({_got(v)} と書かれています)")
    try:
        return (base / v).resolve()
    except (OSError, ValueError) as exc:
        raise BadValue(f"{v!r} is not a usable path ({exc})", f"{v!r} はパスとして使えません({exc})") from None


KEYS: dict[str, Callable[[Any, Path], Any]] = {
    "paths": _paths, "rules": _existing, "extend-rules": _existing, "select": _ids, "ignore": _ids,
    "as-of": _date, "fail-on": _choice("fail-on", FAIL_ON), "baseline": _file, "lang": _choice("lang", LANGS),
    "context": _paths,
}
"""Every key a configuration may hold, and how its value is read (relative paths: against the file's dir)."""

EXAMPLES: dict[str, str] = {
    "paths": 'paths = ["roadmaps"]', "rules": 'rules = ["rules"]', "extend-rules": 'extend-rules = ["house-rules"]',
    "select": 'select = ["kpi-target-missing"]', "ignore": 'ignore = ["schedule-actor-unknown"]',
    "as-of": 'as-of = "2017-12-31"', "fail-on": 'fail-on = "warning"', "baseline": 'baseline = "baseline.json"',
    "lang": 'lang = "ja"', "context": 'context = ["../roadmaps"]',
}
"""What to write instead: one correct line per key, shown with every problem about that key."""


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (ignoring case, and _ for -), or None."""
    import difflib  # only on a bad key or value: start-up time

    by_norm = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower().replace("_", "-").strip(), list(by_norm), n=1, cutoff=cutoff)
    return by_norm[close[0]] if close else None


def unknown_key(key: str, where: str) -> Problem:
    close = nearest(key, KEYS)
    if close:
        return Problem(where, f"unknown key {key!r}; did you mean {close!r}? e.g. {EXAMPLES[close]}",
                       f"不明なキー {key!r} です。{close!r} のことですか? 例: {EXAMPLES[close]}")
    known = ", ".join(KEYS)
    return Problem(where, f"unknown key {key!r} (known keys: {known})", f"不明なキー {key!r} です(使えるキー: {known})")


def check_values(raw: Mapping[str, Any], base: Path, where: Callable[[str], str],
                 prefix: str = "") -> tuple[dict[str, Any], list[Problem]]:
    """Every key of `raw` read by its parser: (the good values, a problem per bad key or value).
    `where(key)` says where a key is written; `prefix` goes before the text (e.g. "[tool.roadmap-check] ")."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        parse = KEYS.get(key)
        if parse is None:
            p = unknown_key(key, where(key))
            problems.append(Problem(p.where, prefix + p.en, prefix + p.ja))
            continue
        try:
            values[key] = parse(value, base)
        except BadValue as exc:
            en, ja = (exc.en, exc.ja) if exc.instead else (f"{exc.en}; write e.g. {EXAMPLES[key]}",
                                                            f"{exc.ja}。例: {EXAMPLES[key]}")
            problems.append(Problem(where(key), f"{prefix}{key}: {en}", f"{prefix}{key}: {ja}"))
    return values, problems


__all__ = ["EXAMPLES", "FAIL_ON", "KEYS", "LANGS", "BadValue", "ConfigError", "Problem", "check_values", "nearest",
           "unknown_key"]

"""Reading configuration TOML: the text and its tables, the line each key is on, and TOML errors told
in English and Japanese at file:line:column with what to write instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checker.config.keys import EXAMPLES, ConfigError, Problem

# tomllib's messages that a hand-edited configuration runs into, in Japanese (prefix → text); the
# English original is kept beside it, so that nothing tomllib says is lost.
_JA = (
    ("Invalid value", "値として読めません"),
    ("Expected '=' after a key", "キーの後に '=' がありません"),
    ("Invalid statement", "TOML の行として読めません"),
    ("Unterminated string", "文字列の引用符が閉じられていません"),
    ("Unclosed array", "配列の ] が閉じられていません"),
    ("Unclosed inline table", "インラインテーブルの } が閉じられていません"),
    ("Cannot declare", "同じテーブルが二度書かれています"),
    ("Cannot overwrite a value", "同じキーが二度書かれています"),
    ("Duplicate inline table key", "同じキーが二度書かれています"),
    ("Cannot redefine namespace", "同じテーブルが二度書かれています"),
    ("Cannot mutate immutable namespace", "インラインテーブルに後からキーを足せません"),
    ("Expected newline or end of document", "値の後に余計な文字があります(1行に1つ、キー = 値)"),
    ("Invalid date or datetime", "日付・日時として読めません(YYYY-MM-DD)"),
    ("Illegal character", "使えない文字があります"),
    ("Found invalid character", "使えない文字があります"),
    ("Expected ']' at the end of a table", "テーブル見出しの ] がありません"),
    ("Invalid initial character for a key", "キーの先頭に使えない文字があります"),
)
_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$")


def _lines(text: str) -> list[str]:
    """Lines as TOML counts them: only \n ends one (str.splitlines also splits at \x85, \u2028, …)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def toml_problem(where: str, text: str, exc: Exception, positions: bool = True) -> Problem:
    """A TOML syntax error at where:line:column (`positions`: a file), in both languages, with what to
    write on that line."""
    message = str(exc)
    at = _AT.search(message)
    line = int(at.group(1)) if at and at.group(1) else None
    if at:
        message = message[:at.start()]
        where = f"{where}:{line}:{at.group(2)}" if line and positions else where
    if message.startswith("Illegal character '\\n'"):  # what tomllib says of a string left open at the line's end
        message = "Unterminated string (the line ends before its closing quote)"
    ja = next((j for prefix, j in _JA if message.startswith(prefix)), "TOML の書き方が誤っています")
    hint_en, hint_ja = _hint(_lines(text)[line - 1] if line and line <= len(_lines(text)) else "")
    return Problem(where, f"invalid TOML: {message}{hint_en}", f"TOML として読めません: {ja}({message}){hint_ja}")


def _hint(line: str) -> tuple[str, str]:
    """What to write instead of a line TOML could not read: the value quoted, or the key's example."""
    import tomllib

    m = _ASSIGN.match(line)
    if not m:
        return "", ""
    key, value = m.groups()
    if value and not value.startswith(("'", '"', "[", "{")) and key != "as-of":  # a bad date: quoting won't help
        quoted = f'{key} = "{value}"'
        try:
            tomllib.loads(quoted)
        except tomllib.TOMLDecodeError:
            pass
        else:
            return f"; strings are quoted: write {quoted}", f"。文字列は引用符で囲みます: {quoted}"
    example = EXAMPLES.get(key) or EXAMPLES.get(key.replace("_", "-").lower())
    if example:
        return f"; write e.g. {example}", f"。例: {example}"
    return "", ""


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a configuration file and its TOML, or ConfigError (unreadable, not UTF-8, not TOML)."""
    import tomllib

    try:
        text = path.read_bytes().decode("utf-8")
        return text, tomllib.loads(text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError([Problem(str(path), f"cannot read configuration: {reason}",
                                   f"設定ファイルを読めません: {reason}")]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError([Problem(f"{path}:{line}", "not UTF-8; a TOML file must be saved as UTF-8",
                                   "UTF-8 ではありません。TOML ファイルは UTF-8 で保存してください")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([toml_problem(str(path), text, exc)]) from None


def _lines_in(text: str, table: str | None) -> list[tuple[int, str]]:
    """(number, line) of the lines in `table` (None: before any table header)."""
    current: str | None = None
    out = []
    for n, line in enumerate(_lines(text), 1):
        header = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            current = header.group(1).replace('"', "").replace("'", "").replace(" ", "")
        elif current == table:
            out.append((n, line))
    return out


def key_line(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set in `table` (None: top level), for messages; None when not found."""
    lines = _lines_in(text, table)
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    found = next((n for n, line in lines if pattern.match(line)), None)
    if found is None:  # a key quoted or escaped otherwise: parse the assignments one by one
        found = next((n for n, line in lines if "=" in line and _sets(line, key)), None)
    if found is None:  # a table of its own: [key], [tool.roadmap-check.key], [[key]]
        want = [*(table.split(".") if table else []), key]
        found = next((n for n, line in enumerate(_lines(text), 1)
                      if line.lstrip().startswith("[") and _header_path(line)[:len(want)] == want), None)
    return found


def _header_path(line: str) -> list[str]:
    """The keys a table header names ("[a.'b c']" → ["a", "b c"]), however they are quoted; [] if none."""
    import tomllib

    try:
        node: Any = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return []
    path = []
    while isinstance(node, dict | list) and node:
        if isinstance(node, list):
            node = node[-1]
            continue
        (name, node), = node.items()
        path.append(name)
    return path


def _sets(line: str, key: str) -> bool:
    """Whether an assignment line sets `key`, however the key is quoted or escaped: the text before some
    `=` must read as that key (the value may run on over the next lines)."""
    import tomllib

    for i, char in enumerate(line):
        if char == "=":
            try:
                if list(tomllib.loads(line[:i] + "= 0")) == [key]:
                    return True
            except tomllib.TOMLDecodeError:
                continue
    return False


def table_line(text: str, table: str) -> int | None:
    """The line of a `[table]` header, for messages about the whole table."""
    for n, line in enumerate(_lines(text), 1):
        m = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]", line)
        if m and m.group(1).replace('"', "").replace("'", "").replace(" ", "") == table:
            return n
    return None


__all__ = ["key_line", "read_toml", "table_line", "toml_problem"]

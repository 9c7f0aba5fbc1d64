"""Input errors in plain words, Japanese and English: YAML parser errors explained, and every English
message of an InputError given its Japanese counterpart.

Import-light (re and difflib only): InputError fills its Japanese text from here when it is made.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from checker.source.rule_messages import NESTED, RULE_JA

# ------------------------------------------------------------------ Japanese for English messages

# (pattern over the English message, Japanese template using the pattern's groups). Tried in order;
# the first that matches the whole message wins. One row per kind of message that code makes.
_JA: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), ja) for p, ja in (
    (r"file is ([\d,]+) bytes, over the limit of ([\d,]+) \(raise it with --max-file-size\)",
     r"ファイルが \1 バイトあり、上限 \2 バイトを超える(--max-file-size で上限を上げられる)"),
    (r"cannot read file: (.*)", r"ファイルを読み込めない: \1"),
    (r"cannot read directory: (.*)", r"ディレクトリを読み込めない: \1"),
    (r"cannot read: (.*)", r"読み込めない: \1"),
    (r"directory loop \(symlink\) skipped", "ディレクトリの循環(シンボリックリンク)のため読み飛ばした"),
    (r"no such file or directory", "ファイルまたはディレクトリが存在しない"),
    (r"duplicate key '(.*)' \(first defined on line (\d+)\)",
     r"キー「\1」が重複している(最初は \2 行目)。同じキーは一つのマッピングに一度だけ書く"),
    (r"a mapping key must be a plain scalar", "マッピングのキーは単純な文字列にする"),
    (r"merge keys \(<<\) are not supported", "マージキー(<<)は使えない。値をそのまま書く"),
    (r"YAML tag (\S+) is not allowed.*", r"YAMLタグ \1 は使えない(タグを削除する)。データは単純な値だけで書く"),
    (r"the file holds no YAML document \(empty, or only comments\)",
     "YAMLの文書がない(空のファイル、またはコメントだけのファイル)"),
    (r"line (\d+) is longer than (\d+) characters", r"\1 行目が \2 文字を超えている"),
    (r"(?:the file holds|more than) .*values.*", "値の数が上限を超えている(アンカーとエイリアスの展開を含む)"),
    (r"the document expands to more than .*", "アンカーとエイリアスを展開すると値の数が上限を超える"),
    (r"nesting (?:deeper than (\d+) levels|too deep)", "入れ子が深すぎる"),
    (r"an alias refers to its own anchor.*", "エイリアスが自身のアンカーを参照している(再帰構造)"),
    (r"several YAML documents in one file.*", "一つのファイルに複数のYAML文書がある。文書ごとにファイルを分ける"),
    (r"a document must be a mapping with `document:` and `reform_items:`",
     "文書は `document:` と `reform_items:` を持つマッピングにする"),
    (r"`document:` is missing; .*", "`document:` の見出しがない。ファイルの先頭に id, kind, title を持つ `document:` を書く"),
    (r"`document:` must be a mapping .*\(got (.*)\)",
     r"`document:` には id, kind, title などの項目を字下げして書く(記載: \1)"),
    (r"document\.kind must be one of (.*) \(got (.*)\)", r"document.kind は \1 のいずれかにする(記載: \2)"),
    (r"document\.kind is missing; write one of (.*)", r"document.kind がない。\1 のいずれかを書く"),
    (r"document id '(.*)' is already used by (.*)", r"文書ID「\1」は \2 でも使われている。IDは文書ごとに一意にする"),
    (r"document\.(\w+) names '(.*)', which no document has \(known ids: (.*)\); .*",
     r"document.\1 の「\2」という文書がない(既知のID: \3)。その文書のファイルも指定するか、このファイルと同じディレクトリ以下に置く"),
    (r"supersedes forms a cycle: (.*)", r"supersedes が循環している: \1"),
    (r"unknown field ['\"](.*)['\"] in (.*) \(did you mean '(.*)'\?\)",
     r"\2 に未知の項目「\1」がある(「\3」の誤りか)"),
    (r"unknown field ['\"](.*)['\"] in (.*) \(allowed: (.*)\)", r"\2 に未知の項目「\1」がある(使える項目: \3)"),
    (r"(.*) is required but missing", r"\1 は必須だが記載がない"),
    (r"(.*): write the date as YYYY-MM-DD.*\(got (.*)\)",
     r"\1: 日付は YYYY-MM-DD(例 2017-04-01)または 平成29年4月1日 のように書く(記載: \2)"),
    (r"(.*): write a number in half-width digits.*\(got (.*)\)",
     r"\1: 数値は半角数字で書く(例 1)(記載: \2)"),
    (r"(.*): Input should be a valid list \(got (.*)\)",
     r"\1: 値はリストにする(「- 」で始まる行を同じ字下げで並べるか、[a, b] と書く)(記載: \2)"),
    (r"(.*): Input should be a valid dictionary(?: or instance of .*)? \(got (.*)\)",
     r"\1: 値は「項目名: 値」の組(マッピング)にする。字下げして次の行から書くか、{a: 1} と書く(記載: \2)"),
    (r"(.*): Input should be a valid string \(got (.*)\)", r"\1: 値は文字列にする(記載: \2)"),
    (r"(.*): Input should be a valid integer.* \(got (.*)\)", r"\1: 値は整数(半角数字)にする(記載: \2)"),
    (r"(.*): Input should be a valid number.* \(got (.*)\)", r"\1: 値は数値(半角数字)にする(記載: \2)"),
    (r"(.*): Input should be a valid boolean.* \(got (.*)\)", r"\1: 値は true か false にする(記載: \2)"),
    (r"(.*): Input should be ('[^']*'(?:, '[^']*')*) or ('[^']*') \(got (.*)\)",
     r"\1: 値は \2, \3 のいずれかにする(記載: \4)"),
    (r"(.*): Input should be (.*) \(got (.*)\)", r"\1: 値は \2 にする(記載: \3)"),
    (r"(.*): (.*) \(got (.*)\)", r"\1: 値が正しくない(\2)(記載: \3)"),
    (r"(?s)YAML error: (.*)", r"YAMLの書式の誤り: \1"),
))


def _japanese(message: str) -> str | None:
    """The Japanese of a message, or None when no row knows it. Rule-file forms first: a data file's
    generic "<where>: <why> (got …)" row would otherwise swallow a rule's nested message."""
    for pattern, lead, tail in NESTED:
        if m := pattern.fullmatch(message):
            inner = m["inner"]
            return m.expand(lead) + (_japanese(inner) or inner) + m.expand(tail)
    for pattern, ja in (*RULE_JA, *_JA):
        if pattern.fullmatch(message):
            return pattern.sub(ja, message, count=1)
    return None


def japanese_of(message: str) -> str:
    """The Japanese text of an English input-error message (a generic Japanese lead when none fits)."""
    return _japanese(message) or f"入力を検査できない: {message}"


# ------------------------------------------------------------------ YAML parser errors in plain words

# (words of the parser, English, Japanese). The parser's own text is kept as a detail.
_PLAIN: tuple[tuple[str, str, str], ...] = (
    ("cannot start any token",
     "a tab character: YAML indents with spaces only; replace the tab with spaces",
     "タブ文字がある。YAMLの字下げには空白だけを使う(タブを空白に置き換える)"),
    ("did not find expected '-' indicator",
     "a list item without '-', or a line that does not line up with the items of its list",
     "リストの項目に「-」がない、または字下げがリストの他の項目とそろっていない"),
    ("did not find expected key",
     "indentation does not line up: this line is indented differently from the keys above it",
     "字下げがそろっていない: この行の字下げが上の項目と異なる"),
    ("could not find expected ':'",
     "a line without ':' where 'key: value' is expected, or a '-' missing before a list item",
     "「項目名: 値」の「:」がない、またはリストの項目の「-」がない"),
    ("found unexpected end of stream",
     "a quote is opened and never closed",
     "引用符(\" または ')が閉じられていない"),
    ("expected <block end>",
     "indentation does not line up with the lines above",
     "字下げが上の行とそろっていない"),
    ("did not find expected ',' or '}'",
     "a '{' is not closed with '}' on its line, or a ',' is missing between its items; a text holding "
     "':', ',', '{' or '}' goes in quotes",
     "「{」が同じ行の「}」で閉じられていない、または項目の間の「,」がない。「:」「,」「{」「}」を含む文は引用符で囲む"),
    ("did not find expected ',' or ']'",
     "a '[' is not closed with ']' on its line, or a ',' is missing between its items; a text holding "
     "':', ',', '[' or ']' goes in quotes",
     "「[」が同じ行の「]」で閉じられていない、または項目の間の「,」がない。「:」「,」「[」「]」を含む文は引用符で囲む"),
    ("found unexpected ':'",
     "a ':' inside a text written in '{ }' or '[ ]'; put the text in quotes (\"…\")",
     "「{ }」または「[ ]」の中の文に「:」がある。その文を引用符(\"…\")で囲む"),
    ("did not find expected comment or line break",
     "a '|' or '>' must end its line; write the text on the lines below it, indented",
     "「|」や「>」の後には何も書かない。文は次の行から字下げして書く"),
    ("found undefined alias",
     "an alias (*name) refers to an anchor (&name) that is not defined",
     "エイリアス(*名前)に対応するアンカー(&名前)がない"),
    ("found unknown escape character",
     "an unknown backslash escape inside double quotes; write \\\\ for a backslash, or use single quotes",
     "二重引用符の中に不明なエスケープ(\\)がある。\\\\ と書くか、一重引用符で囲む"),
)

_COLON_EN = ("a ':' followed by a space inside a text that is not quoted; put the whole text in quotes "
             "(\"…\")")
_COLON_JA = "引用符で囲まれていない文中に「: 」がある。文全体を引用符(\"…\")で囲む"
_INDENT_EN = "indentation does not line up: this line is indented more than the key above it"
_INDENT_JA = "字下げがそろっていない: この行が上の項目より深く字下げされている"


def _colon_in_text(lines: list[str], line: int, column: int) -> bool:
    """Whether the ':' the parser stopped at sits inside the value of a `key: value` line."""
    if line >= len(lines):
        return False
    before = lines[line][:column]
    return bool(re.match(r"\s*(?:-\s+)?[^\s#'\"][^:#]*:\s+\S", before))


def plain_yaml_error(parser_text: str, lines: list[str], line: int, column: int) -> tuple[str, str]:
    """(English, Japanese) for a YAML parser error at (0-based) line and column, the parser's own words
    kept as a detail."""
    detail_en = f" (YAML parser: {parser_text})"
    detail_ja = f"(YAMLパーサー: {parser_text})"
    if "mapping values are not allowed" in parser_text:
        if _colon_in_text(lines, line, column):
            return _COLON_EN + detail_en, _COLON_JA + detail_ja
        return _INDENT_EN + detail_en, _INDENT_JA + detail_ja
    if line < len(lines) and "\t" in lines[line][: column + 1]:
        en, ja = _PLAIN[0][1], _PLAIN[0][2]
        return en + detail_en, ja + detail_ja
    for words, en, ja in _PLAIN:
        if words in parser_text:
            return en + detail_en, ja + detail_ja
    return f"the YAML cannot be read{detail_en}", f"YAMLとして読み込めない{detail_ja}"


# ------------------------------------------------------------------ did you mean


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The choice a misspelt field name most likely meant (responsable → responsible), or None."""
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.7)
    return found[0] if found else None


# ------------------------------------------------------------------ notes on skipped checks


def skipped_notes(failed: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """One note (English, Japanese) per document that failed to load, given as (id, file): the checks
    that compare other documents with it were skipped, and every other check ran."""
    return tuple((f"{doc} ({file}) could not be loaded, so the checks that compare other documents with it "
                  "were skipped; every other check ran",
                  f"{doc}({file})を読み込めないため、他の文書をこの文書と照合する検査を省略した。その他の検査は実施した")
                 for doc, file in sorted(dict(sorted(set(failed), reverse=True)).items()))


__all__ = ["did_you_mean", "japanese_of", "plain_yaml_error", "skipped_notes"]

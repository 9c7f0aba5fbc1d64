"""Japanese for the English messages of rule-file and vocabulary errors (rule ids, check kinds, options,
filters, templates, regular expressions), so that `--lang ja` explains a broken rule file in Japanese.

Import-light (re only): checker.source.messages.japanese_of consults this table for every InputError.
A message "rule ID: <inner>" is translated as its prefix plus the Japanese of <inner>, recursively, so the
nested forms (rule → check → where → field) need one row each, not one per combination.
"""

from __future__ import annotations

import re

# (pattern over the English message, Japanese template using the pattern's groups); first full match wins.
RULE_JA: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), ja) for p, ja in (
    (r"cannot read rule file: (.*)", r"ルールファイルを読み込めない: \1"),
    (r"cannot read vocabulary: (.*)", r"語彙ファイルを読み込めない: \1"),
    (r"cannot parse vocabulary: (.*)", r"語彙ファイルを解析できない: \1"),
    (r"rule file is ([\d,]+) bytes, over the limit of ([\d,]+)",
     r"ルールファイルが \1 バイトあり、上限 \2 バイトを超える"),
    (r"cannot parse rule file: (.*)", r"ルールファイルを解析できない: \1"),
    (r"no rule files found", "ルールファイル(*.yaml)が見つからない。--rules にルールファイルかそのディレクトリを指定する"),
    (r"no such rule file", "ルールファイルが存在しない。--rules のパスを確かめる"),
    (r"duplicate rule id '(.*)' \(first defined at (.*)\)",
     r"ルールID「\1」が重複している(最初の定義は \2)。IDはルールごとに一意にする"),
    (r"unknown collection '(.*)' \(did you mean '(.*)'\?; valid: (.*)\)",
     r"select の「\1」という対象はない(「\2」の誤りか。使える対象: \3)"),
    (r"unknown collection '(.*)' \(valid: (.*)\)", r"select の「\1」という対象はない(使える対象: \2)"),
    (r"unknown check kind '(.*)' \(did you mean '(.*)'\?; valid: (.*)\)",
     r"check の「\1」という検査の種類はない(「\2」の誤りか。使える種類: \3)"),
    (r"unknown check kind '(.*)' \(valid: (.*)\)", r"check の「\1」という検査の種類はない(使える種類: \2)"),
    (r"check '(.*)' runs on (.*), not '(.*)'",
     r"検査「\1」の対象(select)は \2 のいずれかにする(記載: \3)"),
    (r"invalid or unsupported regular expression '(.*)': (.*)",
     r"正規表現「\1」が誤っているか、RE2 で使えない書き方である(後方参照・先読みなどは使えない)(RE2: \2)"),
    (r"the pattern is empty", "正規表現が空である。探す文字列のパターンを書く"),
    (r"unknown operator '(.*)' \(valid: (.*)\)", r"where の演算子「\1」はない(使える演算子: \2)"),
    (r"'(.*)' takes a list", r"演算子「\1」には値のリストを書く(例 [a, b])"),
    (r"unbalanced '\{' or '\}' \(write '\{\{' or '\}\}' for a literal brace\)",
     "「{」と「}」が対応していない(文字としての波括弧は {{ または }} と書く)"),
    (r"placeholder \{(.*)\} is not a dotted field name",
     r"差し込み {\1} は項目名(例 {item.title})になっていない"),
    (r"pattern '(.*)' needs a named group 'when' or 'year'",
     r"パターン「\1」には名前付きグループ (?P<when>…) または (?P<year>…) が必要"),
    (r"'(.*)' is a text: give a `pattern` that finds its dates",
     r"「\1」は文字列なので、日付を見つける `pattern` を書く"),
    (r"give exactly one of must_match and must_not_match", "must_match と must_not_match のどちらか一方だけを書く"),
    (r"vocabulary '(.*)' has no statuses \(vocabularies with statuses: (.*)\)",
     r"語彙「\1」には statuses がない(statuses を持つ語彙: \2)"),
    (r"extract pattern '(.*)' has no named group 'name' \(write \(\?P<name>…\)\)",
     r"抽出パターン「\1」に名前付きグループ name がない((?P<name>…) と書く)"),
    (r"unknown vocabulary '(.*)' \(did you mean '(.*)'\?; rules/vocabularies/ has: (.*)\)",
     r"語彙「\1」がない(「\2」の誤りか。rules/vocabularies/ にある語彙: \3)"),
    (r"unknown vocabulary '(.*)' \(rules/vocabularies/ has: (.*)\)",
     r"語彙「\1」がない(rules/vocabularies/ にある語彙: \2)"),
    (r"unknown name '(.*)' \(did you mean '(.*)'\?; valid: (.*)\)",
     r"「\1」という名前はない(「\2」の誤りか。使える名前: \3)"),
    (r"unknown name '(.*)' \(valid: (.*)\)", r"「\1」という名前はない(使える名前: \2)"),
    (r"'(.*)' has no field '(.*)' \(did you mean '(.*)'\?; valid: (.*)\)",
     r"「\1」に項目「\2」はない(「\3」の誤りか。使える項目: \4)"),
    (r"'(.*)' has no field '(.*)' \(valid: (.*)\)", r"「\1」に項目「\2」はない(使える項目: \3)"),
    (r"(rules\[\d+\]\.id): write the id in lowercase letters .* \(got (.*)\)",
     r"\1: ルールIDは英小文字 a-z・数字と語の間の「-」で書き、英小文字で始める(例 kpi-unit-missing)(記載: \2)"),
    (r"a vocabulary needs `organizations:` or `statuses:` \(a list of entries\)",
     "語彙ファイルには `organizations:` か `statuses:`(項目のリスト)を書く"),
))

# "<prefix>: <inner>" forms whose inner text is itself a message: (pattern with a group `inner`, Japanese
# lead, Japanese tail), both templates over the pattern's groups.
NESTED: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p, re.S), lead, tail) for p, lead, tail in (
    (r"rule ([^:\s]+): (?P<inner>.*)", r"ルール \1: ", ""),
    (r"check '([^']*)': (?P<inner>.*) \(options: (.*)\)", r"検査「\1」: ", r"(使えるオプション: \3)"),
    (r"(where [^:]+): (?P<inner>.*)", r"\1: ", ""),
    (r"((?:field|text|key) '[^']*'): (?P<inner>.*)", r"\1: ", ""),
    (r"placeholder (\{[^}]*\}): (?P<inner>.*)", r"差し込み \1: ", ""),
    (r"((?:message|title|hint)\.(?:ja|en)): (?P<inner>.*)", r"\1: ", ""),
))


__all__ = ["NESTED", "RULE_JA"]

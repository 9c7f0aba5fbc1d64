"""Files saved in the wrong encoding: Shift_JIS/CP932 from Excel, UTF-16 from Windows tools, damaged UTF-8.

Each names the likely encoding and how to convert it (or, for damaged UTF-8, the line:column of the
first bad byte, counted in characters like every other column); UTF-8 with a BOM is read normally.
"""

from __future__ import annotations

import codecs

import pytest

from tests.helpers.hostile import (
    GOOD_DOC,
    assert_good_still_checked,
    assert_no_traceback,
    check_bad_file,
    lint,
    write_corpus,
)

# A document with Japanese text (as Excel users write it) whose responsible list is empty: the same
# finding as GOOD_DOC, so that a file that *is* read shows its finding.
JAPANESE = """\
document: {id: excel, kind: roadmap, title: 経済・財政再生計画 改革工程表, revision: 2016}
reform_items:
  - number: 15
    title: (地方)業務の簡素化・標準化、自治体クラウドの積極的展開
    responsible: []
"""
CONVERT_CP932 = "iconv -f CP932 -t UTF-8"


def _column_of_first_non_ascii(text: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        for c, ch in enumerate(line, 1):
            if ord(ch) > 0x7F:
                return n, c
    raise AssertionError("no non-ASCII character")


@pytest.mark.parametrize("codec", ["shift_jis", "cp932"])
def test_shift_jis_names_the_encoding_and_the_conversion(tmp_path, codec):
    text = JAPANESE + ("    # ①②③ NEC特殊文字\n" if codec == "cp932" else "")
    line, column = _column_of_first_non_ascii(text)
    error = check_bad_file(tmp_path, "excel.yaml", text.encode(codec), "looks like Shift_JIS/CP932", line, column)
    assert CONVERT_CP932 in error["message"] and "save it as \"UTF-8\"" in error["message"]


@pytest.mark.parametrize(("codec", "bom", "named"), [
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    ("utf-16-le", b"", "UTF-16LE"),
    ("utf-16-be", b"", "UTF-16BE"),
], ids=["le-bom", "be-bom", "le", "be"])
def test_utf16_names_the_encoding_and_the_conversion(tmp_path, codec, bom, named):
    error = check_bad_file(tmp_path, "utf16.yaml", bom + JAPANESE.encode(codec), f"looks like {named}, not UTF-8",
                           1, 1)
    assert f"iconv -f {named} -t UTF-8" in error["message"]


def test_utf8_with_bom_is_read_normally(tmp_path):
    directory = write_corpus(tmp_path / "c", {"bom.yaml": codecs.BOM_UTF8 + JAPANESE.encode("utf-8")})
    run = lint(str(directory))
    assert_no_traceback(run)
    assert run.exit_code == 1 and run.input_errors() == []
    assert_good_still_checked(run)
    bom = [f for f in run.findings("reform-item-responsible-missing") if f["location"]["file"].endswith("bom.yaml")]
    # The BOM is not a character of line 1: positions are those of the text without it.
    assert [(f["location"]["line"], f["location"]["column"]) for f in bom] == [(5, 18)]


@pytest.mark.parametrize(("raw", "line", "column", "byte"), [
    (b"document:\n  id: ab\xc3\x28c\n", 2, 9, "0xc3"),               # a truncated 2-byte sequence
    (b"document:\n  id: x\n  title: \xe6\x97\xa5\xe6\x9c\xac\xff\n", 3, 12, "0xff"),  # after 日本: characters, not bytes
    (codecs.BOM_UTF8 + b"title: ab\xfe\n", 1, 10, "0xfe"),          # after a BOM: the BOM is not counted
    ("a: 日本".encode() + b"\xed\xa0\x80\n", 1, 6, "0xed"),               # an encoded surrogate
    (b"a: \xc0\xaf\n", 1, 4, "0xc0"),                                 # an overlong encoding of '/'
])
def test_invalid_utf8_gives_line_and_column_of_the_first_bad_byte(tmp_path, raw, line, column, byte):
    error = check_bad_file(tmp_path, "damaged.yaml", raw, f"first bad byte {byte} at line {line}, column {column}",
                           line, column)
    assert "not valid UTF-8" in error["message"]


def test_stray_half_width_kana_byte_is_not_called_shift_jis(tmp_path):
    """A lone 0xB1 decodes as ｱ in CP932 but is far likelier a damaged UTF-8 file than a Shift_JIS one."""
    error = check_bad_file(tmp_path, "stray.yaml", GOOD_DOC.encode().replace(b"good", b"go\xb1d"),
                           "not valid UTF-8", 1, 18)
    assert "Shift_JIS" not in error["message"]

"""Decode file bytes as UTF-8 (BOM allowed); name the likely encoding when they are not."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class DecodeFailure:
    """Why bytes could not be read as UTF-8, and where the first bad byte sits (1-based)."""

    message: str
    line: int = 1
    column: int = 1


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    head = raw[:offset]
    line = head.count(b"\n") + 1
    # Columns count characters, as the YAML marks of every other message do; the bytes before the
    # first bad one are valid UTF-8 by definition.
    column = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return line, column


def _looks_cp932(raw: bytes, offset: int) -> bool:
    """Shift_JIS/CP932 rather than damaged UTF-8: decodes as CP932, to Japanese beyond half-width kana."""
    if any(b >= 0x80 for b in raw[:offset]):
        return False  # valid multi-byte UTF-8 before the first bad byte: a UTF-8 file with a damaged byte
    if b"\x00" in raw:
        return False  # text in Shift_JIS has no NUL bytes; binary data (images, archives) does
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return False
    # Nearly any stray byte in 0xA1–0xDF decodes as half-width katakana, and 0xFD–0xFF as private-use
    # characters; real Excel output has kana, kanji or full-width forms.
    return any(0x3000 <= ord(c) <= 0x30FF or 0x4E00 <= ord(c) <= 0x9FFF or 0xFF01 <= ord(c) <= 0xFF5E
               for c in text)


def _looks_utf16(raw: bytes) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = raw[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        # ASCII-heavy UTF-16 text has a NUL in every other byte.
        if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
            return "UTF-16LE"
        if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
            return "UTF-16BE"
    return None


def decode_bytes(raw: bytes) -> str | DecodeFailure:
    """Return the text of a UTF-8 file (a leading BOM is dropped) or a DecodeFailure that says why."""
    utf16 = _looks_utf16(raw)
    if utf16:
        return DecodeFailure(f"the file looks like {utf16}, not UTF-8; convert it, for example: "
                             f"iconv -f {utf16} -t UTF-8 FILE > FILE.utf8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc.object is what the codec saw: without the BOM, so offsets are relative to it.
        body, start = exc.object, exc.start
        line, column = _position(body, start)
        where = f"first bad byte 0x{body[start]:02x} at line {line}, column {column}"
        if _looks_cp932(body, start):
            message = ("the file is not UTF-8; it looks like Shift_JIS/CP932 (Excel's default for Japanese) "
                       f"({where}); convert it, for example: iconv -f CP932 -t UTF-8 FILE > FILE.utf8, "
                       "or save it as \"UTF-8\" from Excel or your editor")
        else:
            message = f"the file is not valid UTF-8 ({where}): a damaged file, binary data or another encoding"
        return DecodeFailure(message, line, column)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return DecodeFailure("the file contains NUL bytes (binary data?); YAML text cannot", line, column)
    return text

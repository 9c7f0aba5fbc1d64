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
    column = offset - (head.rfind(b"\n") + 1) + 1
    return line, column


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
        line, column = _position(raw, exc.start)
        try:
            raw.decode("cp932")
        except UnicodeDecodeError:
            hint = "the file is not valid UTF-8 (binary data or a broken encoding)"
        else:
            hint = ("the file is not UTF-8; it looks like Shift_JIS/CP932 (Excel's default); convert it, "
                    "for example: iconv -f CP932 -t UTF-8 FILE > FILE.utf8")
        return DecodeFailure(f"{hint} (first bad byte 0x{raw[exc.start]:02x})", line, column)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return DecodeFailure("the file contains NUL bytes (binary data?); YAML text cannot", line, column)
    return text

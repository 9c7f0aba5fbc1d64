"""Typed fields as editors write them: 和暦 and slashed dates, full-width digits; anything else is refused
with what to write instead.

Used as pydantic BeforeValidators by checker.domain.model, so a value is normalised where it is
validated and keeps the path, hence the source span, it was written at.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

# First year (西暦) of each era: 元年 is year 1.
ERAS: dict[str, int] = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_ERA_LETTERS: dict[str, str] = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

DATE_HINT = "write the date as YYYY-MM-DD (e.g. 2017-04-01), 2017/4/1, 2017年4月1日 or 平成29年4月1日"
NUMBER_HINT = "write a number in half-width digits (半角数字), e.g. 1"

_ERA_DATE = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?")
_WESTERN = re.compile(r"(\d{4})\s*(?:年|/|-|\.)\s*(\d{1,2})\s*(?:月|/|-|\.)\s*(\d{1,2})\s*日?")


def _nfkc(text: str) -> str:
    # NFKC folds full-width digits and letters (２０１７／４／１) and the era ligatures (㍻ → 平成).
    return unicodedata.normalize("NFKC", text).strip()


def parse_date_text(text: str) -> dt.date | None:
    """A date written as 2017-04-01, 2017/4/1, 2017年4月1日, 平成29年4月1日, 令和元年5月1日 or H29.4.1."""
    s = _nfkc(text)
    m = _ERA_DATE.fullmatch(s)
    if m:
        era = _ERA_LETTERS.get(m.group(1), m.group(1))
        year = ERAS[era] - 1 + (1 if m.group(2) == "元" else int(m.group(2)))
        month, day = int(m.group(3)), int(m.group(4))
    else:
        m = _WESTERN.fullmatch(s)
        if not m:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def to_date(value: Any) -> Any:
    """BeforeValidator for dates: text in any accepted form becomes a date; other text is refused."""
    if isinstance(value, str):
        found = parse_date_text(value)
        if found is None:
            raise ValueError(DATE_HINT)
        return found
    return value


def _number_text(value: str) -> str | None:
    s = _nfkc(value).replace(",", "")
    return s if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s) else None


def to_int(value: Any) -> Any:
    """BeforeValidator for whole numbers: full-width digits (１, ２０１７) are read as half-width ones."""
    if isinstance(value, str):
        s = _number_text(value)
        if s is None or "." in s:
            raise ValueError(NUMBER_HINT)
        return int(s)
    return value


def to_float(value: Any) -> Any:
    """BeforeValidator for numbers: full-width digits and thousands commas (１，０００) are read."""
    if isinstance(value, str):
        s = _number_text(value)
        if s is None:
            raise ValueError(NUMBER_HINT)
        return float(s)
    return value


def to_int_list(value: Any) -> Any:
    """BeforeValidator for lists of years: each written number is read like `to_int`."""
    if isinstance(value, list):
        return [to_int(v) if isinstance(v, str) else v for v in value]
    return value


__all__ = ["DATE_HINT", "ERAS", "NUMBER_HINT", "parse_date_text", "to_date", "to_float", "to_int", "to_int_list"]

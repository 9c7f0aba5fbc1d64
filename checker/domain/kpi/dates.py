"""Years, months and periods in KPI text (after 和暦 → 西暦), and the deadline each one gives.

年度 is a fiscal year (April–March): 2024年度, 2024年度末 and 2024年度中 are due on 2025-03-31, 2024年度上半期
on 2024-09-30. 年 is a calendar year: 2024年 and 2024年末 are due on 2024-12-31, 2024年上半期 on 2024-06-30.
"""

from __future__ import annotations

import datetime as dt
import re

from checker.domain.model import Deadline
from checker.domain.normalize import fiscal_year_of, month_end

# 集中改革期間 (docs/domain.md, "Years and dates"): a target due "集中改革期間中に" is due by the end of FY2018.
REFORM_PERIOD_LAST_FY = 2018

_HALF = r"上半期|下半期|前半|後半|上期|下期"
# One time expression. Groups: y (year), fy (年度 or not), m/d (a month or day), half, period.
TIME = re.compile(
    r"(?P<period>集中改革期間)(?:中|末|内)?"
    r"|(?P<y>\d{4})\s*(?:"
    rf"(?P<fy>年度)(?:末|中|内|当初)?(?P<fyhalf>{_HALF})?(?:末|中)?"
    r"|年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?(?:末|中|頃)?"
    rf"|年(?:末|中|内)?(?P<half>{_HALF})?(?:末|中)?"
    r"|(?=\s*:))"  # a bare year before a colon (2024:80%)
)
# What may follow a time expression when it is the deadline of a target.
DEADLINE_TAIL = re.compile(r"\s*(?:まで(?:に|で)?|迄に?|に(?:は|おいて)?|時点で?|で|:)?")


def deadline_of(m: re.Match[str], text: str | None = None) -> Deadline | None:
    """The deadline a TIME match gives (`text`: its words, default the match); None for 2024年13月."""
    text = text or m[0]
    if m["period"]:
        return Deadline(fiscal_year=REFORM_PERIOD_LAST_FY, text=text)
    year = int(m["y"])
    try:
        if m["fy"]:
            if m["fyhalf"] in ("上半期", "前半", "上期"):
                return Deadline(fiscal_year=year, date=dt.date(year, 9, 30), text=text)
            return Deadline(fiscal_year=year, text=text)
        if m["m"]:
            date = dt.date(year, int(m["m"]), int(m["d"])) if m["d"] else month_end(year, int(m["m"]))
        elif m["half"] in ("上半期", "前半", "上期"):
            date = dt.date(year, 6, 30)
        else:  # a calendar year, or its second half: due by 31 December
            date = dt.date(year, 12, 31)
    except ValueError:
        return None
    return Deadline(fiscal_year=fiscal_year_of(date), date=date, text=text)


def year_of(m: re.Match[str]) -> int:
    """The fiscal year a TIME match names, for a baseline or a reference year (2016年4月1日 → 2016,
    2017年3月 → 2016, 2016年度 and 2016年 → 2016)."""
    if m["period"]:
        return REFORM_PERIOD_LAST_FY
    year = int(m["y"])
    return year - 1 if m["m"] and 1 <= int(m["m"]) <= 3 else year


def due(deadline: Deadline | None) -> dt.date | None:
    """The last day a deadline allows (Deadline.last_day); None when there is none or it is not set."""
    return deadline.last_day if deadline is not None else None

"""Document ids from the kind, the edition and the policy area: kaikaku-2016-it, progress-2017-local."""

from __future__ import annotations

import hashlib
import re

# Policy areas (分野) and key issues (重要課題) of the 経済・財政再生計画 → the short names ids use. The
# first pattern that matches wins, so the narrower ones come first.
_SLUGS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), s) for p, s in (
    (r"地方交付税|地方の財政|地方財政|地方行財政", "local"),
    (r"IT化|ＩＴ化|業務改革|行政改革", "it"),
    (r"社会保障|医療|介護|年金", "social-security"),
    (r"社会資本|インフラ", "infrastructure"),
    (r"文教|教育", "education"),
    (r"科学技術|研究開発", "science"),
    (r"外交|安全保障|防衛", "defense"),
    (r"歳出|予算", "budget"),
))
PREFIX = {"roadmap": "kaikaku", "progress_report": "progress", "kpi_status": "kpi-status"}
_ID_PARTS = re.compile(r"^[a-z-]+?-(\d{4})-(.+)$")


def slug_of(text: str | None) -> str | None:
    """The short name of a policy area or key issue; None when no known area matches."""
    if not text:
        return None
    for pattern, slug in _SLUGS:
        if pattern.search(text):
            return slug
    return None


def fallback_slug(text: str | None) -> str:
    """A stable short name for an unknown area: a digest of its text (users rename with --id)."""
    return "area-" + hashlib.sha1((text or "").encode("utf-8")).hexdigest()[:6]


def make_id(kind: str, year: int | None, slug: str) -> str:
    return "-".join(p for p in (PREFIX[kind], str(year) if year else "", slug) if p)


def parts_of(doc_id: str) -> tuple[int | None, str | None]:
    """kaikaku-2016-it → (2016, "it"); (None, None) for an id of another shape."""
    m = _ID_PARTS.match(doc_id)
    return (int(m.group(1)), m.group(2)) if m else (None, None)

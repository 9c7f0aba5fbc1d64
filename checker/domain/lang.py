"""The one way code picks a text in the report's language: `in_lang(lang, en, ja)`."""

from __future__ import annotations

LANGS = ("ja", "en")


def in_lang(lang: str, en: str, ja: str) -> str:
    """`ja` when `lang` is "ja", else `en`; when that one is empty, the other.

    Every message, title, hint and label of a report goes through here, so that a text written in
    one language only still shows, and no two formatters decide differently.
    """
    if lang == "ja":
        return ja or en
    return en or ja


__all__ = ["LANGS", "in_lang"]

"""Which rules a run keeps under --select and --ignore: one test, used by the API and the engine alike."""

from __future__ import annotations

from collections.abc import Collection


def wanted(rule_id: str, select: Collection[str] = (), ignore: Collection[str] = ()) -> bool:
    """Whether a rule runs: named by `select` (or `select` is empty) and not named by `ignore`."""
    return (not select or rule_id in select) and rule_id not in ignore


def unknown_ids(ids: Collection[str], known: Collection[str], flag: str) -> tuple[str, str] | None:
    """What to say (English, Japanese) of the ids in `ids` that no rule has, with the closest known ids;
    None when every id is known. `flag` says where they were given (--select, or file:line: select)."""
    unknown = sorted(set(ids) - set(known))
    if not unknown:
        return None
    import difflib  # only on a bad id: start-up time

    close = sorted({c for u in unknown for c in difflib.get_close_matches(u, sorted(known), n=1)})
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    hint_ja = f"。{'、'.join(close)} のことですか?" if close else ""
    return (f"{flag}: unknown rule id(s): {', '.join(unknown)}{hint} (see `roadmap-check rules list`)",
            f"{flag}: 不明なルール ID: {'、'.join(unknown)}{hint_ja}(一覧は `roadmap-check rules list`)")


__all__ = ["unknown_ids", "wanted"]

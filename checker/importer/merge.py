"""Several extractions of one document → one: cells matched by text, the majority reading kept."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from checker.importer.grid import Imported, P

# Two cells are the same cell read twice when their texts (NFKC, no spaces) are this similar, or differ by
# one character (short cells: 見直し/見直す scores 88); measured on the seed: re-extractions score 93-100
# (まとめ/取りまとめ 97), the nearest other cell of the item 71.
SAME_CELL = 90
_GUESS_NOTE = re.compile(r" \(GUESS: [^)]*\)")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lstrip("・○●")


def _match(target: str, candidates: list[dict[str, Any]], used: set[int], key: str) -> dict[str, Any] | None:
    best, best_score = None, 0.0
    mine = norm(target)
    for cand in candidates:
        if id(cand) in used:
            continue
        theirs = norm(cand[key].value)
        score = fuzz.ratio(mine, theirs)
        if (score >= SAME_CELL or Levenshtein.distance(mine, theirs) <= 1) and score > best_score:
            best, best_score = cand, score
    return best


def _vote(entry: dict[str, Any], key: str, guesses: list[str]) -> None:
    readings: list[P] = [entry[key], *entry.pop("_votes", [])]
    counts = Counter(r.value for r in readings)
    if len(counts) == 1:
        wheres = list(dict.fromkeys(r.where for r in readings))
        if any("GUESS" not in w for w in wheres):  # one extraction read it for certain
            wheres = [_GUESS_NOTE.sub("", w) for w in wheres]
        entry[key] = P(readings[0].value, "; ".join(wheres))
        return
    top = max(counts.values())
    winner = next(r.value for r in readings if counts[r.value] == top)
    entry[key] = P(winner, "; ".join(r.where for r in readings if r.value == winner) + " (GUESS: majority reading)")
    others = "; ".join(f"{r.where} reads 「{r.value}」" for r in readings if r.value != winner)
    guesses.append(f"extractions differ: kept 「{winner}」 ({counts[winner]} of {len(readings)} readings); {others}")


def _merge_list(base: list[dict[str, Any]], other: list[dict[str, Any]], key: str, rank: int) -> None:
    used: set[int] = set()
    for entry in other:
        found = _match(entry[key].value, base, used, key)
        if found is None:
            entry["_rank"] = rank
            base.append(entry)
            used.add(id(entry))
        else:
            used.add(id(found))
            found.setdefault("_votes", []).append(entry[key])


def merge(docs: list[Imported]) -> Imported:
    """The first extraction is the base; the others add cells it lacks and vote on every text."""
    base = docs[0]
    if len(docs) == 1:
        return base
    items = {i["number"].value: i for i in base.data["reform_items"]}
    for rank, other in enumerate(docs[1:], 1):
        for item in other.data["reform_items"]:
            mine = items.get(item["number"].value)
            if mine is None:
                base.data["reform_items"].append(item)
                items[item["number"].value] = item
                continue
            _merge_list(mine["schedule"], item["schedule"], "text", rank)
            _merge_list(mine["kpis"], item["kpis"], "text", rank)
            if not mine["responsible"]:
                mine["responsible"] = item["responsible"]
        base.sources.extend(other.sources)
        base.notes.extend(other.notes)
        base.guesses.extend(g for g in other.guesses if not g.startswith("extractions differ"))
    for item in base.data["reform_items"]:
        for entry in item["schedule"] + item["kpis"]:
            _vote(entry, "text", base.guesses)
    meta = base.data["document"]
    meta["source"] = P("; ".join(d.data["document"]["source"].value for d in docs),
                       "; ".join(d.data["document"]["source"].where for d in docs))
    base.notes.append(f"{len(docs)} extractions of this document merged: "
                      + ", ".join(d.data["document"]["source"].value for d in docs))
    return base


def finish_roadmap(doc: Imported) -> None:
    """Order schedule cells column by column (then by extraction and position), number them s1…, and
    move the guesses of the cells that remain into the document's list."""
    for item in doc.data["reform_items"]:
        item["schedule"].sort(key=lambda s: (min(s["fiscal_years"].value or [9999]), s.get("_rank", 0),
                                             s["_col"], s["_top"]))
        for n, entry in enumerate(item["schedule"], 1):
            for g in entry.pop("_guess", []):
                doc.guesses.append(g)
            for k in [k for k in entry if k.startswith("_")]:
                del entry[k]
            entry_id = P(f"s{n}", entry["text"].where)
            rest = {k: entry.pop(k) for k in list(entry)}
            entry.update({"id": entry_id, **rest})
        for kpi in item["kpis"]:
            for k in [k for k in kpi if k.startswith("_")]:
                del kpi[k]

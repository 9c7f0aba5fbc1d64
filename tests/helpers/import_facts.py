"""Content facts of roadmap documents, to compare an import with the documents it came from."""

from __future__ import annotations

from collections import Counter
from typing import Any

KINDS = ("schedule", "kpis", "responsible", "claims", "statements", "status_rows")


def facts(doc: dict[str, Any]) -> dict[str, Counter]:
    """Kind of fact → multiset of facts of one document (as plain data)."""
    out: dict[str, Counter] = {k: Counter() for k in KINDS}
    kind = doc["document"]["kind"]
    for item in doc.get("reform_items", []):
        n = item["number"]
        if kind == "roadmap":
            out["responsible"].update((n, r) for r in item.get("responsible", []))
            out["schedule"].update((n, s["text"], tuple(s.get("fiscal_years", []))) for s in item.get("schedule", []))
            out["kpis"].update((n, k["tier"], k["text"]) for k in item.get("kpis", []))
        elif kind == "progress_report":
            for e in item.get("entries", []):
                out["claims"][(n, e["schedule_item"])] += 1
                for part in ("progress", "next_steps"):
                    out["statements"].update((n, part, s.get("ministry"), s["text"], s.get("status"))
                                             for s in e.get(part, []))
        else:
            out["status_rows"].update(
                (n, k["tier"], k["name"], k["target"], (k.get("actual") or {}).get("text"),
                 str((k.get("actual") or {}).get("as_of")), k.get("category"), k.get("next"))
                for k in item.get("kpis", []))
    return out


def agreement(expected: dict[str, dict], got: dict[str, dict]) -> dict[str, tuple[int, int, list]]:
    """Per kind: (facts agreeing, facts in either, differences) over documents matched by id."""
    result: dict[str, tuple[int, int, list]] = {}
    for kind in KINDS:
        same = total = 0
        diffs: list = []
        for doc_id in sorted(set(expected) | set(got)):
            want = facts(expected[doc_id])[kind] if doc_id in expected else Counter()
            have = facts(got[doc_id])[kind] if doc_id in got else Counter()
            common = want & have
            same += sum(common.values())
            total += max(sum(want.values()), sum(have.values()))
            diffs += [(doc_id, "only in expected", f) for f in (want - have).elements()]
            diffs += [(doc_id, "only in import", f) for f in (have - want).elements()]
        result[kind] = (same, total, diffs)
    return result

"""Documents of one import, tied together: ids, re-listings, supersedes, reports_on, covers."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rapidfuzz import fuzz

from checker.importer import ids
from checker.importer.grid import Imported, P
from checker.importer.merge import finish_roadmap, merge, norm

# A review is tied to the roadmap its rows quote best; a lead of less than this over the runner-up (mean
# similarity, 0-100) is reported as a guess. On the seed the right roadmap leads by 9-25.
CLEAR_LEAD = 5.0


def _kpi_name(text: str) -> str:
    name = re.split(r"[【]", text)[0]
    return norm(re.sub(r"[(（【]再掲[)）】]", "", name))


def _texts(doc: Imported, kind: str) -> list[str]:
    items = doc.data["reform_items"]
    if kind == "progress_report":
        return [norm(s["text"].value) for i in items for s in i["schedule"]]
    return [_kpi_name(k["text"].value) for i in items for k in i["kpis"]]


def _score(review: Imported, roadmap: Imported) -> float:
    items = review.data["reform_items"]
    if review.kind == "progress_report":
        claims = [norm(e["schedule_item"].value) for i in items for e in i["entries"]]
    else:
        claims = [_kpi_name(k["name"].value) for i in items for k in k_list(i)]
    targets = _texts(roadmap, review.kind)
    if not claims or not targets:
        return 0.0
    total = 0.0
    for claim in claims:
        total += max(max(fuzz.ratio(claim, t), 0.9 * fuzz.partial_ratio(claim, t)) for t in targets)
    score = total / len(claims)
    if review.kind == "kpi_status":
        marked = sum("再掲" in k["name"].value for i in items for k in k_list(i))
        score += 10 if (2 * marked >= len(claims)) == roadmap.relisting else -10
    return score


def k_list(item: dict[str, Any]) -> list[dict[str, Any]]:
    return item.get("kpis", [])


def link_roadmaps(docs: list[Imported]) -> list[Imported]:
    """Give each roadmap its id, merge extractions of the same one, and set supersedes."""
    groups: dict[str, list[Imported]] = defaultdict(list)
    for doc in docs:
        meta = doc.data["document"]
        area = meta.get("area")
        slug = ids.slug_of(area.value if area else None)
        if doc.relisting:
            relisted = ids.slug_of(meta["key_issue"].value) if "key_issue" in meta else None
            slug = relisted if relisted and relisted != slug else f"{slug or 'area'}-relisted"
        if slug is None:
            slug = ids.fallback_slug(area.value if area else None)
            doc.guesses.append(f"no known policy area in 「{area.value if area else ''}」; id uses {slug} "
                               "(name it with --id)")
        doc.area_slug = slug
        revision = meta.get("revision")
        groups[ids.make_id("roadmap", revision.value if revision else None, slug)].append(doc)
    out = []
    for doc_id, group in groups.items():
        doc = merge(group)
        finish_roadmap(doc)
        doc.data["document"] = {"id": P(doc_id, "title, edition and area"), **doc.data["document"]}
        out.append(doc)
    for doc in out:
        meta = doc.data["document"]
        rev = meta.get("revision")
        earlier = [d for d in out if d.area_slug == doc.area_slug and d.relisting == doc.relisting and rev
                   and d.data["document"].get("revision") and d.data["document"]["revision"].value < rev.value]
        if earlier:
            prev = max(earlier, key=lambda d: d.data["document"]["revision"].value)
            _insert_after(meta, "revision", "supersedes",
                          P(prev.data["document"]["id"].value, "the earlier edition of this area in this import"))
    return out


def _insert_after(meta: dict[str, Any], after: str, key: str, value: P) -> None:
    items = list(meta.items())
    pos = next((i + 1 for i, (k, _) in enumerate(items) if k == after), len(items))
    items.insert(pos, (key, value))
    meta.clear()
    meta.update(items)


def link_review(doc: Imported, roadmaps: list[Imported], reports_on: str | None) -> None:
    """reports_on (given, or the roadmap its rows quote best), revision, covers and the id."""
    meta = doc.data["document"]
    target: Imported | None = None
    if reports_on:
        ref = P(reports_on, "--reports-on")
        target = next((r for r in roadmaps if r.data["document"]["id"].value == reports_on), None)
    elif roadmaps:
        scored = sorted(((_score(doc, r), r) for r in roadmaps), key=lambda t: (-t[0], -_revision(t[1])))
        best, target = scored[0]
        ref = P(target.data["document"]["id"].value, f"the roadmap its rows quote best ({best:.0f}/100)")
        runner = next((s for s, r in scored[1:] if r.area_slug != target.area_slug), 0.0)
        if best - runner < CLEAR_LEAD:
            ref = ref._replace(where=f"{ref.where} (GUESS)")
            doc.guesses.append(f"reports_on {ref.value}: its rows match it ({best:.0f}/100) hardly better than "
                               f"the next roadmap ({runner:.0f}/100); give --reports-on")
    else:
        ref = None
        doc.guesses.append("no roadmap in this import and no --reports-on: reports_on left unset")
    revision, slug = ids.parts_of(ref.value) if ref else (None, None)
    if target is not None:
        rev = target.data["document"].get("revision")
        revision, slug = (rev.value if rev else revision), target.area_slug
    if slug is None:
        issue = meta.get("key_issue")
        slug = ids.slug_of(issue.value if issue else None) or ids.fallback_slug(issue.value if issue else None)
    covers = _covers(doc, revision)
    new: dict[str, Any] = {"id": P(ids.make_id(doc.kind, covers.value if covers else None, slug),
                                   "kind, the year it covers and the area of the roadmap it reports on")}
    new.update({k: meta[k] for k in ("kind", "title")})
    if revision:
        new["revision"] = P(revision, "the edition of the roadmap it reports on")
    if ref:
        new["reports_on"] = ref
    new.update({k: v for k, v in meta.items() if k not in new and k != "source"})
    if covers:
        new["covers"] = P({"first": covers.value, "last": covers.value}, covers.where)
    new["source"] = meta["source"]
    doc.data["document"] = new


def _revision(doc: Imported) -> int:
    rev = doc.data["document"].get("revision")
    return rev.value if rev else 0


def _covers(doc: Imported, revision: int | None) -> P | None:
    dates = [k["actual"].value["as_of"] for i in doc.data["reform_items"] for k in k_list(i)
             if "actual" in k and "as_of" in k["actual"].value]
    if dates:
        latest = max(dates)
        return P(latest.year if latest.month >= 4 else latest.year - 1, "the fiscal year of its latest 実績値")
    if revision:
        doc.guesses.append(f"covers FY{revision + 1}: taken as the year after the {revision} edition it reports on")
        return P(revision + 1, "the year after the edition it reports on (GUESS)")
    return None

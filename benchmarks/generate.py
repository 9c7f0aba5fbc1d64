"""Deterministic synthetic corpus of roadmaps, progress reports and KPI status tables, sized in schedule cells.

The documents have the shape of the real ones (roadmaps/*.yaml): reform items of about twenty schedule
cells and three KPIs, Japanese text of the real lengths, several revisions of each policy area, one
progress report and one KPI status table per roadmap. Defects are injected at fixed rates so that every
rule family does real work: missing ministries, withheld deadlines, ex-post KPIs without targets, count
drifts (全国で54グループ vs 56グループ), near-miss and unmatched progress claims, wrong 倍増 arithmetic,
区分 that contradict the data, unknown organisation names and overdue promises.

    python benchmarks/generate.py --cells 10000 --profile normal --out benchmarks/out/10k --seed 0

Profile `one-large-item` puts half the cells (at most 8,000) into one reform item with one progress
claim per cell (5,000 cells and 5,000 claims at --cells 10000), which exposes any all-pairs matching.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

CELLS_PER_FILE = 1000
LARGE_ITEM_MAX = 8_000
"""Cap of the one large item: its progress report stays under the loader's default node limit."""
REVISIONS = (2015, 2016, 2017, 2018)
MINISTRIES = ("総務省", "内閣府", "財務省", "厚生労働省", "文部科学省", "国土交通省", "経済産業省", "IT室")
LONG_NAMES = {"総務省": "総務省地域力創造グループ", "IT室": "内閣官房 情報通信技術(IT)総合戦略室",
              "内閣府": "内閣府政策統括官(経済財政運営担当)", "財務省": "財務省主計局"}
UNKNOWN_ORGS = ("地域力推進本部", "庁室", "行政刷新会議事務局")
ACTORS = ("自治体", "都道府県", "市町村", "地方公共団体", "国・地方IT化・BPR推進チーム", "関係府省", "民間事業者",
          "複数団体", "小規模団体", "指定都市")
TOPICS = ("自治体クラウド", "情報システム運用コスト", "マイナンバー制度を活用した業務", "窓口業務の民間委託",
          "公共施設等総合管理計画", "地方公会計の整備", "業務改革モデルプロジェクト", "行政手続のオンライン化",
          "庁内システム", "標準仕様書", "公営企業の経営戦略", "医療費適正化計画", "後発医薬品の使用促進",
          "介護予防の取組", "公立病院改革プラン", "固定資産台帳", "統一的な基準による財務書類", "PPP/PFIの導入",
          "地方税の電子申告", "住民情報システムの標準化", "学校施設の長寿命化計画", "上下水道事業の広域化",
          "電子調達システム", "社会保障・税番号制度", "国保の保険者努力支援制度", "ICTを活用した業務効率化",
          "トップランナー方式", "行政サービスのデジタル化", "市町村間の広域連携", "地域医療構想",
          "重点課題対応分", "地方創生推進交付金", "インフラ長寿命化計画", "公的統計の整備", "歳出効率化の成果",
          "都道府県官民データ活用推進計画", "クラウド化業務範囲", "経費の削減方策", "業務プロセスの見直し",
          "共同利用型システム")
ACTIONS = ("について深掘り・分析し、その結果を整理・類型化", "の導入を、地方交付税措置により重点的に支援",
           "に関する調査・研究を実施", "の試算・公表", "の取組状況を把握・検証", "の先進事例を全国に横展開",
           "に向けた方策を検討し、結論を得る", "の具体的な検討を働きかけ", "に関するガイドラインを策定・周知",
           "の実装の詳細を把握・検証", "の成果の測定方法の検討・結果の公表", "を通じた業務の簡素化・標準化の推進",
           "の現状・課題等についてヒアリング", "の進捗状況を毎年度フォローアップ", "の見える化を推進",
           "の導入を要請", "に係る制度の改正を検討", "について助言・情報提供等を実施", "の普及促進を徹底",
           "の要因の検証を踏まえ、一層推進", "の算出・公表", "に対する財政支援を継続", "の工程を具体化",
           "の効果を検証し、必要に応じて見直し", "の取組を支援するよう働きかけ")
TAILS = ("", "", "", "し、普及促進を徹底", "し、助言を実施", "するとともに、結果を公表", "し、必要な措置を講ずる",
         "し、2018年度までに結論を得る", "し、自治体に対し具体的に分かりやすく提供", "し、進捗を点検")
UNITS = ("団体", "件", "%", "市町村", "グループ", "事業")
STATUSES = ("順調", "順調", "順調", "遅れ", "実施済")


@dataclass
class Item:
    """One generated reform item of one revision (its cells carry forward, altered, to the next)."""

    number: int
    title: str
    responsible: list[str]
    cells: list[tuple[str, int]]  # (text, fiscal year)
    groups: int  # the 全国でNNグループ count this item's texts quote
    kpi_base: int


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _cell_text(rng: random.Random, groups: int) -> str:
    text = f"{rng.choice(ACTORS)}における{rng.choice(TOPICS)}{rng.choice(ACTIONS)}{rng.choice(TAILS)}"
    r = rng.random()
    if r < 0.06:
        text = f"○{rng.choice(TOPICS)}の取組事例(全国で{groups}グループ)について、{text}"
    elif r < 0.12:
        text = "・" + text
    elif r < 0.15:
        text = "改革期間を通じ、同様の取組を実施"
    return text


def _make_item(rng: random.Random, number: int, n_cells: int, first_fy: int) -> Item:
    responsible = [LONG_NAMES.get(m, m) for m in rng.sample(MINISTRIES, rng.choice((1, 1, 2)))]
    groups = rng.randint(30, 80)
    cells = [(_cell_text(rng, groups), first_fy + min(4, j * 5 // max(1, n_cells))) for j in range(n_cells)]
    title = f"({rng.choice(('地方', '国', '社会保障'))}){rng.choice(TOPICS)}の推進、{rng.choice(TOPICS)}の積極的展開"
    return Item(number, title, responsible, cells, groups, rng.randint(100, 900))


def _revise(item: Item, rng: random.Random, revision: int, first_fy: int) -> Item:
    """The next edition: same item, most cells carried forward, some reworded, the group count drifts."""
    groups = item.groups + rng.choice((0, 0, 2))
    cells = []
    for text, fy in item.cells:
        text = text.replace(f"全国で{item.groups}グループ", f"全国で{groups}グループ")
        if rng.random() < 0.1:
            text = _cell_text(rng, groups)
        cells.append((text, max(first_fy, min(first_fy + 4, fy + (revision - REVISIONS[0]) // 2))))
    return Item(item.number, item.title, list(item.responsible), cells, groups, item.kpi_base)


def _kpis(rng: random.Random, item: Item, revision: int) -> list[tuple[int, str, str]]:
    """(tier, text, extra YAML) for the three KPIs of an item; some withhold deadlines or miscount 倍増."""
    base, unit, topic = item.kpi_base, rng.choice(UNITS), rng.choice(TOPICS)
    doubled = base * 2 if rng.random() > 0.05 else base * 2 + rng.randint(50, 200)  # injected arithmetic slip
    out = [(1, f"・{topic}の導入団体数【{revision - 1}年度：{base:,}{unit} 目標：{revision + 2}年度までに倍増"
               f"(約{doubled:,}{unit})を図る】", "")]
    r = rng.random()
    if r < 0.15:
        out.append((2, f"・{rng.choice(TOPICS)}の成果 (事後的に検証する指標)", "ex_post: true"))
    elif r < 0.35:
        out.append((2, f"・{rng.choice(TOPICS)}に係る運用コスト【目標：3割圧縮(目標期限を集中改革期間中に設定)】", ""))
    else:
        out.append((2, f"・{rng.choice(TOPICS)}に係る運用コスト【目標：{revision + 3}年度までに3割圧縮】", ""))
    if rng.random() < 0.1:
        out.append((2, f"・{topic}の導入団体数【{revision - 1}年度：{base:,}{unit} 目標：{revision + 2}年度までに"
                       f"倍増(約{base * 2 + 100:,}{unit})を図る】 (再掲)", "relisted: true"))
    else:
        out.append((2, f"・{rng.choice(TOPICS)}の実施率【{revision - 1}年度：{rng.randint(10, 60)}% "
                       f"目標：{revision + 4}年度までに100%】", ""))
    return out


def _roadmap(doc_id: str, revision: int, area: int, items: list[Item], supersedes: str | None,
             rng: random.Random) -> str:
    lines = ["document:", f"  id: {doc_id}", "  kind: roadmap", f"  title: {_q('経済・財政再生計画 改革工程表')}",
             f"  published: {revision}-12-21", f"  revision: {revision}"]
    if supersedes:
        lines.append(f"  supersedes: {supersedes}")
    lines += [f"  area: {_q(f'分野{area + 1} IT化と業務改革、行政改革等')}",
              f"  fiscal_years: {{first: {revision}, last: {revision + 4}}}",
              "  reform_period: {first: 2016, last: 2018}", "reform_items:"]
    for item in items:
        responsible = [] if rng.random() < 0.02 else item.responsible  # injected: no 主担当
        if responsible and rng.random() < 0.03:
            responsible = [*responsible, rng.choice(UNKNOWN_ORGS)]  # injected: a name no vocabulary knows
        lines += [f"  - number: {item.number}", f"    title: {_q(item.title)}", "    responsible:"
                  + ("" if responsible else " []")]
        lines += [f"      - {_q(r)}" for r in responsible]
        lines.append("    schedule:")
        for j, (text, fy) in enumerate(item.cells):
            own = rng.choice(MINISTRIES) if rng.random() < 0.05 else None
            lines += [f"      - id: s{j + 1}", f"        text: {_q(text)}", f"        fiscal_years: [{fy}]",
                      f"        responsible: [{_q(own)}]" if own else "        responsible: []"]
        lines.append("    kpis:")
        for tier, text, extra in _kpis(random.Random(f"{doc_id}/{item.number}"), item, revision):
            lines += [f"      - tier: {tier}", f"        text: {_q(text)}"]
            if extra:
                lines.append(f"        {extra}")
    return "\n".join(lines) + "\n"


def _claim(rng: random.Random, item: Item, j: int) -> str:
    """The 改革工程 column of a progress row: mostly a verbatim cell, sometimes joined, altered or unknown."""
    text = item.cells[j][0]
    r = rng.random()
    if r < 0.08 and j + 1 < len(item.cells):  # two cells joined by bullets, as in the seed
        return f"・{item.cells[j][0].lstrip('・')} ・{item.cells[j + 1][0].lstrip('・')}"
    if r < 0.14:  # near miss: an altered ending or one changed word
        return text[:-4] + "の調査結果を公表" if len(text) > 12 else text + "等"
    if r < 0.17:  # injected: a claim that matches no cell
        return f"{rng.choice(TOPICS)}の見直しに向けた{rng.choice(TOPICS)}の検討"
    if r < 0.30 and len(text) > 10:  # PDF line-break spaces, which normalisation removes
        k = rng.randint(3, len(text) - 3)
        return text[:k] + " " + text[k:]
    return text


def _statement(rng: random.Random, item: Item, next_step: bool) -> list[str]:
    ministry = None if rng.random() < 0.03 else rng.choice(MINISTRIES)  # injected: no 【府省】
    groups = item.groups - 2 if rng.random() < 0.1 else item.groups  # count drift against the roadmap
    if next_step:
        text = f"引き続き、{rng.choice(TOPICS)}{rng.choice(ACTIONS)}する。"
        status = None
    else:
        status = rng.choice(STATUSES)
        cases = f"の取組事例(全国で{groups}グループ)" if rng.random() < 0.25 else "の取組事例"
        text = (f"{rng.choice(TOPICS)}{cases}の{rng.choice(TOPICS)}等について深掘り・分析し、"
                f"その結果を整理・類型化した資料を活用して{rng.choice(ACTORS)}に対して助言を実施した。"
                f"また、{rng.choice(TOPICS)}について{rng.choice(ACTORS)}を通じて要請した。({status})")
    out = ["          - " + (f"ministry: {_q(ministry)}" if ministry else f"text: {_q(text)}")]
    if ministry:
        out.append(f"            text: {_q(text)}")
    if status:
        out.append(f"            status: {_q(status)}")
    return out


def _review_header(doc_id: str, kind: str, title: str, revision: int, roadmap_id: str) -> list[str]:
    """The `document:` block of a review of revision `revision`, covering the fiscal year after it."""
    year = revision + 1
    return ["document:", f"  id: {doc_id}", f"  kind: {kind}", f"  title: {_q(title)}", f"  revision: {revision}",
            f"  reports_on: {roadmap_id}", f"  covers: {{first: {year}, last: {year}}}", "reform_items:"]


def _progress(doc_id: str, roadmap_id: str, revision: int, items: list[Item], rng: random.Random,
              every_cell: bool = False) -> str:
    year = revision + 1
    lines = _review_header(doc_id, "progress_report", "改革工程の進捗状況", revision, roadmap_id)
    for item in items:
        lines += [f"  - number: {item.number}", f"    title: {_q(item.title)}", "    entries:"]
        start = len(lines)
        for j, (_, fy) in enumerate(item.cells):
            # Rows for the covered year; about one in ten of them is missing (coverage gaps).
            if not every_cell and (fy != year or rng.random() < 0.1):
                continue
            lines.append(f"      - schedule_item: {_q(_claim(rng, item, j))}")
            lines.append("        progress:")
            for _ in range(rng.choice((1, 1, 2))):
                lines += _statement(rng, item, False)
            lines.append("        next_steps:")
            lines += _statement(rng, item, True)
        if len(lines) == start:
            lines[-1] += " []"
    return "\n".join(lines) + "\n"


def _kpi_status(doc_id: str, roadmap_id: str, revision: int, items: list[Item], rng: random.Random) -> str:
    year = revision + 1
    lines = _review_header(doc_id, "kpi_status", "KPIの状況", revision, roadmap_id)
    for item in items:
        lines += [f"  - number: {item.number}", f"    title: {_q(item.title)}", "    kpis:"]
        for tier, text, _ in _kpis(random.Random(f"{roadmap_id}/{item.number}"), item, revision):
            name = text.lstrip("・").split("【")[0].replace(" (事後的に検証する指標)", "")
            if rng.random() < 0.3 and len(name) > 6:
                name = name[:5] + " " + name[5:]  # PDF artefact
            if rng.random() < 0.03:
                name = f"{rng.choice(TOPICS)}の実施状況"  # injected: names no KPI of the roadmap
            block = text.split("【", 1)[1].rstrip("】 (再掲)") if "【" in text else "-"
            target = block.split("目標：", 1)[1] if "目標：" in block else "-"
            if "期限を集中改革期間中に設定" in target:
                target, nxt = "3割圧縮(集中 改革期間中に 設定)", f"{year}年度までに目標期限を設定 予定"
            else:
                nxt = f"{year}年度末確報値は、{year + 2}年3月 頃に公表予定"
            has_data = target != "-" and rng.random() < 0.7
            actual = f"{item.kpi_base + rng.randint(-50, 600):,}団体" if has_data else "-"
            category = ("A" if rng.random() < 0.6 else "B") if has_data else ("F" if target == "-" else "N")
            if rng.random() < 0.04:
                category = "A" if category != "A" else "N"  # injected: 区分 contradicting the data
            lines += [f"      - tier: {tier}", f"        name: {_q(name)}", f"        target: {_q(target)}",
                      f"        actual: {{text: {_q(actual)}"
                      + (f", as_of: {year}-04-01}}" if has_data else "}"),
                      f"        category: {category}", f"        next: {_q(nxt)}"]
    return "\n".join(lines) + "\n"


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _write_chunks(out: Path, cells: int, seed: int, prefix: str) -> int:
    """Areas × revisions of roadmap + progress + KPI status, about CELLS_PER_FILE cells per roadmap."""
    if cells <= 0:
        return 0
    files = max(1, round(cells / CELLS_PER_FILE))
    written = 0
    for k, n_cells in enumerate(_split(cells, files)):
        area, rev_index = divmod(k, len(REVISIONS))
        revision = REVISIONS[rev_index]
        rng = random.Random(f"{seed}/{prefix}/{area}")  # the area's first edition; later ones revise it
        sizes = _split(n_cells, max(1, round(n_cells / 20)))
        items = [_make_item(rng, i + 1, n, REVISIONS[0]) for i, n in enumerate(sizes)]
        for r in REVISIONS[1:rev_index + 1]:
            items = [_revise(it, rng, r, r) for it in items]
        rid = f"{prefix}kaikaku-{revision}-a{area:03d}"
        prev = f"{prefix}kaikaku-{REVISIONS[rev_index - 1]}-a{area:03d}" if rev_index else None
        drng = random.Random(f"{seed}/{rid}")
        d = out / f"area-{prefix}{area:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{rid}.yaml").write_text(_roadmap(rid, revision, area, items, prev, drng), encoding="utf-8")
        pid, kid = f"{prefix}progress-{revision + 1}-a{area:03d}", f"{prefix}kpi-status-{revision + 1}-a{area:03d}"
        (d / f"{pid}.yaml").write_text(_progress(pid, rid, revision, items, drng), encoding="utf-8")
        (d / f"{kid}.yaml").write_text(_kpi_status(kid, rid, revision, items, drng), encoding="utf-8")
        written += 3
    return written


def _write_large_item(out: Path, cells: int, seed: int) -> int:
    """One reform item holding `cells` cells, and a progress report with one claim per cell."""
    rng = random.Random(f"{seed}/large")
    item = _make_item(rng, 1, cells, 2016)
    d = out / "large"
    d.mkdir(parents=True, exist_ok=True)
    rid, pid = "large-kaikaku-2016", "large-progress-2017"
    (d / f"{rid}.yaml").write_text(_roadmap(rid, 2016, 999, [item], None, rng), encoding="utf-8")
    (d / f"{pid}.yaml").write_text(_progress(pid, rid, 2016, [item], rng, every_cell=True), encoding="utf-8")
    return 2


def generate(cells: int, profile: str, out: Path, seed: int = 0) -> int:
    """Write the corpus under `out` (emptied first); returns the number of files written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if profile == "one-large-item":
        large = min(cells // 2, LARGE_ITEM_MAX)
        return _write_large_item(out, large, seed) + _write_chunks(out, cells - large, seed, "")
    if profile != "normal":
        raise ValueError(f"unknown profile {profile!r} (normal, one-large-item)")
    return _write_chunks(out, cells, seed, "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cells", type=int, required=True, help="number of schedule cells")
    ap.add_argument("--profile", choices=("normal", "one-large-item"), default="normal")
    ap.add_argument("--out", type=Path, required=True, help="output directory (emptied first)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n = generate(args.cells, args.profile, args.out, args.seed)
    print(f"wrote {n} files with {args.cells} schedule cells to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

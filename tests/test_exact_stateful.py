"""Differential stateful test (issue 17): whatever happens to the documents, the rules, the vocabularies and
the options, a cached run, an uncached run, one worker and several give identical findings.

A hypothesis RuleBasedStateMachine edits, adds, removes, renames and breaks documents (headers: area,
revision, reports_on, id, supersedes; counts and digits in the body), edits rules (severities, a
pattern) and the vocabulary, and changes --as-of, --select and --ignore; after every step it lints the
corpus four ways, with the thresholds that keep small corpora in one process lowered so that the forked
and pooled paths run, and one cache directory that lives through the whole run.

The short profile runs in `make test`; `make soak` runs the long one on a larger generated corpus:
ROADMAP_CHECK_SOAK_STEPS steps (default 2000), ROADMAP_CHECK_SOAK_CELLS cells (default 3000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from checker import api
from checker.accel.parallel import can_fork
from checker.rules.rule_files import DEFAULT_RULES_DIR
from tests.differential import describe, isolate, run_way
from tests.helpers.mutate import dump_yaml
from tests.helpers.strategies import corpora

REPO = Path(__file__).resolve().parents[1]
PROBE_RULES = Path(__file__).resolve().parent / "exact_probe_rules.yaml"
SOAK_STEPS = int(os.environ.get("ROADMAP_CHECK_SOAK_STEPS", "0") or 0)
SOAK_CELLS = int(os.environ.get("ROADMAP_CHECK_SOAK_CELLS", "3000") or 3000)
STATS: dict[str, float] = {"steps": 0, "runs": 0, "findings": 0, "started": time.perf_counter()}
pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker paths fork")

HEADER_KEYS = ("area", "revision", "reports_on", "id", "supersedes")
AREAS = ("分野A", "分野B", "分野1 IT化と業務改革、行政改革等")


def set_header(text: str, key: str, value: Any) -> str:
    """`text` with `document.<key>` set to `value` (removed when None); unchanged if it has no block header."""
    lines = text.split("\n")
    if "document:" not in lines:
        return text
    start = lines.index("document:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    new = None if value is None else f"  {key}: {json.dumps(value, ensure_ascii=False)}"
    for i in range(start + 1, end):
        if re.match(rf"  {key}:( |$)", lines[i]) and not (i + 1 < end and lines[i + 1].startswith("    ")):
            lines[i:i + 1] = [] if new is None else [new]
            return "\n".join(lines)
    if new is not None:
        lines.insert(start + 1, new)
    return "\n".join(lines)


def header_id(text: str) -> str | None:
    m = re.search(r"^  id: \"?([^\"\n]+)\"?$", text, re.M)
    return m[1] if m else None


class Exactness(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="roadmap-check-exact-"))
        self.docs, self.rules = self.tmp / "docs", self.tmp / "rules"
        shutil.copytree(DEFAULT_RULES_DIR, self.rules)
        shutil.copy(PROBE_RULES, self.rules / PROBE_RULES.name)  # the check kinds no shipped rule uses
        self.mp = pytest.MonkeyPatch()
        isolate(self.mp, self.tmp)
        self.as_of = dt.date(2018, 3, 31)
        self.select: tuple[str, ...] = ()
        self.ignore: tuple[str, ...] = ()
        self.turn = 0
        self.serial = 0

    def teardown(self) -> None:
        self.mp.undo()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ the corpus

    @initialize(corpus=corpora(), sample=st.booleans(), seed=st.integers(0, 10_000))
    def start(self, corpus: Any, sample: bool, seed: int) -> None:
        self.docs.mkdir()
        for name, data in corpus.documents.items():
            (self.docs / name).write_text(dump_yaml(data), encoding="utf-8")
        if sample:
            shutil.copytree(REPO / "roadmaps", self.docs / "sample")
        if SOAK_STEPS:
            sys.path.insert(0, str(REPO / "benchmarks"))
            from generate import generate

            generate(SOAK_CELLS, "normal", self.docs / "generated", seed=seed)
        self.as_of = corpus.as_of

    def files(self) -> list[Path]:
        return sorted(p for p in self.docs.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())

    def ids(self) -> list[str]:
        return sorted({i for p in self.files() if (i := header_id(self._text(p))) is not None})

    @staticmethod
    def _text(p: Path) -> str:
        return p.read_bytes().decode("utf-8", "replace")

    def _pick(self, k: int) -> Path:
        files = self.files()
        return files[k % len(files)]

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), key=st.sampled_from(HEADER_KEYS), choice=st.integers(0, 10**6),
          remove=st.booleans())
    def edit_header(self, k: int, key: str, choice: int, remove: bool) -> None:
        p = self._pick(k)
        ids = [*self.ids(), "nowhere"]
        values: dict[str, list[Any]] = {"area": list(AREAS), "revision": [2015, 2016, 2017, 2018],
                                        "reports_on": ids, "id": [*ids, f"new-{choice}"], "supersedes": ids}
        value = None if remove and key != "id" else values[key][choice % len(values[key])]
        p.write_text(set_header(self._text(p), key, value), encoding="utf-8")

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), which=st.integers(0, 10**6), delta=st.integers(-3, 3))
    def edit_count(self, k: int, which: int, delta: int) -> None:
        """A stated count changes (全国でNグループ and the like, which the count rules compare)."""
        p = self._pick(k)
        text = self._text(p)
        spots = list(re.finditer(r"(全国で|[(（])([0-9]+)", text))
        if spots:
            m = spots[which % len(spots)]
            text = text[:m.start(2)] + str(max(0, int(m[2]) + delta)) + text[m.end(2):]
            p.write_text(text, encoding="utf-8")

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), which=st.integers(0, 10**6), digit=st.integers(0, 9))
    def edit_digit(self, k: int, which: int, digit: int) -> None:
        """Any digit of the body changes: years, deadlines, numbers, tiers (some edits make a file invalid)."""
        p = self._pick(k)
        text = self._text(p)
        body = text.find("reform_items:")
        spots = [m.start() for m in re.finditer(r"[0-9]", text) if m.start() > body >= 0]
        if spots:
            i = spots[which % len(spots)]
            p.write_text(text[:i] + str(digit) + text[i + 1:], encoding="utf-8")

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), how=st.sampled_from(["truncate", "garbage", "not-utf8"]))
    def break_file(self, k: int, how: str) -> None:
        p = self._pick(k)
        data = p.read_bytes()
        p.write_bytes({"truncate": data[:len(data) // 2], "garbage": b"document: [unclosed\n",
                       "not-utf8": data[:40] + b"\xff\xfe" + data[40:]}[how])

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), same_id=st.booleans(), area=st.sampled_from((None, *AREAS)))
    def add_document(self, k: int, same_id: bool, area: str | None) -> None:
        """A copy of a document: under a new id, or under the same (a duplicate), perhaps in another area."""
        p = self._pick(k)
        self.serial += 1
        text = self._text(p)
        if not same_id:
            text = set_header(text, "id", f"copy-{self.serial}")
        if area is not None:
            text = set_header(text, "area", area)
        (self.docs / f"added-{self.serial}.yaml").write_text(text, encoding="utf-8")

    @precondition(lambda self: len(self.files()) > 1)
    @rule(k=st.integers(0, 10**6))
    def remove_document(self, k: int) -> None:
        self._pick(k).unlink()

    @precondition(lambda self: self.files())
    @rule(k=st.integers(0, 10**6), odd_name=st.booleans(), subdir=st.booleans())
    def rename_document(self, k: int, odd_name: bool, subdir: bool) -> None:
        p = self._pick(k)
        self.serial += 1
        name = os.fsdecode(b"renamed-\xff" if odd_name else b"renamed") + f"-{self.serial}.yaml"
        target = (self.docs / "moved" if subdir else self.docs) / name
        target.parent.mkdir(exist_ok=True)
        try:
            p.rename(target)
        except OSError:  # a file system that refuses the name
            p.rename(target.with_name(f"renamed-{self.serial}.yaml"))

    # ------------------------------------------------------------------ rules, vocabularies, options

    @rule(k=st.integers(0, 10**6), severity=st.sampled_from(("error", "warning", "info")))
    def edit_severity(self, k: int, severity: str) -> None:
        files = sorted(self.rules.glob("*.yaml"))
        p = files[k % len(files)]
        text = p.read_text(encoding="utf-8")
        spots = list(re.finditer(r"^    severity: \w+$", text, re.M))
        if spots:
            m = spots[k % len(spots)]
            p.write_text(text[:m.start()] + f"    severity: {severity}" + text[m.end():], encoding="utf-8")

    @rule(unit=st.sampled_from(("グループ", "団体", "市区町村")), present=st.booleans())
    def edit_pattern(self, unit: str, present: bool) -> None:
        """A unit leaves or joins the count rules' pattern."""
        p = self.rules / "counts.yaml"
        text = p.read_text(encoding="utf-8")
        text = text.replace(f"(?P<unit>{unit}|", "(?P<unit>").replace(f"|{unit}|", "|")
        if present:
            text = text.replace("(?P<unit>", f"(?P<unit>{unit}|")
        p.write_text(text, encoding="utf-8")

    @rule(which=st.integers(0, 10**6), add=st.booleans())
    def edit_vocabulary(self, which: int, add: bool) -> None:
        """An organisation joins the vocabulary, or one of its entries leaves it."""
        p = self.rules / "vocabularies" / "organizations.yaml"
        text = p.read_text(encoding="utf-8")
        if add:
            self.serial += 1
            text = text.replace("organizations:\n", f"organizations:\n  - name: 新設庁{self.serial}\n", 1)
        else:
            entries = [m.start() for m in re.finditer(r"^  - name: ", text, re.M)]
            if len(entries) > 1:
                i = which % (len(entries) - 1)
                text = text[:entries[i]] + text[entries[i + 1]:]
        p.write_text(text, encoding="utf-8")

    @rule(as_of=st.sampled_from((dt.date(2016, 3, 31), dt.date(2017, 12, 31), dt.date(2018, 3, 31),
                                 dt.date(2030, 4, 1))),
          select=st.lists(st.sampled_from(("count-inconsistent-within-revision", "count-changed-between-revisions",
                                           "progress-claim-not-in-roadmap", "relisted-kpi-differs")), max_size=2),
          ignore=st.lists(st.sampled_from(("kpi-status-name-differs", "deadline-passed")), max_size=1))
    def change_options(self, as_of: dt.date, select: list[str], ignore: list[str]) -> None:
        self.as_of, self.select, self.ignore = as_of, tuple(sorted(set(select))), tuple(sorted(set(ignore)))

    # ------------------------------------------------------------------ the invariant

    @invariant()
    def four_ways_agree(self) -> None:
        if not self.docs.exists():
            return
        self.turn += 1
        # Which cached run comes first alternates: the second of two in one state is answered by the
        # whole-run entry, so each worker count takes its turn at the group path.
        ways = ("uncached/1", "uncached/3", "cached/1", "cached/3") if self.turn % 2 else \
            ("cached/3", "cached/1", "uncached/3", "uncached/1")
        got = {way: self._run(way) for way in ways}
        first = got[ways[0]]
        for way, outcome in got.items():
            assert outcome == first, f"step {self.turn}: {way} differs from {ways[0]}: {describe(first, outcome)}"
        STATS["steps"] += 1
        STATS["runs"] += len(ways)
        STATS["findings"] += len(first[0]) if first and first[0] != "error" else 0
        if SOAK_STEPS and STATS["steps"] % 25 == 0:  # progress, so that a soak stopped early still has figures
            print(f"soak: {STATS['steps']} steps agree so far ({STATS['runs']} runs, {STATS['findings']} findings "
                  f"compared) after {time.perf_counter() - STATS['started']:.0f} s", file=sys.stderr, flush=True)

    def _run(self, way: str) -> tuple[Any, ...]:
        try:
            return run_way(way, [self.docs], self.mp, self.as_of, rules=(self.rules,), select=self.select,
                           ignore=self.ignore)
        except api.ApiError as exc:  # rules that no longer load, an unknown --select: the same everywhere
            return ("error", tuple(exc.messages))


def _profile(steps: int, shrink: bool = True) -> settings:
    """About `steps` steps in all. The soak does not shrink a failure (on its corpus that took over five
    minutes): it reports the failing step, and hypothesis prints the seed that reproduces it."""
    per_example = 25 if steps > 100 else 6
    phases = tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate)
    return settings(max_examples=max(1, steps // per_example), stateful_step_count=per_example, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck), phases=phases, print_blob=True)


def test_every_check_kind_is_compared() -> None:
    """A new check kind with a wrong scope must fail this test, not give grouped runs fewer findings: every
    registered kind has a rule in the differential test (a shipped one, or one in PROBE_RULES)."""
    from checker.checks.base import REGISTRY
    from checker.rules.ruleset import load_ruleset

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules"
        shutil.copytree(DEFAULT_RULES_DIR, rules)
        shutil.copy(PROBE_RULES, rules / PROBE_RULES.name)
        ruleset, errors = load_ruleset([rules])
    assert not errors
    assert {r.spec.check for r in ruleset.rules} == set(REGISTRY)


def test_four_ways_agree_short() -> None:
    """The short profile (make test): a few corpora, a few steps each."""
    Exactness.TestCase.settings = _profile(18)
    Exactness.TestCase().runTest()


@pytest.mark.skipif(not SOAK_STEPS, reason="the long profile: make soak (ROADMAP_CHECK_SOAK_STEPS)")
def test_four_ways_agree_soak() -> None:
    STATS.update(steps=0, runs=0, findings=0, started=time.perf_counter())
    started = STATS["started"]
    Exactness.TestCase.settings = _profile(SOAK_STEPS, shrink=False)
    try:
        Exactness.TestCase().runTest()
    finally:
        print(f"\nsoak: {STATS['steps']} steps checked ({STATS['runs']} runs, {STATS['findings']} findings compared) "
              f"on ~{SOAK_CELLS} generated cells in {time.perf_counter() - started:.0f} s", file=sys.stderr)

"""Data-driven rule cases (tests/cases/*.yaml): files in, exactly the expected findings out.

Each case file holds a list of cases; each case writes its files to a fresh directory, loads them
with the real loader, lints them with the shipped ruleset and compares the findings::

    cases:
      - name: withheld deadline is missing        # unique within the file; names the test
        as_of: 2017-12-31                          # optional (default 2017-12-31)
        rules: [kpi-deadline-missing]              # optional: only these rules run (default: all shipped)
        files:                                     # file name → YAML text, written under a temp directory
          roadmap.yaml: |
            document: {id: r, kind: roadmap, title: t, revision: 2016}
            reform_items:
              - number: 15
                ...
        expect:                                    # exactly these findings; [] for none
          - {rule: kpi-deadline-missing, file: roadmap.yaml, line: 9}
          - {rule: kpi-deadline-missing, file: roadmap.yaml, line: 12, column: 11}

The set of (rule, file, line) of the findings must equal that of `expect`; an expectation that gives
a column must also match a finding's column. Files that fail to load show up as `input-error`
findings, so a case can expect those too. Several findings of one rule on one line count once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from checker.domain.load import load_paths
from checker.engine.run import lint
from checker.rules.ruleset import DEFAULT_RULES_DIR, load_ruleset
from tests.helpers.rules import existing

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_AS_OF = dt.date(2017, 12, 31)
_CASE_KEYS = {"name", "as_of", "rules", "files", "expect"}
_EXPECT_KEYS = {"rule", "file", "line", "column"}

RULESET, RULE_ERRORS = load_ruleset([DEFAULT_RULES_DIR])


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    as_of: dt.date
    rules: tuple[str, ...]
    files: dict[str, str]
    expect: tuple[dict[str, Any], ...]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _parse(path: Path) -> list[Case]:
    """Read one case file, failing loudly (at collection) on a malformed case rather than skipping it."""
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise ValueError(f"{path}: expected a non-empty `cases:` list")
    out: list[Case] = []
    for i, raw in enumerate(data["cases"]):
        where = f"{path.name} case {i}"
        if not isinstance(raw, dict) or raw.keys() - _CASE_KEYS or not {"name", "files", "expect"} <= raw.keys():
            raise ValueError(f"{where}: a case has name, files, expect and optionally as_of, rules "
                             f"(got {sorted(raw) if isinstance(raw, dict) else raw!r})")
        for e in raw["expect"] or []:
            if not isinstance(e, dict) or e.keys() - _EXPECT_KEYS or not {"rule", "file", "line"} <= e.keys():
                raise ValueError(f"{where} ({raw['name']}): bad expectation {e!r}")
        out.append(Case(path.name, str(raw["name"]), _as_date(raw.get("as_of", DEFAULT_AS_OF)),
                        tuple(raw.get("rules") or ()), {str(k): str(v) for k, v in raw["files"].items()},
                        tuple(raw["expect"] or ())))
    names = [c.name for c in out]
    if len(names) != len(set(names)):
        raise ValueError(f"{path.name}: case names must be unique")
    return out


ALL_CASES = [c for p in sorted(CASES_DIR.glob("*.yaml")) for c in _parse(p)]


def test_case_files_exist_and_ruleset_loads():
    assert RULE_ERRORS == []
    # As many cases as the files write `- name:` lines (read as text): the parser drops none.
    written = sum(line.lstrip().startswith("- name:") for p in CASES_DIR.glob("*.yaml")
                  for line in p.read_text(encoding="utf-8").splitlines())
    assert len(ALL_CASES) == written and len({Path(c.file).name for c in ALL_CASES}) == len(list(CASES_DIR.glob("*.yaml")))


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{Path(c.file).stem}:{c.name}")
def test_case(case: Case, tmp_path: Path):
    if case.rules:
        existing(RULESET, case.rules)  # a renamed rule fails the case instead of selecting nothing
    for name, text in case.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    loaded = load_paths([tmp_path])
    result = lint(loaded.documents, RULESET, case.as_of, select=case.rules, input_errors=loaded.errors)

    def rel(file: str) -> str:
        try:
            return Path(file).relative_to(tmp_path).as_posix()
        except ValueError:
            return file

    findings = [(f.rule, rel(f.location.file), f.location.line, f.location.column) for f in result.findings]
    if case.rules:  # input errors are reported whatever the selection; keep them visible
        findings = [f for f in findings if f[0] in case.rules or f[0] == "input-error"]
    got = {f[:3] for f in findings}
    want = {(e["rule"], e["file"], e["line"]) for e in case.expect}
    messages = "\n".join(f"  {f.rule} {rel(f.location.file)}:{f.location.line}:{f.location.column} {f.message}"
                         for f in result.findings)
    assert got == want, f"missing {sorted(want - got)}, unexpected {sorted(got - want)}\nfindings:\n{messages}"
    for e in case.expect:
        if "column" in e:
            assert (e["rule"], e["file"], e["line"], e["column"]) in findings, (
                f"{e} matched on line but not on column\nfindings:\n{messages}")

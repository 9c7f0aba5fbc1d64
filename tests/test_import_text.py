"""Importing the text extraction of the seed reproduces roadmaps/ (apart from judgement calls)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.domain.load import LoadedDocument, load_file
from tests.helpers.import_facts import agreement

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent.parent / "shared" / "source-documents" / "000_10167e900aef3417.txt"
if not SEED.exists():
    SEED = Path("/work/shared/source-documents/000_10167e900aef3417.txt")


def _load_dir(path: Path) -> dict[str, dict]:
    docs = {}
    for f in sorted(path.glob("*.yaml")):
        loaded = load_file(f)
        assert isinstance(loaded, LoadedDocument), loaded
        docs[loaded.model.document.id] = loaded.model.model_dump(mode="json", exclude_none=True)
    return docs


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    if not SEED.exists():
        pytest.skip("the seed text is not here")
    out = tmp_path_factory.mktemp("imp")
    result = CliRunner().invoke(main, ["import", str(SEED), "--output-dir", str(out), "-q"])
    return out, result


def test_seven_documents_that_load(imported):
    out, result = imported
    assert result.exit_code == 1, result.output  # columns of the <p> cells are guessed
    assert sorted(p.stem for p in out.glob("*.yaml")) == sorted(p.stem for p in (ROOT / "roadmaps").glob("*.yaml"))


def test_agreement_with_roadmaps(imported, capsys):
    out, _ = imported
    result = agreement(_load_dir(ROOT / "roadmaps"), _load_dir(out))
    same = sum(r[0] for r in result.values())
    total = sum(r[1] for r in result.values())
    with capsys.disabled():
        for kind, (s, t, diffs) in result.items():
            print(f"\n{kind}: {s}/{t}")
            for d in diffs:
                print("   ", d)
    assert same / total >= 0.9
    for kind, (s, t, _) in result.items():
        assert t == 0 or s / t >= 0.75, kind


def test_existing_files_are_kept_without_force(imported, tmp_path):
    out, _ = imported
    result = CliRunner().invoke(main, ["import", str(SEED), "--output-dir", str(out), "-q"])
    assert result.exit_code == 2
    assert "use --force" in result.output
    result = CliRunner().invoke(main, ["import", str(SEED), "--output-dir", str(out), "-q", "--force"])
    assert result.exit_code == 1


def test_lint_finds_the_deadline_and_the_drift(imported):
    out, _ = imported
    result = CliRunner().invoke(main, ["lint", str(out), "--as-of", "2017-12-31", "--format", "json", "--no-cache"])
    assert "kpi-deadline-missing" in result.output
    assert "count-changed-between-revisions" in result.output
    assert "54" in result.output and "56" in result.output

"""`roadmap-check import`: exit codes, messages on stderr, --id/--kind/--reports-on/--force, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.domain.load import LoadedDocument, load_file

pytest.importorskip("reportlab")
from tests.helpers.pdf_render import render_review, render_roadmap

ROOT = Path(__file__).resolve().parents[1]
SEED = Path("/work/shared/source-documents/000_10167e900aef3417.txt")
if not SEED.exists():
    SEED = ROOT.parent.parent / "shared" / "source-documents" / "000_10167e900aef3417.txt"


def _doc(name: str) -> dict:
    return load_file(ROOT / "roadmaps" / f"{name}.yaml").model.model_dump(mode="json", exclude_none=True)


def _invoke(*args: str):
    return CliRunner().invoke(main, ["import", *args])


@pytest.fixture(scope="module")
def roadmap_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "kaikaku.pdf"
    render_roadmap(path, _doc("kaikaku-2016-it"))
    return path


def test_certain_import_exits_0_and_writes_nothing_to_stdout(roadmap_pdf, tmp_path):
    result = _invoke(str(roadmap_pdf), "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and "kaikaku-2016-it.yaml" in result.stderr
    text = (tmp_path / "kaikaku-2016-it.yaml").read_text(encoding="utf-8")
    assert "GUESSES" not in text
    assert '# page 1, box at x' in text  # provenance of every value
    assert isinstance(load_file(tmp_path / "kaikaku-2016-it.yaml"), LoadedDocument)


def test_guesses_exit_1_and_are_listed_on_stderr_and_in_the_file(tmp_path):
    if not SEED.exists():
        pytest.skip("the seed text is not here")
    result = _invoke(str(SEED), "--output-dir", str(tmp_path), "-q")
    assert result.exit_code == 1
    guesses = [ln for ln in result.stderr.splitlines() if "guess:" in ln]
    assert guesses and all("kaikaku" in g or "progress" in g or "kpi-status" in g for g in guesses)
    local = (tmp_path / "kaikaku-2016-local.yaml").read_text(encoding="utf-8")
    assert "# GUESSES (" in local and "the source gives no column" in local
    assert "wrote" not in result.stderr  # -q


def test_unreadable_sources_exit_2_and_the_others_are_still_imported(roadmap_pdf, tmp_path):
    missing = tmp_path / "missing.pdf"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _invoke(str(missing), str(empty), str(roadmap_pdf), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "missing.pdf: cannot be read" in result.stderr
    assert "empty: a directory with no .pdf" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (tmp_path / "out" / "kaikaku-2016-it.yaml").exists()


def test_a_directory_stands_for_its_sources(roadmap_pdf, tmp_path):
    result = _invoke(str(roadmap_pdf.parent), "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "kaikaku-2016-it.yaml").exists()


def test_id_names_the_only_document(roadmap_pdf, tmp_path):
    result = _invoke(str(roadmap_pdf), "--output-dir", str(tmp_path), "--id", "my-roadmap")
    assert result.exit_code == 0, result.stderr
    loaded = load_file(tmp_path / "my-roadmap.yaml")
    assert loaded.model.document.id == "my-roadmap"


def test_id_with_several_documents_is_refused(tmp_path):
    if not SEED.exists():
        pytest.skip("the seed text is not here")
    result = _invoke(str(SEED), "--output-dir", str(tmp_path), "--id", "x")
    assert result.exit_code == 2
    assert "--id names one document, but the sources hold 7" in result.stderr
    assert not list(tmp_path.glob("*.yaml"))


def test_kind_and_reports_on(tmp_path):
    status = tmp_path / "status.pdf"
    render_review(status, _doc("kpi-status-2017-local"))
    result = _invoke(str(status), "--output-dir", str(tmp_path / "out"), "--reports-on", "kaikaku-2016-local",
                     "--kind", "kpi_status")
    assert result.exit_code == 0, result.stderr
    loaded = load_file(tmp_path / "out" / "kpi-status-2017-local.yaml")
    assert loaded.model.document.reports_on == "kaikaku-2016-local"
    assert loaded.model.document.covers.first == 2017
    result = _invoke(str(status), "--output-dir", str(tmp_path / "none"), "--kind", "roadmap")
    assert result.exit_code == 0  # nothing of that kind is no error, and is said
    assert "1 document(s) of other kinds than roadmap not written" in result.stderr
    assert "no documents written" in result.stderr
    assert not (tmp_path / "none").exists()


def test_existing_files_need_force(roadmap_pdf, tmp_path):
    assert _invoke(str(roadmap_pdf), "--output-dir", str(tmp_path)).exit_code == 0
    (tmp_path / "kaikaku-2016-it.yaml").write_text("# edited by hand\n", encoding="utf-8")
    result = _invoke(str(roadmap_pdf), "--output-dir", str(tmp_path))
    assert result.exit_code == 2 and "use --force" in result.stderr
    assert (tmp_path / "kaikaku-2016-it.yaml").read_text(encoding="utf-8") == "# edited by hand\n"
    assert _invoke(str(roadmap_pdf), "--output-dir", str(tmp_path), "--force").exit_code == 0


def test_too_many_pages_is_refused_with_progress(tmp_path, monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    big = tmp_path / "big.pdf"
    c = Canvas(str(big))
    for n in range(120):
        c.drawString(72, 720, f"page {n + 1}")
        c.showPage()
    c.save()
    result = _invoke(str(big), "--output-dir", str(tmp_path / "out"), "--max-pages", "100")
    assert result.exit_code == 2
    assert "120 pages, over the limit of 100" in result.stderr
    result = _invoke(str(big), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "page 120/120" in result.stderr  # progress on stderr, from the worker processes
    monkeypatch.setenv("ROADMAP_CHECK_WORKERS", "1")
    result = _invoke(str(big), "--output-dir", str(tmp_path / "out"))
    assert "page 50/120" in result.stderr and "page 100/120" in result.stderr  # in one process
    assert "120 of 120 pages hold none of the three tables" in result.stderr or "no 改革工程表" in result.stderr

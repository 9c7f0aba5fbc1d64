"""The `import` command: published tables (PDF, .xlsx, text extractions) → roadmap YAML with provenance."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _info(quiet: bool, message: str) -> None:
    if not quiet:
        click.echo(message, err=True)


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--output-dir", "-d", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Write one YAML file per document here, named by its id.")
@click.option("--kind", type=click.Choice(["roadmap", "progress_report", "kpi_status"]), default=None,
              help="Write only documents of this kind.")
@click.option("--id", "doc_id", default=None, help="The id of the one document the sources hold.")
@click.option("--reports-on", default=None, metavar="ID", help="The roadmap id the reviews report on.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--max-pages", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Refuse a PDF with more pages than this.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (guesses and errors still).")
def import_(sources: tuple[str, ...], output_dir: Path, kind: str | None, doc_id: str | None,
            reports_on: str | None, force: bool, max_pages: int, quiet: bool) -> None:
    """Import published tables (PDF, .xlsx, text extractions) as roadmap YAML with provenance comments.

    Exit 0: all read with certainty; 1: something was guessed (listed on stderr and in each file);
    2: a source could not be read or a file not written."""
    from checker.importer.run import Options, run  # pdfplumber and openpyxl: for this command only

    outcome = run(list(sources), Options(output_dir, kind, doc_id, reports_on, force, max_pages,
                                         progress=lambda m: _info(quiet, f"roadmap-check: {m}")))
    for note in outcome.notes:
        _info(quiet, f"roadmap-check: note: {note}")
    for path in outcome.written:
        _info(quiet, f"roadmap-check: wrote {path}")
    if not outcome.written:
        _info(quiet, "roadmap-check: no documents written")
    for guess in outcome.guesses:
        click.echo(f"roadmap-check: guess: {guess}", err=True)
    for error in outcome.errors:
        click.echo(f"roadmap-check: error: {error}", err=True)
    sys.exit(outcome.exit_code)

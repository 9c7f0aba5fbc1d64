"""The api's handling of what a run leaves out or adds: notes on checks skipped because a document failed
to load, and the documents that named files reference, loaded as context and never reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from checker.source.inputs import InputError, failed_ids

if TYPE_CHECKING:
    from checker.engine.result import RunResult


def skipped_notes_of(errors: tuple[InputError, ...]) -> tuple[tuple[str, str], ...]:
    """A note for each document that failed to load although its id could be read: its dependants are not
    blamed for it, and the checks that compare them with it were skipped."""
    from checker.source.messages import skipped_notes

    failed = failed_ids(errors)
    return skipped_notes((e.document_id, e.file) for e in errors if e.document_id in failed)


def with_context(options: Any, core_run: Callable[[Any], RunResult]) -> tuple[RunResult, tuple[str, ...]]:
    """`core_run(options)`, with the documents that named files reference loaded beside them (a pre-commit
    hook names only the changed files) and everything about those context files left out of the result."""
    from checker.source.context import context_files

    context = tuple(context_files(options.paths, options.context_paths))
    if not context:
        core = core_run(options)
        return replace(core, notes=skipped_notes_of(core.input_errors)), ()
    core = core_run(replace(options, paths=(*options.paths, *context)))
    extra = set(context)
    notes = skipped_notes_of(core.input_errors)  # a context document that fails to load still gets its note
    core = replace(core, findings=tuple(f for f in core.findings if f.location.file not in extra),
                   input_errors=tuple(e for e in core.input_errors if e.file not in extra),
                   files=tuple(f for f in core.files if f not in extra))
    return replace(core, notes=notes), context

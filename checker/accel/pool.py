"""Worker processes that each load a share of the files and keep them, then lint the groups they hold.

On a large corpus loading was one core's work while the other idled (2 s of 8 on 100,000 cells), and
it could not simply be split: sending parsed documents back to the parent costs more than parsing them.
Here the workers do not send documents back. Each one parses its share of the files and keeps the
documents; the parent receives only a summary of each (checker.accel.stub: id, kind, header), which is all
it needs to work out the groups of documents the rules must see together. It then sends each group to
the worker that holds most of its documents, largest first, as workers free up; a worker parses what
it lacks. A worker encodes each group's findings once (checker.accel.cache_codec) and sends the bytes back;
the parent, idle meanwhile, keeps them as the group's cache entry and decodes them for the report.

Only the findings are the product: they are the same, in the same order, whichever worker ran what
(the results are put back in job order, and tests compare with one process).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from checker.accel.cache import pack, unpack, wait_later
from checker.accel.doc_cache import load_file_cached, summarised_bytes
from checker.accel.groups import GroupResult, run_owned
from checker.accel.parallel import can_fork
from checker.accel.stub import DocumentStub, DocumentSummary, InputChanged
from checker.checks.base import Context
from checker.domain.corpus import Corpus
from checker.domain.load import InputError, Limits, LoadedDocument, load_file
from checker.timing import phase

MIN_BYTES = 2_000_000
"""Below this much YAML, starting workers (~60 ms) costs more than they save (the bundled corpus is 100 KB)."""


@dataclass(frozen=True)
class PoolJob:
    """One group of documents to lint with some rules, as sent to a worker."""

    key: str
    """The group's cache key (the worker stores the findings under it)."""
    rules: tuple[str, ...]
    """Rule ids, looked up in the ruleset the worker inherited."""
    files: tuple[str, ...]
    """The group's documents, by the name they were loaded under."""
    owned: tuple[str, ...] = ()
    """Those whose findings the group gives (checker.accel.groups); empty: all of them."""


class PoolError(RuntimeError):
    """A worker failed (a bug, not bad input: bad input is an InputError like anywhere else)."""


def _shares(files: list[tuple[Path, str, str | None]], workers: int) -> list[list[tuple[Path, str, str | None]]]:
    """Contiguous runs of the sorted files of about equal size: files of one area sit together, and a
    worker that loads an area is the one its groups are sent to."""
    sizes = []
    for path, *_ in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes) or 1
    shares: list[list[tuple[Path, str, str | None]]] = [[] for _ in range(workers)]
    done = 0
    for f, size in zip(files, sizes, strict=True):
        shares[min(workers - 1, done * workers // total)].append(f)
        done += size
    return shares


class _Worker:
    """The worker side: documents by name, entities shared by every job it runs."""

    def __init__(self, conn: Connection, ruleset: Any, limits: Limits, cache: Any):
        self.conn, self.ruleset, self.limits, self.cache = conn, ruleset, limits, cache
        self.rules = {r.id: r for r in ruleset.rules}
        self.docs: dict[str, LoadedDocument] = {}
        self.stubs: dict[str, LoadedDocument] = {}
        self.paths: dict[str, Path] = {}
        self.built = Corpus([])
        """Its subsets share the entities and texts built for one group with the next (Corpus.subset)."""

    def load(self, share: list[tuple[Path, str, str | None]]) -> list[DocumentSummary | list[InputError]]:
        out: list[DocumentSummary | list[InputError]] = []
        for path, name, digest in share:
            self.paths[name] = path
            # With the digest the run was keyed on: other bytes now raise InputChanged (accel.doc_cache).
            result = (load_file_cached(path, name, self.limits, self.cache, digest) if self.cache is not None
                      else load_file(path, name, self.limits))
            if isinstance(result, LoadedDocument):
                self.docs[name] = result
                out.append(result.summary if isinstance(result, DocumentStub) else DocumentSummary.of(result))
            else:
                out.append(result)
        return out

    def doc(self, name: str, path: Path, digest: str, summary: DocumentSummary | None = None) -> LoadedDocument:
        found = self.docs.get(name)
        if found is None and summary is not None:
            # Context another worker holds (a review's roadmap, read for its header by lookups): its
            # summary stands for it and parses the file only if something reads its body. Parsed
            # eagerly, a 50,000-cell roadmap cost the group of its progress report seconds.
            found = self.stubs.get(name)
            if found is None:
                found = self.stubs[name] = DocumentStub(summary, path, self.limits)
            return found
        if found is None:  # a document another worker loaded: parse it here too, as it was then
            result = load_file(path, name, self.limits)
            if not isinstance(result, LoadedDocument) or result.digest != digest:
                raise InputChanged(name)
            found = self.docs[name] = result
        return found

    def run(self, jobs: list[tuple[int, PoolJob]], paths: dict[str, tuple[Path, str, DocumentSummary | None]],
            as_of: dt.date) -> list[tuple[int, bytes]]:
        """Run the jobs; `paths` gives each document's file, the digest the groups were keyed on and, for a
        document only read as context, its summary."""
        out = []
        for index, job in jobs:
            # Entities built for one group serve the next, and so do texts worked out (parsed KPIs, counts).
            owned = frozenset(job.owned or job.files)
            corpus = self.built.subset([self.doc(name, *paths[name][:2], None if name in owned else paths[name][2])
                                        for name in job.files])
            seen = corpus.record_lookups()  # checked against the whole corpus by the parent (accel.groups)
            ctx = Context(corpus, as_of, self.ruleset.vocabularies)
            # Encoded once, here: the parent keeps the bytes as the group's cache entry and decodes
            # them for the report (it is idle meanwhile; this worker goes on with the next unit).
            found = run_owned([self.rules[rule_id] for rule_id in job.rules], corpus, ctx, owned)
            payload = pack(GroupResult(found, tuple(sorted(seen.items()))))
            if payload is None:  # pragma: no cover - findings are plain data
                raise PoolError(f"the findings of {job.key} cannot be sent")
            out.append((index, payload))
        return out


def _serve(conn: Connection, share: list[tuple[Path, str, str | None]], ruleset: Any, limits: Limits, cache: Any) -> None:
    gc.disable()  # a short-lived process of long-lived objects: collection would only cost time
    worker = _Worker(conn, ruleset, limits, cache)
    try:
        with phase(f"worker load ({len(share)} files)"):
            conn.send(("ok", worker.load(share)))
        while True:
            message = conn.recv()
            if message is None:
                if cache is not None:
                    cache.flush()  # the process ends with os._exit: no interpreter exit to wait for writes
                return
            jobs, paths, as_of = message
            with phase(f"worker unit ({len(jobs)} groups)"):
                conn.send(("ok", worker.run(jobs, paths, as_of)))
    except EOFError:
        return
    except BaseException as exc:  # reported to the parent, which stops the run with the message
        kind = "changed" if isinstance(exc, InputChanged) else "error"
        # Like the CLI: the error in one line, the traceback only with ROADMAP_CHECK_DEBUG set.
        detail = (exc.file if isinstance(exc, InputChanged) else traceback.format_exc()
                  if os.environ.get("ROADMAP_CHECK_DEBUG") else f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(OSError):  # the parent may be gone
            conn.send((kind, detail))


def _join(proc: Any) -> None:
    proc.join(timeout=60)  # it may still be writing cache entries
    if proc.is_alive():  # pragma: no cover - a stuck worker
        proc.terminate()


class DocumentPool:
    """Forked workers holding the documents of a run (see the module docstring)."""

    def __init__(self, ruleset: Any, limits: Limits, cache: Any, workers: int):
        self.ruleset, self.limits, self.cache, self.workers = ruleset, limits, cache, workers
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        self.workers_started: list[Any] = []
        """Every worker process this pool started (tests check that they end)."""
        self.holder: dict[str, int] = {}
        self.paths: dict[str, Path] = {}
        self.digests: dict[str, str] = {}
        self.summaries: dict[str, DocumentSummary] = {}

    def load(self, files: list[tuple[Path, str, str | None]]) -> list[LoadedDocument | list[InputError]]:
        """Each file's document (a stub: its body stays in a worker) or input errors, in file order."""
        context = multiprocessing.get_context("fork")
        shares = _shares(files, self.workers)
        for share in shares:
            parent, child = context.Pipe(duplex=True)
            # Not daemonic: at exit the parent waits for a worker still writing the cache instead of
            # killing it (a worker whose parent is gone reads end-of-file and stops).
            proc = context.Process(target=_serve, args=(child, share, self.ruleset, self.limits, self.cache))
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)
            self.workers_started.append(proc)
        out: list[LoadedDocument | list[InputError]] = []
        for k, (conn, share) in enumerate(zip(self.conns, shares, strict=True)):
            for (path, name, _), result in zip(share, self._receive(conn), strict=True):
                self.holder[name] = k
                self.paths[name] = path
                if isinstance(result, DocumentSummary):
                    self.digests[name] = result.digest
                    self.summaries[name] = result
                out.append(DocumentStub(result, path, self.limits) if isinstance(result, DocumentSummary) else result)
        return out

    def run(self, jobs: list[PoolJob], units: list[list[int]], as_of: dt.date) -> list[GroupResult]:
        """The findings of every job (written to the cache as they come), in job order.

        Units (lists of job indices that share documents) go whole to one worker: to the one holding
        most of their documents when it is free, else to any free worker, largest unit first.
        """
        def home(unit: list[int]) -> int:
            held = [0] * len(self.conns)
            for i in unit:
                for name in jobs[i].files:
                    held[self.holder.get(name, 0)] += 1
            return max(range(len(held)), key=lambda k: (held[k], -k))

        queue = [(u, home(u)) for u in units]  # units arrive largest first
        results: list[GroupResult | None] = [None] * len(jobs)
        busy: dict[Connection, int] = {}

        def give(k: int) -> None:
            pick = next((n for n, (_, h) in enumerate(queue) if h == k), 0 if queue else None)
            if pick is None:
                return
            unit, _ = queue.pop(pick)
            paths = {name: (self.paths[name], self.digests[name], self.summaries.get(name))
                     for i in unit for name in jobs[i].files}
            self.conns[k].send(([(i, jobs[i]) for i in unit], paths, as_of))
            busy[self.conns[k]] = k

        for k in range(len(self.conns)):
            give(k)
        while busy:
            for conn in wait(list(busy)):
                k = busy.pop(conn)  # type: ignore[arg-type]
                received = self._receive(conn)  # type: ignore[arg-type]
                give(k)  # its next unit first: the worker goes on while its last results are kept here
                for i, payload in received:
                    results[i] = unpack(payload)
                    if self.cache is not None:
                        self.cache.put_packed("group", jobs[i].key, payload)
        return [r if r is not None else GroupResult(()) for r in results]

    def _receive(self, conn: Connection) -> Any:
        try:
            kind, payload = conn.recv()
        except EOFError:
            raise PoolError("a worker process ended unexpectedly") from None
        if kind == "changed":
            raise InputChanged(payload)
        if kind != "ok":
            raise PoolError(f"a worker failed: {payload}")
        return payload

    def close(self) -> None:
        """Tell the workers to finish; they end once their cache writes are on disk.

        Not waited for here: the report is made meanwhile. Whoever reads the cache next, and the end of
        the process, wait for them (checker.accel.cache.wait_for_writes).
        """
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.send(None)
                conn.close()
        for proc in self.procs:
            wait_later(lambda proc=proc: _join(proc))
        self.conns, self.procs = [], []

    def __enter__(self) -> DocumentPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pays(files: list[Path], limits: Limits, cache: Any, workers: int, digests: dict[str, str] | None = None
         ) -> bool:
    """Whether loading these files in a DocumentPool beats loading them here: with two workers or more,
    on a platform that forks, for a corpus of MIN_BYTES or more that the cache does not mostly hold."""
    if workers < 2 or not can_fork():
        return False
    size = 0
    for f in files:
        with contextlib.suppress(OSError):
            size += f.stat().st_size
    if size < MIN_BYTES:
        return False
    # After an edit most files are summaries in the cache and only a few groups run again: starting
    # workers that would parse next to nothing only costs time (a tenth of such a run).
    return cache is None or summarised_bytes(files, limits, cache, digests) * 2 <= size


__all__ = ["MIN_BYTES", "DocumentPool", "PoolError", "PoolJob", "pays"]

"""Linting generated documents (tests/helpers/strategies.py corpora) with the shipped rules."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from checker.domain.findings import Finding
from checker.domain.load import load_paths
from checker.engine.run import lint
from tests.helpers.mutate import dump_yaml
from tests.helpers.rules import shipped_ruleset
from tests.helpers.strategies import Corpus

RULESET = shipped_ruleset()


def lint_documents(documents: dict[str, Any], as_of: dt.date) -> list[Finding]:
    # hypothesis and pytest's tmp_path do not mix (one directory for every example): a fresh one each time.
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in documents.items():
            (Path(tmp) / name).write_text(dump_yaml(data), encoding="utf-8")
        loaded = load_paths([tmp])
        assert loaded.errors == [], loaded.errors
        return lint(loaded.documents, RULESET, as_of).findings


def lint_corpus(corpus: Corpus) -> list[Finding]:
    return lint_documents(corpus.documents, corpus.as_of)


def newest(corpus: Corpus, kind: str) -> tuple[str, dict[str, Any]]:
    """The (last) document of a kind: the newest edition for roadmaps, the only one for reviews."""
    return [(n, d) for n, d in sorted(corpus.documents.items()) if d["document"]["kind"] == kind
            and not d["document"].get("variant")][-1]

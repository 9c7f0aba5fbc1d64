"""checker.importer sits beside the pipeline: only the import command (checker/cli/importing.py) imports it, and it imports only the loader
layers (checker.source, checker.domain) and itself, so the lint path never pays for pdfplumber."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "checker"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_only_the_import_command_imports_the_importer():
    users = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py")
             if "importer" not in p.relative_to(ROOT).parts and any(n.startswith("checker.importer") for n in _imports(p))}
    assert users == {"cli/importing.py"}


def test_the_importer_imports_only_the_loader_layers():
    allowed = ("checker.importer", "checker.source", "checker.domain")
    for path in (ROOT / "importer").rglob("*.py"):
        inner = {n for n in _imports(path) if n.startswith("checker")}
        assert all(n.startswith(allowed) for n in inner), (path.name, inner)


def test_importer_modules_stay_small():
    for path in (ROOT / "importer").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name

"""The import graph of checker/: layers that only import downwards, no cycle, small folders and modules.

Every import counts, those inside functions and under TYPE_CHECKING included: a lazy import may save
start-up time (api and cli import heavy modules where they are used), never hide a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "checker"

LAYERS: list[tuple[str, ...]] = [
    ("checker", "checker.timing"),  # neutral: import nothing of checker
    ("checker.source",),  # files in: discovery, encodings, YAML → values and source maps
    ("checker.domain",),  # the models, loading documents into them, the corpus, findings
    ("checker.rules", "checker.checks"),  # the rule language and the check kinds (see CHECKS_SEE)
    ("checker.engine",),  # running compiled rules over a corpus, suppressions, baselines
    ("checker.report",),  # formatters
    ("checker.accel",),  # everything that exists only for speed: workers, caches
    ("checker.api", "checker.api_context"),
    ("checker.importer",),  # published tables (PDF, .xlsx, text) → roadmap YAML; only the CLI uses it
    ("checker.cli", "checker.config"),  # the command line and its configuration files
]
"""Lowest first; a module may import from its own layer and the ones below, never from above."""

CHECKS_SEE = {"checker.rules.fields", "checker.rules.regex"}
"""The part of rules/ that check kinds may use (field paths, patterns): the rule files and their
compilation (ruleset, filters, templates) sit above the check kinds, which they look up."""

MAX_MODULES_PER_FOLDER = 15
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The checker modules an import statement reaches (`from a import b` reaches a.b when it is a module)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if node.level:
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[module].update(t for t in _targets(module, path, node) if t in MODULES and t != module)
    return graph


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, rank = len(name), i
    return rank


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) < 0] == []


def test_the_graph_sees_imports_inside_functions():
    """The walk must count lazy imports, or the tests below would prove nothing."""
    graph = import_graph()
    assert "checker.domain.load" in graph["checker.api"]  # imported inside functions only
    assert "checker.engine.run" in graph["checker.accel.runner"]


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_lower_layers_never_import_higher_ones():
    upward = sorted(f"{m} -> {t}" for m, targets in import_graph().items() for t in targets
                    if layer_of(t) > layer_of(m))
    assert upward == []


def test_check_kinds_use_only_the_rule_language():
    seen = sorted(f"{m} -> {t}" for m, targets in import_graph().items() if m.startswith("checker.checks")
                  for t in targets if t.startswith("checker.rules") and t not in CHECKS_SEE)
    assert seen == []


def test_no_private_names_cross_modules():
    """`from checker.x import _name` reaches into another module's insides: make the name public instead.
    (checker._fastyaml is the C extension, private to checker.source.yaml_fast, its one user.)"""
    crossing = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("checker"):
                crossing += [f"{module}: {node.module}.{a.name}" for a in node.names
                             if a.name.startswith("_") and f"{node.module}.{a.name}" not in MODULES
                             and not (module == "checker.source.yaml_fast" and a.name == "_fastyaml")]
    assert crossing == []


def test_folders_and_modules_stay_small():
    folders: dict[Path, int] = {}
    for path in MODULES.values():
        folders[path.parent] = folders.get(path.parent, 0) + 1
    assert {str(f.relative_to(ROOT)): n for f, n in folders.items() if n > MAX_MODULES_PER_FOLDER} == {}
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_has_a_docstring():
    missing = [m for m, p in MODULES.items() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


@pytest.mark.parametrize("argv", [["--no-cache", "-j", "1"], ["--no-cache", "--jobs=1"]])
def test_no_cache_and_one_job_run_nothing_of_accel(argv, tmp_path):
    """The speed layer is optional: without the cache and with one job the engine runs alone."""
    code = ("import sys\nfrom checker.cli import main\n"
            f"try:\n    main(['lint', {str(ROOT / 'roadmaps')!r}, '--as-of', '2017-12-31', '--format', 'json', "
            f"'--output', {str(tmp_path / 'out.json')!r}, *{argv!r}])\n"
            "except SystemExit as exc:\n    assert exc.code in (0, 1), exc.code\n"
            "print(sorted(m for m in sys.modules if m.startswith('checker.accel')))\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "ROADMAP_CHECK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out.json").stat().st_size > 0
    assert not (tmp_path / "cache").exists()

"""The layout's import rule: dockgen/ → generator/ → detectors/, never back up.

Also: every package module is importable under the one ``dockgen`` namespace. (That the Dockerfile
template holds no decisions is checked in test_render.py.)
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"detectors": 0, "generator": 1, "dockgen": 2}
PACKAGE_OF = {"detectors": "dockgen.detectors", "generator": "dockgen.generator", "dockgen": "dockgen"}


def _layer_of_module(name: str) -> int | None:
    if name.startswith("dockgen.detectors"):
        return 0
    if name.startswith("dockgen.generator"):
        return 1
    if name.startswith("dockgen.templates"):
        return None
    if name == "dockgen" or name.startswith("dockgen."):
        return 2
    return None


def _imports(path: Path, package: str) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append(mod)
    return out


FILES = [(folder, p) for folder in LAYERS for p in sorted((ROOT / folder).glob("*.py"))]


@pytest.mark.parametrize("folder,path", FILES, ids=[f"{f}/{p.name}" for f, p in FILES])
def test_imports_point_down(folder, path):
    own = LAYERS[folder]
    for mod in _imports(path, PACKAGE_OF[folder]):
        layer = _layer_of_module(mod)
        assert layer is None or layer <= own, f"{folder}/{path.name} imports {mod}, which sits above it"


@pytest.mark.parametrize("folder,path", FILES, ids=[f"{f}/{p.name}" for f, p in FILES])
def test_every_module_imports(folder, path):
    if path.name == "__main__.py":
        return
    name = PACKAGE_OF[folder] + ("" if path.stem == "__init__" else "." + path.stem)
    importlib.import_module(name)


def test_import_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ..generator import planner\n")
    mods = _imports(bad, "dockgen.detectors")
    assert any(_layer_of_module(m) == 1 for m in mods)


# ---- no import cycles, lazy imports included ------------------------------------------------------


def _module_name(folder: str, path: Path) -> str:
    return PACKAGE_OF[folder] + ("" if path.stem == "__init__" else "." + path.stem)


def _graph(files: list[tuple[str, Path]]) -> dict[str, set[str]]:
    """Product module → the product modules it imports (anywhere in the file, functions included)."""
    names = {_module_name(f, p) for f, p in files}
    graph: dict[str, set[str]] = {}
    for folder, path in files:
        me = _module_name(folder, path)
        package = me if path.stem == "__init__" else me.rsplit(".", 1)[0]
        edges = set()
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                targets = _from_targets(".".join(base + ([node.module] if node.module else [])), node, names)
            elif isinstance(node, ast.ImportFrom):
                targets = _from_targets(node.module or "", node, names)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            edges |= {t for t in targets if t in names and t != me}
        graph[me] = edges
    return graph


def _from_targets(mod: str, node: ast.ImportFrom, names: set[str]) -> list[str]:
    """``from pkg import sub`` imports the submodule; ``from pkg import name`` imports pkg itself."""
    subs = [f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in names]
    return subs if len(subs) == len(node.names) else [mod, *subs]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    cycles = _cycles(_graph(FILES))
    assert not cycles, f"product modules import each other in a cycle: {cycles}"


def test_cycle_check_can_fail(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    from . import b\n")
    (tmp_path / "b.py").write_text("from . import a\n")
    graph = _graph([("dockgen", tmp_path / "a.py"), ("dockgen", tmp_path / "b.py")])
    assert _cycles(graph) == [["dockgen.a", "dockgen.b"]]


# ---- one module lists the stacks ---------------------------------------------------------------


def _stack_modules() -> set[Path]:
    """A stack's own files: its detector modules and its planner's helper modules."""
    from dockgen.generator import stacks

    own = set()
    for name in stacks.names():
        own |= set((ROOT / "detectors").glob(f"{name}*.py")) | set((ROOT / "generator").glob(f"{name}_*.py"))
    return own


def _listings(path: Path, stack_names: set[str]) -> list[int]:
    """Lines holding a tuple/list/set/dict (or Literal) that names two or more stacks."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        items = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        if items is None:
            continue
        named = {i.value for i in items if isinstance(i, ast.Constant) and i.value in stack_names}
        if len(named) >= 2:
            lines.append(node.lineno)
    return lines


def test_only_the_registry_lists_the_stacks():
    from dockgen.generator import stacks

    names = set(stacks.names())
    assert len(names) >= 4
    own = _stack_modules()
    offenders = {f"{folder}/{p.name}:{ln}" for folder, p in FILES if p not in own
                 for ln in _listings(p, names)}
    assert not offenders, f"stack names listed outside the registry: {sorted(offenders)}"


def test_stack_listing_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('PLANNERS = {"python": 1, "go": 2}\n')
    assert _listings(bad, {"python", "go", "node"}) == [1]


# ---- planner functions stay short ------------------------------------------------------------------

#: A planner is its phases composed by a thin ``plan()``; a longer function is a phase to split out.
MAX_FUNCTION_LINES = 60


def _long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``name (N lines)`` for every function (methods and nested ones too) longer than ``limit``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                out.append(f"{node.name} ({lines} lines)")
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "generator").glob("*.py")), ids=lambda p: f"generator/{p.name}")
def test_generator_functions_are_short(path):
    assert not _long_functions(path), f"generator/{path.name}: split into phases or helpers: {_long_functions(path)}"


def test_function_length_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    bad.write_text(f"def ok():\n    pass\n\n\nclass C:\n    def long(self):\n{body}")
    assert _long_functions(bad) == [f"long ({MAX_FUNCTION_LINES + 1} lines)"]

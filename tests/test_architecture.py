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

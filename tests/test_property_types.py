"""Property tests, type confusion: manifest keys that reach the Dockerfile given values of the wrong
type (numbers, booleans, lists, tables, nesting) in package.json, pyproject.toml and dockgen.toml.
Each example is refused cleanly (a one-line DockgenError) or renders exactly the plan — never a
traceback (support/props.py)."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from support.props import Budget, example_repo, plan_or_refuse, profile, toml_str, write

scalars = st.one_of(st.integers(-2**40, 2**40), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                    st.text(max_size=8), st.sampled_from(["", "app", "1.0", "server.js", "node server.js"]))
json_values = st.recursive(scalars | st.none(), lambda c: st.lists(c, min_size=1, max_size=3) |
                           st.dictionaries(st.text(max_size=6), c, max_size=3), max_leaves=6)
toml_values = st.recursive(scalars, lambda c: st.lists(c, min_size=1, max_size=3) |
                           st.dictionaries(st.sampled_from(["a", "b", "text", "name", "python"]), c, max_size=3),
                           max_leaves=6)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) and ("." in repr(v) or "e" in repr(v)) else f"{v}.0"
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{toml_str(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


budget_node = Budget()
budget_py = Budget()
budget_cfg = Budget()

NODE_KEYS = ["name", "version", "description", "license", "main", "scripts", "engines", "packageManager",
             "dependencies", "devDependencies", "workspaces", "type", "private"]
PY_KEYS = ["name", "version", "description", "license", "requires-python", "scripts", "dependencies"]
CFG_KEYS = ["runner", "stack", "command", "port", "main", "packages", "build_packages", "ignore", "healthcheck",
            "allow_unlocked", "strict", "skip", "versions", "env", "labels"]


@profile(200)
@given(key=st.sampled_from(NODE_KEYS), value=json_values, start=st.one_of(st.none(), json_values))
def _node_types(key, value, start):
    with example_repo("node-express-npm") as repo:
        pkg = json.loads((repo / "package.json").read_text())
        pkg[key] = value
        if start is not None and isinstance(pkg.get("scripts"), dict):
            pkg["scripts"]["start"] = start
        write(repo, "package.json", json.dumps(pkg))
        plan_or_refuse(repo, [], budget_node)


@profile(200)
@given(key=st.sampled_from(PY_KEYS), value=toml_values, tool=st.one_of(st.none(), toml_values))
def _python_types(key, value, tool):
    with example_repo("python-poetry") as repo:
        lines = [f"tool = {toml_value(tool)}"] if tool is not None else []
        lines += ["[project]", f"{toml_str(key)} = {toml_value(value)}"]
        for k, v in (("name", "app"), ("version", "1.0"), ("dependencies", ["flask (>=3.1,<4)", "gunicorn (>=23,<24)"])):
            if k != key:
                lines.append(f"{k} = {toml_value(v)}")
        if tool is None:
            lines += ["[tool.poetry]", "package-mode = false"]
        write(repo, "pyproject.toml", "\n".join(lines) + "\n")
        plan_or_refuse(repo, [], budget_py)


@profile(200)
@given(key=st.sampled_from(CFG_KEYS), value=toml_values)
def _config_types(key, value):
    with example_repo("python-flask-pip") as repo:
        write(repo, "dockgen.toml", f"{key} = {toml_value(value)}\n")
        plan_or_refuse(repo, [], budget_cfg)


def test_package_json_types():
    _node_types()
    budget_node.require(200)


def test_pyproject_types():
    _python_types()
    budget_py.require(200)


def test_dockgen_toml_types():
    _config_types()
    budget_cfg.require(200)

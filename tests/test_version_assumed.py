"""A runtime version older than every catalog line (an end-of-life line dockgen has no image for):
built with the oldest line still supported, assumed — a loud warning naming the file and the flag,
the header and ``plan --json`` say so, and ``--strict`` refuses it. Newer or in-between requests,
and options the user set, stay errors (``Runtime.select``/``Runtime.assume``, one place for every stack).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.facts import Fact, Source
from dockgen.generator.catalog import load_catalog
from support.lint import assert_clean
from support.node_projects import npm_project, pkg
from support.tree import write_tree
from test_java_detector import pom, props
from test_java_plan import DEP, MAIN_CP

NODE = "26, 24, 22, 20, 18"
PYTHON = "3.15, 3.14, 3.13, 3.12, 3.11, 3.10, 3.9"
JAVA = "25, 21, 17, 11, 8"
GO = "1.27, 1.26, 1.25, 1.24, 1.23, 1.22, 1.21"
FLASK = {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\n",
         "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
GO_MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n'


def header(p) -> str:
    return "\n".join(p.plan.reasons)


def assumed_warning(p) -> str:
    (w,) = [w for w in p.plan.warnings if "older than every line in dockgen's catalog" in w]
    return w


# --- the catalog: which line is "the oldest still supported" (as of reviewed = 2026-12-01) ---------


@pytest.mark.parametrize("stack,line", [("node", "22"), ("python", "3.11"), ("java", "11"), ("go", "1.26")])
def test_oldest_supported_line_is_judged_against_reviewed(stack, line):
    rt = load_catalog().section(stack)
    assert rt.oldest_supported() == line
    older = [v for v in rt.ordered() if rt.ordered().index(v) > rt.ordered().index(line)]
    assert all(rt.is_eol(v) for v in older) and not rt.is_eol(line)


def test_a_later_review_moves_the_substitute_and_all_eol_falls_back_to_the_default():
    rt = load_catalog().section("node")
    assert rt.model_copy(update={"reviewed": "2027-05-01"}).oldest_supported() == "24"
    assert rt.model_copy(update={"reviewed": "2099-01-01"}).oldest_supported() == rt.default


def test_select_only_substitutes_for_older_requests():
    rt = load_catalog().section("java")
    ask = Fact(value="7", source=Source.of("pom.xml", "<maven.compiler.release>"))
    sel = rt.select(ask, what="Java version", flag="--java-version")
    assert sel.version == "11" and sel.assumed and "pom.xml" in sel.warning
    for value in ("22", "26", "abc", "${java.version}"):  # between lines, newer, not a version
        with pytest.raises(InvalidInputError, match="is not in dockgen's catalog"):
            rt.select(Fact(value=value, source=ask.source), what="Java version", flag="--java-version")
    with pytest.raises(InvalidInputError, match="is not in dockgen's catalog"):  # an option the user set
        rt.select(ask, what="Java version", flag="--java-version", project=False)


# --- Node ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("files,package_fields,file,asked", [
    ({".nvmrc": "16\n"}, {}, ".nvmrc", "16"),
    ({".node-version": "v16.20.2"}, {}, ".node-version", "v16.20.2"),
    ({}, {"engines": {"node": "4.0.0"}}, "package.json", "4.0.0"),
    ({}, {"engines": {"node": ">=4 <5"}}, "package.json", ">=4 <5"),
    ({}, {"engines": {"node": "^16.0.0"}}, "package.json", "^16.0.0"),
    ({}, {"engines": {"node": "14.x || 16.x"}}, "package.json", "14.x || 16.x"),
    ({".nvmrc": "lts/gallium\n"}, {}, ".nvmrc", "lts/gallium"),
])
def test_node_older_than_the_catalog_is_built_on_the_oldest_supported_line(tmp_path, files, package_fields,
                                                                           file, asked):
    p = dockgen.plan(npm_project(tmp_path, pkg(**package_fields), files))
    assert p.plan.stages[0].image.tagged == "node:22-bookworm-slim"
    assert f"FROM gcr.io/distroless/nodejs22-debian12:nonroot" in p.dockerfile
    w = assumed_warning(p)
    assert w.startswith(f"Node.js version {asked!r} (from {file}")
    assert f"({NODE}), which has no image for it: building with Node.js version 22 instead (assumed" in w
    assert "check that the app works on Node.js version 22" in w
    assert w.endswith(f"pass --node-version 22 (or another of {NODE}), or update {file}")
    assert f"# node {asked!r} → 22 (assumed: {file}" in p.dockerfile
    assert "older than every catalog line; the oldest line still supported; image node 22.20.0)" in p.dockerfile
    assert "is not reproduced" not in header(p)  # the patch is not the point: the whole line is substituted
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("files,package_fields,file", [
    ({".nvmrc": "27\n"}, {}, ".nvmrc"),                           # newer than the catalog
    ({".node-version": "v19.9.0"}, {}, ".node-version"),          # between 18 and 20
    ({}, {"engines": {"node": ">=27"}}, "package.json"),          # a range above the catalog
    ({}, {"engines": {"node": ">=17.5 <18.1"}}, "package.json"),  # reaches into 18, which its image (18.20.8) is not
    ({}, {"engines": {"node": "^19.0.0"}}, "package.json"),       # between lines
])
def test_node_newer_or_between_stays_an_error(tmp_path, files, package_fields, file):
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(npm_project(tmp_path, pkg(**package_fields), files))
    assert str(exc.value).startswith(f"{file}: ") and f"supported: {NODE}" in str(exc.value)


def test_node_strict_refuses_the_assumed_line(tmp_path):
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(npm_project(tmp_path, extra={".nvmrc": "16\n"}), strict=True)
    assert exc.value.exit_code == 5 and exc.value.file == ".nvmrc"
    assert "--strict refuses assumed values" in exc.value.message and "would assume Node.js version 22" in exc.value.message
    assert exc.value.hint == f"pass --node-version 22 (or another of {NODE}), or update .nvmrc"


def test_node_option_wins_over_an_old_file_without_a_warning(tmp_path):
    p = dockgen.plan(npm_project(tmp_path, extra={".nvmrc": "16\n"}), node_version="24", strict=True)
    assert p.plan.stages[0].image.tagged == "node:24-bookworm-slim"
    assert not any("older than every line" in w for w in p.plan.warnings)
    assert "assumed" not in header(p).split("\n")[0]


def test_node_option_older_than_the_catalog_is_an_error_not_a_substitute(tmp_path):
    # The user typed it: dockgen does not replace a version the user set.
    with pytest.raises(Exception, match="is not in dockgen's catalog"):
        dockgen.plan(npm_project(tmp_path), node_version="16")


def test_node_other_old_requests_are_named_against_the_assumed_line(tmp_path):
    p = dockgen.plan(npm_project(tmp_path, pkg(engines={"node": "16.x"}), {".nvmrc": "16\n"}))
    assert p.plan.stages[0].image.tagged == "node:22-bookworm-slim"
    assert any("package.json engines.node (16.x) does not match node 22" in w for w in p.plan.warnings)


# --- Python -------------------------------------------------------------------------------------


@pytest.mark.parametrize("files,file,asked", [
    ({".python-version": "3.8\n"}, ".python-version", "3.8"),
    ({".python-version": "3.8.10\n"}, ".python-version", "3.8.10"),
    ({"runtime.txt": "python-3.7.12\n"}, "runtime.txt", "3.7.12"),
    ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.7,<3.9"\n'}, "pyproject.toml", "<3.9,>=3.7"),
    ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = "~=3.8.0"\n'}, "pyproject.toml", "~=3.8.0"),
    ({".python-version": "3.8\n", "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8,<3.9"\n'},
     ".python-version", "3.8"),
])
def test_python_older_than_the_catalog_is_built_on_the_oldest_supported_minor(tmp_path, files, file, asked):
    p = dockgen.plan(write_tree(tmp_path, {**FLASK, **files}))
    assert p.plan.stages[0].image.tagged == "python:3.11-slim-bookworm"
    w = assumed_warning(p)
    assert w.startswith(f"Python version {asked!r} (from {file}")
    assert "building with Python version 3.11 instead (assumed" in w
    assert w.endswith(f"pass --python-version 3.11 (or another of {PYTHON}), or update {file}")
    assert f"# python 3.11 (assumed: {file}" in p.dockerfile
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("files,file", [
    ({".python-version": "3.16\n"}, ".python-version"),
    ({".python-version": "2.7\n"}, ".python-version"),  # Python 2 code does not run on 3: never a substitute
    ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.16"\n'}, "pyproject.toml"),
])
def test_python_newer_or_python2_stays_an_error(tmp_path, files, file):
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(write_tree(tmp_path, {**FLASK, **files}))
    assert str(exc.value).startswith(f"{file}: ") and PYTHON in str(exc.value)


def test_python_old_pin_with_a_range_the_catalog_meets_must_still_agree(tmp_path):
    files = {**FLASK, ".python-version": "3.8\n",
             "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.7,<3.11"\n'}
    with pytest.raises(InvalidInputError, match="does not satisfy"):
        dockgen.plan(write_tree(tmp_path, files))


def test_python_strict_refuses_and_the_option_wins(tmp_path):
    root = write_tree(tmp_path, {**FLASK, ".python-version": "3.8\n"})
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(root, strict=True)
    assert exc.value.file == ".python-version" and "--strict refuses assumed values" in exc.value.message
    p = dockgen.plan(root, python_version="3.12", strict=True)
    assert p.plan.stages[0].image.tagged == "python:3.12-slim-trixie"
    assert not any("older than every line" in w for w in p.plan.warnings)
    with pytest.raises(Exception, match="is not in dockgen's catalog"):
        dockgen.plan(root, python_version="3.8")


# --- Java ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("prop,value,asked", [
    ("maven.compiler.release", "7", "7"),
    ("java.version", "1.7", "7"),  # the detector reads 1.7 as 7
    ("maven.compiler.target", "1.6", "6"),
])
def test_java_older_than_the_catalog_is_built_on_the_oldest_supported_major(tmp_path, prop, value, asked):
    (tmp_path / "pom.xml").write_text(pom(props(**{prop: value}) + MAIN_CP + DEP))
    p = dockgen.plan(tmp_path)
    assert p.plan.stages[0].image.tagged == "maven:3.9-eclipse-temurin-11"
    assert "FROM eclipse-temurin:11-jre" in p.dockerfile
    w = assumed_warning(p)
    assert w.startswith(f"Java version {asked!r} (from pom.xml")
    assert w.endswith(f"pass --java-version 11 (or another of {JAVA}), or update pom.xml")
    assert "# java 11 (assumed: pom.xml" in p.dockerfile
    assert_clean(p.dockerfile)


def test_java_strict_refuses_and_the_option_wins(tmp_path):
    (tmp_path / "pom.xml").write_text(pom(props(**{"maven.compiler.release": "7"}) + MAIN_CP + DEP))
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(tmp_path, strict=True)
    assert exc.value.file == "pom.xml" and "--strict refuses assumed values" in exc.value.message
    p = dockgen.plan(tmp_path, java_version="17", port=8080, strict=True)
    assert p.plan.stages[0].image.tagged == "maven:3.9-eclipse-temurin-17"
    assert not any("older than every line" in w for w in p.plan.warnings)


# --- Go -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("go_line", ["go 1.16", "go 1.19", "go 1.20.3"])
def test_go_line_older_than_the_catalog_is_built_on_the_oldest_supported_line(tmp_path, go_line):
    p = dockgen.plan(write_tree(tmp_path, {"go.mod": f"module example.com/app\n\n{go_line}\n", "main.go": GO_MAIN}))
    assert p.plan.stages[0].image.tagged == "golang:1.26-bookworm"
    w = assumed_warning(p)
    assert w.startswith(f"Go {go_line[3:]!r} (from go.mod go)")
    assert w.endswith(f"pass --go-version 1.26 (or another of {GO}), or update go.mod")
    assert "# Go 1.26: golang:1.26-bookworm (assumed: go.mod go asks for" in p.dockerfile
    assert_clean(p.dockerfile)


def test_go_strict_refuses_the_option_wins_and_an_old_option_is_an_error(tmp_path):
    root = write_tree(tmp_path, {"go.mod": "module example.com/app\n\ngo 1.19\n", "main.go": GO_MAIN})
    with pytest.raises(InvalidInputError) as exc:
        dockgen.plan(root, strict=True)
    assert exc.value.file == "go.mod" and "--strict refuses assumed values" in exc.value.message
    p = dockgen.plan(root, go_version="1.21", strict=True)
    assert p.plan.stages[0].image.tagged == "golang:1.21-bookworm"
    assert not any("older than every line" in w for w in p.plan.warnings)
    with pytest.raises(Exception, match="older than every Go in dockgen's catalog"):
        dockgen.plan(root, go_version="1.19")


# --- the CLI: stderr, plan --json, exit codes -----------------------------------------------------


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "dockgen", *args], capture_output=True, text=True, timeout=120)


def test_cli_warns_on_stderr_and_plan_json_says_assumed(tmp_path):
    root = npm_project(tmp_path, extra={".nvmrc": "16\n"})
    init = _cli("init", str(root), "--stdout")
    assert init.returncode == 0, init.stderr
    assert "warning: Node.js version '16' (from .nvmrc) is older than every line" in init.stderr
    assert "--node-version" in init.stderr and "FROM node:22-bookworm-slim" in init.stdout
    out = _cli("plan", str(root), "--json")
    assert out.returncode == 0, out.stderr
    plan = json.loads(out.stdout)["plan"]
    assert any(r.startswith("node '16' → 22 (assumed: .nvmrc") for r in plan["reasons"])
    assert any("older than every line in dockgen's catalog" in w for w in plan["warnings"])
    strict = _cli("init", str(root), "--stdout", "--strict")
    assert strict.returncode == 5 and "--strict refuses assumed values" in strict.stderr
    assert "Traceback" not in strict.stderr and not strict.stdout

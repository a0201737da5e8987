"""Property tests, Python: every pyproject/Procfile/version-file/requirements field that reaches
the Dockerfile, drawn from hostile strategies. Each example is refused cleanly (exit 5, one line)
or renders a Dockerfile that parses back to exactly the planned instructions (support/props.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from support.props import (Budget, example_repo, field_value, plan_or_refuse, profile,
                           safe_filename, toml_str, write)

NAMES = ["hello-poetry", "app", "my_app", "a.b", "x1"]
VERSIONS = ["0.3.0", "1.0", "2024.1.1", "1.0.0rc1", "1.0+local"]
DESCRIPTIONS = ["A Flask app", "Déjà vu — ünïcode", "x" * 250, ""]
LICENSES = ["MIT", "Apache-2.0", "MIT OR Apache-2.0"]
REQUIRES = [">=3.11,<3.14", ">=3.11", "==3.12.*", "~=3.11", ">=3.9"]
SCRIPTS = ["web:app", "pkg.mod:main", "web:main.run"]
SCRIPT_NAMES = ["serve", "web", "my-app"]
PY_VERSIONS = ["3.11", "3.12.4", "3.13", "3.11.9", "pypy3.10", "system"]

PYPROJECT = """[project]
name = {name}
version = {version}
description = {description}
license = {license}
requires-python = {requires}
dependencies = [
  "flask (>=3.1,<4)",
  "gunicorn (>=23,<24)",
]
{scripts}
[tool.poetry]
package-mode = false
"""

budget_pyproject = Budget()
budget_files = Budget()


@profile(500)
@given(name=field_value(NAMES), version=field_value(VERSIONS), description=field_value(DESCRIPTIONS, 60),
       license=field_value(LICENSES), requires=field_value(REQUIRES),
       script=st.none() | st.tuples(field_value(SCRIPT_NAMES), field_value(SCRIPTS)))
def _pyproject_fields(name, version, description, license, requires, script):
    scripts = f"[project.scripts]\n{toml_str(script[0])} = {toml_str(script[1])}\n" if script else ""
    with example_repo("python-poetry") as repo:
        write(repo, "pyproject.toml", PYPROJECT.format(
            name=toml_str(name), version=toml_str(version), description=toml_str(description),
            license=toml_str(license), requires=toml_str(requires), scripts=scripts))
        plan_or_refuse(repo, [name, version, description, license, requires, *(script or ())], budget_pyproject)


def test_pyproject_fields():
    _pyproject_fields()
    budget_pyproject.require(500)
    assert budget_pyproject.rendered >= 25 and budget_pyproject.refused >= 25, budget_pyproject


@profile(350)
@given(pyver=field_value(PY_VERSIONS), procfile=st.none() | field_value(["gunicorn app:app", "gunicorn -b 0.0.0.0:$PORT app:app"], 40),
       module=field_value(["app", "server", "main_app"]), include=st.none() | field_value(["base.txt", "reqs/base.txt"]),
       raw_version_file=st.none() | st.binary(max_size=16))
def _files(pyver, procfile, module, include, raw_version_file):
    with example_repo("python-flask-pip") as repo:
        injected = [pyver, module]
        if raw_version_file is not None:
            write(repo, ".python-version", raw_version_file)
        else:
            write(repo, ".python-version", pyver + "\n")
        if procfile is not None:
            write(repo, "Procfile", f"web: {procfile}\n")
            injected.append(procfile)
        if safe_filename(module + ".py") and module != "app":
            (repo / "app.py").rename(repo / f"{module}.py")
        if include is not None:
            reqs = (repo / "requirements.txt").read_text()
            write(repo, "requirements.txt", f"-r {include}\n{reqs}")
            if safe_filename(include.replace("/", "_")) and "\n" not in include and "\x00" not in include:
                try:
                    write(repo, include, "itsdangerous==2.2.0\n")
                except (OSError, ValueError):
                    pass
            injected.append(include)
        plan_or_refuse(repo, injected, budget_files)


def test_version_procfile_module_and_include_fields():
    _files()
    budget_files.require(350)
    assert budget_files.rendered >= 25 and budget_files.refused >= 25, budget_files

"""uv workspaces: the root above a member (globs, exclude), the member's install from the root's
uv.lock limited to it, the files written beside the member, and the refusal at a root without an app."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dockgen
from dockgen import drift_check
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.python_workspace import members, workspace_root
from dockgen.generator import stacks
from support.lint import assert_clean
from support.tree import write_tree

ROOT = '[tool.uv.workspace]\nmembers = ["apps/*", "libs/*"]\nexclude = ["apps/old"]\n'
LOCK = """version = 1
revision = 3
requires-python = ">=3.12"

[manifest]
members = ["api", "shared", "worker"]

[[package]]
name = "api"
version = "1.0"
source = { editable = "apps/api" }
dependencies = [{ name = "fastapi" }, { name = "shared" }, { name = "uvicorn" }]

[[package]]
name = "shared"
version = "0.1"
source = { editable = "libs/shared" }
dependencies = [{ name = "h11" }]

[[package]]
name = "worker"
version = "0.1"
source = { editable = "apps/worker" }

[[package]]
name = "uvicorn"
version = "0.38.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "h11" }]

[[package]]
name = "fastapi"
version = "0.121.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "h11"
version = "0.16.0"
source = { registry = "https://pypi.org/simple" }
"""
BUILD = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, deps: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "1.0"\nrequires-python = ">=3.12"\ndependencies = [{deps}]\n{BUILD}'


def tree(tmp_path, root: str = ROOT):
    return write_tree(tmp_path, {
        "pyproject.toml": root, "uv.lock": LOCK, ".python-version": "3.13\n",
        "apps/api/pyproject.toml": project("api", '"fastapi", "shared", "uvicorn"') + "[tool.uv.sources]\nshared = { workspace = true }\n",
        "apps/api/api/__init__.py": "", "apps/api/api/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "apps/worker/pyproject.toml": project("worker"),
        "apps/old/pyproject.toml": project("old"),  # excluded: not a member
        "libs/shared/pyproject.toml": project("shared", '"h11"'),
        "libs/shared/shared/__init__.py": "X = 1\n",
        "frontend/package.json": "{}\n",
    })


def test_members_expand_globs_in_order_and_honour_exclude(tmp_path):
    root = tree(tmp_path)
    assert members(root) == ("apps/api", "apps/worker", "libs/shared")
    assert workspace_root(root / "apps/api") == root.resolve()
    assert workspace_root(root / "apps/old") is None  # excluded
    assert workspace_root(root / "frontend") is None  # no pyproject.toml
    assert members(root / "apps/api") == ()


def test_member_builds_from_the_root_with_the_lock_limited_to_it(tmp_path):
    root = tree(tmp_path)
    p = dockgen.plan(root / "apps/api")
    ws = p.facts.workspace.value
    assert (ws.dir, ws.name, ws.needs) == ("apps/api", "api", ("libs/shared",))
    assert p.facts.manager.value == "uv" and p.facts.lockfile.source.file == "../../uv.lock"
    assert p.facts.python_version.value == "3.13" and p.facts.python_version.source.file == "../../.python-version"
    assert p.facts.manifests == ("pyproject.toml", "uv.lock", "apps/api/pyproject.toml",
                                 "apps/worker/pyproject.toml", "libs/shared/pyproject.toml")
    builder = p.plan.stages[0]
    runs = [i.command for i in builder.instructions if i.kind == "run"]
    assert runs[-2].endswith("uv sync --locked --no-dev --package api --no-install-workspace")
    assert runs[-1].endswith("uv sync --locked --no-dev --package api --no-editable")
    copies = [(c.sources, c.dest) for c in builder.instructions if c.kind == "copy"]
    # every member's pyproject.toml for --locked, then only the sources the member needs (not apps/worker)
    assert copies == [(("pyproject.toml", "uv.lock"), "./"), (("apps/api/pyproject.toml",), "apps/api/"),
                      (("apps/worker/pyproject.toml",), "apps/worker/"), (("libs/shared/pyproject.toml",), "libs/shared/"),
                      (("libs/shared",), "./libs/shared/"), (("apps/api",), "./apps/api/")]
    final = p.plan.stages[-1]
    assert [c.sources for c in final.instructions if c.kind == "copy" and not c.from_stage] == [("apps/api",)]
    assert "# Build (BuildKit):  DOCKER_BUILDKIT=1 docker build -f apps/api/Dockerfile -t IMAGE .\n" in p.dockerfile
    assert "**/.venv" in p.plan.ignore and ".venv" not in p.plan.ignore and "**/Dockerfile" in p.plan.ignore
    assert_clean(p.dockerfile)


def test_installed_set_is_the_members_own(tmp_path):
    # The lock's production walk starts at the member's package, not at the (virtual) root.
    p = dockgen.plan(tmp_path_root := tree(tmp_path) / "apps/api")
    assert set(p.facts.installed.value) == {"fastapi", "shared", "uvicorn", "h11"}
    assert tmp_path_root.is_dir()


def test_generate_writes_the_ignore_file_beside_the_member_dockerfile(tmp_path):
    root = tree(tmp_path)
    first = dockgen.generate(root / "apps/api")
    assert {f.path: f.status for f in first.files} == {"Dockerfile": "create", "Dockerfile.dockerignore": "create",
                                                       "compose.yaml": "create"}
    assert not (root / ".dockerignore").exists() and not (root / "apps/api/.dockerignore").exists()
    report = drift_check.check(root / "apps/api", pins=False)
    assert [(f.path, f.status) for f in report.files] == [("Dockerfile", "ok"), ("Dockerfile.dockerignore", "ok"),
                                                          ("compose.yaml", "ok")]
    state = (root / "apps/api/.dockgen/state.json").read_text()
    assert '"uv.lock"' in state and '"libs/shared/pyproject.toml"' in state


def test_cli_init_from_the_root_and_inside_the_member_agree(tmp_path):
    root = tree(tmp_path)
    inside = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout"], cwd=root / "apps/api",
                            capture_output=True, text=True, timeout=120)
    above = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout", "apps/api"], cwd=root,
                           capture_output=True, text=True, timeout=120)
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout == above.stdout == dockgen.plan(root / "apps/api").dockerfile


def test_root_without_an_app_is_refused_naming_the_members_that_serve(tmp_path):
    root = tree(tmp_path)
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root)
    assert e.value.exit_code == 5 and e.value.file == "pyproject.toml"
    assert "uv workspace root with no app of its own" in e.value.message
    assert "its members that start an app: apps/api" in e.value.message  # worker and shared do not
    assert e.value.hint.startswith("run `dockgen init apps/api`")


def test_root_beside_another_stacks_app_is_ignored_with_the_hint(tmp_path):
    root = tree(tmp_path)
    facts = stacks.detect_all(stacks.open_repo(root))["python"]
    assert facts.tooling_reason() == ("pyproject.toml: a uv workspace root with no app of its own "
                                      "(build a member: dockgen init apps/api)")


def test_member_without_its_package_in_the_lock_is_refused(tmp_path):
    root = tree(tmp_path)
    (root / "uv.lock").write_text(LOCK.replace('editable = "apps/api"', 'editable = "apps/gone"'))
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root / "apps/api")
    assert e.value.file == "uv.lock" and "uv lock" in e.value.hint


def test_project_outside_the_members_is_a_project_of_its_own(tmp_path):
    root = tree(tmp_path)
    write_tree(root, {"tools/x/pyproject.toml": project("x", '"flask"'), "tools/x/app.py": "import flask\n",
                      "tools/x/requirements.txt": "flask==3.0.0\n"})
    p = dockgen.plan(root / "tools/x")
    assert p.facts.workspace is None and p.plan.context is None


def test_django_member_collects_its_static_files_in_its_own_directory(tmp_path):
    root = tree(tmp_path)
    write_tree(root, {
        "apps/site/pyproject.toml": project("site", '"django", "gunicorn"'),
        "apps/site/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
        "apps/site/site1/__init__.py": "", "apps/site/site1/wsgi.py": "application = None\n",
        "apps/site/site1/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                                       "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.staticfiles']\n"
                                       "STATIC_ROOT = BASE_DIR / 'staticfiles'\n",
    })
    lock = LOCK.replace('members = ["api", "shared", "worker"]', 'members = ["api", "shared", "site", "worker"]')
    lock += ('\n[[package]]\nname = "site"\nversion = "1.0"\nsource = { editable = "apps/site" }\n'
             'dependencies = [{ name = "django" }, { name = "gunicorn" }]\n'
             '\n[[package]]\nname = "django"\nversion = "5.2.19"\nsource = { registry = "https://pypi.org/simple" }\n'
             '\n[[package]]\nname = "gunicorn"\nversion = "23.0.0"\nsource = { registry = "https://pypi.org/simple" }\n')
    (root / "uv.lock").write_text(lock)
    p = dockgen.plan(root / "apps/site")
    builder, runner = p.plan.stages[0], p.plan.stages[-1]
    ins = list(builder.instructions)
    run = next(i for i in ins if i.kind == "run" and "collectstatic" in i.command)
    assert ins[ins.index(run) - 2].kind == "workdir" and ins[ins.index(run) - 2].path == "/app/apps/site"
    assert any(i.kind == "copy" and i.from_stage == "builder" and i.sources == ("/app/apps/site/staticfiles",)
               and i.dest == "/app/staticfiles" for i in runner.instructions)
    assert_clean(p.dockerfile)


def test_member_globs_with_double_star_and_literal_paths(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": '[tool.uv.workspace]\nmembers = ["svc/**/api", "tools/cli"]\n',
                          "svc/a/api/pyproject.toml": project("a"), "svc/b/c/api/pyproject.toml": project("b"),
                          "svc/a/pyproject.toml": project("not-matched"), "tools/cli/pyproject.toml": project("cli"),
                          "svc/.hidden/api/pyproject.toml": project("hidden")})
    assert members(tmp_path) == ("svc/a/api", "svc/b/c/api", "tools/cli")


def test_a_member_outside_the_root_is_skipped_not_fatal(tmp_path):
    write_tree(tmp_path, {"ws/pyproject.toml": '[tool.uv.workspace]\nmembers = ["../shared", "/abs", "api"]\n',
                          "ws/api/pyproject.toml": project("api"), "shared/pyproject.toml": project("shared")})
    assert members(tmp_path / "ws") == ("api",)

"""A server the start runs but the dependencies do not install (issue 11 item 6): dockgen adds the
catalog's pin in its own ``--no-deps`` step after the locked install, with a loud warning naming the pin
and how to make it the project's own; ``--strict`` refuses it; a server without a catalog pin, and a
known program that is not a server, stay errors naming the package."""

from __future__ import annotations

import json

import pytest

import dockgen
from dockgen.detectors import python as py
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.detectors.repo import RepoView
from support.lint import assert_clean
from support.tree import write_tree

PIP = "python -m pip --python /opt/venv/bin/python"
DJANGO = {"requirements.txt": "asgiref==3.13.0\ndjango==5.2.19\nsqlparse==0.6.1\n",
          "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
          "site/__init__.py": "", "site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
          "site/wsgi.py": "application = None\n"}
FASTAPI = {"main.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
FLASK_APP = {"app.py": "from flask import Flask\napp = Flask(__name__)\n"}


def planned(tmp_path, files, **opts):
    return dockgen.plan(write_tree(tmp_path, files), **opts)


def detect(tmp_path, files):
    return py.detect(RepoView(write_tree(tmp_path, files)))


def runs(p):
    return [i.command for s in p.plan.stages for i in s.instructions if i.kind == "run"]


def cmd_of(p):
    return next(i for i in p.plan.stages[-1].instructions if i.kind == "cmd").argv


def test_django_without_a_server_gets_gunicorn_warned_in_the_header_and_the_json(tmp_path):
    p = planned(tmp_path, DJANGO)
    assert cmd_of(p) == ("-m", "gunicorn", "--bind", "0.0.0.0:8000", "site.wsgi:application")
    # The locked install first, then the server alone, without dependencies: no locked package can change.
    r = runs(p)
    locked = next(i for i, c in enumerate(r) if "install -r requirements.txt" in c)
    assert r[locked + 1] == f"{PIP} install --no-deps gunicorn==27.0.1"
    w = [x for x in p.warnings if "gunicorn" in x]
    assert w == ["requirements.txt does not install gunicorn, which the start command runs (from site/settings.py "
                 "line 1 WSGI_APPLICATION): dockgen adds gunicorn==27.0.1, pinned in its catalog, in its own step "
                 "after the locked install (--no-deps: no locked package changes); make it the project's own: add "
                 "gunicorn==27.0.1 to requirements.txt"]
    assert any(h.startswith("server: gunicorn==27.0.1 added by dockgen's catalog (requirements.txt does not install "
                            "gunicorn") for h in p.plan.reasons)
    assert "# server: gunicorn==27.0.1 added by dockgen's catalog" in p.dockerfile
    added = json.loads(p.plan.model_dump_json())["added_packages"]
    assert added == [{"name": "gunicorn", "version": "27.0.1", "command": "gunicorn", "deps": [],
                      "reason": "the start runs gunicorn; requirements.txt does not install it"}]
    assert p.plan.runner == "slim"  # python 3.14 (catalog default) has no distroless
    assert_clean(p.dockerfile)


def test_strict_refuses_the_added_server(tmp_path):
    with pytest.raises(InvalidInputError, match=r"^site/settings.py: the start command runs gunicorn, but the package "
                                                r"gunicorn is not installed .*dockgen would add gunicorn==27.0.1 from "
                                                r"its catalog, and --strict refuses assumed values") as e:
        planned(tmp_path, DJANGO, strict=True)
    assert "add gunicorn==27.0.1 to requirements.txt" in e.value.hint
    with pytest.raises(InvalidInputError, match="--strict refuses"):
        planned(tmp_path, DJANGO, strict=True, command=["uwsgi", "--http-socket", ":8000", "--module", "x:y"])


def test_command_option_with_an_uninstalled_known_server_adds_it(tmp_path):
    p = planned(tmp_path, DJANGO, command=["uwsgi", "--http-socket", "0.0.0.0:8000", "--module", "site.wsgi"])
    assert f"{PIP} install --no-deps pyuwsgi==2.0.30.post1" in runs(p)
    assert any("from --command" in w and "pyuwsgi==2.0.30.post1" in w for w in p.warnings)
    assert p.plan.runner == "slim" and p.plan.stages[-1].instructions[-2].argv == ("/opt/venv/bin/uwsgi",)
    assert_clean(p.dockerfile)


def test_a_known_program_that_is_not_installed_stays_an_error(tmp_path):
    """celery is a known program but not a server: never added."""
    with pytest.raises(UsageError, match=r"^--command .*the package celery is not installed"):
        planned(tmp_path, DJANGO, command=["celery", "-A", "site", "worker"])
    with pytest.raises(InvalidInputError, match="^Procfile: the start command runs celery"):
        planned(tmp_path, {**DJANGO, "Procfile": "web: celery -A site worker\n"})


@pytest.mark.parametrize("server", ["daphne", "granian", "hypercorn"])
def test_a_server_without_a_catalog_pin_stays_an_error_naming_it(tmp_path, server):
    with pytest.raises(UsageError, match=f"the package {server} is not installed .*catalog pins no {server}"):
        planned(tmp_path, DJANGO, command=[server, "site.asgi:application"])


def test_an_old_python_the_pin_does_not_install_on_is_an_error(tmp_path):
    with pytest.raises(InvalidInputError, match=r"gunicorn 27.0.1 needs Python >= 3.10, this is 3.9") as e:
        planned(tmp_path, DJANGO, python_version="3.9")
    assert "add gunicorn (pinned) to the dependencies (requirements.txt)" in e.value.hint
    p = planned(tmp_path, DJANGO, python_version="3.9", command=["waitress-serve", "site.wsgi:application"])
    assert f"{PIP} install --no-deps waitress==3.0.2" in runs(p)


def test_uvicorn_dependencies_plain_requirements_check_the_venv(tmp_path):
    """requirements.txt names only direct dependencies: click and h11 are installed only where the
    venv lacks them, so a version the install already brought stays."""
    p = planned(tmp_path, {"requirements.txt": "fastapi==0.121.3\n", **FASTAPI})
    line = next(c for c in runs(p) if "uvicorn==0.54.0" in c)
    assert line.startswith(f"{PIP} install --no-deps uvicorn==0.54.0 && for pin in click==8.5.1 h11==0.16.0; do "
                           '/opt/venv/bin/python -c "import importlib.metadata as m, sys; m.version(sys.argv[1])" '
                           '"${pin%%==*}" 2>/dev/null || ' f'{PIP} install --no-deps "$pin"; done')
    assert "typing-extensions" not in line  # python 3.14: uvicorn needs it below 3.11 only
    assert_clean(p.dockerfile)
    p = planned(tmp_path, {"requirements.txt": "fastapi==0.121.3\n", **FASTAPI}, python_version="3.10")
    assert "typing-extensions==4.16.0" in next(c for c in runs(p) if "uvicorn==0.54.0" in c)


UV_PYPROJECT = '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = ["fastapi==0.121.3"]\n'
UV_LOCK = ('version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "svc"\nversion = "1"\n'
           'source = { virtual = "." }\ndependencies = [{ name = "fastapi" }]\n\n'
           '[[package]]\nname = "fastapi"\nversion = "0.121.3"\ndependencies = [{ name = "click" }]\n\n'
           '[[package]]\nname = "click"\nversion = "8.1.8"\n')


def test_uv_leaves_out_what_the_lock_has_and_installs_after_uv_sync(tmp_path):
    p = planned(tmp_path, {"pyproject.toml": UV_PYPROJECT, "uv.lock": UV_LOCK, **FASTAPI})
    r = runs(p)
    sync = next(i for i, c in enumerate(r) if "uv sync --locked" in c)
    assert r[sync + 1] == f"{PIP} install --no-deps uvicorn==0.54.0 h11==0.16.0"  # click stays as locked (8.1.8)
    assert any("click as locked" in h for h in p.plan.reasons)
    assert any("`uv add uvicorn==0.54.0`" in w for w in p.warnings)
    assert_clean(p.dockerfile)


def test_uv_sync_after_the_sources_comes_before_the_server():
    """`uv sync` removes what the lock does not list: with a sync after the sources (a workspace member,
    the project itself), the server goes after it; otherwise right after the locked install."""
    from dockgen.generator import models as m
    from dockgen.generator import python_install as pi
    from dockgen.generator.python_server import Added

    a = Added(command="uvicorn", package="uvicorn", version="0.54.0", deps=("h11==0.16.0",), deps_if_missing=(),
              deps_locked=("click",), builds=False, where="uv.lock", how="")
    sync = m.Run(command="/opt/tools/bin/uv sync --locked --no-dev --no-editable", step="build")
    out = pi._with_server(pi.Install(steps=(m.Run(command="uv sync --no-install-project", step="deps"),),
                                     after_sources=(sync,)), a, "uv")
    assert out.after_sources[0] == sync and out.after_sources[-1].command.endswith("uvicorn==0.54.0 h11==0.16.0")
    out = pi._with_server(pi.Install(steps=(m.Run(command="uv sync --no-install-project", step="deps"),)), a, "uv")
    assert out.steps[-1].command.endswith("uvicorn==0.54.0 h11==0.16.0") and not out.after_sources
    # No venv before the sources (`pip install .` unlocked): after them.
    late = m.Run(command=f"{pi.VENV_CREATE} && {pi.VENV_PIP} install .", step="deps")
    out = pi._with_server(pi.Install(steps=(), after_sources=(late,)), a, "pip")
    assert out.after_sources[0] == late and "uvicorn==0.54.0" in out.after_sources[-1].command


def test_poetry_and_pipenv_install_it_after_the_locked_install(tmp_path):
    poetry = {"pyproject.toml": '[tool.poetry]\nname = "svc"\nversion = "1"\n[tool.poetry.dependencies]\n'
                                'python = "^3.12"\nflask = "3.1.2"\n',
              "poetry.lock": '[[package]]\nname = "flask"\nversion = "3.1.2"\ngroups = ["main"]\n\n'
                             '[metadata]\nlock-version = "2.1"\n', **FLASK_APP}
    p = planned(tmp_path / "poetry", poetry)
    r = runs(p)
    exp = next(i for i, c in enumerate(r) if "poetry export" in c)
    assert r[exp + 1] == f"{PIP} install --no-deps gunicorn==27.0.1"
    assert any("`poetry add gunicorn==27.0.1`" in w for w in p.warnings)
    pipenv = {"Pipfile": '[packages]\nflask = "==3.1.2"\n\n[requires]\npython_version = "3.13"\n',
              "Pipfile.lock": json.dumps({"default": {"flask": {"version": "==3.1.2"}}, "develop": {}}), **FLASK_APP}
    p = planned(tmp_path / "pipenv", pipenv)
    r = runs(p)
    inst = next(i for i, c in enumerate(r) if "pipenv install --deploy" in c)
    assert r[inst + 1] == f"{PIP} install --no-deps gunicorn==27.0.1"
    assert any("`pipenv install gunicorn==27.0.1`" in w for w in p.warnings)
    assert_clean(p.dockerfile)


def test_pyuwsgi_without_a_wheel_for_the_python_builds_with_the_compiler(tmp_path):
    files = {**DJANGO, "docker/uwsgi.ini": "[uwsgi]\nhttp-socket = :8000\nmodule = site.wsgi:application\n"}
    p = planned(tmp_path, files, python_version="3.15")
    assert "build-essential=12.12" in p.dockerfile
    assert any("pyuwsgi==2.0.30.post1 (added server) has no python 3.15 wheel" in w for w in p.warnings)
    assert "build-essential" not in planned(tmp_path, files, python_version="3.14").dockerfile


def test_an_installed_server_wins_over_an_ini_that_needs_uwsgi_added(tmp_path):
    files = {**DJANGO, "requirements.txt": DJANGO["requirements.txt"] + "gunicorn==23.0.0\n",
             "deploy/uwsgi.ini": "[uwsgi]\nhttp-socket = :8000\nmodule = site.wsgi:application\n"}
    f = detect(tmp_path, files)
    assert f.app.start[0].value[0] == "gunicorn" and f.app.start[1].value[:3] == ("uwsgi", "--ini", "deploy/uwsgi.ini")
    assert not planned(tmp_path / "p", files).plan.added_packages


def test_a_procfile_uwsgi_ini_is_read_for_its_port_and_chdir(tmp_path):
    files = {**DJANGO, "Procfile": "web: uwsgi ./etc/uwsgi.ini\n",
             "etc/uwsgi.ini": "[uwsgi]\nchdir = /code\nhttp = :9001\nmodule = site.wsgi:application\n"}
    p = planned(tmp_path, files)
    assert p.plan.stages[-1].instructions[-1].argv == ("./etc/uwsgi.ini", "--chdir", "/app")
    assert p.plan.port == 9001


def test_a_uwsgi_protocol_socket_is_not_probed_as_http(tmp_path):
    ini = "[uwsgi]\nsocket = :3031\nmodule = site.wsgi:application\n"
    p = planned(tmp_path, {**DJANGO, "uwsgi/uwsgi.ini": ini})
    assert p.plan.stages[-1].instructions[-1].argv == ("--ini", "uwsgi/uwsgi.ini", "--http-socket", "0.0.0.0:8000")
    assert p.plan.port == 8000
    assert any(w.startswith("uwsgi/uwsgi.ini line 2: socket = :3031 speaks the uwsgi protocol") for w in p.warnings)
    with pytest.raises(InvalidInputError, match=r"^uwsgi/uwsgi.ini: line 2 socket: socket = :8000 speaks the uwsgi "
                                                r"protocol .* the same port 8000"):
        planned(tmp_path / "same", {**DJANGO, "uwsgi/uwsgi.ini": ini.replace("3031", "8000")})
    p = planned(tmp_path / "same2", {**DJANGO, "uwsgi/uwsgi.ini": ini.replace("3031", "8000")}, port=8080)
    assert p.plan.port == 8080

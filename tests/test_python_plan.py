"""Python planner: version resolution against the catalog, runners, locked installs, commands."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import models as m
from support.lint import assert_clean
from support.tree import write_tree

FLASK = {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\n",
         "app.py": "from flask import Flask\napp = Flask(__name__)\n"}


def write(tmp_path, files):
    return write_tree(tmp_path, files)


def planned(tmp_path, files, **opts):
    return dockgen.plan(write(tmp_path, files), **opts)


def runs(plan: m.BuildPlan, step=None):
    return [i for st in plan.stages for i in st.instructions if i.kind == "run" and (step is None or i.step == step)]


def last_stage(plan):
    return plan.stages[-1]


def find(stage, kind):
    return [i for i in stage.instructions if i.kind == kind]


# ---- versions ---------------------------------------------------------------------------------------


def test_default_version_and_distroless(tmp_path):
    p = planned(tmp_path, FLASK)
    assert p.plan.runner == "distroless"
    assert p.plan.stages[0].image.tagged == "python:3.13-slim-trixie"
    assert last_stage(p.plan).image.tagged == "gcr.io/distroless/python3-debian13:nonroot"
    assert "python 3.13 (dockgen catalog default" in p.plan.reasons[0]
    assert_clean(p.dockerfile)


def test_python_version_file_pairs_builder_and_distroless(tmp_path):
    p = planned(tmp_path, {**FLASK, ".python-version": "3.11.9\n"})
    assert p.plan.stages[0].image.tagged == "python:3.11-slim-bookworm"
    assert last_stage(p.plan).image.tagged == "gcr.io/distroless/python3-debian12:nonroot"
    assert p.plan.reasons[0] == "python 3.11 (from .python-version: 3.11.9)"
    env = dict(find(last_stage(p.plan), "env")[0].pairs)
    assert env["PYTHONPATH"] == "/opt/venv/lib/python3.11/site-packages"
    assert find(last_stage(p.plan), "entrypoint")[0].argv == ("/usr/bin/python3.11",)


def test_range_resolves_to_newest_matching(tmp_path):
    p = planned(tmp_path, {**FLASK, "pyproject.toml": '[project]\nname = "x"\nrequires-python = "<3.13,>=3.10"\n'})
    assert p.plan.stages[0].image.tagged == "python:3.11-slim-bookworm"
    assert "newest catalog version in" in p.plan.reasons[0]


def test_version_missing_from_catalog(tmp_path):
    with pytest.raises(InvalidInputError) as err:
        planned(tmp_path, {**FLASK, ".python-version": "3.9\n"})
    msg = str(err.value)
    assert msg.startswith(".python-version: ") and "3.13, 3.11" in msg


def test_range_missing_from_catalog(tmp_path):
    files = {**FLASK, "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.14"\n'}
    with pytest.raises(InvalidInputError, match=r"^pyproject.toml: .*supported: 3.13, 3.11"):
        planned(tmp_path, files)


def test_pin_must_satisfy_requires_python(tmp_path):
    files = {**FLASK, ".python-version": "3.11\n",
             "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'}
    with pytest.raises(InvalidInputError, match=r"^\.python-version: Python 3.11 .* does not satisfy >=3.12"):
        planned(tmp_path, files)


def test_version_option_wins(tmp_path):
    p = planned(tmp_path, {**FLASK, ".python-version": "3.13\n"}, python_version="3.11")
    assert p.plan.reasons[0] == "python 3.11 (from --python-version: 3.11)"


# ---- installs ----------------------------------------------------------------------------------------


def test_pip_install_is_the_deps_step_before_sources(tmp_path):
    p = planned(tmp_path, FLASK)
    builder = p.plan.stages[0].instructions
    deps = runs(p.plan, "deps")
    assert len(deps) == 1 and "pip install -r requirements.txt" in deps[0].command
    assert "--require-hashes" not in deps[0].command
    assert any(mt.options[:2] == (("type", "cache"), ("target", "/root/.cache/pip")) for mt in deps[0].mounts)
    copies = [i for i in builder if i.kind == "copy"]
    assert copies[0].sources == ("requirements.txt",)
    assert builder.index(copies[0]) < builder.index(deps[0])
    assert not any(c.sources == (".",) for c in copies)  # the builder never needs the sources here


def test_hashed_requirements_use_require_hashes(tmp_path):
    files = {**FLASK, "requirements.txt": "flask==3.1.2 --hash=sha256:aa\ngunicorn==23.0.0 --hash=sha256:bb\n"}
    deps = runs(planned(tmp_path, files).plan, "deps")[0]
    assert "pip install --require-hashes --no-deps -r requirements.txt" in deps.command


def test_unpinned_warns_and_strict_fails(tmp_path):
    files = {**FLASK, "requirements.txt": "flask>=3\ngunicorn==23.0.0\n"}
    p = planned(tmp_path, files)
    assert any("requirements.txt line 1: flask>=3" in w for w in p.plan.warnings)
    with pytest.raises(InvalidInputError, match=r"^requirements.txt: 1 unpinned requirement"):
        planned(tmp_path, files, strict=True)


UV = {"pyproject.toml": '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["fastapi==1", "uvicorn==1"]\n',
      "uv.lock": "version = 1\n", "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"}


def test_uv_locked_sync(tmp_path):
    p = planned(tmp_path, UV)
    deps = runs(p.plan, "deps")[0]
    assert deps.command == "/opt/tools/bin/uv sync --locked --no-dev --no-install-project"
    assert deps.mounts[0].options[1] == ("target", "/root/.cache/uv")
    setup = runs(p.plan, "setup")[0]
    assert setup.command == "python -m venv /opt/tools && /opt/tools/bin/python -m pip install uv==0.9.5"
    env = dict(i for st in p.plan.stages for e in find(st, "env") for i in e.pairs)
    assert env["UV_NATIVE_TLS"] == "1" and env["UV_PROJECT_ENVIRONMENT"] == "/opt/venv"
    cmd = find(last_stage(p.plan), "cmd")[0].argv
    assert cmd == ("-m", "uvicorn", "--host", "0.0.0.0", "--port", "8000", "main:app")
    assert_clean(p.dockerfile)


def test_uv_installs_the_project_for_a_script(tmp_path):
    files = {"pyproject.toml": '[project]\nname = "svc"\n[project.scripts]\nsvc = "svc.cli:main"\n'
                               '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
             "uv.lock": "", "svc/__init__.py": "", "svc/cli.py": "def main(): pass\n"}
    p = planned(tmp_path, files)
    builds = runs(p.plan, "build")
    assert builds[0].command == "/opt/tools/bin/uv sync --locked --no-dev --no-editable"
    assert find(last_stage(p.plan), "cmd")[0].argv == ("-c", "import sys; from svc.cli import main; sys.exit(main())")
    assert_clean(p.dockerfile)


def test_script_without_build_system_is_an_error(tmp_path):
    files = {"pyproject.toml": '[project]\nname = "svc"\n[project.scripts]\nsvc = "svc.cli:main"\n', "uv.lock": ""}
    with pytest.raises(InvalidInputError, match="build-system"):
        planned(tmp_path, files)


def test_poetry_export_only_main(tmp_path):
    files = {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["flask", "gunicorn"]\n', "poetry.lock": "",
             "app.py": FLASK["app.py"]}
    p = planned(tmp_path, files)
    deps = runs(p.plan, "deps")[0].command
    assert deps.startswith("/opt/tools/bin/poetry export --only main --format requirements.txt")
    assert "pip install --require-hashes --no-deps" in deps
    assert runs(p.plan, "setup")[0].command.endswith("/opt/tools/bin/python -m pip install poetry==2.2.1 poetry-plugin-export==1.10.1")
    assert_clean(p.dockerfile)


def test_pdm_and_pipenv(tmp_path):
    pdm = planned(tmp_path / "a", {"pyproject.toml": '[project]\nname = "x"\n', "pdm.lock": "", "main.py": ""})
    assert "pdm install --check --prod --frozen-lockfile --no-self" in runs(pdm.plan, "deps")[0].command
    assert_clean(pdm.dockerfile)
    pipenv = planned(tmp_path / "b", {"Pipfile": "[packages]\n", "Pipfile.lock": "{}", "main.py": ""})
    assert "pipenv install --deploy" in runs(pipenv.plan, "deps")[0].command
    assert_clean(pipenv.dockerfile)


# ---- runners, users, commands -----------------------------------------------------------------------


def test_slim_copies_the_venv_and_uses_app_uid(tmp_path):
    p = planned(tmp_path, FLASK, runner="slim")
    st = last_stage(p.plan)
    assert st.image.tagged == "python:3.13-slim-trixie"
    assert find(st, "user")[0].uid == 10001
    assert find(st, "copy")[0].sources == ("/opt/venv",)
    assert find(st, "entrypoint")[0].argv == ("/opt/venv/bin/python",)
    assert_clean(p.dockerfile)


def test_alpine_warns(tmp_path):
    p = planned(tmp_path, FLASK, runner="alpine")
    assert p.plan.stages[0].image.tagged == "python:3.13-alpine3.22"
    assert any("musl" in w for w in p.plan.warnings)


def test_scratch_refused(tmp_path):
    with pytest.raises(UsageError, match="scratch"):
        planned(tmp_path, FLASK, runner="scratch")


def test_distroless_user_env_healthcheck(tmp_path):
    p = planned(tmp_path, FLASK)
    st = last_stage(p.plan)
    assert find(st, "user")[0].uid == 65532
    env = dict(find(st, "env")[0].pairs)
    assert env["PYTHONDONTWRITEBYTECODE"] == "1" and env["PYTHONUNBUFFERED"] == "1"
    hc = find(st, "healthcheck")[0]
    assert hc.argv[0] == "/usr/bin/python3.13" and "http://127.0.0.1:8000/" in hc.argv[2]
    assert find(st, "expose")[0].port == 8000
    assert find(st, "cmd")[0].argv == ("-m", "gunicorn", "--bind", "0.0.0.0:8000", "app:app")


def test_port_and_healthcheck_options(tmp_path):
    p = planned(tmp_path, FLASK, port=9000, healthcheck="")
    st = last_stage(p.plan)
    assert find(st, "expose")[0].port == 9000 and not find(st, "healthcheck")
    assert "0.0.0.0:9000" in find(st, "cmd")[0].argv


def test_missing_server_is_an_error(tmp_path):
    with pytest.raises(InvalidInputError, match="gunicorn is not among the dependencies"):
        planned(tmp_path, {**FLASK, "requirements.txt": "flask==3.1.2\n"})


def test_procfile_console_script_runs_as_module(tmp_path):
    p = planned(tmp_path, {**FLASK, "Procfile": "web: gunicorn app:app -b 0.0.0.0:$PORT -w 2\n"})
    assert find(last_stage(p.plan), "cmd")[0].argv == ("-m", "gunicorn", "app:app", "-b", "0.0.0.0:8000", "-w", "2")
    assert p.plan.runner == "distroless"


def test_unknown_console_script_needs_slim(tmp_path):
    files = {**FLASK, "Procfile": "web: waitress-serve --port=8000 app:app\n",
             "requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\nwaitress==3.0.2\n"}
    assert planned(tmp_path, files).plan.runner == "distroless"  # waitress has a -m form
    p = planned(tmp_path, {**FLASK, "Procfile": "web: myserver --fast\n"})
    assert p.plan.runner == "slim" and "console script" in p.plan.reasons[2]
    assert find(last_stage(p.plan), "entrypoint")[0].argv == ("/opt/venv/bin/myserver",)
    with pytest.raises(UsageError, match="distroless cannot start"):
        planned(tmp_path, {**FLASK, "Procfile": "web: myserver --fast\n"}, runner="distroless")


def test_django_writable_dir(tmp_path):
    files = {"requirements.txt": "django==5.2.19\ngunicorn==23.0.0\n",
             "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "s.settings")\n',
             "s/__init__.py": "", "s/wsgi.py": "",
             "s/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",\n'
                              '"NAME": BASE_DIR / "state" / "db.sqlite3"}}\n'}
    p = planned(tmp_path, files)
    st = last_stage(p.plan)
    chowned = [c for c in find(st, "copy") if c.chown]
    assert [(c.dest, c.chown) for c in chowned] == [("/app/state", "65532:65532")]
    assert "state" in p.plan.ignore
    assert find(st, "cmd")[0].argv[-1] == "s.wsgi:application"
    assert_clean(p.dockerfile)


def test_no_start_command(tmp_path):
    with pytest.raises(UsageError, match="no start command"):
        planned(tmp_path, {"requirements.txt": "requests==2.32.3\n"})

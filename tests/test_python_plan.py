"""Python planner: version resolution against the catalog, runners, locked installs, commands."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import models as m
from support.lint import assert_clean
from support.tree import write_tree

UNPINNED_FLASK = {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\n",
                  "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
#: Pinned to 3.13, the newest minor with a distroless image (the default, 3.14, has none).
FLASK = {**UNPINNED_FLASK, ".python-version": "3.13\n"}


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


def test_default_version_has_no_distroless_so_slim(tmp_path):
    p = planned(tmp_path, UNPINNED_FLASK)
    assert p.plan.runner == "slim"
    assert p.plan.stages[0].image.tagged == "python:3.14-slim-trixie"
    assert last_stage(p.plan).image.tagged == "python:3.14-slim-trixie"
    assert "python 3.14 (dockgen catalog default" in p.plan.reasons[0]
    assert "runner slim: distroless publishes no Python 3.14 image" in "\n".join(p.plan.reasons)
    assert "distroless publishes no Python 3.14 image" in p.dockerfile
    assert not p.plan.warnings
    assert_clean(p.dockerfile)


def test_313_pairs_with_distroless_debian13(tmp_path):
    p = planned(tmp_path, FLASK)
    assert p.plan.runner == "distroless"
    assert p.plan.stages[0].image.tagged == "python:3.13-slim-trixie"
    assert last_stage(p.plan).image.tagged == "gcr.io/distroless/python3-debian13:nonroot"
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("minor,builder", [("3.10", "python:3.10-slim-trixie"), ("3.12", "python:3.12-slim-trixie"),
                                           ("3.15", "python:3.15-slim-trixie"), ("3.9", "python:3.9-slim-bookworm")])
def test_minors_without_distroless_run_on_slim(tmp_path, minor, builder):
    p = planned(tmp_path, {**UNPINNED_FLASK, ".python-version": f"{minor}\n"})
    assert p.plan.runner == "slim"
    assert p.plan.stages[0].image.tagged == builder == last_stage(p.plan).image.tagged
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("minor,eol", [("3.9", "2025-10-31"), ("3.10", "2026-10-31")])
def test_eol_minor_is_built_with_a_loud_warning(tmp_path, minor, eol):
    p = planned(tmp_path, {**UNPINNED_FLASK, ".python-version": f"{minor}\n"})
    assert any(f"python {minor} reached end of life on {eol}" in w for w in p.plan.warnings)
    assert f"END OF LIFE since {eol}" in p.plan.reasons[0]


@pytest.mark.parametrize("files,source,value", [
    ({".python-version": "3.12.4\n"}, ".python-version", "3.12.4"),
    ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = "==3.11.7"\n'},
     "pyproject.toml [project] requires-python", "==3.11.7"),
    ({"runtime.txt": "python-3.13.1\n"}, "runtime.txt", "3.13.1"),
])
def test_patch_pin_selects_its_minor_and_says_the_patch_is_not_reproduced(tmp_path, files, source, value):
    p = planned(tmp_path, {**UNPINNED_FLASK, **files})
    minor = ".".join(value.lstrip("=").split(".")[:2])
    assert p.plan.stages[0].image.tagged.startswith(f"python:{minor}-slim")
    assert p.plan.reasons[0].startswith(f"python {minor} (from {source}: {value}); ")
    assert f"{value.lstrip('=')} is not reproduced" in p.plan.reasons[0]


@pytest.mark.parametrize("files,source", [
    ({".tool-versions": "nodejs 22.1.0\npython 3.12.4 3.11.0\n"}, ".tool-versions python (line 2)"),
    ({"mise.toml": '[tools]\npython = "3.12"\n'}, "mise.toml [tools] python"),
    ({"mise.toml": '[tools]\npython = ["3.12", "3.11"]\n'}, "mise.toml [tools] python"),
    ({".mise.toml": '[tools.python]\nversion = "3.12"\n'}, ".mise.toml [tools] python"),
])
def test_version_manager_files_are_version_sources(tmp_path, files, source):
    p = planned(tmp_path, {**UNPINNED_FLASK, **files})
    assert p.plan.stages[0].image.tagged == "python:3.12-slim-trixie"
    assert p.facts.python_version.source.file == source.split(" ")[0]
    assert f"(from {source}: 3.12" in p.plan.reasons[0]


def test_python_version_file_beats_tool_versions(tmp_path):
    p = planned(tmp_path, {**FLASK, ".tool-versions": "python 3.12.4\n"})
    assert p.plan.reasons[0] == "python 3.13 (from .python-version: 3.13)"


def test_tool_versions_system_pins_nothing(tmp_path):
    p = planned(tmp_path, {**UNPINNED_FLASK, ".tool-versions": "python system\n"})
    assert "dockgen catalog default" in p.plan.reasons[0]


def test_bad_tool_versions_value_names_the_file(tmp_path):
    with pytest.raises(InvalidInputError, match=r"^\.tool-versions: "):
        planned(tmp_path, {**UNPINNED_FLASK, ".tool-versions": "python 3.x-dev\n"})


def test_python_version_file_pairs_builder_and_distroless(tmp_path):
    p = planned(tmp_path, {**FLASK, ".python-version": "3.11.9\n"})
    assert p.plan.stages[0].image.tagged == "python:3.11-slim-bookworm"
    assert last_stage(p.plan).image.tagged == "gcr.io/distroless/python3-debian12:nonroot"
    assert p.plan.reasons[0] == ("python 3.11 (from .python-version: 3.11.9); the 3.11 image carries its own "
                                 "patch release: 3.11.9 is not reproduced, only its minor line")
    env = dict(find(last_stage(p.plan), "env")[0].pairs)
    assert env["PYTHONPATH"] == "/opt/venv/lib/python3.11/site-packages"
    assert find(last_stage(p.plan), "entrypoint")[0].argv == ("/usr/bin/python3.11",)


def test_range_resolves_to_newest_matching(tmp_path):
    p = planned(tmp_path, {**UNPINNED_FLASK,
                           "pyproject.toml": '[project]\nname = "x"\nrequires-python = "<3.13,>=3.10"\n'})
    assert p.plan.stages[0].image.tagged == "python:3.12-slim-trixie"
    assert "newest catalog version in" in p.plan.reasons[0]


def test_version_missing_from_catalog(tmp_path):
    # 3.8 (older than every minor) is built on the oldest supported one, assumed: test_version_assumed.py.
    with pytest.raises(InvalidInputError) as err:
        planned(tmp_path, {**FLASK, ".python-version": "3.16\n"})
    msg = str(err.value)
    assert msg.startswith(".python-version: ") and "3.15, 3.14, 3.13, 3.12, 3.11, 3.10, 3.9" in msg


def test_range_missing_from_catalog(tmp_path):
    files = {**UNPINNED_FLASK, "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.16"\n'}
    with pytest.raises(InvalidInputError, match=r"^pyproject.toml: .*supported: 3.15, 3.14, 3.13") as err:
        planned(tmp_path, files)
    assert "pass --python-version 3.14" in err.value.hint


def test_pin_must_satisfy_requires_python(tmp_path):
    files = {**FLASK, ".python-version": "3.11\n",
             "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'}
    with pytest.raises(InvalidInputError, match=r"^\.python-version: Python 3.11 .* does not satisfy >=3.12"):
        planned(tmp_path, files)


def test_version_option_wins(tmp_path):
    p = planned(tmp_path, {**FLASK, ".python-version": "3.13\n"}, python_version="3.11")
    assert p.plan.reasons[0] == "python 3.11 (from --python-version: 3.11)"


def test_version_option_outside_the_declared_range_is_a_warning(tmp_path):
    files = {**UNPINNED_FLASK, "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'}
    p = planned(tmp_path, files, python_version="3.11")
    assert p.plan.stages[0].image.tagged == "python:3.11-slim-bookworm"
    assert any("outside the project's >=3.12" in w for w in p.plan.warnings)


def test_version_option_eol_is_accepted_with_a_warning(tmp_path):
    p = planned(tmp_path, FLASK, python_version="3.9")
    assert p.plan.stages[0].image.tagged == "python:3.9-slim-bookworm"
    assert any("python 3.9 reached end of life" in w for w in p.plan.warnings)


# ---- installs ----------------------------------------------------------------------------------------


def test_pip_install_is_the_deps_step_before_sources(tmp_path):
    p = planned(tmp_path, FLASK)
    builder = p.plan.stages[0].instructions
    deps = runs(p.plan, "deps")
    assert len(deps) == 1 and "pip --python /opt/venv/bin/python install -r requirements.txt" in deps[0].command
    assert "--require-hashes" not in deps[0].command
    assert any(mt.options[:2] == (("type", "cache"), ("target", "/root/.cache/pip")) for mt in deps[0].mounts)
    copies = [i for i in builder if i.kind == "copy"]
    assert copies[0].sources == ("requirements.txt",)
    assert builder.index(copies[0]) < builder.index(deps[0])
    assert not any(c.sources == (".",) for c in copies)  # the builder never needs the sources here


def test_hashed_requirements_use_require_hashes(tmp_path):
    files = {**FLASK, "requirements.txt": "flask==3.1.2 --hash=sha256:aa\ngunicorn==23.0.0 --hash=sha256:bb\n"}
    deps = runs(planned(tmp_path, files).plan, "deps")[0]
    assert "pip --python /opt/venv/bin/python install --require-hashes --no-deps -r requirements.txt" in deps.command


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
    assert "pip --python /opt/venv/bin/python install --require-hashes --no-deps" in deps
    assert runs(p.plan, "setup")[0].command.endswith("/opt/tools/bin/python -m pip install poetry==2.2.1 poetry-plugin-export==1.10.1")
    assert_clean(p.dockerfile)


def test_pdm_and_pipenv(tmp_path):
    pdm = planned(tmp_path / "a", {"pyproject.toml": '[project]\nname = "x"\n', "pdm.lock": "", "main.py": ""})
    assert "pdm install --check --prod --frozen-lockfile --no-self" in runs(pdm.plan, "deps")[0].command
    assert_clean(pdm.dockerfile)
    pipenv = planned(tmp_path / "b", {"Pipfile": "[packages]\n", "Pipfile.lock": "{}", "main.py": ""})
    assert "pipenv install --deploy" in runs(pipenv.plan, "deps")[0].command
    assert_clean(pipenv.dockerfile)


def test_every_installer_leaves_the_venv_without_pip(tmp_path):
    """The runner gets the venv: no installer may be put in it (pip, and setuptools on 3.11), by any
    manager; uv makes its own venv, which has none. Bytecode is said once, the same for all."""
    cases = {"pip": FLASK, "uv": UV,
             "poetry": {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["flask", "gunicorn"]\n', "poetry.lock": "",
                        "app.py": FLASK["app.py"]},
             "pdm": {"pyproject.toml": '[project]\nname = "x"\n', "pdm.lock": "", "main.py": ""},
             "pipenv": {"Pipfile": "[packages]\n", "Pipfile.lock": "{}", "main.py": ""}}
    for mgr, files in cases.items():
        p = planned(tmp_path / mgr, files)
        deps = " && ".join(r.command for r in runs(p.plan) if r.step in ("deps", "build"))
        assert "python -m venv /opt/venv" not in deps and "/opt/venv/bin/python -m pip" not in deps, (mgr, deps)
        if mgr != "uv":
            assert deps.count("python -m venv --without-pip /opt/venv") == 1, (mgr, deps)
        assert sum(line.startswith("# bytecode: the dependencies are precompiled") for line in p.dockerfile.splitlines()) == 1
    assert "/opt/venv/bin/python -m compileall -q /opt/venv/lib" in runs(planned(tmp_path / "pdm2", cases["pdm"]).plan,
                                                                          "deps")[0].command


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


def test_missing_server_is_added_from_the_catalog(tmp_path):
    p = planned(tmp_path, {**FLASK, "requirements.txt": "flask==3.1.2\n"})
    assert find(last_stage(p.plan), "cmd")[0].argv[:2] == ("-m", "gunicorn")
    assert "install --no-deps gunicorn==27.0.1" in p.dockerfile
    with pytest.raises(InvalidInputError, match="--strict refuses assumed values"):
        planned(tmp_path, {**FLASK, "requirements.txt": "flask==3.1.2\n"}, strict=True)


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
    files = {"requirements.txt": "django==5.2.19\ngunicorn==23.0.0\n", ".python-version": "3.13\n",
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


def test_the_projects_tests_stay_out_of_the_context(tmp_path):
    p = planned(tmp_path, {**FLASK, "tests/test_app.py": "def test_x(): pass\n", "conftest.py": ""})
    for pattern in ("tests", "test", "conftest.py", "tox.ini", "noxfile.py"):
        assert pattern in p.plan.ignore


def test_pkg_resources_without_setuptools_warns(tmp_path):
    code = FLASK["app.py"] + "import pkg_resources\n"
    p = planned(tmp_path / "a", {**FLASK, "app.py": code})
    assert any(w.startswith("app.py line 3 imports pkg_resources") and "add setuptools" in w for w in p.plan.warnings)
    declared = {**FLASK, "app.py": code, "requirements.txt": FLASK["requirements.txt"] + "setuptools==80.9.0\n"}
    assert not any("pkg_resources" in w for w in planned(tmp_path / "b", declared).plan.warnings)

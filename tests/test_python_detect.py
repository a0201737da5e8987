"""Python detector: every fact and its source, version precedence, requirements pinning, errors."""

from __future__ import annotations

import pytest

from dockgen.detectors import python as py
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.repo import RepoView
from support.tree import write_tree


def make(tmp_path, files: dict[str, str]):
    return py.detect(RepoView(write_tree(tmp_path, files)))


FLASK_APP = "from flask import Flask\napp = Flask(__name__)\n"
PYPROJECT = """\
[project]
name = "demo"
version = "1.2.3"
description = "A demo"
license = "MIT"
requires-python = ">=3.11"
dependencies = ["fastapi==0.121.3", "uvicorn==0.38.0"]

[project.scripts]
demo = "demo.cli:main"

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


def test_not_python(tmp_path):
    assert make(tmp_path, {"go.mod": "module x\n"}) is None


def test_requirements_pinned(tmp_path):
    f = make(tmp_path, {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0  # server\n", "app.py": FLASK_APP})
    assert f.manager.value == "pip" and str(f.manager.source) == "requirements.txt"
    assert f.requirements.value == "requirements.txt"
    assert f.requirements_pinned.value is True
    assert f.requirements_hashed.value is False
    assert f.unpinned == () and f.warnings == ()
    assert f.manifests == ("requirements.txt",)
    assert f.dependencies.value == ("flask", "gunicorn") and str(f.dependencies.source) == "requirements.txt"


def test_requirements_unpinned_lines_are_warnings(tmp_path):
    f = make(tmp_path, {"requirements.txt": "flask>=3\n\ngunicorn\nclick==8.*\nrequests==2.32.3\n",
                        "app.py": FLASK_APP})
    assert f.requirements_pinned.value is False
    assert tuple(map(str, f.unpinned)) == ("requirements.txt line 1: flask>=3", "requirements.txt line 3: gunicorn",
                          "requirements.txt line 4: click==8.*")
    assert len(f.warnings) == 3 and all("unpinned requirement" in w for w in f.warnings)


def test_requirements_hashes(tmp_path):
    text = ("flask==3.1.2 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
            "gunicorn>=23 --hash=sha256:cccc\n")
    f = make(tmp_path, {"requirements.txt": text, "app.py": FLASK_APP})
    assert f.requirements_hashed.value is True
    # A hashed line counts as pinned (pip checks the exact file).
    assert f.unpinned == () and f.requirements_pinned.value is True


def test_requirements_partially_hashed_warns(tmp_path):
    f = make(tmp_path, {"requirements.txt": "flask==3.1.2 --hash=sha256:aaaa\ngunicorn==23.0.0\n",
                        "app.py": FLASK_APP})
    assert f.requirements_hashed.value is True
    assert any("--require-hashes will refuse" in w for w in f.warnings)


def test_requirements_includes_are_manifests(tmp_path):
    f = make(tmp_path, {"requirements.txt": "-r requirements/base.txt\n-c constraints.txt\ngunicorn==23.0.0\n",
                        "requirements/base.txt": "flask==3.1.2\n", "constraints.txt": "click==8.1.0\n",
                        "app.py": FLASK_APP})
    assert f.manifests == ("requirements.txt", "requirements/base.txt", "constraints.txt")
    assert f.dependencies.value == ("flask", "gunicorn")  # constraints install nothing


def test_requirements_include_outside_repo_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="requirements.txt"):
        make(tmp_path, {"requirements.txt": "-r ../other.txt\n"})


def test_requirements_invalid_line(tmp_path):
    with pytest.raises(InvalidInputError, match=r"requirements.txt: line 2"):
        make(tmp_path, {"requirements.txt": "flask==3.1.2\nnot a requirement!!\n"})


def test_requirements_file_choice(tmp_path):
    f = make(tmp_path, {"requirements-prod.txt": "flask==3.1.2\n", "requirements-dev.txt": "pytest\n",
                        "app.py": FLASK_APP})
    assert f.requirements.value == "requirements-prod.txt"
    assert f.unpinned == ()


def test_pyproject_metadata_and_sources(tmp_path):
    f = make(tmp_path, {"pyproject.toml": PYPROJECT})
    assert (f.name.value, str(f.name.source)) == ("demo", "pyproject.toml [project] name")
    assert (f.version.value, str(f.version.source)) == ("1.2.3", "pyproject.toml [project] version")
    assert f.description.value == "A demo" and f.license.value == "MIT"
    assert str(f.license.source) == "pyproject.toml [project] license"
    assert (f.python_version.value, str(f.python_version.source)) == (">=3.11", "pyproject.toml [project] requires-python")
    assert f.python_range.value == ">=3.11"
    assert f.scripts.value == (("demo", "demo.cli:main"),) and str(f.scripts.source) == "pyproject.toml [project.scripts]"
    assert f.installable.value is True
    # No lockfile: pip installs the project, and the == pins count as pinned.
    assert f.manager.value == "pip" and str(f.manager.source) == "pyproject.toml"
    assert f.unpinned == ()
    assert any("no lockfile" in w for w in f.warnings)


def test_pyproject_unpinned_without_lock(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["flask>=3"]\n'})
    assert tuple(map(str, f.unpinned)) == ("pyproject.toml [project] dependencies: flask>=3",)


def test_license_table(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nlicense = {text = "BSD-3-Clause"}\n'})
    assert f.license.value == "BSD-3-Clause"


@pytest.mark.parametrize("lock,manager", [("uv.lock", "uv"), ("poetry.lock", "poetry"), ("pdm.lock", "pdm")])
def test_lockfile_sets_manager(tmp_path, lock, manager):
    f = make(tmp_path, {"pyproject.toml": PYPROJECT, lock: "# lock\n"})
    assert f.manager.value == manager and str(f.manager.source) == lock
    assert f.lockfile.value == lock
    assert f.manifests == ("pyproject.toml", lock)
    assert not any("no lockfile" in w for w in f.warnings)


def test_lockfile_precedence_warns(tmp_path):
    f = make(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": "", "poetry.lock": ""})
    assert f.manager.value == "uv"
    assert any("several lockfiles" in w for w in f.warnings)


def test_pipenv(tmp_path):
    f = make(tmp_path, {"Pipfile": '[packages]\nflask = "==3.1.2"\n\n[requires]\npython_version = "3.11"\n',
                        "Pipfile.lock": "{}", "app.py": FLASK_APP})
    assert f.manager.value == "pipenv" and str(f.manager.source) == "Pipfile.lock"
    assert f.manifests == ("Pipfile.lock", "Pipfile")
    assert (f.python_version.value, str(f.python_version.source)) == ("3.11", "Pipfile [requires] python_version")
    assert f.dependencies.value == ("flask",)


def test_pipfile_without_lock_is_an_error(tmp_path):
    with pytest.raises(InvalidInputError, match="Pipfile: Pipfile without Pipfile.lock"):
        make(tmp_path, {"Pipfile": "[packages]\n"})


def test_lock_without_pyproject_is_an_error(tmp_path):
    with pytest.raises(InvalidInputError, match="uv.lock: uv.lock without a pyproject.toml"):
        make(tmp_path, {"uv.lock": "", "requirements.txt": "flask==3.1.2\n"})


def test_malformed_pyproject(tmp_path):
    with pytest.raises(InvalidInputError, match=r"^pyproject.toml: invalid TOML"):
        make(tmp_path, {"pyproject.toml": "[project\nname = 1\n"})


def test_malformed_requires_python(tmp_path):
    with pytest.raises(InvalidInputError, match="requires-python"):
        make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = "three"\n'})


def test_bad_dependency_in_pyproject(tmp_path):
    with pytest.raises(InvalidInputError, match="pyproject.toml"):
        make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["$(rm -rf /)"]\n'})


def test_hostile_script_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="pyproject.toml"):
        make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "os:system; rm"\n'})


# ---- python version precedence -------------------------------------------------------------------

BASE = {"requirements.txt": "flask==3.1.2\n", "app.py": FLASK_APP}


def test_version_python_version_file(tmp_path):
    f = make(tmp_path, {**BASE, ".python-version": "# comment\n3.11.4\n", "runtime.txt": "python-3.13.1\n"})
    assert (f.python_version.value, str(f.python_version.source)) == ("3.11.4", ".python-version")


def test_version_runtime_txt_beats_requires_python(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
                        "runtime.txt": "python-3.13\n", "main.py": ""})
    assert (f.python_version.value, str(f.python_version.source)) == ("3.13", "runtime.txt")
    assert f.python_range.value == ">=3.11"


def test_version_poetry_caret(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\n',
                        "poetry.lock": "", "main.py": ""})
    assert f.python_version.value == "<4.0,>=3.11"
    assert str(f.python_version.source) == "pyproject.toml [tool.poetry.dependencies] python"


def test_version_none(tmp_path):
    assert make(tmp_path, BASE).python_version is None


@pytest.mark.parametrize("text", ["pypy3.10\n", "system\n", "3\n"])
def test_bad_python_version_file(tmp_path, text):
    with pytest.raises(InvalidInputError, match=r"^\.python-version: "):
        make(tmp_path, {**BASE, ".python-version": text})


def test_bad_runtime_txt(tmp_path):
    with pytest.raises(InvalidInputError, match=r"^runtime.txt: "):
        make(tmp_path, {**BASE, "runtime.txt": "ruby-3.3\n"})


# ---- entrypoints -----------------------------------------------------------------------------------


def test_flask_app_object(tmp_path):
    f = make(tmp_path, {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\n", "server.py": FLASK_APP,
                        "app.py": "print('not flask')\n"})
    assert (f.framework.value, str(f.framework.source)) == ("flask", "requirements.txt (flask)")
    assert (f.app_object.value, str(f.app_object.source)) == ("server:app", "server.py line 2")
    assert f.main_file.value == "app.py"


def test_fastapi_in_package_and_src_layout(tmp_path):
    f = make(tmp_path, {"requirements.txt": "fastapi==0.121.3\n", "src/svc/__init__.py": "",
                        "src/svc/api.py": "import fastapi\napi: fastapi.FastAPI = fastapi.FastAPI()\n"})
    assert f.app_object.value == "svc.api:api" and str(f.app_object.source) == "src/svc/api.py line 2"
    assert f.app_dir.value == "src"


def test_framework_without_app_object_warns(tmp_path):
    f = make(tmp_path, {"requirements.txt": "flask==3.1.2\n", "main.py": "print(1)\n"})
    assert f.framework is None
    assert any("no `app = Flask(...)`" in w for w in f.warnings)


DJANGO = {
    "requirements.txt": "django==5.2.19\ngunicorn==23.0.0\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site1.settings")\n',
    "site1/__init__.py": "",
    "site1/wsgi.py": "application = None\n",
}


def test_django_wsgi_and_sqlite(tmp_path):
    settings = ('WSGI_APPLICATION = "site1.wsgi.application"\nDATABASES = {"default": {\n'
                '    "ENGINE": "django.db.backends.sqlite3",\n    "NAME": BASE_DIR / "var" / "db" / "app.sqlite3",\n}}\n')
    f = make(tmp_path, {**DJANGO, "site1/settings.py": settings})
    assert f.framework.value == "django"
    assert (f.app_object.value, str(f.app_object.source)) == ("site1.wsgi:application", "site1/settings.py line 1 WSGI_APPLICATION")
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [("var/db", "site1/settings.py line 4 DATABASES NAME")]


def test_django_sqlite_in_base_dir(tmp_path):
    settings = ('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",\n'
                '  "NAME": os.path.join(BASE_DIR, "db.sqlite3"),\n}}\n')
    f = make(tmp_path, {**DJANGO, "site1/settings.py": settings})
    assert str(f.app_object.source) == "manage.py DJANGO_SETTINGS_MODULE"
    assert [c.value for c in f.app.writable] == ["."]


def test_django_missing_wsgi_module(tmp_path):
    files = {k: v for k, v in DJANGO.items() if k != "site1/wsgi.py"}
    with pytest.raises(InvalidInputError, match="WSGI module site1.wsgi does not exist"):
        make(tmp_path, {**files, "site1/settings.py": ""})


def test_procfile_web(tmp_path):
    f = make(tmp_path, {**BASE, "Procfile": "release: x\nweb: gunicorn app:app --bind 0.0.0.0:$PORT\n"})
    assert f.procfile_web.value == ("gunicorn", "app:app", "--bind", "0.0.0.0:@PORT@")
    assert str(f.procfile_web.source) == "Procfile line 2 web"


@pytest.mark.parametrize("line,why", [("web: flask run --host 0.0.0.0", "development server"),
                                      ("web: python manage.py runserver", "development server"),
                                      ("web: cd app && gunicorn x:y", "needs a shell")])
def test_procfile_refused_commands(tmp_path, line, why):
    f = make(tmp_path, {**BASE, "Procfile": line + "\n"})
    assert f.procfile_web is None
    assert any(why in w for w in f.warnings)


def test_main_package(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[project]\nname = "tool"\n', "src/tool/__init__.py": "",
                        "src/tool/__main__.py": ""})
    assert (f.main_package.value, str(f.main_package.source)) == ("tool", "src/tool/__main__.py")
    assert f.app_dir.value == "src"


def test_poetry_package_mode_false_not_installable(tmp_path):
    f = make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n[tool.poetry]\npackage-mode = false\n'
                                          '[build-system]\nrequires = ["poetry-core"]\n', "poetry.lock": ""})
    assert f.installable.value is False


def test_tool_only_pyproject_is_not_python(tmp_path):
    assert make(tmp_path, {"pyproject.toml": "[tool.black]\nline-length = 100\n", "package.json": "{}"}) is None


def test_setup_py_only(tmp_path):
    f = make(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n", "main.py": ""})
    assert (f.manager.value, str(f.manager.source)) == ("pip", "setup.py")
    assert any("no lockfile" in w for w in f.warnings)

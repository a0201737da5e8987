"""Python: reading the app (issue 11). Start candidates, ports, listen addresses and writable
directories come from the app's code and config, each with file:line evidence; the planner takes
the option > what the app says > an assumption (a warning, refused under --strict)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading

import pytest

import dockgen
from dockgen.detectors import python as py
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.detectors.repo import RepoView
from dockgen.generator.common import http_probe_python
from support.lint import assert_clean
from support.tree import write_tree

FLASK_REQ = "flask==3.1.2\ngunicorn==23.0.0\n"
FACTORY = "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"


def detect(tmp_path, files):
    return py.detect(RepoView(write_tree(tmp_path, files)))


def planned(tmp_path, files, **opts):
    return dockgen.plan(write_tree(tmp_path, files), **opts)


def top(f):
    c = f.app.start[0]
    return c.value, str(c.evidence), c.confidence


def stage(p):
    return p.plan.stages[-1]


def cmd_of(p):
    return next(i for i in stage(p).instructions if i.kind == "cmd").argv


def env_of(p):
    return dict(next(i for i in stage(p).instructions if i.kind == "env").pairs)


# ---- start candidates ----------------------------------------------------------------------------------


def test_flaskenv_names_a_factory_package(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, ".flaskenv": "FLASK_DEBUG=1\nFLASK_APP=hello\n",
                          "hello/__init__.py": FACTORY})
    assert top(f) == (("gunicorn", "--bind", "0.0.0.0:@PORT@", "hello:create_app()"), ".flaskenv line 2 FLASK_APP", "read")


def test_factory_result_in_wsgi_py(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "pkg/__init__.py": FACTORY,
                          "wsgi.py": "from pkg import create_app\n\napp = create_app()\n"})
    assert top(f) == (("gunicorn", "--bind", "0.0.0.0:@PORT@", "wsgi:app"), "wsgi.py line 3", "read")


def test_factory_function_alone_is_derived(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "pkg/__init__.py": FACTORY})
    assert top(f) == (("gunicorn", "--bind", "0.0.0.0:@PORT@", "pkg:create_app()"), "pkg/__init__.py line 4 (factory)",
                      "derived")


def test_fastapi_factory_call_under_uvicorn(tmp_path):
    main = "from fastapi import FastAPI\n\ndef get_application():\n    return FastAPI()\n\napp = get_application()\n"
    f = detect(tmp_path, {"requirements.txt": "fastapi==0.121.3\nuvicorn==0.38.0\n", "app/__init__.py": "",
                          "app/main.py": main})
    assert top(f)[0] == ("uvicorn", "--host", "0.0.0.0", "--port", "@PORT@", "app.main:app")


def test_entry_module_is_not_hidden_by_many_files(tmp_path):
    files = {"requirements.txt": FLASK_REQ, "aaa/__init__.py": ""}
    files.update({f"aaa/helper{i:03}.py": "x = 1\n" for i in range(260)})
    files["zzz/__init__.py"] = ""
    files["zzz/wsgi.py"] = "from flask import Flask\napp = Flask(__name__)\n"
    f = detect(tmp_path, files)
    assert top(f)[0][-1] == "zzz.wsgi:app"


def test_web_app_outranks_console_scripts(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                          "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nmanage = "x.cli:main"\n'})
    assert top(f)[0][-1] == "app:app"
    assert f.app.start[-1].value == ("manage",)


def test_django_in_src_with_settings_package_and_base_wsgi(tmp_path):
    f = detect(tmp_path, {
        "requirements.txt": "django==5.2.19\ngunicorn==23.0.0\n",
        "src/manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakery.settings.dev")\n',
        "src/bakery/__init__.py": "", "src/bakery/wsgi.py": "application = None\n",
        "src/bakery/settings/__init__.py": "",
        "src/bakery/settings/base.py": 'X = 1\nWSGI_APPLICATION = "bakery.wsgi.application"\nMEDIA_ROOT = os.path.join(BASE_DIR, "media")\n',
        "src/bakery/settings/dev.py": "from .base import *\nDEBUG = True\n",
    })
    assert top(f) == (("gunicorn", "--bind", "0.0.0.0:@PORT@", "--chdir", "src", "bakery.wsgi:application"),
                      "src/bakery/settings/base.py line 2 WSGI_APPLICATION", "read")
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [("src/media", "src/bakery/settings/base.py line 3 MEDIA_ROOT")]


def test_django_wsgi_application_is_literal_not_inside_the_settings_package(tmp_path):
    f = detect(tmp_path, {
        "requirements.txt": "django==5.2.19\nuwsgi==2.0.30\n",
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")\n',
        "core/__init__.py": "", "core/wsgi.py": "", "core/settings/__init__.py": 'WSGI_APPLICATION = "core.wsgi.application"\n',
    })
    assert f.app_object.value == "core.wsgi:application"
    assert top(f)[0] == ("uwsgi", "--master", "--http-socket", "0.0.0.0:@PORT@", "--module", "core.wsgi:application")


@pytest.mark.parametrize("req,words", [
    ("quart==0.20.0\n", ("hypercorn", "--bind", "0.0.0.0:@PORT@", "app:app")),  # quart brings hypercorn
    ("fastapi==0.121.3\ngranian==2.5.0\n", ("granian", "--interface", "asgi", "--host", "0.0.0.0", "--port", "@PORT@", "app:app")),
    ("fastapi==0.121.3\ndaphne==4.2.1\n", ("daphne", "-b", "0.0.0.0", "-p", "@PORT@", "app:app")),
    ("flask==3.1.2\nwaitress==3.0.2\n", ("waitress-serve", "--listen=0.0.0.0:@PORT@", "app:app")),
])
def test_less_common_servers(tmp_path, req, words):
    ctor = "Quart" if "quart" in req else "FastAPI" if "fastapi" in req else "Flask"
    mod = ctor.lower()
    f = detect(tmp_path, {"requirements.txt": req, "app.py": f"from {mod} import {ctor}\napp = {ctor}(__name__)\n"})
    assert top(f)[0] == words


def test_uwsgi_ini(tmp_path):
    f = detect(tmp_path, {"requirements.txt": "django==5.2.19\npyuwsgi==2.0.30\n",
                          "etc/uwsgi.ini": "[uwsgi]\nmodule = x.wsgi:application\nhttp = :9090\n"})
    assert top(f) == (("uwsgi", "--ini", "etc/uwsgi.ini"), "etc/uwsgi.ini [uwsgi]", "read")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (9090, "etc/uwsgi.ini line 3 http")


@pytest.mark.parametrize("line", ["web: flask db upgrade; gunicorn app:app", "web: flask db upgrade && flask translate "
                                  "compile && exec gunicorn app:app"])
def test_procfile_chain_keeps_the_server_and_reports_release_steps(tmp_path, line):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": "", "Procfile": line + "\n"})
    assert top(f) == (("gunicorn", "app:app"), "Procfile line 1 web", "read")
    assert f.release_steps.value[0] == "flask db upgrade"
    p = planned(tmp_path, {})
    assert any("`flask db upgrade" in w and "runs before the server" in w for w in p.plan.warnings)


def test_procfile_factory_word(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "Procfile": "web: gunicorn 'pkg:create_app()' -w 2\n"})
    assert top(f)[0] == ("gunicorn", "pkg:create_app()", "-w", "2")


def test_click_group_runs_its_serve_command(tmp_path):
    cli = ('import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\ndef init():\n    pass\n\n'
           '@cli.command()\n@click.option("--port", default=7000)\ndef serve(port):\n    pass\n')
    f = detect(tmp_path, {"pyproject.toml": '[project]\nname = "t"\ndependencies = ["click==8.5.1"]\n'
                                            '[project.scripts]\nt = "t.cli:cli"\n', "t/__init__.py": "", "t/cli.py": cli})
    assert top(f)[0] == ("t", "serve", "--port", "@PORT@")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (7000, "t/cli.py line 12 (--port)")


def test_click_group_without_a_server_command_is_refused_with_choices(tmp_path):
    cli = "import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\ndef migrate():\n    pass\n"
    files = {"pyproject.toml": '[project]\nname = "t"\n[project.scripts]\nt = "t.cli:cli"\n'
                               '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
             "t/__init__.py": "", "t/cli.py": cli}
    with pytest.raises(InvalidInputError, match=r"CLI group .* its commands: migrate"):
        planned(tmp_path, files)


# ---- servers come from the install (extras included) ---------------------------------------------


def test_fastapi_standard_extra_brings_uvicorn(tmp_path):
    f = detect(tmp_path, {"requirements.txt": "fastapi[standard]==0.121.3\n",
                          "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert f.servers.value == ("fastapi", "uvicorn")
    assert str(f.servers.source) == "requirements.txt (via fastapi[standard])"
    assert top(f)[0][0] == "uvicorn"


def test_uv_lock_extras_are_walked(tmp_path):
    lock = ('version = 1\n[[package]]\nname = "svc"\nversion = "1"\nsource = { virtual = "." }\n'
            'dependencies = [{ name = "fastapi", extra = ["standard"] }]\n[package.dev-dependencies]\n'
            'dev = [{ name = "gunicorn" }]\n\n[[package]]\nname = "fastapi"\nversion = "1"\n'
            '[package.optional-dependencies]\nstandard = [{ name = "uvicorn" }]\n\n'
            '[[package]]\nname = "uvicorn"\nversion = "1"\n\n[[package]]\nname = "gunicorn"\nversion = "1"\n')
    f = detect(tmp_path, {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi[standard]==1"]\n',
                          "uv.lock": lock, "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert f.servers.value == ("uvicorn",)  # gunicorn is a dev dependency: not installed
    assert str(f.servers.source) == "uv.lock (via fastapi[standard])"


def _lock_with(table: str, name: str) -> str:
    return ('version = 1\n[[package]]\nname = "svc"\nversion = "1"\nsource = { virtual = "." }\n'
            'dependencies = [{ name = "django" }]\n'
            f'[package.{table}]\ndev = [{{ name = "uvicorn" }}]\n{name} = [{{ name = "gunicorn" }}]\n\n'
            '[[package]]\nname = "django"\nversion = "5"\n\n[[package]]\nname = "gunicorn"\nversion = "23"\n'
            '\n[[package]]\nname = "uvicorn"\nversion = "1"\n')


DJANGO = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
          "site/__init__.py": "", "site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
          "site/wsgi.py": "application = None\n"}


@pytest.mark.parametrize(("table", "flag"), [("dev-dependencies", "--group docker"),
                                              ("optional-dependencies", "--extra docker")])
def test_a_deployment_group_that_holds_the_server_is_installed(tmp_path, table, flag):
    """wger keeps gunicorn in a `docker` dependency group, paperless-ngx granian in a `webserver`
    extra: without a server in the main dependencies, that group or extra is installed too."""
    files = {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["django==5"]\n',
             "uv.lock": _lock_with(table, "docker"), **DJANGO}
    f = detect(tmp_path, files)
    assert f.install_selection.value == flag and "gunicorn" in f.installed.value
    assert top(f)[0][0] == "gunicorn"
    p = planned(tmp_path / "p", files)
    assert f"uv sync --locked --no-dev {flag} --no-install-project" in p.dockerfile


def test_a_dev_group_never_supplies_the_server(tmp_path):
    """gunicorn only in a `test` group: not installed, so the catalog's gunicorn is added (warned)."""
    files = {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["django==5"]\n',
             "uv.lock": _lock_with("dev-dependencies", "test"), **DJANGO}
    f = detect(tmp_path, files)
    assert f.install_selection is None and f.servers is None
    p = planned(tmp_path / "p", files)
    assert "--group" not in p.dockerfile and "install --no-deps gunicorn==27.0.1" in p.dockerfile
    assert any("uv.lock does not install gunicorn" in w and "`uv add gunicorn==27.0.1`" in w for w in p.warnings)


def test_framework_without_server_gets_the_conventional_one_added(tmp_path):
    p = planned(tmp_path, {"requirements.txt": "fastapi==0.121.3\n", "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert cmd_of(p)[:2] == ("-m", "uvicorn") and "install --no-deps uvicorn==0.54.0" in p.dockerfile
    assert any("requirements.txt does not install uvicorn" in w for w in p.warnings)


def test_command_option_naming_an_uninstalled_server(tmp_path):
    """uvicorn (pinned in the catalog) is added; hypercorn (no catalog pin) stays an error naming it."""
    files = {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    p = planned(tmp_path, files, command=["uvicorn", "app:app"])
    assert "install --no-deps uvicorn==0.54.0" in p.dockerfile
    assert any("does not install uvicorn, which the start command runs (from --command)" in w for w in p.warnings)
    with pytest.raises(InvalidInputError, match="^Procfile: .*the package hypercorn is not installed.*"
                                                "catalog pins no hypercorn"):
        planned(tmp_path, {**files, "Procfile": "web: hypercorn app:app\n"})
    with pytest.raises(UsageError, match="the package hypercorn is not installed"):
        planned(tmp_path, files, command=["hypercorn", "app:app"])


def test_command_option_wins_over_detection(tmp_path):
    files = {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    p = planned(tmp_path, files, command=["gunicorn", "-b", "0.0.0.0:9100", "app:app"])
    assert cmd_of(p) == ("-m", "gunicorn", "-b", "0.0.0.0:9100", "app:app")
    assert any(r.startswith("port 9100 (from --command)") for r in p.plan.reasons), p.plan.reasons


# ---- ports and listen addresses ------------------------------------------------------------------


def test_port_from_a_settings_class_field_and_its_env(tmp_path):
    settings = ("from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass S(BaseSettings):\n"
                '    model_config = SettingsConfigDict(env_prefix="APP_")\n    DB_PORT: int = 5432\n    PORT: int = 5001\n')
    files = {"requirements.txt": "fastapi==0.121.3\nuvicorn==0.38.0\n", "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
             "config.py": settings}
    f = detect(tmp_path, files)
    assert [(c.value, str(c.evidence)) for c in f.app.port][:1] == [(5001, "config.py line 6")]
    assert [c.value for c in f.app.port_env] == ["APP_PORT"]
    p = planned(tmp_path, {})
    assert cmd_of(p)[-3:] == ("--port", "5001", "main:app")
    assert env_of(p)["APP_PORT"] == "5001" and env_of(p)["PORT"] == "5001"
    assert any(r.startswith("port 5001 (from config.py line 6)") for r in p.plan.reasons), p.plan.reasons
    assert_clean(p.dockerfile)


def test_port_from_an_environ_default(tmp_path):
    f = detect(tmp_path, {"requirements.txt": "waitress==3.0.2\n",
                          "server.py": 'import os\nfrom waitress import serve\nPORT = int(os.environ.get("APP_PORT", 5001))\n'
                                       'if __name__ == "__main__":\n    serve(app, port=PORT)\n'})
    assert top(f)[0] == ("python", "server.py")
    assert (f.app.port[0].value, str(f.app.port[0].evidence), f.app.port_env[0].value) == (5001, "server.py line 3", "APP_PORT")


def test_loopback_settings_host_is_overridden_by_its_variable(tmp_path):
    cfg = 'class Settings(BaseSettings):\n    HOST: str = "127.0.0.1"\n    PORT: int = 8765\n'
    files = {"requirements.txt": "uvicorn==0.38.0\npydantic-settings==2.11.0\n", "config.py": "from pydantic_settings import BaseSettings\n" + cfg,
             "main.py": 'import uvicorn\nfrom config import Settings\ns = Settings()\nif __name__ == "__main__":\n'
                        '    uvicorn.run("api:app", host=s.HOST, port=s.PORT)\n'}
    f = detect(tmp_path, files)
    assert (f.app.bind[0].value, str(f.app.bind[0].evidence)) == ("127.0.0.1", "config.py line 3")
    assert f.app.bind_env[0].value == ("HOST", "0.0.0.0")
    p = planned(tmp_path, {})
    assert env_of(p)["HOST"] == "0.0.0.0" and env_of(p)["PORT"] == "8765"
    assert any(r.startswith("listen address 0.0.0.0 via HOST (the app defaults to 127.0.0.1") for r in p.plan.reasons)


def test_loopback_without_a_variable_is_a_warning(tmp_path):
    main = 'from waitress import serve\nif __name__ == "__main__":\n    serve(app, host="127.0.0.1", port=6000)\n'
    p = planned(tmp_path, {"requirements.txt": "waitress==3.0.2\n", "main.py": main})
    assert any("listens on 127.0.0.1 by default" in w for w in p.plan.warnings)


def test_procfile_uvicorn_without_host_gets_bind_all(tmp_path):
    p = planned(tmp_path, {"requirements.txt": "fastapi==0.121.3\nuvicorn==0.38.0\n",
                           "Procfile": "web: uvicorn main:app --port $PORT\n", "main.py": ""})
    assert cmd_of(p) == ("-m", "uvicorn", "--host", "0.0.0.0", "main:app", "--port", "8000")


def test_assumed_port_warns_and_strict_refuses(tmp_path):
    files = {"requirements.txt": "requests==2.32.3\n", "main.py": "print('hi')\n"}
    p = planned(tmp_path, files)
    assert any(r.startswith("port 8000 (assumed: dockgen's default: nothing in the project states the port)") for r in p.plan.reasons), p.plan.reasons
    assert any("port 8000 is assumed" in w and "--port" in w for w in p.plan.warnings)
    with pytest.raises(InvalidInputError, match="--strict refuses assumed values"):
        planned(tmp_path, files, strict=True)
    assert planned(tmp_path, files, strict=True, port=9000).plan.port == 9000


def test_init_prints_assumed_values_on_stderr(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "requests==2.32.3\n", "main.py": "print('hi')\n"})
    r = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout", str(tmp_path)], capture_output=True,
                       text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    assert "warning: port 8000 is assumed" in r.stderr
    r = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout", "--strict", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 5 and "--strict refuses assumed values" in r.stderr and "Traceback" not in r.stderr


# ---- writable directories ------------------------------------------------------------------------


def test_writable_dirs_from_the_code(tmp_path):
    code = ('import os, sqlite3\nfrom pathlib import Path\nPath("data").mkdir(exist_ok=True)\n'
            'os.makedirs("./cache/thumbs", exist_ok=True)\nUPLOAD_FOLDER = "uploads"\n'
            'DATA_DIR = os.environ.get("APP_DATA_DIR", "var/lib")\ncon = sqlite3.connect("state/app.db")\n'
            'URL = "sqlite:////abs/path.db"\n')
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                          "store.py": code})
    got = {c.value: str(c.evidence) for c in f.app.writable}
    assert got == {"data": "store.py line 3", "cache/thumbs": "store.py line 4", "uploads": "store.py line 5",
                   "var/lib": "store.py line 6", "state": "store.py line 7", "/abs": "store.py line 8"}
    p = planned(tmp_path, {})
    vol = [i for i in stage(p).instructions if i.kind == "volume"][0]
    # An absolute directory is created where it is; no VOLUME for the cache.
    assert vol.paths == ("/abs", "/app/data", "/app/state", "/app/uploads", "/app/var/lib")
    chowned = sorted(c.dest for c in stage(p).instructions if c.kind == "copy" and c.chown)
    assert chowned == ["/abs", "/app/cache/thumbs", "/app/data", "/app/state", "/app/uploads", "/app/var/lib"]
    assert "/abs" not in p.dockerignore and "data" in p.dockerignore.splitlines()
    assert_clean(p.dockerfile)


def test_sqlite_url_next_to_the_code(tmp_path):
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": 'DB = "sqlite:///./app.db"\n'})
    assert [c.value for c in f.app.writable] == ["."]


# ---- the HEALTHCHECK's success rule --------------------------------------------------------------


@pytest.mark.parametrize("status,ok", [(200, True), (302, True), (401, True), (404, True), (500, False), (503, False)])
def test_probe_counts_any_status_below_500(status, ok):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "/elsewhere")
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        rc = subprocess.run(http_probe_python(sys.executable, srv.server_port, "/"), capture_output=True, timeout=30).returncode
    finally:
        srv.shutdown()
    assert (rc == 0) is ok


# ---- shapes from the field survey's remaining misses ---------------------------------------------


DJANGO_REQ = "django==5.2.19\n"
MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "hc.settings")\n'


def test_uwsgi_ini_outside_the_root_without_uwsgi_installed_adds_pyuwsgi(tmp_path):
    """healthchecks' shape: docker/uwsgi.ini runs uwsgi, which requirements.txt does not install (their
    Dockerfile installs it): the catalog's pyuwsgi is added with --no-deps, warned and in the header."""
    files = {"requirements.txt": DJANGO_REQ, "manage.py": MANAGE, "hc/__init__.py": "", "hc/wsgi.py": "",
             "hc/settings.py": 'WSGI_APPLICATION = "hc.wsgi.application"\n',
             "docker/uwsgi.ini": "[uwsgi]\nmaster\nhttp-socket = :8000\nchdir = /opt/hc\nmodule = hc.wsgi:application\n"}
    p = planned(tmp_path, files)
    assert stage(p).instructions[-1].argv == ("--ini", "docker/uwsgi.ini", "--chdir", "/app")
    assert "python -m pip --python /opt/venv/bin/python install --no-deps pyuwsgi==2.0.30.post1" in p.dockerfile
    assert any(w.startswith("requirements.txt does not install uwsgi") and "add pyuwsgi==2.0.30.post1 to "
               "requirements.txt" in w for w in p.warnings)
    assert [a.name for a in p.plan.added_packages] == ["pyuwsgi"]
    f = detect(tmp_path / "x", {**files, "requirements.txt": DJANGO_REQ + "pyuwsgi==2.0.30\n"})
    # The maintainers' chdir (their image layout) is replaced by the app directory.
    assert top(f) == (("uwsgi", "--ini", "docker/uwsgi.ini", "--chdir", "/app"), "docker/uwsgi.ini [uwsgi]", "read")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (8000, "docker/uwsgi.ini line 3 http")


def test_uwsgi_ini_under_another_name(tmp_path):
    f = detect(tmp_path, {"requirements.txt": "flask==3.1.2\npyuwsgi==2.0.30\n", "app.py": "",
                          "deploy/uwsgi-prod.ini": "[uwsgi]\nhttp = 127.0.0.1:7000\nmodule = app:app\n"})
    assert top(f)[0] == ("uwsgi", "--ini", "deploy/uwsgi-prod.ini", "--http-socket", "0.0.0.0:@PORT@")
    assert f.app.port[0].value == 7000


def test_entry_script_whose_main_starts_the_server_in_the_package(tmp_path):
    """changedetection.py → changedetectionio.main() → socketio.run(...), PORT and LISTEN_HOST from the env."""
    pkg = ('import os\nfrom flask import Flask\napp = Flask(__name__)\n\n\ndef main():\n'
           '    host = os.environ.get("LISTEN_HOST", "0.0.0.0")\n    port = int(os.environ.get("PORT", 5000))\n'
           '    datastore_path = os.path.join(os.getcwd(), "../datastore")\n'
           '    socketio.run(app, host=host, port=port, debug=False)\n')
    files = {"requirements.txt": "flask==3.1.2\nflask-socketio==5.5.1\n", "watcher/__init__.py": pkg,
             "watcher.py": "#!/usr/bin/env python3\nimport watcher\n\nif __name__ == '__main__':\n    watcher.main()\n"}
    f = detect(tmp_path, files)
    assert top(f) == (("python", "watcher.py"), "watcher.py line 5, watcher/__init__.py line 10", "read")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (5000, "watcher/__init__.py line 8")
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [("/datastore", "watcher/__init__.py line 9")]
    p = planned(tmp_path, {})
    assert cmd_of(p) == ("watcher.py",) and env_of(p)["PORT"] == "5000"
    assert [i.paths for i in stage(p).instructions if i.kind == "volume"] == [("/datastore",)]
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("call", ["    app.run(host='0.0.0.0', port=port)\n",
                                  "    socketio.run(app, host='0.0.0.0', debug=True)\n"])
def test_a_development_server_in_the_main_function_is_no_candidate(tmp_path, call):
    """The app object is served by the conventional server (added), never by its dev-server main()."""
    pkg = "from flask import Flask\napp = Flask(__name__)\n\ndef main():\n" + call
    p = planned(tmp_path, {"requirements.txt": "flask==3.1.2\n", "svc/__init__.py": pkg,
                           "run.py": "from svc import main\nif __name__ == '__main__':\n    main()\n"})
    assert cmd_of(p)[:2] == ("-m", "gunicorn") and cmd_of(p)[-1] == "svc:app"


def test_django_project_on_the_path_manage_py_adds(tmp_path):
    """apprise-api: the root manage.py puts webapp/ on sys.path; WSGI_APPLICATION is resolved there."""
    manage = ('import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "webapp"))\n'
              'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.debug")\n')
    files = {"requirements.txt": DJANGO_REQ + "gunicorn==23.0.0\n", "manage.py": manage,
             "webapp/core/__init__.py": "", "webapp/core/wsgi.py": "application = None\n",
             "webapp/core/settings/__init__.py": 'WSGI_APPLICATION = "core.wsgi.application"\n',
             "webapp/core/settings/debug/__init__.py": "from .. import *\nDEBUG = True\n"}
    f = detect(tmp_path, files)
    assert top(f) == (("gunicorn", "--bind", "0.0.0.0:@PORT@", "--chdir", "webapp", "core.wsgi:application"),
                      "webapp/core/settings/__init__.py line 1 WSGI_APPLICATION", "read")


def test_dev_server_block_port_is_not_used_when_gunicorn_serves_the_module(tmp_path):
    """CTFd: wsgi.py's `app.run(debug=True, host="127.0.0.1", port=4000)` never runs under gunicorn."""
    files = {"requirements.txt": FLASK_REQ, "pkg/__init__.py": FACTORY,
             "wsgi.py": 'from pkg import create_app\napp = create_app()\n\nif __name__ == "__main__":\n'
                        '    app.run(debug=True, threaded=True, host="127.0.0.1", port=4000)\n'}
    f = detect(tmp_path, files)
    assert [c.value for c in f.app.port] == [8000] and f.app.bind == ()
    p = planned(tmp_path, {})
    assert cmd_of(p)[-2:] == ("0.0.0.0:8000", "wsgi:app") and not any("127.0.0.1" in w for w in p.plan.warnings)


def test_writes_into_the_package_directory_make_the_sources_writable(tmp_path):
    """CTFd: ctfd.db, uploads/ and logs/ next to CTFd/config.py, and no variable moves them."""
    cfg = ('import os\nclass Config:\n    DATABASE_URL = f"sqlite:///{os.path.dirname(os.path.abspath(__file__))}/app.db"\n'
           '    UPLOAD_FOLDER = read_ini("UPLOAD_FOLDER") or os.path.join(os.path.dirname(os.path.abspath(__file__)), '
           '"uploads")\n')
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "pkg/__init__.py": FACTORY, "pkg/config.py": cfg})
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [(".", "pkg/config.py line 3 writes in pkg/"),
                                                                    ("pkg/uploads", "pkg/config.py line 4")]
    p = planned(tmp_path, {})
    assert any("the app writes next to its code (pkg/config.py line 3 writes in pkg/)" in w for w in p.plan.warnings)
    assert [c.chown for c in stage(p).instructions if c.kind == "copy" and c.sources == (".",)] == ["10001:10001"]


@pytest.mark.parametrize("cfg,env", [
    ("    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL', '').replace('postgres://', 'postgresql://') or \\\n"
     "        'sqlite:///' + os.path.join(basedir, 'app.db')\n", {"DATABASE_URL": "sqlite:////data/app.db"}),
    ("    DEV = os.environ.get('DEV_DATABASE_URL') or 'sqlite:///' + os.path.join(basedir, 'data-dev.sqlite')\n"
     "    TEST = os.environ.get('TEST_DATABASE_URL') or 'sqlite://'\n"
     "    PROD = os.environ.get('DATABASE_URL') or 'sqlite:///' + os.path.join(basedir, 'data.sqlite')\n",
     {"DEV_DATABASE_URL": "sqlite:////data/data-dev.sqlite", "DATABASE_URL": "sqlite:////data/data.sqlite"}),
])
def test_sqlite_next_to_the_code_moves_to_a_data_volume_through_its_variable(tmp_path, cfg, env):
    """microblog / flasky: the sources stay root-owned; the variable the app reads points into /data."""
    config = "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\nclass Config:\n" + cfg
    p = planned(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                           "config.py": config})
    assert {k: v for k, v in env_of(p).items() if "DATABASE" in k} == env
    assert [i.paths for i in stage(p).instructions if i.kind == "volume"] == [("/data",)]
    assert [c.chown for c in stage(p).instructions if c.kind == "copy" and c.sources == (".",)] == [None]
    assert not any("SQLite path is built at run time" in w for w in p.plan.warnings), p.plan.warnings
    assert any(r.startswith("DATABASE_URL=sqlite:////data/") and "(from config.py line" in r for r in p.plan.reasons)
    assert_clean(p.dockerfile)


def test_an_absolute_data_dir_default_under_the_app_directory(tmp_path):
    """mealie: `Path(DATA_DIR if DATA_DIR else "/app/data")` with PRODUCTION on by default."""
    cfg = ('import os\nfrom pathlib import Path\nDATA_DIR = os.getenv("DATA_DIR")\n\n'
           'def determine_data_dir():\n    return Path(DATA_DIR if DATA_DIR else "/app/data")\n')
    f = detect(tmp_path, {"requirements.txt": "fastapi==0.121.3\nuvicorn==0.38.0\n", "svc/__init__.py": "",
                          "svc/app.py": "from fastapi import FastAPI\napp = FastAPI()\n", "svc/core/config.py": cfg})
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [("data", "svc/core/config.py line 6")]


def test_django_sqlite_name_with_an_override_variable(tmp_path):
    """healthchecks: `"NAME": os.getenv("DB_NAME", BASE_DIR / "hc.sqlite")`."""
    settings = ('import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n'
                'WSGI_APPLICATION = "hc.wsgi.application"\nDATABASES = {"default": {\n'
                '    "ENGINE": "django.db.backends.sqlite3",\n    "NAME": os.getenv("DB_NAME", BASE_DIR / "hc.sqlite"),\n}}\n')
    p = planned(tmp_path, {"requirements.txt": DJANGO_REQ + "gunicorn==23.0.0\n", "manage.py": MANAGE,
                           "hc/__init__.py": "", "hc/wsgi.py": "", "hc/settings.py": settings})
    assert env_of(p)["DB_NAME"] == "/data/hc.sqlite"
    assert [i.paths for i in stage(p).instructions if i.kind == "volume"] == [("/data",)]


@pytest.mark.parametrize("name,bind", [("LD_DB_HOST", False), ("DATABASE_HOST", False), ("REDIS_HOST", False),
                                       ("APP_SMTP_HOST", False), ("APP_HOST", True), ("LD_SERVER_HOST", True)])
def test_another_services_host_is_never_the_listen_address(tmp_path, name, bind):
    code = f'import os\nHOST = os.getenv("{name}", "localhost")\n'
    f = detect(tmp_path, {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                          "settings.py": code})
    assert [c.value[0] for c in f.app.bind_env] == ([name] if bind else [])


def test_port_from_the_repositorys_start_script(tmp_path):
    """linkding's bootstrap.sh: `uwsgi --http $LD_SERVER_HOST:$LD_SERVER_PORT uwsgi.ini`, port 9090 by default."""
    boot = ('#!/usr/bin/env bash\nLD_SERVER_HOST="${LD_SERVER_HOST:-[::]}"\nLD_SERVER_PORT="${LD_SERVER_PORT:-9090}"\n'
            'python manage.py migrate\nexec uwsgi --http $LD_SERVER_HOST:$LD_SERVER_PORT uwsgi.ini\n')
    f = detect(tmp_path, {"requirements.txt": "flask==3.1.2\npyuwsgi==2.0.30\n", "app.py": "", "bootstrap.sh": boot,
                          "uwsgi.ini": "[uwsgi]\nmodule = app:app\n"})
    assert top(f)[0] == ("uwsgi", "--ini", "uwsgi.ini", "--http-socket", "0.0.0.0:@PORT@")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (9090, "bootstrap.sh line 5")
    # A script that runs another server says nothing about this one.
    f = detect(tmp_path, {"bootstrap.sh": "exec gunicorn -b :5000 app:app\n"})
    assert f.app.port[0].value == 8000


def test_start_script_beside_manage_py_with_continued_lines(tmp_path):
    """shynet: shynet/webserver.sh runs `exec gunicorn … \\` with `--bind 0.0.0.0:${PORT:-8080}` on the
    next line; a TLS variant (ssl.webserver.sh) sorts first by name but is read after it."""
    web = ("#!/bin/bash\nexec gunicorn shop.wsgi:application \\\n    --bind 0.0.0.0:${PORT:-8080} \\\n"
           "    --workers ${NUM_WORKERS:-1}\n")
    ssl = "#!/bin/bash\nexec gunicorn shop.wsgi:application --bind 0.0.0.0:${PORT:-8443} --certfile x\n"
    f = detect(tmp_path, {
        "requirements.txt": "django==5.2.19\ngunicorn==23.0.0\n",
        "src/manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
        "src/shop/__init__.py": "", "src/shop/wsgi.py": "application = None\n",
        "src/shop/settings.py": 'WSGI_APPLICATION = "shop.wsgi.application"\n',
        "src/webserver.sh": web, "src/ssl.webserver.sh": ssl,
    })
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (8080, "src/webserver.sh line 2")


def test_another_services_module_and_request_variables_say_nothing_about_the_listener(tmp_path):
    """searxng: engines/mariadb_server.py has `host = "127.0.0.1"` / `port = 3306` for its database, and
    a proxy-fix middleware reads environ.get("HTTP_X_FORWARDED_HOST")."""
    f = detect(tmp_path, {
        "requirements.txt": FLASK_REQ,
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "engines/mariadb_server.py": 'host = "127.0.0.1"\nport = 3306\n',
        "fix.py": "def server(environ):\n    return environ.get('HTTP_X_FORWARDED_HOST', '127.0.0.1')\n",
    })
    assert not any(c.value == 3306 for c in f.app.port)
    assert f.app.bind == () and f.app.bind_env == ()

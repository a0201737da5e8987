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


def test_framework_without_server_is_an_error_naming_it(tmp_path):
    with pytest.raises(InvalidInputError, match="uvicorn is not among the dependencies"):
        planned(tmp_path, {"requirements.txt": "fastapi==0.121.3\n", "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})


def test_command_option_naming_an_uninstalled_server_is_refused(tmp_path):
    files = {"requirements.txt": FLASK_REQ, "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    with pytest.raises(UsageError, match="the package uvicorn is not installed"):
        planned(tmp_path, files, command=["uvicorn", "app:app"])
    with pytest.raises(InvalidInputError, match="^Procfile: .*the package hypercorn is not installed"):
        planned(tmp_path, {**files, "Procfile": "web: hypercorn app:app\n"})


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
                   "var/lib": "store.py line 6", "state": "store.py line 7"}
    p = planned(tmp_path, {})
    vol = [i for i in stage(p).instructions if i.kind == "volume"][0]
    assert vol.paths == ("/app/data", "/app/state", "/app/uploads", "/app/var/lib")  # no VOLUME for the cache
    chowned = sorted(c.dest for c in stage(p).instructions if c.kind == "copy" and c.chown)
    assert chowned == ["/app/cache/thumbs", "/app/data", "/app/state", "/app/uploads", "/app/var/lib"]
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

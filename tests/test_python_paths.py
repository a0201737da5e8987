"""python_paths: paths an app builds from ``__file__``, its working directory and overridable
variables, evaluated with ``ast`` (never imported). The repository sits at /app, as in the image."""

from __future__ import annotations

import pytest

from dockgen.detectors import python_paths as pp

BASEDIR = "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n"


def one(path, text):
    got = pp.writes(path, text)
    assert len(got) == 1, got
    return got[0]


@pytest.mark.parametrize("path,text,where", [
    ("cfg/settings.py", BASEDIR + "UPLOAD_FOLDER = os.path.join(basedir, 'uploads')\n", "cfg/uploads"),
    ("pkg/config.py", "import os\nLOG_FOLDER = os.environ.get('X') or os.path.join(os.path.dirname(os.path.abspath("
                      "__file__)), 'logs')\n", "pkg/logs"),
    ("pkg/config.py", "import os\nCACHE_DIR = os.path.join(os.path.dirname(__file__), os.pardir, '.data', 'c')\n",
     ".data/c"),
    ("a/b/settings.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                        "MEDIA_ROOT = BASE_DIR / 'media'\n", "a/media"),
    ("a/b/settings.py", "from pathlib import Path\nROOT = Path(__file__).parents[1]\nDATA_DIR = ROOT.joinpath('d')\n",
     "a/d"),
    ("srv/__init__.py", "import os\ndef main():\n    datastore_path = os.path.join(os.getcwd(), '../datastore')\n",
     "/datastore"),
    ("x.py", "import os\nDATA_DIR = os.getenv('DATA_DIR', '/var/lib/x')\n", "/var/lib/x"),
    ("x.py", "from pathlib import Path\nPath(__file__).parent.joinpath('cache').mkdir()\n", "cache"),
    ("x.py", "DATA_DIR = '../../shared'\n", "/shared"),  # from the working directory, /app
])
def test_directories_built_from_the_code_location(path, text, where):
    assert one(path, text).where == where


def test_the_fallback_of_an_override_variable_keeps_the_variable():
    text = "import os\nDATA_DIR = os.getenv('DATA_DIR')\n\ndef data_dir():\n    return Path(DATA_DIR if DATA_DIR else '/app/data')\n"
    w = one("m/config.py", text)
    assert (w.where, w.env, w.line) == ("data", ("DATA_DIR",), 5)


@pytest.mark.parametrize("expr,where,env,db", [
    ("os.environ.get('DATABASE_URL', '').replace('a', 'b') or 'sqlite:///' + os.path.join(basedir, 'app.db')",
     ".", ("DATABASE_URL",), ("sqlite", "app.db")),
    ("f'sqlite+pysqlite:///{basedir}/db/x.db'", "db", (), ("sqlite+pysqlite", "x.db")),
    ("'sqlite:///relative/app.db'", "relative", (), ("sqlite", "app.db")),
])
def test_sqlite_urls(expr, where, env, db):
    w = one("config.py", BASEDIR + f"URI = {expr}\n")
    assert (w.where, w.env, w.sqlite) == (where, env, db)


def test_django_sqlite_name_with_its_override_variable():
    text = ("import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',\n"
            "    'NAME': os.getenv('DB_NAME', BASE_DIR / 'hc.sqlite')}}\n")
    w = one("hc/settings.py", text)
    assert (w.where, w.env, w.sqlite, w.line) == (".", ("DB_NAME",), (None, "hc.sqlite"), 5)


@pytest.mark.parametrize("text", [
    "URI = 'sqlite://'\n", "URI = 'sqlite:///:memory:'\n", "DATA_DIR = os.path.expandvars(r'%APPDATA%\\\\x')\n",
    "UPLOAD_DIR = '/etc/passwd.d'\n", "DATA_DIR = '/tmp/x'\n", "DATA_DIR = unknown_call()\n", "import (\n",
    "NAME_OF_THING = os.path.join(os.path.dirname(__file__), 'x')\n"
])
def test_what_is_not_a_writable_directory(text):
    assert pp.writes("pkg/mod.py", "import os\n" + text) == []


def test_sys_path_entries_of_a_script():
    text = 'import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "webapp"))\n'
    (f,) = [f for f in pp.findings("manage.py", text) if f.use == "sys.path"]
    assert pp.in_image(f.val.text) == "webapp"


def test_a_shared_scope_carries_names_across_files():
    scope = {}
    pp.findings("proj/settings/base.py", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n",
                scope)
    w = one_scoped("proj/settings/prod.py", "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                                             "'NAME': BASE_DIR / 'var' / 'db.sqlite3'}}\n", scope)
    assert w.where == "proj/var"


def one_scoped(path, text, scope):
    (w,) = pp.writes(path, text, scope)
    return w


def test_django_engine_from_a_variable_and_a_name_joined_with_one():
    """django-on-docker and bakerydemo: ENGINE defaults to SQLite through a variable; the last joined
    part of NAME is a variable whose absolute value replaces the whole path."""
    text = ("import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
            "DATABASES = {'default': {'ENGINE': os.environ.get('SQL_ENGINE', 'django.db.backends.sqlite3'),\n"
            "    'NAME': os.path.join(BASE_DIR, os.environ.get('DATABASE_NAME', 'app.db'))}}\n")
    w = one("site/settings.py", text)
    assert (w.where, w.env, w.sqlite) == (".", ("DATABASE_NAME",), (None, "app.db"))
    assert pp.writes("site/settings.py", text.replace("sqlite3", "postgresql")) == []


def test_hostile_expressions_end_quickly():
    doubling = "a = 'd'\n" + "a = a + a\n" * 80 + "DATA_DIR = a\n"
    deep = "DATA_DIR = " + "(" * 5000 + "'d'" + ")" * 5000 + "\n"
    chain = "DATA_DIR = 'd'" + " + 'e'" * 20000 + "\n"
    for text in (doubling, deep, chain):
        assert pp.writes("x.py", text) == []

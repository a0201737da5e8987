"""How a Python project starts: Procfile, frameworks (Django, FastAPI, Flask), ``__main__``, main.py.

Only facts: the object a framework serves (``app:app``, ``mysite.wsgi:application``) and where it
was found. Which one becomes the command is the planner's decision. Source files are scanned with
regular expressions (never imported), a bounded number of them, each through the RepoView.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from . import safe
from .errors import InvalidInputError
from .facts import Fact, Source, fact
from .repo import RepoView

MAX_SCAN_FILES = 200
#: Scanned first, in this order, when looking for the framework's application object.
LIKELY = ("main.py", "app.py", "wsgi.py", "asgi.py", "server.py", "api.py", "application.py")
_SKIP_DIRS = {"tests", "test", "docs", "migrations", "node_modules", "venv", ".venv", "env", "build", "dist"}
#: Development servers: never the container's command.
DEV_SERVERS = (("flask", "run"), ("manage.py", "runserver"), ("fastapi", "dev"))
_APP_RE = {
    "fastapi": re.compile(r"^([A-Za-z_]\w*)\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?:fastapi\.)?FastAPI\(", re.M),
    "flask": re.compile(r"^([A-Za-z_]\w*)\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?:flask\.)?Flask\(", re.M),
}
_SETTINGS_ENV = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")
_WSGI_APP = re.compile(r"""^WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"]""", re.M)
_SQLITE = re.compile(r"django\.db\.backends\.sqlite3")
_DB_NAME = re.compile(r"""['"]NAME['"]\s*:\s*(.+?),?\s*$""", re.M)


@dataclass(frozen=True)
class DjangoApp:
    #: The WSGI application as ``module:attr``, from WSGI_APPLICATION (or the settings package's wsgi).
    wsgi: Fact[str]
    #: The SQLite database's directory relative to BASE_DIR ("data", "."; value None: unreadable),
    #: None when the settings use no SQLite.
    sqlite_dir: Fact[str | None] | None = None


def python_files(repo: RepoView) -> list[str]:
    """Candidate modules: root, root packages, src/<pkg> and app/ — likely names first, bounded."""
    found: list[str] = []

    def add_dir(d: str, depth: int) -> None:
        prefix = f"{d}/" if d else ""
        for n in repo.listdir(d or "."):
            if len(found) >= MAX_SCAN_FILES:
                return
            path = prefix + n
            if n.endswith(".py") and repo.is_file(path) and not n.startswith("test"):
                found.append(path)
            elif depth > 0 and n not in _SKIP_DIRS and not n.startswith(".") and repo.is_dir(path):
                if repo.is_file(f"{path}/__init__.py") or d in ("", "src") and n in ("app", "src"):
                    add_dir(path, depth - 1)

    add_dir("", 2)
    rank = {name: i for i, name in enumerate(LIKELY)}
    return sorted(found, key=lambda p: (p.count("/"), rank.get(p.rsplit("/", 1)[-1], len(LIKELY)), p))


def module_of(path: str) -> tuple[str, str]:
    """(module, app dir) for a file path: ``src/pkg/main.py`` → (``pkg.main``, ``src``)."""
    app_dir = ""
    if path.startswith("src/"):
        app_dir, path = "src", path[4:]
    mod = path[:-3].replace("/", ".")
    if mod.endswith(".__init__"):
        mod = mod[: -len(".__init__")]
    return mod, app_dir


def find_app_object(repo: RepoView, framework: str) -> tuple[str, str, str] | None:
    """(module:attr, app dir, file) of the first ``X = FastAPI(...)`` / ``X = Flask(...)``."""
    pattern = _APP_RE[framework]
    for path in python_files(repo):
        m = pattern.search(repo.read_text(path))
        if m:
            mod, app_dir = module_of(path)
            ref = f"{mod}:{m.group(1)}"
            safe.python_object_ref(ref, path, f"{framework} application")
            return ref, app_dir, path
    return None


def django(repo: RepoView) -> DjangoApp | None:
    """Django's WSGI target and SQLite directory, from manage.py and the settings module."""
    if not repo.is_file("manage.py"):
        return None
    m = _SETTINGS_ENV.search(repo.read_text("manage.py"))
    if not m:
        return None
    settings_mod = safe.python_module(m.group(1), "manage.py", "DJANGO_SETTINGS_MODULE")
    base = settings_mod.replace(".", "/")
    files = [f"{base}.py"] if repo.is_file(f"{base}.py") else [
        f"{base}/{n}" for n in repo.listdir(base) if n.endswith(".py")]
    sqlite_dir: Fact[str | None] | None = None
    project_pkg = settings_mod.rsplit(".", 1)[0] if "." in settings_mod else settings_mod
    wsgi = f"{project_pkg}.wsgi.application"
    wsgi_source = Source.of("manage.py", "DJANGO_SETTINGS_MODULE")
    for f in files:
        text = repo.read_text(f)
        w = _WSGI_APP.search(text)
        if w:
            wsgi, wsgi_source = w.group(1), Source.of(f, "WSGI_APPLICATION")
        if _SQLITE.search(text):
            sqlite_dir = fact(_sqlite_dir(text, f), f, "DATABASES NAME")
    mod, _, attr = wsgi.rpartition(".")
    safe.python_object_ref(f"{mod}:{attr}", wsgi_source.file, "WSGI_APPLICATION")
    if not repo.is_file(mod.replace(".", "/") + ".py"):
        raise InvalidInputError(f"the WSGI module {mod} does not exist", file=wsgi_source.file,
                                hint="point WSGI_APPLICATION at your project's wsgi.py")
    return DjangoApp(wsgi=fact(f"{mod}:{attr}", wsgi_source), sqlite_dir=sqlite_dir)


def _sqlite_dir(text: str, file: str) -> str | None:
    """The directory of the SQLite file relative to BASE_DIR: "data", "." or None (unknown)."""
    after = text[_SQLITE.search(text).end():]
    m = _DB_NAME.search(after)
    if not m or "BASE_DIR" not in m.group(1):
        return None
    expr = m.group(1).split("BASE_DIR", 1)[1]
    parts: list[str] = []
    for s in re.findall(r"""['"]([^'"]+)['"]""", expr):
        parts += [p for p in s.split("/") if p]
    if not parts:
        return None
    dirs = parts[:-1]
    return safe.rel_path("/".join(dirs), file, "DATABASES NAME") if dirs else "."


def procfile_web(repo: RepoView) -> tuple[tuple[str, ...] | None, str | None]:
    """(words, warning): the ``web:`` command with ``$PORT`` as ``@PORT@``; shell syntax is not taken."""
    text = repo.read_text_if_exists("Procfile")
    if text is None:
        return None, None
    for n, line in enumerate(text.splitlines(), 1):
        key, sep, cmd = line.partition(":")
        if sep and key.strip() == "web":
            cmd = re.sub(r"\$\{PORT(:-?\d+)?\}|\$PORT\b", "@PORT@", cmd.strip())
            try:
                words = shlex.split(cmd)
            except ValueError:
                return None, f"Procfile line {n}: the web command does not parse; it was not used"
            if any(ch in cmd for ch in "$`;&|<>()") or not words:
                return None, (f"Procfile line {n}: the web command needs a shell (variables, pipes or "
                              "operators); it was not used: pass --command instead")
            if any(_is_dev(words, dev) for dev in DEV_SERVERS):
                return None, f"Procfile line {n}: {' '.join(words[:3])} is a development server; it was not used"
            return safe.command_words(words, "Procfile", f"line {n} web"), None
    return None, None


def _is_dev(words: list[str], dev: tuple[str, str]) -> bool:
    names = [w.rsplit("/", 1)[-1] for w in words]
    return dev[0] in names and dev[1] in names[names.index(dev[0]):]


def main_package(repo: RepoView) -> tuple[str, str] | None:
    """(package, app dir) of a package with ``__main__.py`` (root or src/ layout)."""
    for d in ("", "src"):
        for n in repo.listdir(d or "."):
            path = f"{d}/{n}" if d else n
            if not n.startswith((".", "test")) and repo.is_file(f"{path}/__main__.py"):
                return safe.python_module(n, f"{path}/__main__.py", "package name"), d
    return None

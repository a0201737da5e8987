"""Django projects and ``__main__`` packages: where they are and what they serve.

Only facts: Django's WSGI/ASGI targets (taken literally from the settings, wherever the chosen
settings module star-imports them from), its SQLite and media directories, and a package's
``__main__``. Web app objects, ports and the start ranking are in ``python_app`` and
``python_start``. Files are read with regular expressions, never imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import python_paths as paths
from . import safe
from .errors import InvalidInputError
from .facts import Fact, Source, fact
from .repo import RepoView

_SKIP_DIRS = {"tests", "test", "docs", "migrations", "node_modules", "venv", ".venv", "env", "build", "dist"}
_SETTINGS_ENV = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")
_WSGI_APP = re.compile(r"""^WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"]""", re.M)
_SQLITE = re.compile(r"django\.db\.backends\.sqlite3")


@dataclass(frozen=True)
class DjangoApp:
    #: DJANGO_SETTINGS_MODULE (from manage.py).
    settings: str
    #: The WSGI application as ``module:attr``, from WSGI_APPLICATION (or the project's wsgi.py).
    wsgi: Fact[str]
    #: The SQLite database: (settings file, where it is written; None: unreadable). None: no SQLite.
    sqlite: tuple[str, paths.Write | None] | None = None
    #: The import root ("" at the root, "src"): manage.py's directory, or the one manage.py puts on sys.path.
    app_dir: str = ""
    #: ASGI_APPLICATION as ``module:attr`` when set (Channels), else the project's asgi.py if present.
    asgi: Fact[str] | None = None
    #: MEDIA_ROOT relative to the repo root (uploads), when it is under BASE_DIR.
    media_dir: Fact[str] | None = None


_ASGI_APP = re.compile(r"""^ASGI_APPLICATION\s*=\s*['"]([\w.]+)['"]""", re.M)
_STAR_IMPORT = re.compile(r"^from\s+(\.*[\w.]*)\s+import\s+\*", re.M)
_MEDIA_ROOT = re.compile(r"^MEDIA_ROOT\s*=\s*(.+)$", re.M)


def _manage_dirs(repo: RepoView) -> list[str]:
    """Where manage.py may be: the root, src/, then any top-level directory."""
    out = [d for d in ("", "src") if repo.is_file(f"{d}/manage.py" if d else "manage.py")]
    for n in sorted(repo.listdir(".")):
        if n not in ("src",) and not n.startswith((".", "_")) and n not in _SKIP_DIRS and repo.is_dir(n) \
                and repo.is_file(f"{n}/manage.py"):
            out.append(n)
    return out


def _module_file(repo: RepoView, root: str, mod: str) -> str | None:
    base = (f"{root}/" if root else "") + mod.replace(".", "/")
    for cand in (f"{base}.py", f"{base}/__init__.py"):
        if repo.is_file(cand):
            return cand
    return None


def _settings_files(repo: RepoView, root: str, settings_mod: str) -> list[str]:
    """The settings module, the modules it star-imports (base settings), and its package __init__."""
    files: list[str] = []
    todo = [settings_mod]
    while todo and len(files) < 20:
        mod = todo.pop(0)
        f = _module_file(repo, root, mod)
        if f is None or f in files:
            continue
        files.append(f)
        pkg = mod if f.endswith("__init__.py") else mod.rpartition(".")[0]
        for m in _STAR_IMPORT.finditer(repo.read_text(f)):
            target = m.group(1)
            if target.startswith("."):
                dots = len(target) - len(target.lstrip("."))
                base = pkg.split(".")[: len(pkg.split(".")) - (dots - 1)] if pkg else []
                rest = target.lstrip(".")
                target = ".".join([*base, rest] if rest else base)
            if target and _MODULE_RE.fullmatch(target):
                todo.append(target)
    return files


_MODULE_RE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def django(repo: RepoView) -> DjangoApp | None:
    """Django's WSGI/ASGI targets, SQLite and media directories, from manage.py and the settings.

    manage.py may be at the root, in src/ or in a top-level directory (which becomes the import
    root). WSGI_APPLICATION is taken literally, wherever in the settings (a base module that the
    chosen settings star-import counts).
    """
    for mdir in _manage_dirs(repo):
        manage = f"{mdir}/manage.py" if mdir else "manage.py"
        m = _SETTINGS_ENV.search(repo.read_text(manage))
        if m:
            break
    else:
        return None
    settings_mod = safe.python_module(m.group(1), manage, "DJANGO_SETTINGS_MODULE")
    root = _import_root(repo, manage, mdir, settings_mod)
    files = _settings_files(repo, root, settings_mod)
    media: Fact[str] | None = None
    wsgi = asgi = None
    wsgi_source = asgi_source = None
    for f in files:
        text = repo.read_text(f)
        if wsgi is None and (w := _WSGI_APP.search(text)):
            wsgi, wsgi_source = w.group(1), Source.of(f, f"line {text.count(chr(10), 0, w.start()) + 1} WSGI_APPLICATION")
        if asgi is None and (a := _ASGI_APP.search(text)):
            asgi, asgi_source = a.group(1), Source.of(f, f"line {text.count(chr(10), 0, a.start()) + 1} ASGI_APPLICATION")
        if media is None and (mr := _MEDIA_ROOT.search(text)) and "BASE_DIR" in mr.group(1):
            parts = [p for s in re.findall(r"""['"]([^'"]+)['"]""", mr.group(1).split("BASE_DIR", 1)[1])
                     for p in s.split("/") if p]
            if parts:
                media = fact(_under(root, safe.rel_path("/".join(parts), f, "MEDIA_ROOT")), f,
                             f"line {text.count(chr(10), 0, mr.start()) + 1} MEDIA_ROOT")
    if wsgi is None:
        # No WSGI_APPLICATION: startproject's wsgi.py next to the settings (or in the top package).
        parts = settings_mod.split(".")
        for i in range(len(parts) - 1, 0, -1):
            if _module_file(repo, root, ".".join(parts[:i]) + ".wsgi"):
                wsgi = ".".join(parts[:i]) + ".wsgi.application"
                break
        wsgi = wsgi or f"{parts[0]}.wsgi.application"
        wsgi_source = Source.of(manage, "DJANGO_SETTINGS_MODULE")
    mod, _, attr = wsgi.rpartition(".")
    safe.python_object_ref(f"{mod}:{attr}", wsgi_source.file, "WSGI_APPLICATION")
    if _module_file(repo, root, mod) is None:
        raise InvalidInputError(f"the WSGI module {mod} does not exist", file=wsgi_source.file,
                                hint="point WSGI_APPLICATION at your project's wsgi.py")
    asgi_fact = None
    if asgi:
        amod, _, aattr = asgi.rpartition(".")
        safe.python_object_ref(f"{amod}:{aattr}", asgi_source.file, "ASGI_APPLICATION")
        asgi_fact = fact(f"{amod}:{aattr}", asgi_source)
    elif _module_file(repo, root, mod.rpartition(".")[0] + ".asgi" if "." in mod else "asgi"):
        amod = mod.rpartition(".")[0] + ".asgi" if "." in mod else "asgi"
        asgi_fact = fact(f"{amod}:application", Source.of(_module_file(repo, root, amod) or manage, "(startproject)"))
    return DjangoApp(settings=settings_mod,
                     wsgi=fact(f"{mod}:{attr}", wsgi_source), sqlite=_sqlite(repo, files, mdir), app_dir=root,
                     asgi=asgi_fact, media_dir=media)


def _import_root(repo: RepoView, manage: str, mdir: str, settings_mod: str) -> str:
    """Where the project's modules are imported from: a directory manage.py puts on ``sys.path``
    (``sys.path.insert(0, os.path.join(os.path.dirname(__file__), "src"))``) when the settings are there,
    else manage.py's own directory."""
    entries = [paths.in_image(f.val.text) for f in paths.findings(manage, repo.read_text(manage))
               if f.use == "sys.path" and f.val.text and f.val.text.startswith("/")]
    for d in entries:
        if d is not None and (d == "." or _MODULE_RE.fullmatch(d.replace("/", "."))) \
                and _module_file(repo, "" if d == "." else d, settings_mod):
            return "" if d == "." else d
    return mdir


def _under(root: str, d: str) -> str:
    if not root:
        return d
    return root if d == "." else f"{root}/{d}"


def _sqlite(repo: RepoView, files: list[str], mdir: str) -> tuple[str, paths.Write | None] | None:
    """The SQLite database of the chosen settings: the star-imported base modules are evaluated first
    (their names, BASE_DIR above all, are known in the modules importing them), and the last module
    that sets a SQLite engine wins. BASE_DIR starts as manage.py's directory (startproject's value)."""
    scope = {"BASE_DIR": paths.Val(paths.IMAGE_ROOT + (f"/{mdir}" if mdir else ""))}
    found = None
    for f in reversed(files):
        text = repo.read_text(f)
        db = next((w for w in paths.writes(f, text, scope) if w.sqlite), None)
        if _SQLITE.search(text):
            found = (f, db)
    return found


def main_package(repo: RepoView) -> tuple[str, str] | None:
    """(package, app dir) of a package with ``__main__.py`` (root or src/ layout)."""
    for d in ("", "src"):
        for n in repo.listdir(d or "."):
            path = f"{d}/{n}" if d else n
            if not n.startswith((".", "test")) and repo.is_file(f"{path}/__main__.py"):
                return safe.python_module(n, f"{path}/__main__.py", "package name"), d
    return None


def settings_files(repo: RepoView, dj: DjangoApp) -> list[str]:
    """The files of the app's settings module and the base modules it star-imports."""
    return _settings_files(repo, dj.app_dir, dj.settings)

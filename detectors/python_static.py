"""Python: the static folders an app serves from its own tree (a built frontend copied there).

Read from the code, never run:

- Flask ``Flask(__name__, static_folder="frontend/dist")``: relative to the module's folder;
- FastAPI/Starlette ``StaticFiles(directory="frontend/dist")``: relative to the working directory,
  which is the project root in the image;
- Django ``STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]`` (or ``os.path.join(BASE_DIR, …)``),
  with ``BASE_DIR`` taken as the project root (Django's own template puts manage.py there).

A value built from ``Path(__file__).parent / "x"`` (``.resolve()``, ``.parent`` repeated) is
resolved against the file's folder. Any other expression (a setting, an environment variable) is
not a folder dockgen can name, so it is skipped.
"""

from __future__ import annotations

import posixpath
import re

from .facts import Fact, fact

_SEG = r"""\s*/\s*['"]([A-Za-z0-9_.@-]+)['"]"""
_STR = r"""['"]([A-Za-z0-9_./@-]+)['"]"""
_FILE_PATH = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?((?:\.parent)+)((?:" + _SEG + r")+)")
_FLASK = re.compile(r"\bstatic_folder\s*=\s*(.{1,200})")
_STARLETTE = re.compile(r"\bStaticFiles\(\s*(?:directory\s*=\s*)?(.{1,200})")
_DJANGO = re.compile(r"^STATICFILES_DIRS\s*=\s*[\[(](.{1,400}?)[\])]", re.M | re.S)
_BASE_JOIN = re.compile(r"os\.path\.join\(\s*BASE_DIR\s*((?:,\s*" + _STR + r"\s*)+)\)")
_BASE_DIV = re.compile(r"BASE_DIR((?:" + _SEG + r")+)")


def _segments(text: str) -> list[str]:
    return re.findall(r"""['"]([A-Za-z0-9_./@-]+)['"]""", text)


def _resolved(expr: str, folder: str) -> str | None:
    """The repository folder an expression names, relative to ``folder`` for a plain string."""
    m = _FILE_PATH.match(expr.strip())
    if m:
        base = folder
        for _ in range(m.group(1).count(".parent") - 1):
            base = posixpath.dirname(base)
        path = posixpath.join(base, *_segments(m.group(2)))
    else:
        lit = re.match(_STR + r"\s*[,)]", expr.strip())
        if lit is None:
            return None
        path = posixpath.join(folder, lit.group(1))
    norm = posixpath.normpath(path)
    return None if norm.startswith("..") or norm == "." else norm


def _django(text: str, path: str) -> list[Fact[str]]:
    m = _DJANGO.search(text)
    if m is None:
        return []
    found = [*(_segments(j.group(1)) for j in _BASE_JOIN.finditer(m.group(1))),
             *(_segments(d.group(1)) for d in _BASE_DIV.finditer(m.group(1)))]
    line = text.count("\n", 0, m.start()) + 1
    return [fact(posixpath.normpath(posixpath.join(*segs)), path, f"line {line} STATICFILES_DIRS") for segs in found]


def static_dirs(files: list[tuple[str, str]]) -> tuple[Fact[str], ...]:
    """Folders of the project the app serves files from, each once, with file:line evidence."""
    out: dict[str, Fact[str]] = {}
    for path, text in files:
        folder = posixpath.dirname(path)
        for pattern, base, what in ((_FLASK, folder, "static_folder"), (_STARLETTE, "", "StaticFiles directory")):
            for m in pattern.finditer(text):
                where = _resolved(m.group(1), folder if "__file__" in m.group(1) else base)
                line = text.count("\n", 0, m.start()) + 1
                if where is not None and where not in out:
                    out[where] = fact(where, path, f"line {line} {what}")
        for f in _django(text, path):
            out.setdefault(f.value, f)
    return tuple(out.values())

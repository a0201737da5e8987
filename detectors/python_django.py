"""What a Django project's settings ask of its image build: static files collected into STATIC_ROOT.

``manage.py collectstatic`` gathers every app's static files into ``STATIC_ROOT``; an app that
serves them itself (whitenoise) or behind a proxy reading that directory needs it done at build
time, and ``CompressedManifestStaticFilesStorage`` refuses ``{% static %}`` without its manifest.
Read with regular expressions from the settings module and what it star-imports (never imported):

- ``STATIC_ROOT = BASE_DIR / "staticfiles"`` / ``os.path.join(BASE_DIR, "staticfiles")`` (also as
  the default of an environment lookup) → the directory relative to manage.py's; an absolute
  literal stays absolute; anything else is a warning, and nothing is collected;
- ``django.contrib.staticfiles`` must be installed (collectstatic is its command);
- the environment variables ``SECRET_KEY`` is read from (``os.environ["DJANGO_SECRET_KEY"]``,
  ``env("SECRET_KEY")``…) and those a lookup fails without (``os.environ["X"]``, ``env("X")``
  without a default, ``os.environ.get("X").split(" ")``): the build sets them to a throwaway value
  for that one command (an optional ``os.environ.get("X")`` is left unset: a dummy DSN or URL
  could break what None would not);
- ``COMPRESS_OFFLINE = True`` with django-compressor: ``manage.py compress`` runs after it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from . import python_entry as entry
from . import safe
from .errors import InvalidInputError
from .facts import Fact, fact
from .repo import RepoView
from .source_text import line_of

_STATIC_ROOT = re.compile(r"^STATIC_ROOT\s*=\s*(.+)$", re.M)
_SECRET = re.compile(r"^SECRET_KEY\s*=\s*(.{0,300})", re.M | re.S)
_ENV_NAME = re.compile(r"""(?:environ\.get|getenv|environ\[|\benv(?:\.str)?|\w*secret\w*)\(?\s*['"]([A-Z_][A-Z0-9_]*)['"]""")
_COMPRESS_OFFLINE = re.compile(r"^COMPRESS_OFFLINE\s*=\s*True\b", re.M)
_NAME = r"""['"]([A-Z_][A-Z0-9_]*)['"]"""
#: Lookups that fail without the variable: ``os.environ["X"]`` (not an assignment), django-environ's
#: ``env("X")`` without a default, and ``os.environ.get("X").split(…)`` (a method on None).
_REQUIRED = re.compile(rf"""\benviron\[\s*{_NAME}\s*\](?!\s*=(?!=))|\benv(?:\.str)?\(\s*{_NAME}\s*\)|"""
                       rf"""\b(?:environ\.get|getenv)\(\s*{_NAME}\s*\)\s*\.\w+\(""")


class StaticBuild(BaseModel):
    """The collectstatic step: where manage.py is, where the files go, what must be set for it."""

    model_config = ConfigDict(frozen=True)

    #: manage.py's path ("manage.py", "src/manage.py").
    manage: str
    #: STATIC_ROOT: relative to the repository root, or absolute ("/var/www/static").
    static_root: str
    #: Variables the settings need at import: SECRET_KEY's, and lookups that fail when unset (set to
    #: a throwaway value for the build step only).
    build_env: tuple[str, ...] = ()
    #: django-compressor's offline compression runs too.
    compress: bool = False


def _root_value(expr: str, root: str, file: str, where: str) -> str | None:
    if "BASE_DIR" in expr:
        tail = expr.split("BASE_DIR", 1)[1]
        parts = [p for s in re.findall(r"""['"]([^'"]+)['"]""", tail) for p in s.split("/") if p]
        if not parts:
            return None
        rel = safe.rel_path("/".join(parts), file, where)
        return f"{root}/{rel}" if root else rel
    m = re.fullmatch(r"""\s*['"](/[\w./-]+)['"]\s*(?:#.*)?""", expr)
    return m.group(1).rstrip("/") if m and ".." not in m.group(1) else None


def _statement(chunk: str) -> str:
    """The assignment's own text: up to the next line that starts a new statement."""
    cut = re.search(r"\n(?=[A-Za-z_#@])", chunk)
    return chunk[:cut.start()] if cut else chunk


def static_build(repo: RepoView, dj: entry.DjangoApp, warnings: list[str]) -> Fact[StaticBuild] | None:
    """The collectstatic step the settings call for, or None (no STATIC_ROOT, no staticfiles app)."""
    files = entry.settings_files(repo, dj)
    texts = [(f, repo.read_text(f)) for f in files]
    if not any("django.contrib.staticfiles" in t for _, t in texts):
        return None
    found = next(((f, t, m) for f, t in texts if (m := _STATIC_ROOT.search(t))), None)
    if found is None:
        return None
    f, text, m = found
    where = f"line {line_of(text, m.start())} STATIC_ROOT"
    try:
        root = _root_value(m.group(1), dj.app_dir, f, where)
    except InvalidInputError:
        root = None
    if root is None:
        warnings.append(f"{f} {where}: {m.group(1).strip()[:60]!r} is not a path dockgen can read, so static "
                        "files are not collected at build time (run collectstatic yourself, or write it as "
                        "BASE_DIR / \"staticfiles\")")
        return None
    secrets = {n for _, t in texts for s in _SECRET.finditer(t) for n in _ENV_NAME.findall(_statement(s.group(1)))
               if "SECRET" in n}
    required = {n for _, t in texts for m in _REQUIRED.finditer(t) for n in m.groups() if n}
    compress = any(_COMPRESS_OFFLINE.search(t) for _, t in texts) and any("compressor" in t for _, t in texts)
    manage = safe.rel_path(f"{dj.app_dir}/manage.py" if dj.app_dir else "manage.py", f, "manage.py")
    return fact(StaticBuild(manage=manage, static_root=root, build_env=tuple(sorted(secrets | required)),
                                 compress=compress), f, where)

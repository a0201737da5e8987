"""Paths a Python app builds at run time from its own location, its working directory and its
environment, followed through names instead of read as literals:

- ``os.path.join(os.path.dirname(os.path.abspath(__file__)), "uploads")``, ``Path(__file__).resolve().parent
  / "data"``, ``BASE_DIR = Path(__file__).parents[1]`` and joins on such names;
- ``"sqlite:///" + os.path.join(basedir, "app.db")`` and ``f"sqlite:///{basedir}/app.db"``;
- ``os.environ.get("DATABASE_URL") or <fallback>`` and ``DATA_DIR if DATA_DIR else "/app/data"``: the fallback
  is the value, and the variable that overrides it is kept;
- ``os.path.join(os.getcwd(), "../datastore")``;
- ``sys.path.insert(0, <path>)`` in a script (Django's manage.py adding its project directory).

Files are parsed with ``ast`` (never imported); one flat scope per file is enough for the module-
and class-level constants these paths are made of. The repository is placed at ``IMAGE_ROOT``, the
app's working directory in the image, so ``__file__`` and ``os.getcwd()`` have concrete values and a
path is either inside the app directory or outside it (``../datastore`` from the root is
``/datastore``).
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass

#: Where every Python image puts the repository and runs the app (generator/python_plan.py's WORKDIR).
IMAGE_ROOT = "/app"

_PASS = {"os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "str", "Path", "pathlib.Path",
         "PurePath", "PosixPath", "pathlib.PurePath", "pathlib.PosixPath"}
_CWD = {"os.getcwd", "Path.cwd", "pathlib.Path.cwd", "os.path.curdir"}
_ENV = {"os.environ.get", "os.getenv", "environ.get", "getenv", "env", "env.str", "env.path", "config"}
_SAME_PATH = {"resolve", "absolute", "as_posix", "expanduser"}
_STR_METHODS = {"replace", "strip", "rstrip", "lstrip", "lower", "upper", "format"}


@dataclass(frozen=True)
class Val:
    """What an expression evaluates to: ``text`` (None: unknown) and the variables that override it."""

    text: str | None = None
    env: tuple[str, ...] = ()


UNKNOWN = Val()
#: Longer values are not paths: evaluation gives up (``a = a + a`` repeated would grow without bound).
MAX_TEXT = 1024


def _val(text: str | None, env: tuple[str, ...] = ()) -> Val:
    return Val(text, env) if text is None or len(text) <= MAX_TEXT else Val(None, env)


@dataclass(frozen=True)
class Found:
    """A value the code builds: assigned to ``name`` (None for a bare expression) or used by ``use``."""

    line: int
    val: Val
    name: str | None = None
    end_line: int = 0
    #: "assign", "return", "mkdir" (a directory it creates), "open" (a SQLite file it opens), "sys.path".
    use: str = "assign"


def dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _dirname(v: Val, levels: int = 1) -> Val:
    if not (v.text and v.text.startswith("/")):
        return UNKNOWN
    p = posixpath.normpath(v.text)
    for _ in range(levels):
        p = posixpath.dirname(p)
    return Val(p)


def _join(vals: list[Val]) -> Val:
    """A path join; the last part's variables still override it (an absolute value replaces the whole path)."""
    if not vals or any(v.text is None for v in vals):
        return UNKNOWN
    return _val(posixpath.join(*[v.text for v in vals]), vals[-1].env)


class Evaluator:
    """Evaluates string and path expressions of one file; ``names`` is its flat scope."""

    def __init__(self, path: str):
        self.file = f"{IMAGE_ROOT}/{path}"
        self.names: dict[str, Val] = {}

    def ev(self, node: ast.AST | None) -> Val:
        if node is None:
            return UNKNOWN
        handler = _HANDLERS.get(type(node))
        return handler(self, node) if handler else UNKNOWN

    def _constant(self, node: ast.Constant) -> Val:
        return _val(node.value) if isinstance(node.value, str) else UNKNOWN

    def _name(self, node: ast.Name) -> Val:
        return Val(self.file) if node.id == "__file__" else self.names.get(node.id, UNKNOWN)

    def _attribute(self, node: ast.Attribute) -> Val:
        name = dotted(node)
        if name == "os.pardir":
            return Val("..")
        if name in ("os.curdir",):
            return Val(".")
        if node.attr == "parent":
            return _dirname(self.ev(node.value))
        return self.names.get(name, UNKNOWN) if name else UNKNOWN

    def _subscript(self, node: ast.Subscript) -> Val:
        base, key = node.value, node.slice
        if isinstance(base, ast.Attribute) and base.attr == "parents" and isinstance(key, ast.Constant) \
                and isinstance(key.value, int) and 0 <= key.value < 10:
            return _dirname(self.ev(base.value), key.value + 1)
        if dotted(base) in ("os.environ", "environ") and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return Val(None, (key.value,))
        return UNKNOWN

    def _call(self, node: ast.Call) -> Val:
        f = dotted(node.func)
        args = node.args
        if f == "os.path.dirname" and len(args) == 1:
            return _dirname(self.ev(args[0]))
        if f in _PASS and len(args) == 1:
            return self.ev(args[0])
        if f == "os.path.join":
            return _join([self.ev(a) for a in args])
        if f in _CWD and not args:
            return Val(IMAGE_ROOT)
        if f in _ENV and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            default = args[1] if len(args) > 1 else next((k.value for k in node.keywords if k.arg == "default"), None)
            d = self.ev(default)
            return Val(d.text, (args[0].value, *d.env))
        if isinstance(node.func, ast.Attribute):
            recv = self.ev(node.func.value)
            if node.func.attr in _SAME_PATH and not args:
                return recv
            if node.func.attr == "joinpath":
                return _join([recv, *(self.ev(a) for a in args)])
            if node.func.attr in _STR_METHODS and recv.env:
                return Val(None, recv.env)
        return UNKNOWN

    def _binop(self, node: ast.BinOp) -> Val:
        left, right = self.ev(node.left), self.ev(node.right)
        if isinstance(node.op, ast.Div):
            return _join([left, right])
        if isinstance(node.op, ast.Add) and left.text is not None and right.text is not None:
            return _val(left.text + right.text)
        return UNKNOWN

    def _joinedstr(self, node: ast.JoinedStr) -> Val:
        parts = [self.ev(v.value if isinstance(v, ast.FormattedValue) else v).text for v in node.values]
        return UNKNOWN if any(p is None for p in parts) else _val("".join(parts))

    def _boolop(self, node: ast.BoolOp) -> Val:
        """``a or b``: the first non-empty value, overridden by the variables read before it."""
        if not isinstance(node.op, ast.Or):
            return UNKNOWN
        env: tuple[str, ...] = ()
        for v in (self.ev(x) for x in node.values):
            if v.text:
                return Val(v.text, env + v.env)
            env += v.env
        return Val(None, env)

    def _ifexp(self, node: ast.IfExp) -> Val:
        """``X if X else "default"``: the one literal branch, overridden by the other's variables."""
        body, orelse = self.ev(node.body), self.ev(node.orelse)
        if orelse.text and not body.text:
            return Val(orelse.text, body.env + orelse.env)
        if body.text and not orelse.text:
            return Val(body.text, orelse.env + body.env)
        return UNKNOWN


_HANDLERS = {ast.Constant: Evaluator._constant, ast.Name: Evaluator._name, ast.Attribute: Evaluator._attribute,
             ast.Subscript: Evaluator._subscript, ast.Call: Evaluator._call, ast.BinOp: Evaluator._binop,
             ast.JoinedStr: Evaluator._joinedstr, ast.BoolOp: Evaluator._boolop, ast.IfExp: Evaluator._ifexp}


def _call_use(node: ast.Call) -> str | None:
    f = dotted(node.func) or ""
    attr = node.func.attr if isinstance(node.func, ast.Attribute) else f
    if f in ("sys.path.insert", "sys.path.append"):
        return "sys.path"
    if f in ("os.makedirs", "os.mkdir", "makedirs", "mkdir") or attr == "mkdir":
        return "mkdir"
    if f == "sqlite3.connect":
        return "open"
    return None


def _call_target(node: ast.Call, use: str) -> ast.AST | None:
    if use == "sys.path":
        return node.args[-1] if node.args else None
    if use == "mkdir" and isinstance(node.func, ast.Attribute) and node.func.attr == "mkdir" \
            and dotted(node.func) not in ("os.mkdir",):
        return node.func.value  # Path(...).mkdir()
    return node.args[0] if node.args else None


def findings(path: str, text: str, scope: dict[str, Val] | None = None) -> list[Found]:
    """Every assignment, return value and path-using call of a file, evaluated in source order.

    ``scope``: names known before the file runs (a settings module's star imports), updated in place.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    e = Evaluator(path)
    if scope is not None:
        e.names = scope
    out: list[Found] = []
    try:
        _evaluate(e, tree, out)
    except RecursionError:  # an expression nested deeper than the interpreter follows: what was found stands
        pass
    return out


def _evaluate(e: Evaluator, tree: ast.AST, out: list[Found]) -> None:
    for node in _in_order(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            val = e.ev(node.value)
            for t in targets:
                name = dotted(t)
                if name:
                    e.names[name] = val
                    if name.startswith("self."):
                        e.names[name[5:]] = val
                    out.append(Found(node.lineno, val, name.rsplit(".", 1)[-1], node.end_lineno or node.lineno))
        elif isinstance(node, ast.Return) and node.value is not None:
            out.append(Found(node.lineno, e.ev(node.value), None, node.end_lineno or node.lineno, "return"))
        elif isinstance(node, ast.Call) and (use := _call_use(node)):
            out.append(Found(node.lineno, e.ev(_call_target(node, use)), None, node.end_lineno or node.lineno, use))
        elif isinstance(node, ast.Dict) and (name := _django_sqlite_name(e, node)) is not None:
            out.append(Found(name.lineno, e.ev(name), "NAME", name.end_lineno or name.lineno, "database"))


def _django_sqlite_name(e: Evaluator, node: ast.Dict) -> ast.AST | None:
    """The ``"NAME"`` of a Django ``DATABASES`` entry whose ``"ENGINE"`` is (by default) SQLite."""
    keys = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    engine = e.ev(keys.get("ENGINE"))
    return keys.get("NAME") if engine.text and engine.text.endswith("sqlite3") else None


def _in_order(tree: ast.AST):
    """Statements, calls and dicts in source order (ast.walk is breadth-first: names would be used before set)."""
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.Return, ast.Call, ast.Dict))]
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def in_image(p: str) -> str | None:
    """``/app/data`` → ``data``, ``/app`` → ``.``; None when the path lies outside the app directory."""
    p = posixpath.normpath(p)
    if p == IMAGE_ROOT:
        return "."
    return p[len(IMAGE_ROOT) + 1:] if p.startswith(IMAGE_ROOT + "/") else None


# ---- what the app writes -------------------------------------------------------------------------------

#: Names of settings and variables that hold a directory (or file) the app writes into.
DIR_NAME = re.compile(r"^[A-Z0-9_]*(?:UPLOAD|MEDIA|DATA|STORAGE|CACHE|INSTANCE|FILES|DB|LOG)[A-Z0-9_]*"
                      r"(?:_DIR|_FOLDER|_PATH|_ROOT|_DIRECTORY)$")
_SQLITE = re.compile(r"^(sqlite(?:\+\w+)?):///([^?#\s]*)")
#: Absolute directories never made writable: the system's own, and those already writable (/tmp).
_SYSTEM = {"bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "media", "mnt", "proc", "root", "run", "sbin",
           "sys", "tmp", "usr", "var/tmp", "var/run", "opt/venv", "opt/tools"}


@dataclass(frozen=True)
class Write:
    """A directory the app writes into at run time, as the image sees it."""

    #: In the app directory: relative ("data", "." for the root); outside it: absolute ("/datastore").
    where: str
    line: int
    end_line: int
    #: Variables that override the location (``DATABASE_URL`` for a SQLite fallback); empty: none seen.
    env: tuple[str, ...] = ()
    #: A SQLite database: its URL scheme ("sqlite", "sqlite+pysqlite"; None for a plain path) and file name.
    sqlite: tuple[str | None, str] | None = None


def writes(path: str, text: str, scope: dict[str, Val] | None = None) -> list[Write]:
    """Directories the file's code writes into, from values it builds (see the module docstring)."""
    out = []
    for f in findings(path, text, scope):
        w = _write_of(f)
        if w is not None:
            out.append(w)
    return out


def _write_of(f: Found) -> Write | None:
    text = f.val.text
    if not text or f.use == "sys.path" or any(c in text for c in "%\\$~{}\n") or "\x00" in text:
        return None
    m = _SQLITE.match(text)
    if m:
        db = m.group(2)
        if not db or db.startswith(":memory:"):
            return None
        where = place(posixpath.dirname(absolute(db)))
        return Write(where, f.line, f.end_line, f.val.env, (m.group(1), posixpath.basename(db))) if where else None
    if "://" in text or " " in text:
        return None
    names = ([f.name] if f.name else []) + list(f.val.env)
    if f.use == "database":
        where = place(posixpath.dirname(absolute(text)))
        return Write(where, f.line, f.end_line, f.val.env, (None, posixpath.basename(text))) if where else None
    if f.use == "mkdir":
        where = place(absolute(text))
    elif f.use == "open":
        where = place(posixpath.dirname(absolute(text)))
    elif any(DIR_NAME.match(n.upper()) for n in names):
        full = absolute(text)
        where = place(posixpath.dirname(full) if looks_like_file(full) else full)
    else:
        return None
    return Write(where, f.line, f.end_line, f.val.env if f.use != "mkdir" else ()) if where else None


def absolute(p: str) -> str:
    return posixpath.normpath(p if p.startswith("/") else posixpath.join(IMAGE_ROOT, p))


def place(p: str) -> str | None:
    """The directory as a writable fact: relative inside the app directory, absolute outside it; None
    for the system's directories and paths that are not plain."""
    inside = in_image(p)
    if inside is not None:
        return inside if inside == "." or _plain(inside) else None
    rest = p.lstrip("/")
    if not rest or not _plain(rest) or any(rest == s or rest.startswith(s + "/") for s in _SYSTEM):
        return None
    return "/" + rest


def _plain(rel: str) -> bool:
    return len(rel) <= 200 and all(part not in ("", ".", "..") and re.fullmatch(r"[\w.@+-]+", part)
                                   for part in rel.split("/"))


def looks_like_file(value: str) -> bool:
    return "." in value.rstrip("/").rsplit("/", 1)[-1][1:]

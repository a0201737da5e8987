"""What a Python app's own code says about running it: web app objects and factories, the port and
listen address it defaults to (and the variables that override them), the directories it writes,
its health route. Every finding is a ``Candidate`` with ``file line N`` evidence.

Sources are read, never imported: regular expressions over a ranked list of files. Likely entry
files (``wsgi.py``, ``asgi.py``, ``app.py``, ``main.py``, settings and config modules) come first,
then the rest by depth; at most ``MAX_READ_FILES`` are read, so the entry module is never hidden
behind a directory of helpers.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from . import python_paths as paths
from . import safe
from .errors import InvalidInputError
from .facts import Candidate, Source, unique_values
from .repo import RepoView
from .source_text import LOOPBACK, SECONDARY, line_of

MAX_READ_FILES = 200
#: Paths considered (listed, not read) before ranking, and directories walked.
MAX_LISTED = 5000
MAX_DIRS = 400
MAX_DEPTH = 4
#: Ranked first, in this order.
LIKELY = ("wsgi.py", "asgi.py", "app.py", "main.py", "server.py", "application.py", "api.py", "run.py",
          "serve.py", "web.py", "__init__.py", "__main__.py", "settings.py", "config.py", "conf.py",
          "cli.py", "manage.py", "base.py", "production.py", "core.py")
SKIP_DIRS = {"tests", "test", "testing", "docs", "doc", "migrations", "node_modules", "venv", ".venv", "env",
             "build", "dist", "site-packages", "examples", "scripts", "static", "templates", "locale",
             "frontend", "__pycache__", "dev"}

#: Framework → (constructor, interface).
FRAMEWORKS = {"flask": ("Flask", "wsgi"), "quart": ("Quart", "asgi"), "fastapi": ("FastAPI", "asgi"),
              "starlette": ("Starlette", "asgi"), "litestar": ("Litestar", "asgi")}
_FACTORY_NAME = re.compile(r"^(?:create|make|get|build|init|setup)_?(?:app|application|api)$")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*(?::\s*[\w.\[\], ]+\s*)?=\s*(?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*)\(", re.M)
_FACTORY_DEF = re.compile(r"^(?:async\s+)?def\s+((?:create|make)_?app)\(", re.M)
_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)
#: Production servers an app may start itself (``uvicorn.run(...)`` in its ``__main__`` block).
_OWN_SERVER = re.compile(r"\b(?:uvicorn\.run|socketio\.run|waitress\.serve|hypercorn\.asyncio\.serve|granian\.Granian|"
                         r"web\.run_app|WSGIServer|(?:cheroot\.)?wsgi\.Server|bjoern\.run)\(|^from waitress import serve\b", re.M)

_SERVICE_PREFIX = {"DB", "DATABASE", "POSTGRES", "POSTGRESQL", "PG", "MYSQL", "MARIADB", "REDIS", "SMTP", "MAIL",
                   "EMAIL", "IMAP", "POP", "CACHE", "MONGO", "MONGODB", "AMQP", "RABBITMQ", "RABBIT", "BROKER",
                   "ELASTIC", "ELASTICSEARCH", "ES", "MEMCACHED", "LDAP", "STATSD", "METRICS", "PROMETHEUS",
                   "KAFKA", "NATS", "MQTT", "SSH", "FTP", "PROXY", "DEBUG", "DEBUGGER", "CELERY", "CLICKHOUSE",
                   "INFLUX", "INFLUXDB", "S3", "MINIO", "SENTRY", "OTEL", "JAEGER", "ZIPKIN", "SQL", "QUEUE",
                   "DEBUGPY", "GRPC", "WS_PROXY", "VITE", "FRONTEND", "DEV"}
_NUM = r"""['"]?(\d{2,5})['"]?"""
_ENV_GET = re.compile(r"""(?:\benviron\.get|\bgetenv|\benv\.int|\benv\.str|\benv)\(\s*['"]([A-Za-z_]\w*)['"]\s*"""
                      r"""(?:,\s*(?:default\s*=\s*)?(?:int\(\s*)?(['"][^'"\n]*['"]|\d+))?""")
_ENV_INDEX = re.compile(r"""environ\[\s*['"]([A-Za-z_]\w*)['"]\s*\]""")
_FIELD = re.compile(r"""^([ \t]*)([A-Za-z_]\w*)\s*(?::\s*[\w.\[\]| ]+?\s*)?=\s*(?:Field\(\s*(?:default\s*=\s*)?)?"""
                    r"""(?:int\(\s*)?(['"][^'"\n]*['"]|\d+)\s*\)?\s*\)?\s*[,)]?\s*(?:#.*)?$""", re.M)
#: Calls that start a server: their ``port=``/``host=`` keywords are the app's listen address.
_RUN_CALL = re.compile(r"\b(?:\w+\.run|serve|run_app|uvicorn\.Config|Granian)\(([^()]*(?:\([^()]*\)[^()]*)*)\)", re.S)
_KWARG = re.compile(r"""\b(port|host)\s*=\s*(['"][^'"\n]*['"]|\d+)""")
_LISTEN = re.compile(r"""\blisten\s*=\s*['"]([\w.:\[\]]*):(\d{2,5})['"]""")
_SETTINGS_CLASS = re.compile(r"\bBaseSettings\b")
_ENV_PREFIX = re.compile(r"""env_prefix\s*=\s*['"](\w*)['"]""")

_MKDIR = re.compile(r"""(?:os\.makedirs|os\.mkdir|makedirs|mkdir)\(\s*['"]([^'"\n]+)['"]|"""
                    r"""Path\(\s*['"]([^'"\n]+)['"]\s*\)\s*\.mkdir\(""")
_SQLITE_URL = re.compile(r"""sqlite(?:\+\w+)?:///([^'"\s?]*)""")
_SQLITE_CONNECT = re.compile(r"""sqlite3\.connect\(\s*['"]([^'"\n]+)['"]""")
_HEALTH = re.compile(r"""\.(?:get|route|api_route)\(\s*['"](/(?:health|healthz|healthcheck|health-check|ping|"""
                     r"""livez|readyz|status)/?)['"]""")
_DJ_HEALTH = re.compile(r"""\bpath\(\s*['"]((?:health|healthz|healthcheck|ping)/?)['"]""")


@dataclass(frozen=True)
class WebApp:
    framework: str
    interface: str  # "wsgi" | "asgi"
    #: ``module:attr``; ``factory`` when attr is a factory to call (gunicorn ``mod:f()``, uvicorn --factory).
    ref: str
    factory: bool
    app_dir: str
    evidence: Source
    confidence: str


def _rank(path: str) -> tuple:
    name = path.rsplit("/", 1)[-1]
    likely = LIKELY.index(name) if name in LIKELY else len(LIKELY)
    return (likely, path.count("/"), path)


class Sources:
    """The ranked source files of one repository, each read at most once."""

    def __init__(self, repo: RepoView):
        self.repo = repo
        self.files = ranked_files(repo)
        self._text: dict[str, str] = {}

    def text(self, path: str) -> str:
        if path not in self._text:
            self._text[path] = self.repo.read_text(path)
        return self._text[path]

    def read(self) -> list[tuple[str, str]]:
        return [(p, self.text(p)) for p in self.files]


def ranked_files(repo: RepoView) -> list[str]:
    found: list[str] = []
    dirs = 0

    def walk(d: str, depth: int) -> None:
        nonlocal dirs
        dirs += 1
        for n in sorted(repo.listdir(d or ".")):
            if len(found) >= MAX_LISTED:
                return
            path = f"{d}/{n}" if d else n
            if n.endswith(".py") and not n.startswith(("test_", "conftest")) and n != "setup.py" and repo.is_file(path):
                found.append(path)
            elif (depth < MAX_DEPTH and dirs < MAX_DIRS and n not in SKIP_DIRS and not n.startswith((".", "_", "tests_", "test_"))
                  and repo.is_dir(path)):
                walk(path, depth + 1)

    walk("", 0)
    return sorted(found, key=_rank)[:MAX_READ_FILES]


def module_of(path: str, app_dir: str = "") -> str:
    rel = path[len(app_dir) + 1:] if app_dir and path.startswith(app_dir + "/") else path
    mod = rel[:-3].replace("/", ".")
    return mod[: -len(".__init__")] if mod.endswith(".__init__") else mod


def import_root(repo: RepoView, path: str) -> str:
    """The directory a module must be imported from: the parent of its top package."""
    parts = path.split("/")[:-1]
    while parts and repo.is_file("/".join(parts) + "/__init__.py"):
        parts.pop()
    return "/".join(parts)



def _ref(mod: str, attr: str, file: str, what: str) -> str:
    safe.python_object_ref(f"{mod}:{attr}", file, what)
    return f"{mod}:{attr}"


def web_apps(src: Sources, frameworks: list[str]) -> list[WebApp]:
    """Module-level app objects and factory results first (in file rank order), then factory functions."""
    if not frameworks:
        return []
    ctors = {FRAMEWORKS[f][0]: f for f in frameworks}
    default_fw = frameworks[0]
    objects: list[WebApp] = []
    factories: list[WebApp] = []
    for path, text in src.read():
        root = import_root(src.repo, path)
        mod = module_of(path, root)
        if not safe._MODULE.fullmatch(mod):
            continue
        hit = None
        for m in _ASSIGN.finditer(text):
            var, func = m.group(1), m.group(2)
            fw = ctors.get(func)
            if fw is None and _FACTORY_NAME.match(func) and var in ("app", "application", "api"):
                fw = _framework_in(text, frameworks) or default_fw
            if fw is not None:
                hit = WebApp(fw, FRAMEWORKS[fw][1], _ref(mod, var, path, f"{fw} application"), False, root,
                             Source.of(path, f"line {line_of(text, m.start())}"), "read")
                break
        if hit:
            objects.append(hit)
            continue
        d = _FACTORY_DEF.search(text)
        if d and (fw := _framework_in(text, frameworks)):
            factories.append(WebApp(fw, FRAMEWORKS[fw][1], _ref(mod, d.group(1), path, f"{fw} factory"), True, root,
                                    Source.of(path, f"line {line_of(text, d.start())} (factory)"), "derived"))
    return objects + factories


def _framework_in(text: str, frameworks: list[str]) -> str | None:
    for fw in frameworks:
        if re.search(rf"^\s*(?:from|import)\s+{fw}\b", text, re.M) or f"{FRAMEWORKS[fw][0]}(" in text:
            return fw
    return None


def flask_app_env(src: Sources, frameworks: list[str]) -> WebApp | None:
    """``FLASK_APP`` (or ``QUART_APP``) from ``.flaskenv``: a file, a module, ``mod:app`` or ``mod:create_app()``."""
    text = src.repo.read_text_if_exists(".flaskenv")
    if text is None:
        return None
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"""^\s*(?:export\s+)?(FLASK_APP|QUART_APP)\s*=\s*['"]?([^'"#\s]+)['"]?""", line)
        if not m:
            continue
        fw = "quart" if m.group(1) == "QUART_APP" and "quart" in frameworks else "flask"
        value, ev = m.group(2), Source.of(".flaskenv", f"line {n} {m.group(1)}")
        target, _, attr = value.partition(":")
        factory = attr.endswith("()")
        attr = attr.removesuffix("()")
        path = target if target.endswith(".py") else None
        mod = target[:-3].replace("/", ".") if path else target
        safe.python_module(mod, ".flaskenv", m.group(1))
        if path is None:
            base = mod.replace(".", "/")
            path = f"{base}.py" if src.repo.is_file(f"{base}.py") else f"{base}/__init__.py"
        if not attr and src.repo.is_file(path):
            body = src.text(path)
            obj = next((a.group(1) for a in _ASSIGN.finditer(body)
                        if a.group(2) in (FRAMEWORKS[fw][0],) or _FACTORY_NAME.match(a.group(2))), None)
            fac = _FACTORY_DEF.search(body)
            attr, factory = (obj, False) if obj else ((fac.group(1), True) if fac else ("app", False))
        attr = attr or "app"
        return WebApp(fw, FRAMEWORKS[fw][1], _ref(mod, attr, ".flaskenv", m.group(1)), factory, "", ev, "read")
    return None


def own_server_mains(src: Sources) -> list[tuple[str, Source, str]]:
    """Root scripts whose ``__main__`` block starts a production server, directly or through the function
    it calls (``changedetection.py`` → ``changedetectionio.main()`` → ``socketio.run(...)``).

    Each as (script, evidence, the file that starts the server: its port and host settings rank first).
    """
    out = []
    for path, text in src.read():
        if "/" in path or not (g := _MAIN_GUARD.search(text)):
            continue
        if (pos := _server_call(text)) is not None:
            out.append((path, Source.of(path, f"line {line_of(text, pos)}"), path))
        elif (hop := _server_behind(src, path, text, g.end())) is not None:
            out.append((path, *hop))
    return out


def _module_path(repo: RepoView, mod: str) -> str | None:
    """The file of an importable module, at the root or in src/ (a package before a module, as Python finds them)."""
    for root in ("", "src/"):
        base = root + mod.replace(".", "/")
        for cand in (f"{base}/__init__.py", f"{base}.py"):
            if repo.is_file(cand):
                return cand
    return None


def _server_call(text: str) -> int | None:
    """Where ``text`` starts a production server (not a debug one), or None."""
    for m in _OWN_SERVER.finditer(text):
        args = text[m.end(): m.end() + 400].split("\n)", 1)[0]
        if not re.search(r"\bdebug\s*=\s*True\b", args):
            return m.start()
    return None


_CALL = re.compile(r"^[ \t]+(?:[A-Za-z_]\w*\s*=\s*)?(?:sys\.exit\()?([A-Za-z_][\w.]*)\(\s*\)", re.M)


def _server_behind(src: Sources, path: str, text: str, start: int) -> tuple[Source, str] | None:
    """The function the ``__main__`` block calls, followed into the module that defines it (one hop)."""
    for call in _CALL.finditer(text, start):
        mod, _, func = call.group(1).rpartition(".")
        if not mod:
            imp = re.search(rf"^from\s+([\w.]+)\s+import\s+(?:[\w, ]+,\s*)?{re.escape(func)}\b", text, re.M)
            mod = imp.group(1) if imp else ""
        target = _module_path(src.repo, mod) if mod and safe._MODULE.fullmatch(mod) else None
        if target is None:
            continue
        body = src.text(target)
        d = re.search(rf"^def\s+{re.escape(func)}\(", body, re.M)
        if d is None:
            continue
        end = re.compile(r"^\S", re.M).search(body, d.end())
        pos = _server_call(body[d.start(): end.start() if end else len(body)])
        if pos is not None:
            at = Source.of(target, f"line {line_of(body, d.start() + pos)}")
            return Source.all(Source.of(path, f"line {line_of(text, call.start(1))}"), at), target
    return None


# ---- ports, listen addresses, writes --------------------------------------------------------------


def _service(head: str) -> bool:
    """A name part says the variable belongs to another service (``LD_DB``, ``REDIS``, ``APP_SMTP``)."""
    parts = head.split("_")
    return any(p in _SERVICE_PREFIX for p in parts) or any(f"{a}_{b}" in _SERVICE_PREFIX
                                                           for a, b in zip(parts, parts[1:]))


#: CGI/WSGI request variables (``environ.get("HTTP_X_FORWARDED_HOST")`` in a middleware): never the
#: app's own listen settings.
_CGI = re.compile(r"^(HTTP_\w+|SERVER_(PORT|NAME|PROTOCOL)|REMOTE_(ADDR|HOST|PORT))$")


def _port_name(name: str) -> bool:
    up = name.upper()
    if _CGI.match(up):
        return False
    if up == "PORT":
        return True
    return up.endswith("_PORT") and not _service(up[:-5])


def _host_name(name: str) -> bool:
    """A listen-address variable: ``HOST``, ``APP_HOST``, ``LISTEN_ADDR``; never another service's host
    (``LD_DB_HOST``, ``DATABASE_HOST``, ``REDIS_HOST``)."""
    up = name.upper()
    if _CGI.match(up):
        return False
    if up in ("HOST", "BIND", "LISTEN", "BIND_ADDRESS", "LISTEN_ADDRESS", "LISTEN_ADDR", "BIND_HOST", "ADDRESS"):
        return True
    for suffix in ("_HOST", "_BIND", "_LISTEN_ADDR", "_LISTEN_ADDRESS", "_BIND_ADDRESS", "_ADDR"):
        if up.endswith(suffix):
            return not _service(up[: -len(suffix)])
    return False


def _lit(s: str | None) -> str | None:
    if s is None:
        return None
    return s[1:-1] if s[:1] in "'\"" else s


@dataclass
class Listen:
    port: list[Candidate[int]]
    port_env: list[Candidate[str]]
    bind: list[Candidate[str]]
    bind_env: list[Candidate[tuple[str, str]]]


def listen(src: Sources, first: str | None = None, run_calls: bool = True) -> Listen:
    """Ports and listen addresses the code states, files of the start module first.

    ``run_calls=False`` when a server (gunicorn, uvicorn, …) runs the app: the ``port=``/``host=`` of
    ``app.run(...)``/``uvicorn.run(...)`` calls then never execute (a ``__main__`` dev-server block), so
    they say nothing about where the app listens.
    """
    out = Listen([], [], [], [])
    files = src.files if first is None else sorted(src.files, key=lambda p: p != first)
    for path in files:
        text = src.text(path)
        settings = bool(_SETTINGS_CLASS.search(text))
        prefix_m = _ENV_PREFIX.search(text)
        prefix = prefix_m.group(1).upper() if prefix_m else ""
        for m in _ENV_GET.finditer(text):
            name, default = m.group(1), _lit(m.group(2))
            ev = Source.of(path, f"line {line_of(text, m.start())}")
            if _port_name(name):
                out.port_env.append(Candidate(value=name, evidence=ev, confidence="read"))
                if default and default.isdigit():
                    _add_port(out, default, path, ev)
            elif _host_name(name) and default is not None:
                host = default.rsplit(":", 1)[0] if default.count(":") == 1 else default
                out.bind.append(Candidate(value=host or "0.0.0.0", evidence=ev, confidence="read"))
                out.bind_env.append(Candidate(value=(name, _all_addr(default)), evidence=ev, confidence="read"))
        for m in _ENV_INDEX.finditer(text):
            if _port_name(m.group(1)):
                out.port_env.append(Candidate(value=m.group(1), evidence=Source.of(path, f"line {line_of(text, m.start())}"),
                                              confidence="read"))
        # A module named for another service (searxng's engines/mariadb_server.py: `port = 3306`)
        # holds that service's settings, not the app's.
        other = bool(SECONDARY.search(posixpath.basename(path)))
        for m in () if other else _FIELD.finditer(text):
            indent, name, value = m.group(1), m.group(2), _lit(m.group(3))
            ev = Source.of(path, f"line {line_of(text, m.start())}")
            env = (prefix + name.upper()) if indent and settings else None
            if _port_name(name) and value and value.isdigit():
                _add_port(out, value, path, ev)
                if env:
                    out.port_env.append(Candidate(value=env, evidence=ev, confidence="read"))
            elif _host_name(name) and value is not None and not value.isdigit():
                out.bind.append(Candidate(value=value or "0.0.0.0", evidence=ev, confidence="read"))
                if env:
                    out.bind_env.append(Candidate(value=(env, "0.0.0.0"), evidence=ev, confidence="read"))
        kwargs = [(call.start(1) + m.start(), m) for call in _RUN_CALL.finditer(text)
                  for m in _KWARG.finditer(call.group(1))] if run_calls else []
        for pos, m in kwargs:
            ev = Source.of(path, f"line {line_of(text, pos)}")
            value = _lit(m.group(2))
            if m.group(1) == "port" and value and value.isdigit():
                _add_port(out, value, path, ev)
            elif m.group(1) == "host" and value and not value.isdigit():
                out.bind.append(Candidate(value=value, evidence=ev, confidence="read"))
        for m in _LISTEN.finditer(text):
            ev = Source.of(path, f"line {line_of(text, m.start())}")
            _add_port(out, m.group(2), path, ev)
            out.bind.append(Candidate(value=m.group(1) or "0.0.0.0", evidence=ev, confidence="read"))
    out.port = unique_values(out.port)
    out.port_env = unique_values(out.port_env)
    out.bind = unique_values(out.bind)
    out.bind_env = unique_values(out.bind_env)
    return out


def _all_addr(default: str) -> str:
    return "0.0.0.0:" + default.rsplit(":", 1)[1] if default.count(":") == 1 else "0.0.0.0"


def _add_port(out: Listen, value: str, path: str, ev: Source) -> None:
    try:
        n = safe.port(value, path, str(ev))
    except InvalidInputError:
        return
    out.port.append(Candidate(value=n, evidence=ev, confidence="read"))



def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


#: The data directory for locations the app lets a variable override (``DATABASE_URL=sqlite:////data/app.db``).
DATA_ROOT = "/data"


@dataclass
class Writes:
    dirs: list[Candidate[str]]
    #: (variable, value) pairs that move data written next to the code into ``DATA_ROOT``.
    env: list[Candidate[tuple[str, str]]]


def writable(src: Sources, warnings: list[str], also: list[tuple[str, paths.Write]] = ()) -> Writes:
    """Directories the code creates or writes into: mkdir, SQLite files, *_DIR defaults, and paths it
    builds from its own location, its working directory or an overridable variable (python_paths).
    ``also``: writes found elsewhere (Django's database, read through its settings chain), placed first."""
    out = Writes([], [])
    for path, w in also:
        _place(src.repo, w, Source.of(path, f"line {w.line} DATABASES NAME"), out)
    for path, text in src.read():
        built = paths.writes(path, text) if _BUILDS_PATHS.search(text) else []
        for w in built:
            _place(src.repo, w, Source.of(path, f"line {w.line}"), out)
        seen = {n for w in built if w.sqlite for n in range(w.line, w.end_line + 1)}
        for ev, raw, is_file in _literal_writes(path, text, warnings, seen):
            if (d := _literal_dir(raw, is_file, ev, warnings)) is not None:
                out.dirs.append(Candidate(value=d, evidence=ev, confidence="read"))
    out.dirs = unique_values(out.dirs)
    out.env = unique_values(out.env)
    return out


_BUILDS_PATHS = re.compile(r"__file__|getcwd|sqlite|environ|getenv|_DIR\b|_FOLDER\b|_PATH\b|_ROOT\b|mkdir")


def _place(repo: RepoView, w: paths.Write, ev: Source, out: Writes) -> None:
    """A directory written next to the code: moved to DATA_ROOT through the variable that overrides it,
    else the sources become writable ("."). Any other directory is made writable as it is."""
    if not _holds_code(repo, w.where):
        out.dirs.append(Candidate(value=w.where, evidence=ev, confidence="read"))
        return
    if not w.env:
        out.dirs.append(Candidate(value=".", evidence=ev.plus(f"writes in {w.where}/") if w.where != "." else ev,
                                  confidence="read"))
        return
    if w.sqlite:
        scheme, name = w.sqlite
        value, d = (f"{scheme}:///{DATA_ROOT}/{name}" if scheme else f"{DATA_ROOT}/{name}"), DATA_ROOT
    else:
        d = value = f"{DATA_ROOT}/{w.env[0].lower()}"
    out.env.append(Candidate(value=(w.env[0], value), evidence=ev, confidence="read"))
    out.dirs.append(Candidate(value=d, evidence=ev.plus(f"via {w.env[0]}"), confidence="read"))


def _holds_code(repo: RepoView, where: str) -> bool:
    if where == ".":
        return True
    return not where.startswith("/") and repo.is_dir(where) and any(n.endswith(".py") for n in repo.listdir(where))


def _literal_writes(path: str, text: str, warnings: list[str], seen: set[int]):
    """(evidence, path as written, is it a file) for literal paths: mkdir, SQLite URLs and connects, *_DIR defaults."""
    def ev(pos: int) -> Source:
        return Source.of(path, f"line {line_of(text, pos)}")

    for m in _MKDIR.finditer(text):
        yield ev(m.start()), m.group(1) or m.group(2), False
    for m in _SQLITE_URL.finditer(text):
        if m.group(1):
            yield ev(m.start()), m.group(1), True
        elif line_of(text, m.start()) not in seen and _BUILT.match(text, m.end()):
            warnings.append(f"{ev(m.start())}: the SQLite path is built at run time; dockgen cannot see where it "
                            "writes (make that directory writable)")
    for m in _SQLITE_CONNECT.finditer(text):
        yield ev(m.start()), m.group(1), True
    for m in _FIELD.finditer(text):
        name, value = m.group(2), _lit(m.group(3))
        if paths.DIR_NAME.match(name.upper()) and value and not value.isdigit():
            yield ev(m.start()), value, paths.looks_like_file(value)
    for m in _ENV_GET.finditer(text):
        name, default = m.group(1), _lit(m.group(2))
        if paths.DIR_NAME.match(name.upper()) and default:
            yield ev(m.start()), default, paths.looks_like_file(default)


#: After an empty ``sqlite:///``: the URL is being built (``'sqlite:///' + path``), not compared or stripped.
_BUILT = re.compile(r"""['"]\s*(?:\+|%|\.format\b)""")


def _literal_dir(raw: str, is_file: bool, ev: Source, warnings: list[str]) -> str | None:
    """A literal path's directory, from the working directory (the app directory); None when not mappable."""
    raw = raw.strip()
    if not raw or raw.startswith(("~", "{", "$")) or "://" in raw or raw.startswith(":memory:"):
        return None
    full = paths.absolute(raw)
    where = paths.place(posixpath.dirname(full) if is_file else full)
    if where is None and not full.startswith(("/tmp/", "/var/tmp/")) and full not in ("/tmp", "/var/tmp"):
        warnings.append(f"{ev}: the app writes to {raw!r}, which dockgen cannot map to a directory "
                        "in the image; make it writable for the container user yourself")
    return where



def health_paths(src: Sources) -> list[Candidate[str]]:
    out = []
    for path, text in src.read():
        for m in _HEALTH.finditer(text):
            out.append(Candidate(value=m.group(1), evidence=Source.of(path, f"line {line_of(text, m.start())}"),
                                 confidence="read"))
        for m in _DJ_HEALTH.finditer(text):
            out.append(Candidate(value="/" + m.group(1), evidence=Source.of(path, f"line {line_of(text, m.start())}"),
                                 confidence="read"))
    return unique_values(out)


_PKG_RESOURCES = re.compile(r"^[ \t]*(?:import|from)[ \t]+pkg_resources\b", re.M)


def pkg_resources_without_setuptools(src: Sources, installed) -> list[str]:
    """A warning when the code imports pkg_resources but the production install brings no setuptools:
    the image's venv is made without pip and setuptools, so the import would fail at run time."""
    if "setuptools" in installed:
        return []
    for path, text in src.read():
        found = _PKG_RESOURCES.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            return [f"{path} line {line} imports pkg_resources, which setuptools provides, but setuptools is not "
                    "among the production dependencies: the image has no setuptools (its venv is made without pip "
                    "and setuptools); add setuptools to the dependencies"]
    return []

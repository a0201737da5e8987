"""What a Python app's own code says about running it: web app objects and factories, the port and
listen address it defaults to (and the variables that override them), the directories it writes,
its health route. Every finding is a ``Candidate`` with ``file line N`` evidence.

Sources are read, never imported: regular expressions over a ranked list of files. Likely entry
files (``wsgi.py``, ``asgi.py``, ``app.py``, ``main.py``, settings and config modules) come first,
then the rest by depth; at most ``MAX_READ_FILES`` are read, so the entry module is never hidden
behind a directory of helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import safe
from .errors import InvalidInputError
from .facts import Candidate, Source, unique_values
from .repo import RepoView
from .source_text import LOOPBACK, line_of

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
             "frontend", "__pycache__"}

#: Framework → (constructor, interface).
FRAMEWORKS = {"flask": ("Flask", "wsgi"), "quart": ("Quart", "asgi"), "fastapi": ("FastAPI", "asgi"),
              "starlette": ("Starlette", "asgi"), "litestar": ("Litestar", "asgi")}
_FACTORY_NAME = re.compile(r"^(?:create|make|get|build|init|setup)_?(?:app|application|api)$")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*(?::\s*[\w.\[\], ]+\s*)?=\s*(?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*)\(", re.M)
_FACTORY_DEF = re.compile(r"^(?:async\s+)?def\s+((?:create|make)_?app)\(", re.M)
_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.M)
#: Production servers an app may start itself (``uvicorn.run(...)`` in its ``__main__`` block).
_OWN_SERVER = re.compile(r"\b(?:uvicorn\.run|waitress\.serve|hypercorn\.asyncio\.serve|granian\.Granian|"
                         r"web\.run_app|WSGIServer|cheroot|bjoern\.run)\(|^from waitress import serve\b", re.M)

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
_DIR_NAME = re.compile(r"^[A-Z0-9_]*(?:UPLOAD|MEDIA|DATA|STORAGE|CACHE|INSTANCE|FILES|DB)[A-Z0-9_]*"
                       r"(?:_DIR|_FOLDER|_PATH|_ROOT|_DIRECTORY)$")
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
            elif (depth < MAX_DEPTH and dirs < MAX_DIRS and n not in SKIP_DIRS and not n.startswith((".", "_"))
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


def own_server_mains(src: Sources) -> list[tuple[str, Source]]:
    """Root scripts with a ``__main__`` block that start a production server themselves."""
    out = []
    for path, text in src.read():
        if "/" in path:
            continue
        g = _MAIN_GUARD.search(text)
        s = _OWN_SERVER.search(text)
        if g and s:
            out.append((path, Source.of(path, f"line {line_of(text, s.start())}")))
    return out


# ---- ports, listen addresses, writes --------------------------------------------------------------


def _port_name(name: str) -> bool:
    up = name.upper()
    if up == "PORT":
        return True
    if not up.endswith("_PORT"):
        return False
    head = up[:-5]
    return head not in _SERVICE_PREFIX and not any(head.endswith("_" + p) or head.startswith(p + "_")
                                                   for p in _SERVICE_PREFIX)


def _host_name(name: str) -> bool:
    up = name.upper()
    if up in ("HOST", "BIND", "LISTEN", "BIND_ADDRESS", "LISTEN_ADDRESS", "LISTEN_ADDR", "BIND_HOST", "ADDRESS"):
        return True
    for suffix in ("_HOST", "_BIND", "_LISTEN_ADDR", "_LISTEN_ADDRESS", "_BIND_ADDRESS", "_ADDR"):
        if up.endswith(suffix):
            head = up[: -len(suffix)]
            return head not in _SERVICE_PREFIX and not any(head.startswith(p + "_") for p in _SERVICE_PREFIX)
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


def listen(src: Sources, first: str | None = None) -> Listen:
    """Ports and listen addresses the code states, files of the start module first."""
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
        for m in _FIELD.finditer(text):
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
                  for m in _KWARG.finditer(call.group(1))]
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


def writable(src: Sources, warnings: list[str], cwd: str = "") -> list[Candidate[str]]:
    """Relative directories the code creates or writes into: mkdir, SQLite files, *_DIR defaults."""
    out: list[Candidate[str]] = []

    def add(raw: str, path: str, pos: int, text: str, is_file: bool) -> None:
        ev = Source.of(path, f"line {line_of(text, pos)}")
        raw = raw.strip()
        if not raw or raw.startswith(("/", "~", "{", "$")) or "://" in raw or raw.startswith(":memory:"):
            return
        rel = raw.rsplit("/", 1)[0] if is_file and "/" in raw else ("." if is_file else raw)
        if rel == ".":
            d = cwd or "."
        else:
            try:
                d = safe.rel_path(f"{cwd}/{rel}" if cwd else rel, path, str(ev))
            except InvalidInputError:
                warnings.append(f"{ev}: the app writes to {raw!r}, which dockgen cannot map to a directory "
                                "in the image; make it writable for the container user yourself")
                return
        out.append(Candidate(value=d, evidence=ev, confidence="read"))

    for path, text in src.read():
        for m in _MKDIR.finditer(text):
            add(m.group(1) or m.group(2), path, m.start(), text, False)
        for m in _SQLITE_URL.finditer(text):
            if not m.group(1):
                warnings.append(f"{path} line {line_of(text, m.start())}: the SQLite path is built at run time; "
                                "dockgen cannot see where it writes (make that directory writable)")
                continue
            add(m.group(1), path, m.start(), text, True)
        for m in _SQLITE_CONNECT.finditer(text):
            add(m.group(1), path, m.start(), text, True)
        for m in _FIELD.finditer(text):
            name, value = m.group(2), _lit(m.group(3))
            if _DIR_NAME.match(name.upper()) and value and not value.isdigit():
                add(value, path, m.start(), text, _looks_like_file(value))
        for m in _ENV_GET.finditer(text):
            name, default = m.group(1), _lit(m.group(2))
            if _DIR_NAME.match(name.upper()) and default:
                add(default, path, m.start(), text, _looks_like_file(default))
    return unique_values(out)


def _looks_like_file(value: str) -> bool:
    return "." in value.rstrip("/").rsplit("/", 1)[-1][1:]


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

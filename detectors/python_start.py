"""How a Python app starts, as ranked ``Candidate`` commands with their evidence.

Ranking (best first): Procfile ``web:`` (the server of a chain; release steps are reported) >
a uWSGI ini file > Django (WSGI_APPLICATION / ASGI_APPLICATION, taken literally) > a WSGI/ASGI app
object, factory or ``FLASK_APP`` under an installed server > a root script that starts a production
server itself > ``python -m <pkg>`` > main.py / app.py (only when no framework app was found) >
console scripts (``[project.scripts]``; a click/typer group runs its server subcommand).

Words are exec form, ``@PORT@`` standing for the port the planner chooses. A framework app whose
dependencies install no server gets the framework's conventional one (gunicorn for WSGI, uvicorn for
ASGI; the planner adds it from the catalog, with a warning). A start that runs with what the
dependencies install ranks before one that needs a server added (a Procfile ``web:`` line stays
first: it is the project's own declaration). Entry points that were found but cannot run (a CLI
group without a server command) are returned as refusals: the planner's error when nothing else
was found.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from . import python_app as pa
from . import python_paths as paths
from .source_text import line_of, logical_lines
from . import safe
from .facts import Candidate, Fact, Source, fact
from .repo import RepoView

#: Server command → the packages that provide it.
SERVER_PACKAGES = {"gunicorn": ("gunicorn",), "uvicorn": ("uvicorn",), "hypercorn": ("hypercorn",),
                   "daphne": ("daphne",), "granian": ("granian",), "waitress-serve": ("waitress",),
                   "uwsgi": ("uwsgi", "pyuwsgi"), "fastapi": ("fastapi-cli",)}
#: Servers by interface, preferred first (as packages).
WSGI_SERVERS = ("gunicorn", "waitress", "granian", "uwsgi")
ASGI_SERVERS = ("uvicorn", "hypercorn", "granian", "daphne")
#: Development servers: never the container's command.
DEV_SERVERS = (("flask", "run"), ("manage.py", "runserver"), ("fastapi", "dev"), ("quart", "run"))
SERVER_SUBCOMMANDS = ("serve", "server", "run", "start", "web", "runserver")
#: Where a uWSGI config may be (``uwsgi*.ini`` with a ``[uwsgi]`` section), first found wins.
UWSGI_DIRS = ("", "etc", "docker", "deploy", "config", "conf", "uwsgi")
_FACTORY_WORD = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*\(\)$")


@dataclass
class Start:
    candidates: list[Candidate[tuple[str, ...]]] = field(default_factory=list)
    refusals: list[Fact[str]] = field(default_factory=list)
    #: Port candidates that belong to one command (an explicit port in the Procfile, ini or CLI option).
    ports: dict[tuple[str, ...], list[Candidate[int]]] = field(default_factory=dict)
    #: Directory to put on the import path for the top command (src layouts, Django in src/).
    app_dir: Fact[str] | None = None
    #: Writable directories the start config implies (Django's MEDIA_ROOT).
    writable: list[Candidate[str]] = field(default_factory=list)
    #: Django's SQLite database: (settings file, where it is written), placed like the code's own writes.
    writes: list[tuple[str, paths.Write]] = field(default_factory=list)
    #: The module file of the top candidate (its port/bind settings rank first).
    entry_file: str | None = None
    warnings: list[str] = field(default_factory=list)
    framework: Fact[str] | None = None
    app_object: Fact[str] | None = None
    procfile_web: Fact[tuple[str, ...]] | None = None
    release_steps: Fact[tuple[str, ...]] | None = None
    #: The host option default of the chosen CLI server command (overridden with --host 0.0.0.0).
    cli_bind: Candidate[str] | None = None
    #: The port of a uwsgi ini's ``socket =`` (uwsgi protocol, not HTTP): the published port must differ.
    uwsgi_socket: Fact[int] | None = None


def server_of(words: tuple[str, ...]) -> str | None:
    """The server a command runs (``gunicorn …``, ``python -m uvicorn …``), None for a script or module."""
    head = words[0].rsplit("/", 1)[-1] if words else ""
    if head.startswith("python") and len(words) > 2 and words[1] == "-m":
        head = {"waitress": "waitress-serve", "pyuwsgi": "uwsgi"}.get(words[2], words[2])
    return head if head in SERVER_PACKAGES else None


#: The server a framework app gets when the dependencies install none (the planner adds it).
CONVENTIONAL_SERVER = {"wsgi": "gunicorn", "asgi": "uvicorn"}


def is_installed(server: str, installed: frozenset[str]) -> bool:
    return any(p in installed for p in SERVER_PACKAGES.get(server, (server,)))


def installed_server(installed: frozenset[str], interface: str) -> str | None:
    for s in (WSGI_SERVERS if interface == "wsgi" else ASGI_SERVERS):
        if any(p in installed for p in SERVER_PACKAGES.get("waitress-serve" if s == "waitress" else s, (s,))):
            return s
    return None


def server_words(server: str, interface: str, ref: str, factory: bool, app_dir: str) -> tuple[str, ...]:
    """The exec words that serve ``ref`` on all addresses at ``@PORT@``."""
    if server == "gunicorn":
        return ("gunicorn", "--bind", "0.0.0.0:@PORT@", *(("--chdir", app_dir) if app_dir else ()),
                f"{ref}()" if factory else ref)
    if server == "uvicorn":
        return ("uvicorn", "--host", "0.0.0.0", "--port", "@PORT@", *(("--app-dir", app_dir) if app_dir else ()),
                *(("--factory",) if factory else ()), ref)
    if server == "hypercorn":
        return ("hypercorn", "--bind", "0.0.0.0:@PORT@", f"{ref}()" if factory else ref)
    if server == "granian":
        return ("granian", "--interface", interface, "--host", "0.0.0.0", "--port", "@PORT@",
                *(("--factory",) if factory else ()), ref)
    if server == "daphne":
        return ("daphne", "-b", "0.0.0.0", "-p", "@PORT@", ref)
    if server == "waitress":
        return ("waitress-serve", "--listen=0.0.0.0:@PORT@", *(("--call",) if factory else ()), ref)
    return ("uwsgi", "--master", "--http-socket", "0.0.0.0:@PORT@", "--module", ref)


# ---- Procfile and uWSGI ini ---------------------------------------------------------------------------


@dataclass
class Procfile:
    words: tuple[str, ...] | None
    release: tuple[str, ...]
    line: int
    warning: str | None


def procfile_web(repo: RepoView) -> Procfile | None:
    """The ``web:`` line: the last server command of a ``;``/``&&`` chain, with the steps before it."""
    text = repo.read_text_if_exists("Procfile")
    if text is None:
        return None
    for n, line in enumerate(text.splitlines(), 1):
        key, sep, cmd = line.partition(":")
        if not (sep and key.strip() == "web"):
            continue
        cmd = re.sub(r"\$\{PORT(:-?\d+)?\}|\$PORT\b", "@PORT@", cmd.strip())
        steps = [s.strip() for s in re.split(r"&&|;", cmd) if s.strip()]
        if not steps:
            return Procfile(None, (), n, f"Procfile line {n}: the web command is empty")
        server = steps[-1]
        try:
            words = shlex.split(server)
        except ValueError:
            return Procfile(None, (), n, f"Procfile line {n}: the web command does not parse; it was not used")
        if words[:1] == ["exec"]:
            words = words[1:]
        shell = any(ch in server for ch in "$`|<>") or any("(" in w and not _FACTORY_WORD.match(w) for w in words) \
            or any(s.split()[0] in ("cd", "export", "source", ".") or "=" in s.split()[0] for s in steps)
        if shell or not words:
            return Procfile(None, (), n, f"Procfile line {n}: the web command needs a shell (variables, pipes, cd "
                                         "or operators); it was not used: pass --command instead")
        if any(_is_dev(words, dev) for dev in DEV_SERVERS):
            return Procfile(None, (), n, f"Procfile line {n}: {' '.join(words[:3])} is a development server; "
                                         "it was not used")
        plain = [w for w in words if not _FACTORY_WORD.match(w)]
        if plain:
            safe.command_words(plain, "Procfile", f"line {n} web")
        return Procfile(tuple(words), tuple(steps[:-1]), n, None)
    return None


def _is_dev(words: list[str], dev: tuple[str, str]) -> bool:
    names = [w.rsplit("/", 1)[-1] for w in words]
    return dev[0] in names and dev[1] in names[names.index(dev[0]):]


def explicit_port(words: tuple[str, ...]) -> int | None:
    """A literal port in server arguments (``-b :5000``, ``--port 9000``, ``--listen=*:8080``)."""
    for i, w in enumerate(words):
        opt, eq, val = w.partition("=")
        if not eq:
            val = words[i + 1] if i + 1 < len(words) else ""
        if opt in ("-b", "--bind", "--listen", "--http", "--http-socket", "--port", "-p"):
            digits = val.rsplit(":", 1)[-1]
            if digits.isdigit() and 0 < int(digits) < 65536:
                return int(digits)
    return None


def uwsgi_ini(repo: RepoView) -> tuple[str, dict[str, tuple[str, int]]] | None:
    """The first ``uwsgi*.ini`` holding a ``[uwsgi]`` section: the root first, then one level of
    conventional folders (``UWSGI_DIRS``), ``uwsgi.ini`` before ``uwsgi-prod.ini`` in each."""
    names = [f"{d}/{n}" if d else n for d in UWSGI_DIRS if d == "" or repo.is_dir(d)
             for n in sorted(repo.listdir(d or "."), key=lambda n: (n != "uwsgi.ini", n))
             if n.startswith("uwsgi") and n.endswith(".ini")]
    for path in names:
        keys = read_uwsgi_ini(repo, path)
        if keys is not None:
            return path, keys
    return None


def read_uwsgi_ini(repo: RepoView, path: str) -> dict[str, tuple[str, int]] | None:
    """An ini's ``[uwsgi]`` keys, each with its first value and line (``if-env`` blocks are not
    evaluated); None when the file is absent or has no ``[uwsgi]`` section."""
    text = repo.read_text_if_exists(path) if repo.is_file(path) else None
    if text is None or "[uwsgi]" not in text:
        return None
    keys: dict[str, tuple[str, int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        k, sep, v = line.partition("=")
        if sep and not line.lstrip().startswith((";", "#")):
            keys.setdefault(k.strip(), (v.strip(), n))
    return keys


def ini_of(words: tuple[str, ...]) -> str | None:
    """The ini file a uwsgi command loads (``uwsgi x.ini``, ``uwsgi --ini x.ini``, ``--ini=x.ini``)."""
    if server_of(words) != "uwsgi":
        return None
    for i, w in enumerate(words[1:], 1):
        if w.startswith("--ini="):
            return w.split("=", 1)[1]
        if w == "--ini" and i + 1 < len(words):
            return words[i + 1]
        if not w.startswith("-") and w.endswith(".ini") and not words[i - 1].startswith("-"):
            return w
    return None


#: The repository's own start scripts, read for the port they give the server (``exec gunicorn -b :5000``).
START_SCRIPT_DIRS = ("", "docker", "deploy", "bin")
_VARIANT = re.compile(r"(?i)(ssl|tls|https|dev|test|debug|local)")
_SH_DEFAULT = re.compile(r"""^\s*(?:export\s+|:\s+)?["']?(?:(\w+)=)?["']?\$\{(\w+):?[-=](\d{2,5})\}["']?\s*$""")
_SH_ASSIGN = re.compile(r"""^\s*(?:export\s+)?(\w+)=["']?(\d{2,5})["']?\s*(?:#.*)?$""")


def start_script_port(repo: RepoView, server: str, app_dir: str | None = None) -> Candidate[int] | None:
    """The port a start script passes to ``server`` (``exec uwsgi --http $HOST:$PORT`` with
    ``PORT="${PORT:-9090}"``), when it runs the same server as the chosen command; the app's own
    directory (shynet's ``shynet/webserver.sh`` beside its manage.py) is looked in last."""
    for d in dict.fromkeys((*START_SCRIPT_DIRS, *((app_dir,) if app_dir and repo.is_dir(app_dir) else ()))):
        # A variant for TLS, development or tests (ssl.webserver.sh) is read after the plain one.
        for n in sorted(repo.listdir(d or "."), key=lambda n: (bool(_VARIANT.search(n)), n)):
            path = f"{d}/{n}" if d else n
            if n.endswith(".sh") and repo.is_file(path):
                found = _script_port(repo.read_text(path), server)
                if found:
                    return Candidate(value=found[0], evidence=Source.of(path, f"line {found[1]}"), confidence="read")
    return None


def _script_port(text: str, server: str) -> tuple[int, int] | None:
    values: dict[str, str] = {}
    for n, line in logical_lines(text):
        if (m := _SH_DEFAULT.match(line)) and (m.group(1) in (None, m.group(2))):
            values[m.group(2)] = m.group(3)
        elif m := _SH_ASSIGN.match(line):
            values[m.group(1)] = m.group(2)
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        words = words[1:] if words[:1] == ["exec"] else words
        if not words or server_of(tuple(words)) != server:
            continue
        expanded = tuple(re.sub(r"\$\{?(\w+)(?::?-(\d+))?\}?", lambda v: values.get(v.group(1), v.group(2) or v.group(0)), w)
                         for w in words)
        port = explicit_port(expanded)
        if port:
            return port, n
    return None


def _uwsgi_candidate(repo: RepoView, st: Start, add) -> None:
    """``uwsgi --ini <file>``, listening on all addresses, run from the image's app directory."""
    ini = uwsgi_ini(repo)
    if ini is None:
        return
    path, keys = ini
    words: tuple[str, ...] = ("uwsgi", "--ini", safe.rel_path(path, path, "path"))
    words = _with_ini(path, keys, words, st)
    add(words, Source.of(path, "[uwsgi]"), "read")


def _with_ini(path: str, keys: dict[str, tuple[str, int]], words: tuple[str, ...], st: Start) -> tuple[str, ...]:
    """A uwsgi command that loads ``path``: the app directory for the maintainers' absolute chdir, an
    HTTP listener on all addresses when the ini has none (or a loopback one), and its port."""
    for key in ("chdir", "chdir2"):
        # The maintainers' image layout (chdir = /opt/app): the sources are in the app directory here.
        if key in keys and keys[key][0].startswith("/") and keys[key][0].rstrip("/") != paths.IMAGE_ROOT:
            words += (f"--{key}", paths.IMAGE_ROOT)
    listen = keys.get("http") or keys.get("http-socket")
    sock = keys.get("socket") or keys.get("uwsgi-socket")
    if not listen and explicit_port(words) is None:
        words += ("--http-socket", "0.0.0.0:@PORT@")
        if sock:
            # uwsgi's own protocol, for a proxy in front (nginx uwsgi_pass): neither published nor probed.
            st.warnings.append(f"{path} line {sock[1]}: socket = {sock[0]} speaks the uwsgi protocol (for a proxy "
                               "such as nginx), not HTTP: the image adds an HTTP listener (--http-socket) on the "
                               "published port, which the health check probes; the uwsgi socket stays unpublished")
            port = explicit_port(("--http", sock[0]))
            if port:
                st.uwsgi_socket = fact(port, Source.of(path, f"line {sock[1]} socket"))
    elif listen and pa.is_loopback(listen[0].rsplit(":", 1)[0]):
        words += ("--http-socket", "0.0.0.0:@PORT@")
    port = explicit_port(("--http", listen[0])) if listen else None
    if port:
        st.ports[words] = [Candidate(value=port, evidence=Source.of(path, f"line {listen[1]} http"), confidence="read")]
    return words


# ---- console scripts: click / typer groups -------------------------------------------------------------


@dataclass
class Cli:
    #: "group" (click/typer with subcommands) or "command".
    kind: str
    commands: tuple[str, ...] = ()
    #: The chosen server subcommand, its port/host option defaults.
    serve: str | None = None
    port: tuple[int, Source] | None = None
    host: tuple[str, Source] | None = None
    has_port_option: bool = False
    has_host_option: bool = False


def read_cli(repo: RepoView, src: pa.Sources, ref: str) -> Cli | None:
    mod, attr = ref.split(":")
    path = None
    for root in ("", "src"):
        base = (f"{root}/" if root else "") + mod.replace(".", "/")
        for cand in (f"{base}.py", f"{base}/__init__.py"):
            if repo.is_file(cand):
                path = cand
                break
        if path:
            break
    if path is None:
        return None
    text = src.text(path)
    a = re.escape(attr)
    click_group = re.search(rf"@click\.group\([^\n]*\)\s*(?:@[^\n]+\s*)*def\s+{a}\(", text)
    typer_app = re.search(rf"^{a}\s*=\s*typer\.Typer\(", text, re.M)
    if not click_group and not typer_app:
        return None
    commands: list[tuple[str, int]] = []  # (name, position of the def)
    for m in re.finditer(rf"@{a}\.command\(\s*(?:name\s*=\s*)?(?:['\"]([\w-]+)['\"])?[^\n]*\)\s*((?:@[^\n]+\s*)*)def\s+(\w+)\(",
                         text):
        # click and typer both name a command after its function, underscores as dashes.
        name = m.group(1) or m.group(3).replace("_", "-")
        commands.append((name, m.start()))
    cli = Cli(kind="group", commands=tuple(n for n, _ in commands))
    pick = next((c for s in SERVER_SUBCOMMANDS for c in commands if c[0] == s), None)
    if pick is None:
        return cli
    cli.serve = pick[0]
    # The subcommand's decorators and signature: up to the end of the def line(s).
    end = text.find(":\n", text.find("def ", pick[1]))
    block = text[pick[1]: end if end > 0 else len(text)]
    base_line = line_of(text, pick[1])
    for m in re.finditer(r"""@click\.option\(\s*((?:['"]-[\w-]+['"]\s*,\s*)+)([^\n]*)""", block):
        names = re.findall(r"""['"](-[\w-]+)['"]""", m.group(1))
        default = re.search(r"""default\s*=\s*(['"][^'"]*['"]|\d+)""", m.group(2))
        ev = Source.of(path, f"line {base_line + block.count(chr(10), 0, m.start())} (--{names[-1].lstrip('-')})")
        if "--port" in names:
            cli.has_port_option = True
            if default and default.group(1).isdigit():
                cli.port = (int(default.group(1)), ev)
        if "--host" in names:
            cli.has_host_option = True
            if default:
                cli.host = (default.group(1).strip("'\""), ev)
    for m in re.finditer(r"""\b(port|host)\s*:\s*\w+\s*=\s*(?:typer\.Option\(\s*)?(['"][^'"]*['"]|\d+)""", block):
        ev = Source.of(path, f"line {base_line + block.count(chr(10), 0, m.start())} ({m.group(1)})")
        if m.group(1) == "port":
            cli.has_port_option = True
            if m.group(2).isdigit():
                cli.port = (int(m.group(2)), ev)
        else:
            cli.has_host_option = True
            cli.host = (m.group(2).strip("'\""), ev)
    return cli


# ---- the ranking --------------------------------------------------------------------------------------


def find(repo: RepoView, src: pa.Sources, installed: frozenset[str], frameworks: list[str], django_found,
         scripts: tuple[tuple[str, str], ...], project_name: str | None, main_package: tuple[str, str] | None,
         dep_src: Source) -> Start:
    st = Start()

    def add(words: tuple[str, ...], ev: Source, conf: str) -> None:
        st.candidates.append(Candidate(value=tuple(words), evidence=ev, confidence=conf))

    # 1. Procfile web:
    proc = procfile_web(repo)
    if proc is not None and proc.warning:
        st.warnings.append(proc.warning)
    if proc is not None and proc.words:
        ev = Source.of("Procfile", f"line {proc.line} web")
        words = proc.words
        ini = ini_of(words)
        ini = ini.removeprefix("./") if ini and not ini.startswith("/") and ".." not in ini.split("/") else None
        keys = read_uwsgi_ini(repo, ini) if ini else None
        if ini and keys is not None:  # `uwsgi etc/uwsgi.ini`: its port and chdir, as for an ini found by name
            words = _with_ini(ini, keys, words, st)
        add(words, ev, "read")
        st.procfile_web = fact(proc.words, ev)
        if proc.release:
            st.release_steps = fact(proc.release, ev)
        port = explicit_port(words)
        if port:
            st.ports[words] = [Candidate(value=port, evidence=ev, confidence="read")]
    # 2. uWSGI ini (uwsgi added by the planner when it is chosen but not installed)
    _uwsgi_candidate(repo, st, add)
    # 3. Django
    web: list[pa.WebApp] = []
    if django_found is not None:
        dj = django_found
        wsgi_server = installed_server(installed, "wsgi")
        asgi_server = installed_server(installed, "asgi")
        st.framework = st.framework or fact("django", dep_src.plus("(django) + manage.py"))
        if wsgi_server and not (dj.asgi and "channels" in installed and asgi_server):
            web.append(pa.WebApp("django", "wsgi", dj.wsgi.value, False, dj.app_dir, dj.wsgi.source, "read"))
        elif dj.asgi and (asgi_server or "channels" in installed):
            # Channels needs an ASGI server (websockets): uvicorn when none is installed.
            web.append(pa.WebApp("django", "asgi", dj.asgi.value, False, dj.app_dir, dj.asgi.source, "read"))
        else:  # no server installed: gunicorn, added by the planner
            web.append(pa.WebApp("django", "wsgi", dj.wsgi.value, False, dj.app_dir, dj.wsgi.source, "read"))
        if dj.media_dir is not None:
            st.writable.append(Candidate(value=dj.media_dir.value, evidence=dj.media_dir.source, confidence="read"))
        if dj.sqlite is not None and dj.sqlite[1] is not None:
            st.writes.append(dj.sqlite)
        elif dj.sqlite is not None:
            st.warnings.append(f"{dj.sqlite[0]} DATABASES NAME: the SQLite path could not be read; make its directory "
                               "writable for the container user")
    # 4. app objects, factories, FLASK_APP
    env_app = pa.flask_app_env(src, frameworks) if frameworks else None
    apps = ([env_app] if env_app else []) + pa.web_apps(src, frameworks)
    web += apps
    for app in web:
        server = installed_server(installed, app.interface) or CONVENTIONAL_SERVER[app.interface]
        add(server_words(server, app.interface, app.ref, app.factory, app.app_dir), app.evidence, app.confidence)
    for app in web or apps[:1]:
        if st.app_object is None:
            st.app_object = fact(f"{app.ref}()" if app.factory else app.ref, app.evidence)
            if app.framework != "django":
                st.framework = st.framework or fact(app.framework, dep_src.plus(f"({app.framework})"))
            if app.app_dir:
                st.app_dir = fact(app.app_dir, app.evidence)
            if app.evidence.file and app.evidence.file.endswith(".py"):
                st.entry_file = st.entry_file or app.evidence.file
    if frameworks and not apps and django_found is None:
        names = "/".join(pa.FRAMEWORKS[f][0] for f in frameworks)
        st.warnings.append(f"{frameworks[0]} is a dependency but no `app = {names}(...)` (or factory) was found; "
                           "pass --command")
    # 5. scripts that start a production server themselves
    for path, ev, server_file in pa.own_server_mains(src):
        add(("python", path), ev, "read")
        st.entry_file = st.entry_file or server_file
    # 6. python -m pkg
    if main_package:
        pkg, d = main_package
        add(("python", "-m", pkg), Source.of(f"{d + '/' if d else ''}{pkg}/__main__.py"), "derived")
        if d and st.app_dir is None:
            st.app_dir = fact(d, Source.of(f"{d}/{pkg}/__main__.py"))
    # 7. main.py / app.py (not when they hold a framework app that cannot run)
    if not apps and django_found is None:
        for f in ("main.py", "app.py"):
            if repo.is_file(f) and not any(c.value == ("python", f) for c in st.candidates):
                add(("python", f), Source.of(f), "derived")
                st.entry_file = st.entry_file or f
    # 8. console scripts
    _scripts(repo, src, st, scripts, project_name, add)
    # What runs with the installed packages first; a Procfile web: line stays first all the same.
    st.candidates.sort(key=lambda c: c.evidence.file != "Procfile" and needs_server(c.value, installed))
    return st


def needs_server(words: tuple[str, ...], installed: frozenset[str]) -> bool:
    """Does the command run a server the dependencies do not install?"""
    server = server_of(words)
    return server is not None and not is_installed(server, installed)


def _scripts(repo, src, st: Start, scripts, project_name, add) -> None:
    if not scripts:
        return
    chosen = dict(scripts)
    ordered = list(scripts)
    if project_name and project_name in chosen:
        ordered = [(project_name, chosen[project_name])] + [s for s in scripts if s[0] != project_name]
    for name, ref in ordered:
        cli = read_cli(repo, src, ref)
        ev = Source.of("pyproject.toml", f"[project.scripts] {name}")
        if cli is None:
            if len(scripts) == 1 or name == project_name:
                add((name,), ev, "read")
            continue
        if cli.serve is None:
            st.refusals.append(fact(f"console script {name} ({ref}) is a CLI group and none of its commands is a "
                                    f"server ({'/'.join(SERVER_SUBCOMMANDS[:4])}); its commands: "
                                    f"{', '.join(cli.commands) or 'none found'}: pass --command "
                                    f"'[\"{name}\", \"<command>\"]'", ev))
            continue
        words: tuple[str, ...] = (name, cli.serve)
        if cli.has_host_option:
            words += ("--host", "0.0.0.0")
        if cli.has_port_option:
            words += ("--port", "@PORT@")
        add(words, ev.plus(f"+ command {cli.serve}"), "read")
        if cli.port:
            st.ports[words] = [Candidate(value=cli.port[0], evidence=cli.port[1], confidence="read")]
        if cli.host:
            st.cli_bind = Candidate(value=cli.host[0], evidence=cli.host[1], confidence="read")
        return

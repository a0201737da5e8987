"""The start command of a Python app, as interpreter arguments (no shell, so distroless can run it).

Precedence: ``--command`` > the best start candidate the detector ranked (``facts.app.start``:
Procfile ``web:`` > uWSGI ini > Django > WSGI/ASGI app or factory under an installed server > a
script that starts its own server > ``python -m <pkg>`` > main.py/app.py > console scripts). The
port is ``--port`` > what the app or its start command states > the server's convention >
assumed (a warning; refused under ``--strict``). Servers listen on all addresses: dockgen adds
the bind-all options a server needs and sets the app's own listen-address variable to 0.0.0.0.

Console scripts are started through their module (``python -m gunicorn``): a venv's scripts carry
a shebang that points into the builder. Development servers are never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..detectors import python_app as pa
from ..detectors import python_start as ps
from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.facts import Candidate, Source
from ..detectors.python import PythonFacts
from .evidence import Chosen, choose as choose_fact
from .options import Options

DEFAULT_PORT = 8000
#: Console scripts that have a ``python -m`` form.
MODULE_OF_SCRIPT = {"gunicorn": "gunicorn", "uvicorn": "uvicorn", "hypercorn": "hypercorn", "granian": "granian",
                    "daphne": "daphne", "waitress-serve": "waitress", "celery": "celery", "fastapi": "fastapi"}
ASSUMED_PORT = Candidate(value=DEFAULT_PORT, confidence="assumed",
                         evidence=Source.default("dockgen's default: nothing in the project states the port"))


@dataclass
class Command:
    #: Arguments after the interpreter (``-m gunicorn ...``), or None when a shell/script is needed.
    args: tuple[str, ...] | None
    #: A full argv to run as is (a console script in the venv; slim/alpine only).
    argv: tuple[str, ...] | None
    reason: str
    port: int
    #: Where the port came from, and whether nothing in the project states it.
    port_source: Source
    port_assumed: bool = False
    #: Why distroless cannot run it (None: it can).
    no_distroless: str | None = None
    #: The project must be installed into the venv (scripts, src layout).
    needs_project: bool = False
    #: The port is fixed on the command line (a server's --bind/--port): no PORT variable then.
    port_in_args: bool = False
    #: ENV pairs the app needs to serve on the published port (its port and listen-address variables).
    env: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Header lines (listen address).
    notes: list[str] = field(default_factory=list)
    #: The server the command runs when the dependencies do not install it (``uwsgi``): the planner
    #: adds it from the catalog (``python_server``), or refuses.
    missing_server: str | None = None
    #: Where the command came from (the option, the Procfile, an ini, the app).
    source: Source = field(default_factory=Source.default)
    from_option: bool = False


def _server_of(words: tuple[str, ...]) -> str | None:
    head = words[0].rsplit("/", 1)[-1]
    if head.startswith("python") and len(words) > 2 and words[1] == "-m":
        mod = words[2]
        return next((cmd for cmd, m in MODULE_OF_SCRIPT.items() if m == mod and cmd in ps.SERVER_PACKAGES), None)
    return head if head in ps.SERVER_PACKAGES else None


def _has(words: tuple[str, ...], *opts: str) -> str | None:
    """The value of the first of ``opts`` in ``words`` (``--x v`` or ``--x=v``), "" when it has none."""
    for i, w in enumerate(words):
        name, eq, val = w.partition("=")
        if name in opts:
            return val if eq else (words[i + 1] if i + 1 < len(words) else "")
    return None


def _bind_all(words: tuple[str, ...], server: str, port: int) -> tuple[tuple[str, ...], str | None]:
    """Add what ``server`` needs to listen on 0.0.0.0:port; a loopback bind is a warning (not changed)."""
    at = 3 if words[0].rsplit("/", 1)[-1].startswith("python") else 1
    add: tuple[str, ...] = ()
    loop = None
    if server in ("gunicorn", "hypercorn"):
        b = _has(words, "-b", "--bind")
        if b is None and server == "hypercorn":
            add = ("--bind", f"0.0.0.0:{port}")
        elif b is not None and pa.is_loopback(b.rsplit(":", 1)[0]):
            loop = b
    elif server in ("uvicorn", "granian", "daphne"):
        host = _has(words, "-b", "--host") if server == "daphne" else _has(words, "--host")
        p = _has(words, "-p", "--port") if server == "daphne" else _has(words, "--port")
        if host is None:
            add += ("-b", "0.0.0.0") if server == "daphne" else ("--host", "0.0.0.0")
        elif pa.is_loopback(host):
            loop = host
        if p is None:
            add += ("-p", str(port)) if server == "daphne" else ("--port", str(port))
    elif server == "fastapi":
        if _has(words, "--port") is None:
            add = ("--port", str(port))
        h = _has(words, "--host")
        if h is not None and pa.is_loopback(h):
            loop = h
    elif server == "waitress-serve":
        if _has(words, "--listen", "--port", "--host") is None:
            add = (f"--listen=0.0.0.0:{port}",)
    if server == "fastapi":  # `fastapi run [path]`: options go after the subcommand
        at += 1
    return (*words[:at], *add, *words[at:]), loop


def _start(facts: PythonFacts, options: Options) -> tuple[Chosen, bool]:
    """(chosen start words, from the user's option?)"""
    if options.command:
        return choose_fact("command", "start command", (), options, ASSUMED_START), True
    if not facts.app.start:
        if facts.start_refusals:
            r = facts.start_refusals[0]
            more = "; ".join(x.value for x in facts.start_refusals[1:])
            hint = "add the server to the dependencies, or pass --command"
            raise InvalidInputError(f"{r.value} (from {r.source})" + (f"; also: {more}" if more else ""),
                                    file=r.source.file or (facts.manifests[0] if facts.manifests else None),
                                    hint=hint)
        raise UsageError("no start command found (no Procfile web:, Django/FastAPI/Flask app, server script, "
                         "__main__.py, main.py, app.py or [project.scripts])",
                         file=facts.manifests[0] if facts.manifests else None,
                         hint="pass --command, e.g. --command 'python -m mypkg'")
    return choose_fact("command", "start command", facts.app.start, options, ASSUMED_START), False


ASSUMED_START = Candidate(value=("python", "main.py"), confidence="assumed", evidence=Source.default("no start command"))


def choose(facts: PythonFacts, options: Options) -> Command:
    start, from_option = _start(facts, options)
    words = tuple(start.value)
    server = _server_of(words)
    if server == "uwsgi" and (ini := ps.ini_of(words)) and not ini.startswith("/") \
            and facts.uwsgi_socket is not None and facts.uwsgi_socket.source.file == ini.removeprefix("./"):
        socket_port = facts.uwsgi_socket
    else:
        socket_port = None

    ports = facts.app.port
    if from_option:
        stated = ps.explicit_port(words)
        ports = ((Candidate(value=stated, evidence=start.source, confidence="read"),) if stated else ()) + \
            tuple(c for c in facts.app.port if c.confidence == "read" and c.evidence.file not in ("Procfile",))
    port = choose_fact("port", "port", tuple(ports), options, ASSUMED_PORT)
    n = port.value
    words = tuple(w.replace("@PORT@", str(n)) for w in words)
    warnings = [port.warning] if port.warning else []
    if server and not from_option:
        words, loop = _bind_all(words, server, n)
    else:
        loop = None
    if server and from_option:
        _, loop = _bind_all(words, server, n)
    if loop:
        warnings.append(f"the start command (from {start.source}) binds {loop}: the container will not answer on "
                        "its published port; bind 0.0.0.0 instead")
    in_args = server is not None and (ps.explicit_port(words) is not None or
                                      any(w.endswith(f":{n}") or w == str(n) for w in words[1:]))
    if socket_port is not None and socket_port.value == n:
        raise InvalidInputError(f"{socket_port.source.field}: socket = :{n} speaks the uwsgi protocol (for a proxy), not "
                                f"HTTP, and the HTTP listener the image needs would take the same port {n}",
                                file=socket_port.source.file,
                                hint="serve HTTP there instead (http-socket = :PORT in the ini), or pass --port with "
                                     "another port")
    cmd = _from_words(words, facts, start, from_option)
    cmd.port, cmd.port_source, cmd.port_assumed, cmd.port_in_args = n, port.source, port.confidence == "assumed", in_args
    cmd.source, cmd.from_option = start.source, from_option
    if server is not None and not (facts.servers and server in facts.servers.value):
        cmd.missing_server = server
    _check_program(facts, options, words, start.source, from_option)
    cmd.warnings = warnings
    _listen_env(facts, options, cmd, server)
    if facts.release_steps and not from_option:
        steps = "; ".join(facts.release_steps.value)
        cmd.warnings.append(f"{facts.release_steps.source}: `{steps}` runs before the server there; the image starts "
                            "only the server, so run these steps yourself before starting a new version (a "
                            "release job, or `docker run --rm IMAGE ...`)")
    return cmd


#: Programs that are not servers, by the package that provides them: never added, an error when missing.
PROGRAM_PACKAGES = {"celery": "celery"}


def _check_program(facts: PythonFacts, options: Options, words: tuple[str, ...], source: Source,
                   from_option: bool) -> None:
    head = words[0].rsplit("/", 1)[-1]
    if head.startswith("python") and len(words) > 2 and words[1] == "-m":
        head = words[2]
    pkg = PROGRAM_PACKAGES.get(head)
    if pkg is None or (facts.installed and pkg in facts.installed.value):
        return
    msg = f"the start command runs {head}, but the package {pkg} is not installed"
    hint = f"add {pkg} to the dependencies"
    if from_option:
        raise options.refuse("command", msg, hint=hint + ", or change the command")
    raise InvalidInputError(f"{msg}; the command is from {source}", file=source.file, hint=hint)


def _listen_env(facts: PythonFacts, options: Options, cmd: Command, server: str | None) -> None:
    """The app's own port variable (and PORT), and its listen-address variable set to 0.0.0.0."""
    app = facts.app
    port_env = next((c for c in app.port_env if c.confidence != "assumed"), None)
    if port_env is not None:
        cmd.env.append((port_env.value, str(cmd.port)))
        cmd.notes.append(f"{port_env.value}={cmd.port}: the app reads its port from it (from {port_env.evidence})")
    if not any(k == "PORT" for k, _ in cmd.env) and (port_env is not None or not cmd.port_in_args):
        cmd.env.append(("PORT", str(cmd.port)))
    loop = next((b for b in app.bind if pa.is_loopback(b.value)), None)
    if loop is None:
        return
    env = next((b for b in app.bind_env), None)
    if env is not None:
        name, value = env.value
        value = f"0.0.0.0:{cmd.port}" if ":" in value else value
        cmd.env.append((name, value))
        cmd.notes.append(f"listen address {value} via {name} (the app defaults to {loop.value}, from {loop.evidence})")
    elif server is None and not any(w == "0.0.0.0" or w.startswith("0.0.0.0:") for w in (cmd.args or cmd.argv or ())):
        cmd.warnings.append(f"{loop.evidence}: the app listens on {loop.value} by default and dockgen found no "
                            "variable or option to change it: the container will not answer on its published "
                            "port; make the address configurable (e.g. a HOST variable) or pass --command")


def _from_words(words: tuple[str, ...], facts: PythonFacts, start: Chosen, from_option: bool) -> Command:
    source = start.source
    reason = f"{' '.join(words)} (from {source})"
    head = words[0].rsplit("/", 1)[-1]
    scripts = dict(facts.scripts.value) if facts.scripts else {}
    if head in scripts and "/" not in words[0]:
        mod, attr = scripts[head].split(":")
        code = f"import sys; from {mod} import {attr}; sys.exit({attr}())"
        what = f"script {head} = {scripts[head]}" + (f" {' '.join(words[1:])}" if len(words) > 1 else "")
        return Command(args=("-c", code, *words[1:]), argv=None, port=0, port_source=Source.default(),
                       reason=f"{what} (from {source})", needs_project=True)
    if head.startswith("python"):
        return Command(args=words[1:], argv=None, port=0, port_source=Source.default(), reason=reason)
    if head in MODULE_OF_SCRIPT:
        return Command(args=("-m", MODULE_OF_SCRIPT[head], *words[1:]), argv=None, port=0, port_source=Source.default(),
                       reason=reason)
    why = ("uwsgi runs from the venv (a program linked against the builder's libpython, or pyuwsgi's console "
           "script)" if head == "uwsgi"
           else f"{head} is a console script whose shebang needs the venv's interpreter path")
    return Command(args=None, argv=words, port=0, port_source=Source.default(), reason=reason, no_distroless=why)

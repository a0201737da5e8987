"""The start command of a Python app, as interpreter arguments (no shell, so distroless can run it).

Precedence: ``--command`` > ``[project.scripts]`` > Procfile ``web:`` > framework (Django and Flask
under gunicorn, FastAPI under uvicorn) > ``python -m <package>`` > main.py > app.py. Console
scripts are started through their module (``python -m gunicorn``): a venv's scripts carry a
shebang that points into the builder. Development servers are never used.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.facts import Source
from ..detectors.python import PythonFacts
from .options import Options

DEFAULT_PORT = 8000
#: Console scripts that have a ``python -m`` form.
MODULE_OF_SCRIPT = {"gunicorn": "gunicorn", "uvicorn": "uvicorn", "hypercorn": "hypercorn",
                    "daphne": "daphne", "waitress-serve": "waitress", "celery": "celery"}
SERVER_OF = {"django": "gunicorn", "flask": "gunicorn", "fastapi": "uvicorn"}


@dataclass
class Command:
    #: Arguments after the interpreter (``-m gunicorn ...``), or None when a shell/script is needed.
    args: tuple[str, ...] | None
    #: A full argv to run as is (a console script in the venv; slim/alpine only).
    argv: tuple[str, ...] | None
    reason: str
    port: int
    #: Where the port came from: the port option, else the server's (or dockgen's) default.
    port_source: Source
    #: Why distroless cannot run it (None: it can).
    no_distroless: str | None = None
    #: The project must be installed into the venv (scripts, src layout).
    needs_project: bool = False
    #: The port is fixed on the command line (a server's --bind/--port): no PORT variable then.
    port_in_args: bool = False


def _port(options: Options, what: str) -> tuple[int, Source]:
    given = options.fact("port")
    if given is not None:
        return given.value, given.source
    return DEFAULT_PORT, Source.default(f"{what} default")


def _server_args(server: str, ref: str, port: int, app_dir: str | None) -> tuple[str, ...]:
    if server == "gunicorn":
        extra = ("--chdir", app_dir) if app_dir else ()
        return ("-m", "gunicorn", "--bind", f"0.0.0.0:{port}", *extra, ref)
    extra = ("--app-dir", app_dir) if app_dir else ()
    return ("-m", "uvicorn", "--host", "0.0.0.0", "--port", str(port), *extra, ref)


def choose(facts: PythonFacts, options: Options) -> Command:
    deps = set(facts.dependencies.value) if facts.dependencies else set()
    if options.command:
        port, src = _port(options, "dockgen")
        words = tuple(options.command)
        return _from_words(words, str(options.source("command")), port, src)
    if facts.scripts and facts.scripts.value:
        pick = _pick_script(facts)
        if pick is not None:
            name, ref = pick
            mod, attr = ref.split(":")
            port, src = _port(options, "dockgen")
            code = f"import sys; from {mod} import {attr}; sys.exit({attr}())"
            return Command(args=("-c", code), argv=None, port=port, port_source=src,
                           reason=f"script {name} = {ref} (from {facts.scripts.source})", needs_project=True)
    if facts.procfile_web:
        port, src = _port(options, "dockgen")
        words = tuple(w.replace("@PORT@", str(port)) for w in facts.procfile_web.value)
        return _from_words(words, facts.procfile_web.source, port, src)
    if facts.framework and facts.app_object:
        fw, ref = facts.framework.value, facts.app_object.value
        server = SERVER_OF[fw]
        if server not in deps:
            raise InvalidInputError(
                f"a {fw} app ({ref}) but {server} is not among the dependencies",
                file=facts.dependencies.source.file if facts.dependencies else "requirements.txt",
                hint=f"add {server} to the dependencies (dockgen never runs a development server), or pass --command")
        port, src = _port(options, server)
        app_dir = facts.app_dir.value if facts.app_dir else None
        return Command(args=_server_args(server, ref, port, app_dir), argv=None, port=port, port_source=src,
                       reason=f"{server} serving {ref} ({fw}, from {facts.app_object.source})", port_in_args=True)
    port, src = _port(options, "dockgen")
    if facts.main_package:
        pkg = facts.main_package.value
        return Command(args=("-m", pkg), argv=None, port=port, port_source=src,
                       reason=f"python -m {pkg} (from {facts.main_package.source})")
    if facts.main_file:
        f = facts.main_file.value
        return Command(args=(f,), argv=None, port=port, port_source=src, reason=f"python {f} (from {f})")
    raise UsageError("no start command found (no [project.scripts], Procfile web:, Django/FastAPI/Flask app, "
                     "__main__.py, main.py or app.py)", file=facts.manifests[0] if facts.manifests else None,
                     hint="pass --command, e.g. --command 'python -m mypkg'")


def _pick_script(facts: PythonFacts) -> tuple[str, str] | None:
    scripts = dict(facts.scripts.value)
    if len(scripts) == 1:
        return next(iter(scripts.items()))
    if facts.name and facts.name.value in scripts:
        return facts.name.value, scripts[facts.name.value]
    return None


def _from_words(words: tuple[str, ...], source: str | Source, port: int, port_source: Source) -> Command:
    head = words[0].rsplit("/", 1)[-1]
    if head.startswith("python"):
        return Command(args=words[1:], argv=None, port=port, port_source=port_source,
                       reason=f"{' '.join(words)} (from {source})")
    if head in MODULE_OF_SCRIPT:
        return Command(args=("-m", MODULE_OF_SCRIPT[head], *words[1:]), argv=None, port=port,
                       port_source=port_source, reason=f"{' '.join(words)} (from {source})")
    return Command(args=None, argv=words, port=port, port_source=port_source,
                   reason=f"{' '.join(words)} (from {source})",
                   no_distroless=f"{head} is a console script whose shebang needs the venv's interpreter path")

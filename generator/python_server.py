"""A server the start runs but the dependencies do not install: added from the catalog, or refused.

The chosen start (a Procfile ``web:`` line, a uwsgi ini, the framework's convention, ``--command``)
may run a known server (``SERVER_PACKAGES``) that the lock or requirements do not install — the
maintainers' own Dockerfile installs it outside them (healthchecks: ``pip install uwsgi``). dockgen
then adds the server pinned in ``catalog.toml [python.servers]`` with a loud warning naming the pin
and how to make it the project's own; ``--strict`` refuses it, as every assumed value. A server the
catalog pins nothing for (hypercorn, daphne, granian, fastapi-cli), or whose pin does not install on
the chosen Python, stays an error naming the package to add.

The install can never change a locked package: its own step after the locked install, ``pip install
--no-deps`` with the builder's pip into the venv (the runner's venv has no pip). A server's own
dependencies (uvicorn: click, h11) are installed only where the lock does not provide them: with a
lockfile (or hashed requirements, which list every package) those the lock has are left out; plain
requirements name only the direct dependencies, so the step checks the venv for each and keeps a
version that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ..detectors import python_start as ps
from ..detectors.errors import InvalidInputError
from ..detectors.python import PythonFacts
from . import models as m
from .catalog import Runtime, ServerPin, version_key
from .options import Options
from .python_command import Command

#: How each manager makes the server the project's own.
_OWN = {"uv": "uv add {pin}", "poetry": "poetry add {pin}", "pdm": "pdm add {pin}", "pipenv": "pipenv install {pin}"}


@dataclass(frozen=True)
class Added:
    """The server dockgen adds, and how."""

    command: str
    package: str
    version: str
    #: Dependencies installed unconditionally (the lock is known not to have them).
    deps: tuple[str, ...]
    #: Dependencies installed only when the venv lacks them (plain requirements: not known).
    deps_if_missing: tuple[str, ...]
    #: Dependencies the lock provides (left as locked).
    deps_locked: tuple[str, ...]
    #: No wheel for the chosen Python: it builds from its sdist (the compiler goes into the build stage).
    builds: bool
    where: str
    how: str

    @property
    def all_deps(self) -> tuple[str, ...]:
        """Every dependency the step installs (or may install)."""
        return (*self.deps, *self.deps_if_missing)

    @property
    def pin(self) -> str:
        return f"{self.package}=={self.version}"

    def json(self) -> m.AddedPackage:
        return m.AddedPackage(name=self.package, version=self.version, command=self.command,
                              deps=self.all_deps, reason=f"the start runs {self.command}; "
                              f"{self.where} does not install it")


def _where(facts: PythonFacts) -> str:
    if facts.lockfile is not None:
        return facts.lockfile.value
    if facts.requirements is not None:
        return facts.requirements.value
    return facts.manifests[0] if facts.manifests else "requirements.txt"


def _how(facts: PythonFacts, pin: str) -> str:
    mgr = facts.manager.value
    if mgr in _OWN and facts.lockfile is not None:
        return f"`{_OWN[mgr].format(pin=pin)}` (then the lock installs it)"
    if facts.requirements is not None:
        return f"add {pin} to {facts.requirements.value}"
    return f"add \"{pin}\" to [project] dependencies in pyproject.toml"


def _applies(spec: str, minor: str) -> bool:
    req = Requirement(spec)
    return req.marker is None or Marker(str(req.marker)).evaluate({"python_version": minor,
                                                                    "python_full_version": f"{minor}.0"})


def added(facts: PythonFacts, options: Options, cmd: Command, rt: Runtime, minor: str) -> Added | None:
    """The server to add for ``cmd`` (None: nothing is missing), or the refusal."""
    server = cmd.missing_server
    if server is None:
        return None
    pkg = ps.SERVER_PACKAGES[server][0]
    where = _where(facts)
    pin: ServerPin | None = rt.servers.get(server)
    msg = f"the start command runs {server}, but the package {pkg} is not installed (not in {where})"
    if pin is None or version_key(minor) < version_key(pin.python):
        why = (f"dockgen's catalog pins no {pkg} to add" if pin is None else
               f"dockgen's pin {pin.package} {pin.version} needs Python >= {pin.python}, this is {minor}")
        hint = f"add {pkg} (pinned) to the dependencies ({where})"
        if cmd.from_option:
            raise options.refuse("command", f"{msg}; {why}", hint=hint + ", or change the command")
        raise InvalidInputError(f"{msg}; {why}; the command is from {cmd.source}", file=cmd.source.file or where,
                                hint=hint)
    spec = f"{pin.package}=={pin.version}"
    how = _how(facts, spec)
    if options.strict:
        raise InvalidInputError(f"{msg}; the command is from {cmd.source}: dockgen would add {spec} from its catalog, "
                                "and --strict refuses assumed values", file=cmd.source.file or where,
                                hint=f"make it the project's own: {how}")
    have = set(facts.installed.value if facts.installed else ())
    known = facts.lockfile is not None or bool(facts.requirements_hashed and facts.requirements_hashed.value)
    deps = [d for d in pin.deps if _applies(d, minor)]
    name = {d: canonicalize_name(Requirement(d).name) for d in deps}
    pins = tuple(d.split(";", 1)[0].strip() for d in deps if name[d] not in have)
    locked = tuple(Requirement(d).name for d in deps if name[d] in have)
    return Added(command=server, package=pin.package, version=pin.version,
                 deps=pins if known else (), deps_if_missing=() if known else pins, deps_locked=locked,
                 builds=bool(pin.wheels) and minor not in pin.wheels, where=where, how=how)


def warning(a: Added, cmd: Command) -> str:
    deps = ""
    if a.all_deps:
        deps = f", and its dependencies {', '.join(a.all_deps)}" + (
            " where the venv lacks them" if a.deps_if_missing else "")
    return (f"{a.where} does not install {a.command}, which the start command runs (from {cmd.source}): dockgen adds "
            f"{a.pin}, pinned in its catalog, in its own step after the locked install (--no-deps: no locked "
            f"package changes){deps}; make it the project's own: {a.how}")


def header(a: Added) -> str:
    kept = f"; {', '.join(a.deps_locked)} as locked" if a.deps_locked else ""
    deps = ""
    if a.all_deps:
        deps = (f" and {', '.join(a.all_deps)}"
                + (" (each only where the venv lacks it)" if a.deps_if_missing else ""))
    return (f"server: {a.pin}{deps} added by dockgen's catalog ({a.where} does not install {a.command}; "
            f"installed --no-deps after the locked packages, which it cannot change{kept})")


def step(a: Added, pip: str, venv_py: str, cache: m.Mount) -> tuple[m.Instruction, ...]:
    """The builder's install of the added server into the venv."""
    cmd = f"{pip} install --no-deps {' '.join((a.pin, *a.deps))}"
    if a.deps_if_missing:
        check = f'{venv_py} -c "import importlib.metadata as m, sys; m.version(sys.argv[1])"'
        cmd += (f" && for pin in {' '.join(a.deps_if_missing)}; do {check} \"${{pin%%==*}}\" 2>/dev/null "
                f"|| {pip} install --no-deps \"$pin\"; done")
    return (m.Comment(text=f"{a.command}, which the start runs and {a.where} does not install: pinned in dockgen's "
                           "catalog, installed after the locked packages without changing them (--no-deps)."),
            m.Run(command=cmd, mounts=(cache,), step="deps"))

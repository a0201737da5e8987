"""The locked dependency install for each Python package manager (builder stage instructions).

Every manager installs into the virtual environment ``/opt/venv`` made with the builder's own
interpreter; the runner then takes the venv (slim, alpine) or only its site-packages (distroless).
So that the runner carries only what runs, the venv is made ``--without-pip`` (no pip, and on
Python < 3.12 no setuptools/pkg_resources): the builder's own pip installs into it with
``--python``, uv and pdm need no pip in it, pipenv runs its own vendored pip with the venv's
interpreter. setuptools (pkg_resources) reaches the runner only when the project's install brings
it, i.e. when it is a runtime dependency. Bytecode: every installer precompiles the dependencies
(pip and pipenv by default, uv with ``UV_COMPILE_BYTECODE``, pdm with ``compileall`` after the
install), because the app user cannot write ``__pycache__`` at run time and every start would
compile again; the app's own sources are not precompiled (small, and they stay as copied).
Never a resolver against an existing lock:

- pip: ``pip install -r <file>`` (``--require-hashes --no-deps`` when the file carries hashes);
- uv: ``uv sync --locked --no-dev --no-install-project`` (fails when uv.lock is stale), then the
  project itself with ``--no-editable`` once the sources are in, when it is a package;
- poetry: ``poetry export --only main`` (refuses a poetry.lock out of sync with pyproject.toml)
  piped into ``pip install --require-hashes --no-deps``: pip downloads through the simple index
  with the hashes from the lock, and poetry itself never resolves. (``poetry install`` looks up
  download links through the index's JSON API, which simple-index mirrors and some proxies do not
  serve; the lab's proxy answers 404 there.)
- the tools themselves are pinned in ``catalog.toml [python.tools]`` and live in ``/opt/tools``;
- pdm: ``pdm install --check --prod --frozen-lockfile --no-self``;
- pipenv: ``pipenv install --deploy`` (fails when Pipfile.lock is out of date).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..detectors.python import PythonFacts
from . import models as m
from . import python_server
from .catalog import Runtime
from .phases import DepsPhase

VENV = "/opt/venv"
VENV_PY = f"{VENV}/bin/python"
#: No pip (and no setuptools) in the venv: it is what the runner gets.
VENV_CREATE = f"python -m venv --without-pip {VENV}"
#: The builder's own pip, installing into the venv (pip >= 22.3 re-runs itself with that interpreter).
VENV_PIP = f"python -m pip --python {VENV_PY}"
#: The header line that says it (one wording for every installer).
BYTECODE = ("bytecode: the dependencies are precompiled at install (the app user cannot write __pycache__); "
            "the app's sources are not; no pip, setuptools or wheel in the runner unless the app depends on them")
#: Package-manager tools get their own venv: never mixed with the app's packages or the image's
#: system packages (a distro-installed `packaging` cannot be upgraded in place), never copied to the runner.
TOOLS = "/opt/tools"
PIP_CACHE = m.cache_mount("/root/.cache/pip")
#: The image's system trust store (Debian's ca-certificates bundle in every python:*-slim image).
SYSTEM_CA = "/etc/ssl/certs/ca-certificates.crt"


@dataclass(frozen=True)
class Install(DepsPhase):
    """Python's deps phase: ``steps`` come before the sources are copied; some installs need them."""

    #: Builder instructions after the sources are copied (an unlocked install, the project itself).
    after_sources: tuple[m.Instruction, ...] = ()
    summary: str = ""
    tools: tuple[str, ...] = ()
    #: What the builder copies of the context before ``after_sources``: everything, or a workspace
    #: member and the members it depends on.
    sources: tuple[str, ...] = (".",)

    @property
    def needs_sources(self) -> bool:
        """Does the builder need the sources at all?"""
        return bool(self.after_sources)


def _tool(name: str, rt: Runtime) -> str:
    return f"{name}=={rt.tools[name]}"


def _pip_tools(names: list[str], rt: Runtime) -> m.Run:
    pins = " ".join(_tool(n, rt) for n in names)
    return m.Run(command=f"python -m venv {TOOLS} && {TOOLS}/bin/python -m pip install {pins}",
                 mounts=(PIP_CACHE,), step="setup")


def _copy_manifests(facts: PythonFacts) -> tuple[m.Copy, ...]:
    """The manifests at their own paths: one COPY per directory, so ``-r requirements/common.txt``
    inside a requirements file still finds its include (the root's first, then by directory)."""
    by_dir: dict[str, list[str]] = {}
    for f in facts.manifests:
        by_dir.setdefault(f.rsplit("/", 1)[0] if "/" in f else "", []).append(f)
    return tuple(m.Copy(sources=tuple(files), dest=f"{d}/" if d else "./") for d, files in sorted(by_dir.items()))


def _project(install_project: bool) -> tuple[m.Run, ...]:
    """The project itself into the venv, once the sources are in (its dependencies are already there)."""
    if not install_project:
        return ()
    return (m.Run(command=f"{VENV_PIP} install --no-deps .", mounts=(PIP_CACHE,), step="build"),)


def _pip(facts: PythonFacts, req: str, install_project: bool) -> Install:
    hashed = bool(facts.requirements_hashed and facts.requirements_hashed.value)
    flags = " --require-hashes --no-deps" if hashed else ""
    return Install(steps=(
        m.Comment(text=f"Dependencies first, from {req} alone: a source change keeps this layer cached."),
        *_copy_manifests(facts),
        m.Run(command=f"{VENV_CREATE} && {VENV_PIP} install{flags} -r {req}", mounts=(PIP_CACHE,),
              step="deps"),
    ), after_sources=_project(install_project),
        summary=f"pip install -r {req}" + (" --require-hashes (hashes found)" if hashed else ""))


#: [project] dependencies, read at build time from pyproject.toml alone (tomllib: Python 3.11+).
READ_DEPS = ("-c \"import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], "
             "sep=chr(10))\" > /tmp/requirements.txt")


def _pip_unlocked(facts: PythonFacts, minor: str, install_project: bool) -> Install:
    """No lock and no requirements file. Listed [project] dependencies install before the sources
    (from pyproject.toml alone); the project itself only when the start needs it installed, so an
    app that runs from its tree is never built. Otherwise (dynamic dependencies, Poetry-only
    metadata, Python < 3.11 without tomllib) ``pip install .`` installs both, after the sources."""
    static = bool(facts.static_deps and facts.static_deps.value)
    if static and tuple(int(x) for x in minor.split(".")) >= (3, 11):
        built = "then the project itself" if install_project else "the project itself is not built: the app runs from its sources"
        return Install(steps=(
            m.Comment(text="No lockfile: pip resolves the [project] dependencies, read from pyproject.toml alone "
                           "(a source change keeps this layer cached)."),
            m.Copy(sources=("pyproject.toml",), dest="./"),
            m.Run(command=f"{VENV_CREATE} && {VENV_PY} {READ_DEPS} && {VENV_PIP} install -r /tmp/requirements.txt",
                  mounts=(PIP_CACHE,), step="deps"),
        ), after_sources=_project(install_project),
            summary=f"pip install of pyproject.toml's [project] dependencies (no lockfile: resolved at build time); {built}")
    why = "the start needs it installed" if install_project else "its dependencies are not listed statically"
    return Install(steps=(), after_sources=(
        m.Comment(text="No lockfile: pip resolves pyproject.toml's dependencies with the project."),
        m.Run(command=f"{VENV_CREATE} && {VENV_PIP} install .", mounts=(PIP_CACHE,), step="deps"),
    ), summary=f"pip install . (no lockfile: resolved at build time; {why})")


def _uv_setup(rt: Runtime, minor: str) -> tuple[m.Instruction, ...]:
    return (
        _pip_tools(["uv"], rt),
        m.Comment(text="uv verifies TLS with its bundled roots unless UV_NATIVE_TLS=1: use the image's "
                       "trust store so a CA added there (a corporate or intercepting proxy) is honoured."),
        m.Env(pairs=(("UV_NATIVE_TLS", "1"), ("UV_COMPILE_BYTECODE", "1"), ("UV_LINK_MODE", "copy"),
                     ("UV_PYTHON_DOWNLOADS", "never"), ("UV_PYTHON", f"python{minor}"),
                     ("UV_PROJECT_ENVIRONMENT", VENV))))


def _uv(facts: PythonFacts, rt: Runtime, minor: str, install_project: bool) -> Install:
    if facts.workspace is not None:
        return _uv_member(facts, rt, minor)
    cache = m.cache_mount("/root/.cache/uv")
    sel = facts.install_selection
    # The group or extra that holds the server (wger's `docker` group) is installed with the rest.
    extra = f" {sel.value}" if sel else ""
    project = (m.Run(command=f"{TOOLS}/bin/uv sync --locked --no-dev{extra} --no-editable", mounts=(cache,), step="build"),)
    return Install(steps=(
        *_uv_setup(rt, minor),
        m.Comment(text="uv.lock must match pyproject.toml (--locked); the project itself comes after the sources."),
        *_copy_manifests(facts),
        m.Run(command=f"{TOOLS}/bin/uv sync --locked --no-dev{extra} --no-install-project", mounts=(cache,), step="deps"),
    ), after_sources=project if install_project else (), tools=("uv",),
        summary=f"uv sync --locked --no-dev{extra} (uv.lock" + (f"; {sel.value} from {sel.source}: it holds the server)" if sel else ")"))


def _uv_member(facts: PythonFacts, rt: Runtime, minor: str) -> Install:
    """A uv workspace member, built from the workspace root: the root's uv.lock limited to the member
    (``--package``); first its third-party dependencies (every member's pyproject.toml is there, so
    ``--locked`` can check the lock), then the member and the members it depends on, from their sources.
    ``--no-editable`` installs them into the venv itself: the runner needs only the member's own files."""
    ws = facts.workspace.value
    cache = m.cache_mount("/root/.cache/uv")
    sel = facts.install_selection
    sync = f"{TOOLS}/bin/uv sync --locked --no-dev{f' {sel.value}' if sel else ''} --package {ws.name}"
    siblings = f", then {', '.join(ws.needs)} and {ws.dir}" if ws.needs else f", then {ws.dir}"
    return Install(steps=(
        *_uv_setup(rt, minor),
        m.Comment(text="The workspace's uv.lock must match every member's pyproject.toml (--locked); "
                       f"only {ws.name} and what it needs are installed (--package)."),
        *_copy_manifests(facts),
        m.Run(command=f"{sync} --no-install-workspace", mounts=(cache,), step="deps"),
    ), after_sources=(m.Run(command=f"{sync} --no-editable", mounts=(cache,), step="build"),),
        sources=(*ws.needs, ws.dir),
        summary=f"uv sync --locked --no-dev --package {ws.name} (the workspace's uv.lock): third-party packages "
                f"first{siblings} from their sources, non-editable", tools=("uv",))


def _poetry(facts: PythonFacts, rt: Runtime, install_project: bool) -> Install:
    tools = ("poetry", "poetry-plugin-export")
    return Install(steps=(
        _pip_tools(list(tools), rt),
        m.Comment(text="poetry export refuses a poetry.lock that is out of sync with pyproject.toml and needs "
                       "no network; pip then installs exactly the locked files, checked by their hashes "
                       "(pip uses the image's trust store)."),
        *_copy_manifests(facts),
        m.Run(command=(f"{TOOLS}/bin/poetry export --only main --format requirements.txt --output /tmp/requirements.txt && "
                       f"{VENV_CREATE} && {VENV_PIP} install --require-hashes --no-deps -r /tmp/requirements.txt"),
              mounts=(PIP_CACHE, m.cache_mount("/root/.cache/pypoetry")), step="deps"),
    ), after_sources=_project(install_project),
        summary="poetry export --only main | pip install --require-hashes (poetry.lock)", tools=tools)


def _pdm_or_pipenv(facts: PythonFacts, rt: Runtime, mgr: str, install_project: bool) -> Install:
    tools = ("pdm", "hishel") if mgr == "pdm" else ("pipenv",)
    cmd = (f"{TOOLS}/bin/pdm install --check --prod --frozen-lockfile --no-self" if mgr == "pdm"
           else f"{TOOLS}/bin/pipenv install --deploy")
    # pdm's installer writes no bytecode: compile it as pip, pipenv and uv (UV_COMPILE_BYTECODE) do.
    compiled = f" && {VENV_PY} -m compileall -q {VENV}/lib" if mgr == "pdm" else ""
    return Install(steps=(
        _pip_tools(list(tools), rt),
        m.Comment(text=f"{mgr} verifies TLS with certifi's roots: point it at the image's trust store, and at "
                       f"the active venv {VENV}."),
        m.Env(pairs=(("SSL_CERT_FILE", SYSTEM_CA), ("REQUESTS_CA_BUNDLE", SYSTEM_CA), ("VIRTUAL_ENV", VENV))),
        *_copy_manifests(facts),
        m.Run(command=f"{VENV_CREATE} && {cmd}{compiled}", mounts=(PIP_CACHE, m.cache_mount(f"/root/.cache/{mgr}")), step="deps"),
    ), after_sources=_project(install_project),
        summary=f"{cmd} ({facts.lockfile.value if facts.lockfile else mgr})", tools=tools)


def _with_server(out: Install, server: "python_server.Added", mgr: str) -> Install:
    """The added server's own step: after the locked install; after the project's install too when
    that is a ``uv sync``, which removes what the lock does not list."""
    extra = python_server.step(server, VENV_PIP, VENV_PY, PIP_CACHE)
    venv_early = any(isinstance(i, m.Run) and VENV_CREATE in i.command for i in out.steps) or mgr == "uv"
    if (mgr == "uv" and out.after_sources) or not venv_early:
        return replace(out, after_sources=(*out.after_sources, *extra))
    return replace(out, steps=(*out.steps, *extra))


def plan_install(facts: PythonFacts, rt: Runtime, minor: str, install_project: bool,
                 server: "python_server.Added | None" = None) -> Install:
    mgr = facts.manager.value
    if mgr == "pip" and facts.requirements is not None:
        out = _pip(facts, facts.requirements.value, install_project)
    elif mgr == "pip":
        out = _pip_unlocked(facts, minor, install_project)
    elif mgr == "uv":
        out = _uv(facts, rt, minor, install_project)
    elif mgr == "poetry":
        out = _poetry(facts, rt, install_project)
    else:
        out = _pdm_or_pipenv(facts, rt, mgr, install_project)
    if server is not None:
        out = _with_server(out, server, mgr)
    reasons = [f"dependencies: {out.summary} (package manager {mgr}, from {facts.manager.source})", BYTECODE]
    if out.tools:
        reasons.append("tools pinned by dockgen's catalog: " + ", ".join(f"{t} {rt.tools[t]}" for t in out.tools))
    return replace(out, reasons=tuple(reasons))

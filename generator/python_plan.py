"""Python planner: PythonFacts + Options + catalog → BuildPlan (builder stage + one runner stage).

Runners:
- distroless (default when the command needs no shell): ``gcr.io/distroless/python3-debian1X``.
  A venv cannot move there (its ``bin/python`` links to ``/usr/local/bin``, absent in distroless),
  so only the venv's site-packages is copied and put on ``PYTHONPATH``, and distroless' own
  interpreter runs the app. The builder's minor version must be distroless' (3.11 ↔ debian12,
  3.13 ↔ debian13): the catalog pairs them, and a catalog entry without a distroless image makes
  distroless unavailable for that version.
- slim: the same python image as the builder; the whole venv is copied.
- alpine: a musl image; wheels built for glibc do not install there (a warning says so).
"""

from __future__ import annotations

from dataclasses import replace


from ..detectors.errors import ALL_MEMBERS, InvalidInputError
from ..detectors.facts import Fact
from ..detectors.python import PythonFacts
from . import common, ospackages, phases, python_build, runtime_stage
from . import models as m
from . import writable as writable_dirs  # `writable` is the name of the directories below
from ..detectors import python as detector
from ..detectors import python_workspace
from .catalog import Runtime, image
from .options import Options
from .python_command import Command, choose
from .python_install import VENV, Install, plan_install
from . import python_native, python_server
from .python_native import Native, plan_native
from .python_version import select_version
from .runtime_stage import Probe, RunnerSpec, RuntimeStage
from .stackdef import StackDef

#: Where the native packages' Debian pins come from (named in an error about one of them).
NATIVE_TABLE = "dockgen's python_native.toml"
IGNORE = ("**/__pycache__", "**/*.py[cod]", ".venv", "venv", ".tox", ".nox", ".pytest_cache", ".mypy_cache",
          ".ruff_cache", ".hypothesis", "htmlcov", ".coverage", ".coverage.*", "build", "dist", "*.egg-info",
          "**/*.sqlite3", "**/*.sqlite3-journal", "node_modules",
          # The project's own tests and their runners' settings: never run in the image.
          "tests", "test", "conftest.py", "tox.ini", "noxfile.py")


def _runner(options: Options, cmd: Command, rt: Runtime, minor: str, native: Native) -> tuple[str, str]:
    have = rt.versions[minor]
    if options.runner is not None:
        r = options.runner
        if r in ("scratch", "nginx"):
            raise options.refuse("runner", f"the {r} runner has no Python interpreter", hint="use distroless or slim")
        if r == "distroless" and cmd.no_distroless:
            raise options.refuse("runner", f"distroless cannot start this app: {cmd.no_distroless}",
                                 hint="use the runner slim, or a command that starts with python or a known server")
        if r == "distroless" and options.packages:
            raise options.refuse("runner", f"distroless cannot install the extra packages (from {options.source('packages')})",
                                 hint="use the runner slim")
        if r == "distroless" and native.runtime:
            raise options.refuse("runner", f"distroless cannot install the libraries the app loads ({native.runtime_why})",
                                 hint="use the runner slim")
        if getattr(have, r) is None:
            raise options.refuse("runner", f"no {r} image for python {minor} in dockgen's catalog",
                                 hint="use the runner slim")
        return r, f"runner {r} (from {options.source('runner')})"
    if cmd.no_distroless:
        return "slim", f"runner slim: distroless cannot run it ({cmd.no_distroless})"
    if options.packages:
        return "slim", "runner slim: extra packages need apt"
    if native.runtime:
        return "slim", f"runner slim: {native.runtime_why}, which distroless lacks (slim installs it with apt)"
    if have.distroless is None:
        return "slim", f"runner slim: {have.no_distroless or f'no distroless image for python {minor} in the catalog'}"
    return "distroless", (f"runner distroless: the command needs no shell and distroless' python is {minor}, "
                          "the builder's own minor (smallest runner that works)")


def _runner_spec(options: Options, cmd: Command, rt: Runtime, minor: str, native: Native) -> RunnerSpec:
    runner, reason = _runner(options, cmd, rt, minor, native)
    uid = common.NONROOT_UID if runner == "distroless" else common.APP_UID
    return RunnerSpec(runner=runner, image=image(getattr(rt.versions[minor], runner)), uid=uid, reason=reason)


def plan(facts: PythonFacts, options: Options, rt: Runtime) -> m.BuildPlan:
    _check_workspace_root(facts)
    if options.strict and facts.unpinned:
        raise InvalidInputError(f"{len(facts.unpinned)} unpinned requirement(s): {facts.unpinned[0]}",
                                file=facts.unpinned[0].source.file,
                                hint="pin every requirement with == (or --hash), or drop --strict")
    # Requirements name no wheel files: their == pins and the catalog's wheel floors stand in.
    facts = python_native.with_floors(facts)
    with options.blame("versions.python"):
        version = select_version(facts, options, rt)
    minor = version.minor
    cmd = choose(facts, options)
    server = python_server.added(facts, options, cmd, rt, minor)
    have = rt.versions[minor]
    builder_tag = (have.alpine if options.runner == "alpine" else None) or have.builder
    native = _with_server_build(plan_native(facts, rt, minor, builder_tag, version.by_rule), server, minor, builder_tag)
    runner = _runner_spec(options, cmd, rt, minor, native)
    builder_img = image(have.alpine if runner.runner == "alpine" else have.builder)
    deps = deps_phase(facts, cmd, rt, minor, server)
    build = build_phase(facts, builder_img, deps, native)
    runtime = runtime_phase(facts, options, cmd, runner, minor, native)

    warnings = [*facts.warnings, *version.warnings, *native.warnings, *cmd.warnings]
    if server is not None:
        warnings.insert(0, python_server.warning(server, cmd))
    header = [version.reason, f"builder {builder_img.tagged}; runner {runner.image.tagged}", runner.reason,
              *native.reasons, *_workspace_reason(facts), *deps.reasons,
              *([python_server.header(server)] if server else []), *python_build.static_reason(facts),
              f"command: {cmd.reason}", *cmd.notes]
    if runner.runner == "alpine":
        warnings.append("alpine uses musl: wheels built for glibc (manylinux) do not install there, so "
                        "packages may build from source or fail; prefer slim or distroless")
        header.append("alpine: musl libc, so glibc (manylinux) wheels do not install; packages may build from source")
    writable = _writable(facts)
    if "." in writable:
        warnings.append(f"the app writes next to its code ({writable_dirs.source(facts.app, '.')}): the sources are owned by "
                        "the app user so it can; move the data into a directory (e.g. ./data) to keep them read-only")
    header += writable_dirs.header(facts.app, writable)
    for c in facts.data_env:
        name, value = c.value
        header.append(f"{name}={value}: the app's data goes to a writable VOLUME instead of next to its code "
                      f"(from {c.evidence})")
    # Writable directories are not part of the context: the image creates them empty (a VOLUME keeps their data).
    ignore = common.ignore_patterns(_ignore(facts, writable), options.ignore)
    return phases.assemble("python", header, build, runtime, ignore=ignore, warnings=warnings,
                           context=_context(facts), added_packages=(server.json(),) if server else ())


def _with_server_build(native: Native, server: python_server.Added | None, minor: str, builder_tag: str) -> Native:
    """The compiler for an added server without a wheel for this Python (pyuwsgi on 3.15)."""
    if server is None or not server.builds:
        return native
    release = python_native.release_of(builder_tag)
    what = f"{server.pin} (added server) has no python {minor} wheel: pip builds it from its sdist"
    if release is None:
        return replace(native, warnings=(*native.warnings, f"{what}; on alpine add the compiler with "
                                                           "build_packages (dockgen.toml)"))
    build = tuple(sorted({*native.build, *python_native.native_table().pins(release, ["compiler"])}))
    return replace(native, build=build, reasons=(*native.reasons, f"native code: {what}: "
                                                 f"{', '.join(python_native.native_table().pins(release, ['compiler']))} "
                                                 "in the build stage only"),
                   warnings=(*native.warnings, f"{what}, with the compiler in the build stage"))


def _check_workspace_root(facts: PythonFacts) -> None:
    """A uv workspace root without an app of its own: one member at a time (exit 5, like Maven's aggregator)."""
    if facts.workspace_members is None or facts.has_app():
        return
    listed = facts.workspace_members.value
    found = (f"; its members that start an app: {', '.join(listed)}" if listed
             else "; none of its members starts an app dockgen can see")
    raise InvalidInputError(f"is a uv workspace root with no app of its own; dockgen builds one member at a time{found}",
                            file=facts.workspace_members.source.file or "pyproject.toml",
                            hint=(f"run `dockgen init {listed[0]}` (from here or inside the member)" if listed
                                  else "run dockgen in the member that serves the application") + ALL_MEMBERS)


def _workspace_reason(facts: PythonFacts) -> tuple[str, ...]:
    if facts.workspace is None:
        return ()
    ws = facts.workspace.value
    needs = f"; it depends on the members {', '.join(ws.needs)}" if ws.needs else ""
    return (f"uv workspace member {ws.dir}, package {ws.name} (from {facts.workspace.source}): built from the "
            f"workspace root with its uv.lock{needs}; the image holds {ws.dir}/ as /app and the members it "
            "depends on installed in the venv",)


def _context(facts: PythonFacts) -> m.BuildContext | None:
    if facts.workspace is None:
        return None
    return m.BuildContext.above(facts.workspace.value.dir, "the uv workspace root")


def _ignore(facts: PythonFacts, writable: tuple[str, ...]) -> tuple[str, ...]:
    """The ignore patterns; a member's reach into every directory of the workspace root (its context)."""
    own = tuple(d for d in writable if d != "." and not d.startswith("/"))
    if facts.workspace is None:
        return (*IGNORE, *own)
    member = facts.workspace.value.dir
    return (*(p if p.startswith("**/") else f"**/{p}" for p in IGNORE), *(f"{member}/{d}" for d in own),
            "# dockgen's files, in every member", *(f"**/{p}" for p in common.MEMBER_IGNORE))


def deps_phase(facts: PythonFacts, cmd: Command, rt: Runtime, minor: str,
               server: python_server.Added | None = None) -> Install:
    installable = bool(facts.installable and facts.installable.value)
    if cmd.needs_project and not installable:
        raise InvalidInputError("the start script needs the project installed, but pyproject.toml has no "
                                "[build-system]", file="pyproject.toml",
                                hint="add a [build-system] table, or pass --command")
    return plan_install(facts, rt, minor, install_project=cmd.needs_project, server=server)


def build_phase(facts: PythonFacts, builder_img: m.ImageRef, deps: Install, native: Native) -> phases.BuildPhase:
    ins: list = [m.Workdir(path="/app")]
    if native.build:
        ins += [m.Comment(text="Packages that build from source need the compiler and their -dev packages "
                               "(build stage only; see the header)."),
                *ospackages.apt_install(native.build, source=NATIVE_TABLE)]
    ins += deps.steps
    static = python_build.static_steps(facts)
    if static and facts.workspace is not None:  # manage.py and its paths are the member's
        static = (m.Workdir(path=f"/app/{facts.workspace.value.dir}"), *static)
    if deps.needs_sources or static:
        ins += [*(m.Copy(sources=(d,), dest="." if d == "." else f"./{d}/") for d in deps.sources),
                *deps.after_sources, *static]
    made = [i for i, d in enumerate(_writable(facts)) if d != "."]  # "." is the sources themselves
    if made:
        # Empty directories for the runner to copy with the app user as owner (no shell there to mkdir).
        ins.append(m.Run(command="mkdir -p " + " ".join(f"{writable_dirs.STAGING}/{i}" for i in made), step="setup"))
    return phases.BuildPhase(stages=(m.Stage(name="builder", image=builder_img,
                                             comment="Build stage: the locked dependency install.",
                                             instructions=tuple(ins)),))


def runtime_phase(facts: PythonFacts, options: Options, cmd: Command, runner: RunnerSpec,
                  minor: str, native: Native) -> RuntimeStage:
    interp = f"/usr/bin/python{minor}" if runner.runner == "distroless" else f"{VENV}/bin/python"
    declared = next((c for c in facts.app.health_path if c.confidence != "assumed"), None)
    path = common.healthcheck_path(options.healthcheck, declared.value if declared else "/")
    note = f"path from {declared.evidence}; no curl needed" if declared and options.healthcheck is None else "no curl needed"
    health = (Probe(check=m.Healthcheck(argv=common.http_probe_python(interp, cmd.port, path)), by=interp,
                    port=cmd.port, path=path, note=note)
              if path else runtime_stage.disabled(options))
    if cmd.args is not None:
        entrypoint, args = (interp,), cmd.args
    else:
        argv = cmd.argv if "/" in cmd.argv[0] else (f"{VENV}/bin/{cmd.argv[0]}", *cmd.argv[1:])
        entrypoint, args = argv[:1], argv[1:] or None
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=runner.image)
    return RuntimeStage(runner=runner, summary="only the app and its dependencies",
                        files=(*_native_libs(native, runner), _env(facts, cmd, runner, minor), m.Workdir(path="/app"),
                               *_files(facts, runner, minor)),
                        labels=labels, port=Fact(value=cmd.port, source=cmd.port_source),
                        port_assumed=cmd.port_assumed, health=health,
                        entrypoint=entrypoint, cmd=args)


def _native_libs(native: Native, runner: RunnerSpec) -> tuple[m.Instruction, ...]:
    """The shared libraries compiled or ctypes-loaded packages need at run time (slim only)."""
    if not native.runtime or runner.runner != "slim":
        return ()
    return (m.Comment(text=f"Runtime libraries: {native.runtime_why}."),
            *ospackages.apt_install(native.runtime, source=NATIVE_TABLE))


#: The python images' own PATH (without its duplicate /usr/local/bin).
IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _env(facts: PythonFacts, cmd: Command, runner: RunnerSpec, minor: str) -> m.Env:
    env: list[tuple[str, str]] = [("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")]
    if runner.runner == "distroless":
        env.append(("PYTHONPATH", f"{VENV}/lib/python{minor}/site-packages"))
    else:
        # The venv's console scripts on PATH: an app that runs one as a subprocess (alembic, celery)
        # finds it, as after `activate`. A literal: ENV values never expand here (quote_value).
        env += [("VIRTUAL_ENV", VENV), ("PATH", f"{VENV}/bin:{IMAGE_PATH}")]
    env += cmd.env  # the app's port and listen-address variables; PORT for apps that read $PORT
    env += [c.value for c in facts.data_env]
    app_dir = facts.app_dir.value if facts.app_dir and not cmd.needs_project else None
    # gunicorn and uvicorn get the app directory as an argument (--chdir, --app-dir).
    if app_dir and cmd.args is not None and cmd.args[:2] not in (("-m", "gunicorn"), ("-m", "uvicorn")):
        env.append(("PYTHONPATH", f"/app/{app_dir}"))
    return m.Env(pairs=tuple(_merge_pythonpath(env)))


def _files(facts: PythonFacts, runner: RunnerSpec, minor: str) -> list:
    """The dependencies (distroless: only site-packages, for its own interpreter), the sources, writable dirs."""
    deps = f"{VENV}/lib/python{minor}/site-packages" if runner.runner == "distroless" else VENV
    writable = _writable(facts)
    chown = f"{runner.uid}:{runner.uid}"
    out: list = [m.Comment(text="Dependencies (their own layer), then the sources: root-owned, read-only for the app user."
                           if "." not in writable else
                           "Dependencies (their own layer), then the sources, owned by the app user: it writes in /app."),
                 m.Copy(from_stage="builder", sources=(deps,), dest=deps),
                 # A workspace member's own directory is the app directory (its siblings are in the venv).
                 m.Copy(sources=(facts.workspace.value.dir if facts.workspace else ".",), dest=".",
                        chown=chown if "." in writable else None),
                 *python_build.static_copy(facts)]
    for i, d in enumerate(writable):
        if d != ".":
            out.append(m.Comment(text=f"{d}/ is written at run time ({writable_dirs.source(facts.app, d)}): "
                                      "owned by the app user."))
            out.append(m.Copy(from_stage="builder", sources=(f"{writable_dirs.STAGING}/{i}",), dest=_in_image(d),
                              chown=chown))
    volumes = tuple(_in_image(d) for d in writable if writable_dirs.persistent(d))
    if volumes:
        out += [m.Comment(text="Data that must outlive the container: mount a volume there."), m.Volume(paths=volumes)]
    return out


def _writable(facts: PythonFacts) -> tuple[str, ...]:
    """Run-time writable directories, parents before children and without nested duplicates."""
    dirs = sorted({c.value for c in facts.app.writable if c.confidence != "assumed"})
    if "." in dirs:  # the sources are writable: only directories outside the app directory are left to create
        dirs = [".", *(d for d in dirs if d.startswith("/"))]
    return tuple(d for d in dirs if not any(d.startswith(p + "/") for p in dirs if p != d))


def _in_image(d: str) -> str:
    """A writable directory's path in the image: relative ones are under the app directory."""
    return d if d.startswith("/") else f"/app/{d}"


def _merge_pythonpath(env: list[tuple[str, str]]) -> list[tuple[str, str]]:
    paths = [v for k, v in env if k == "PYTHONPATH"]
    out = [(k, v) for k, v in env if k != "PYTHONPATH"]
    if paths:
        out.insert(2, ("PYTHONPATH", ":".join(paths)))
    return out


STACK = StackDef(name="python", title="Python", detect=detector.detect, plan=plan, order=10,
                 manifests=("requirements.txt", "pyproject.toml", "setup.py", "Pipfile"),
                 workspace_root=python_workspace.workspace_root, workspace_members=python_workspace.members,
                 compose_init=(True, "the Python interpreter as PID 1 reaps no orphaned children and ignores SIGTERM "
                                     "unless the app handles it"))

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

from ..detectors.errors import InvalidInputError
from ..detectors.python import PythonFacts
from . import common
from . import models as m
from ..detectors import python as detector
from .catalog import Runtime, image
from .options import Options
from .python_command import Command, choose
from .python_install import VENV, plan_install
from .python_version import select_version
from .stackdef import StackDef

IGNORE = ("**/__pycache__", "**/*.py[cod]", ".venv", "venv", ".tox", ".nox", ".pytest_cache", ".mypy_cache",
          ".ruff_cache", ".hypothesis", "htmlcov", ".coverage", ".coverage.*", "build", "dist", "*.egg-info",
          "**/*.sqlite3", "**/*.sqlite3-journal", "node_modules")


def _runner(facts: PythonFacts, options: Options, cmd: Command, rt: Runtime, minor: str) -> tuple[str, str]:
    have = rt.versions[minor]
    if options.runner is not None:
        r = options.runner
        if r == "scratch":
            raise options.refuse("runner", "the scratch runner has no Python interpreter", hint="use distroless or slim")
        if r == "distroless" and cmd.no_distroless:
            raise options.refuse("runner", f"distroless cannot start this app: {cmd.no_distroless}",
                                 hint="use the runner slim, or a command that starts with python or a known server")
        if r == "distroless" and options.packages:
            raise options.refuse("runner", f"distroless cannot install the extra packages (from {options.source('packages')})",
                                 hint="use the runner slim")
        if getattr(have, r) is None:
            raise options.refuse("runner", f"no {r} image for python {minor} in dockgen's catalog",
                                 hint="use the runner slim")
        return r, f"runner {r} (from {options.source('runner')})"
    if cmd.no_distroless:
        return "slim", f"runner slim: distroless cannot run it ({cmd.no_distroless})"
    if options.packages:
        return "slim", "runner slim: extra packages need apt"
    if have.distroless is None:
        return "slim", f"runner slim: {have.no_distroless or f'no distroless image for python {minor} in the catalog'}"
    return "distroless", (f"runner distroless: the command needs no shell and distroless' python is {minor}, "
                          "the builder's own minor (smallest runner that works)")


def plan(facts: PythonFacts, options: Options, rt: Runtime) -> m.BuildPlan:
    if options.strict and facts.unpinned:
        raise InvalidInputError(f"{len(facts.unpinned)} unpinned requirement(s): {facts.unpinned[0]}",
                                file=facts.unpinned[0].source.file,
                                hint="pin every requirement with == (or --hash), or drop --strict")
    with options.blame("versions.python"):
        minor, version_reason, version_warnings = select_version(facts, options, rt)
    cmd = choose(facts, options)
    runner, runner_reason = _runner(facts, options, cmd, rt, minor)
    have = rt.versions[minor]
    installable = bool(facts.installable and facts.installable.value)
    install = plan_install(facts, rt, minor, install_project=cmd.needs_project and installable)
    if cmd.needs_project and not installable:
        raise InvalidInputError("the start script needs the project installed, but pyproject.toml has no "
                                "[build-system]", file="pyproject.toml",
                                hint="add a [build-system] table, or pass --command")
    builder_img = image(have.alpine if runner == "alpine" else have.builder)
    runner_img = image(getattr(have, runner))
    warnings = list(facts.warnings) + version_warnings
    if runner == "alpine":
        warnings.append("alpine uses musl: wheels built for glibc (manylinux) do not install there, so "
                        "packages may build from source or fail; prefer slim or distroless")

    builder: list = [m.Workdir(path="/app")]
    builder += install.before_sources
    if install.needs_sources:
        builder.append(m.Copy(sources=(".",), dest="."))
        builder += install.after_sources
    writable = _writable(facts)
    if writable:
        builder.append(m.Run(command="mkdir -p " + " ".join(f"/opt/writable/{i}" for i in range(len(writable))),
                             step="setup"))

    uid = common.NONROOT_UID if runner == "distroless" else common.APP_UID
    site = f"{VENV}/lib/python{minor}/site-packages"
    app_dir = facts.app_dir.value if facts.app_dir and not cmd.needs_project else None
    env: list[tuple[str, str]] = [("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")]
    if runner == "distroless":
        interp = f"/usr/bin/python{minor}"
        env.append(("PYTHONPATH", site))
        copy_deps = m.Copy(from_stage="builder", sources=(site,), dest=site)
    else:
        interp = f"{VENV}/bin/python"
        env.append(("VIRTUAL_ENV", VENV))
        copy_deps = m.Copy(from_stage="builder", sources=(VENV,), dest=VENV)
    if not cmd.port_in_args:
        env.append(("PORT", str(cmd.port)))  # for apps that read $PORT (Procfile, main.py, scripts)
    chown = f"{uid}:{uid}"
    run: list = [m.Env(pairs=tuple(env)), m.Workdir(path="/app"),
                 m.Comment(text="Dependencies (their own layer), then the sources: root-owned, read-only for the app user."
                           if "." not in writable else
                           "Dependencies (their own layer), then the sources, owned by the app user: it writes in /app."),
                 copy_deps,
                 m.Copy(sources=(".",), dest=".", chown=chown if "." in writable else None)]
    for i, d in enumerate(writable):
        if d != ".":
            run.append(m.Comment(text=f"{d}/ is written at run time ({facts.writable_dirs.source}): owned by the app user."))
            run.append(m.Copy(from_stage="builder", sources=(f"/opt/writable/{i}",), dest=f"/app/{d}", chown=chown))
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=runner_img)
    if labels:
        run.append(labels)
    run += [m.User(uid=uid, gid=uid), m.Expose(port=cmd.port)]
    probe = common.healthcheck_path(options.healthcheck)
    if probe:
        run.append(m.Healthcheck(argv=common.http_probe_python(interp, cmd.port, probe)))
    else:
        run.append(m.Comment(text="No HEALTHCHECK: disabled by the healthcheck option."))
    if cmd.args is not None:
        args = cmd.args
        if app_dir and args[:2] not in (("-m", "gunicorn"), ("-m", "uvicorn")):
            env.append(("PYTHONPATH", f"/app/{app_dir}"))
        run += [m.Entrypoint(argv=(interp,)), m.Cmd(argv=args)]
    else:
        argv = cmd.argv
        if "/" not in argv[0]:
            argv = (f"{VENV}/bin/{argv[0]}", *argv[1:])
        run += [m.Entrypoint(argv=argv[:1]), m.Cmd(argv=argv[1:])] if len(argv) > 1 else [m.Entrypoint(argv=argv)]
    run[0] = m.Env(pairs=tuple(_merge_pythonpath(env)))

    reasons = [
        version_reason,
        f"builder {builder_img.tagged}; runner {runner_img.tagged}",
        runner_reason,
        f"dependencies: {install.summary} (package manager {facts.manager.value}, from {facts.manager.source})",
    ]
    if install.tools:
        reasons.append("tools pinned by dockgen's catalog: " + ", ".join(f"{t} {rt.tools[t]}" for t in install.tools))
    reasons += [f"command: {cmd.reason}", f"port {cmd.port} ({cmd.port_reason})",
                f"user {uid} (numeric, non-root)"]
    if runner == "alpine":
        reasons.append("alpine: musl libc, so glibc (manylinux) wheels do not install; packages may build from source")
    if writable:
        reasons.append(f"writable at run time: {', '.join(writable)} (from {facts.writable_dirs.source})")
    stages = (
        m.Stage(name="builder", image=builder_img, comment="Build stage: the locked dependency install.",
                instructions=tuple(builder)),
        m.Stage(name=None, image=runner_img, comment=f"Runtime stage ({runner}): only the app and its dependencies.",
                instructions=tuple(run)),
    )
    ignore = list(IGNORE) + [d for d in writable if d != "."]
    return m.BuildPlan(ecosystem="python", runner=runner, reasons=tuple(reasons), stages=stages,
                       ignore=common.ignore_patterns(ignore, options.ignore), port=cmd.port, user=uid,
                       warnings=tuple(warnings))


def _writable(facts: PythonFacts) -> tuple[str, ...]:
    return tuple(facts.writable_dirs.value) if facts.writable_dirs else ()


def _merge_pythonpath(env: list[tuple[str, str]]) -> list[tuple[str, str]]:
    paths = [v for k, v in env if k == "PYTHONPATH"]
    out = [(k, v) for k, v in env if k != "PYTHONPATH"]
    if paths:
        out.insert(2, ("PYTHONPATH", ":".join(paths)))
    return out


STACK = StackDef(name="python", title="Python", detect=detector.detect, plan=plan, order=10,
                 manifests=("requirements.txt", "pyproject.toml", "setup.py", "Pipfile"))

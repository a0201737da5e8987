"""Go planner: GoFacts + options → a two-stage BuildPlan (golang builder → scratch/distroless/slim/alpine).

Build stage: go.mod/go.sum first, `go mod download` into a cache mount (its own layer, step "deps"),
then the sources and `go build` (-mod=readonly verifies go.sum; vendored modules use -mod=vendor and
skip the download, which needs no network). Static builds: CGO_ENABLED=0 -trimpath -ldflags="-s -w".
cgo builds: CGO_ENABLED=1, the bookworm builder's glibc matches the Debian 12 runners.
"""

from __future__ import annotations

import posixpath
import re

from ..detectors import safe
from ..detectors.errors import UsageError
from ..detectors.facts import Fact, Source
from ..detectors.go import GoFacts
from . import common, go_app, go_runners, phases
from . import models as m
from ..detectors import go as detector
from ..detectors import go_work
from .catalog import Runtime, image
from .go_version import resolve
from .options import Options
from .runtime_stage import RunnerSpec, RuntimeStage
from .stackdef import StackDef

WORKDIR = "/src"
MOD_CACHE = "/go/pkg/mod"
BUILD_CACHE = "/root/.cache/go-build"
IGNORE = ("bin", "dist", "*.exe", "*.test", "*.out", "*.prof", "coverage.*", "go.work", "go.work.sum")
#: A single module builds without the workspace file it may sit in; a workspace member builds with it.
WORK_FILES = ("go.work", "go.work.sum")
_BINARY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEALTH_PATH = re.compile(r"^/[A-Za-z0-9._~/-]{0,200}$")
_SOURCE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def _dirs(dirs) -> str:
    return ", ".join(f"./{d}" if d != "." else "." for d in dirs)


def _main(facts: GoFacts, options: Options) -> Fact[str]:
    mains = facts.mains.value
    if options.main is not None:
        src = options.source("main")
        want = "." if options.main.strip() in (".", "./") else safe.rel_path(
            options.main, src.path or str(src), src.key if src.path else str(src))
        if want not in mains and want not in facts.all_mains:
            raise options.refuse("main", f"not a main package of this module (found: {_dirs(facts.all_mains) or 'none'})",
                                 hint="use one of the listed directories")
        return Fact(value=want, source=options.fact("main").source)
    chosen, candidates, serving = detector.default_main(mains, facts.all_mains, facts.apps)
    if not candidates:
        raise UsageError("no main package found (no directory of the module has `package main`)",
                         hint="add a main package or pass --main DIR")
    if chosen is None and serving:
        others = [d for d in candidates if d not in serving]
        rest = f"; the others do not: {_dirs(others)}" if others else ""
        raise UsageError(f"several main packages: {_dirs(serving)} all serve{rest}",
                         hint="choose one with --main (e.g. --main cmd/api)")
    if chosen is None:
        raise UsageError(f"several main packages: {_dirs(candidates)}, and none of them serves "
                         "(no ListenAndServe, http.Server or router found)", hint="choose one with --main DIR")
    if len(candidates) == 1:
        return Fact(value=chosen, source=facts.mains.source if mains else Source.of(
            chosen, "package main (the only one; none in the root or cmd/)"))
    why = facts.apps[chosen].serves
    return Fact(value=chosen, source=Source.of(chosen, f"package main, the one that serves ({why.source if why else ''}); "
                                                       f"not {_dirs(d for d in candidates if d != chosen)}"))


def binary_name(main: str, module: str) -> str:
    """cmd/api → api; the root package → the module's last path element (without a /vN suffix)."""
    if main != ".":
        candidate = main.rsplit("/", 1)[-1]
    else:
        parts = [p for p in module.split("/") if p]
        if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
            parts.pop()
        candidate = parts[-1] if parts else "app"
    return candidate if _BINARY.fullmatch(candidate) else "app"


def _source_url(module: str) -> Fact[str] | None:
    parts = module.split("/")
    if len(parts) >= 3 and parts[0] in _SOURCE_HOSTS:
        return Fact(value=f"https://{'/'.join(parts[:3])}", source=Source.of("go.mod", "module"))
    return None


def _healthcheck_path(options: Options, app: go_app.GoStart) -> tuple[str | None, str | None]:
    """(the probe path, why it is the app's own route); the option wins, else the app's health route, else /."""
    declared = app.health_path if app.health_path and _HEALTH_PATH.fullmatch(app.health_path) else None
    path = common.healthcheck_path(options.healthcheck, declared or "/")
    if path is not None and not _HEALTH_PATH.fullmatch(path):
        raise options.refuse("healthcheck", "not a plain URL path", hint="use e.g. /healthz")
    why = (f"HEALTHCHECK probes {declared}, the app's health route (from {app.health_source})"
           if declared and options.healthcheck is None else None)
    return path, why


def plan(facts: GoFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    with options.blame("versions.go"):
        release = resolve(options.fact("versions.go"), facts.go_version, runtime, options.strict)
    builder = image(runtime.versions[release.line].builder)
    main = _main(facts, options)
    binary = binary_name(main.value, facts.module.value)
    runner = go_runners.spec(*go_runners.choose(options, facts.cgo.value, facts.cgo.source), facts.cgo.value,
                             runtime)
    app = go_app.start(facts, main.value, options, binary, go_runners.home(runner))
    port = Fact(value=app.port, source=app.port_source)
    path, health_why = _healthcheck_path(options, app)
    exe = _exe(binary, runner if app.beside_home else None)
    deps = deps_phase(facts)
    build = build_phase(facts, builder, main.value, binary, runner.runner, port.value, path, deps)
    rt = runtime_phase(facts, options, main, binary, runner, app, path)
    header = (
        f"Go module {facts.module.value} (from {facts.module.source})",
        f"Go {release.line}: {builder.ref} "
        f"({release.assumed or f'from {release.requested.source} {release.requested.value}'}){release.eol_note}",
        f"main package {'.' if main.value == '.' else './' + main.value} (from {main.source}) -> {exe}",
        *build.reasons,
        *deps.reasons,
        runner.reason,
        *app.reasons,
        *((f"{exe}: installed in the app user's home, its working directory, because the program builds paths "
           f"from its executable's location ({app.beside_home}) and writes there",) if app.beside_home else ()),
        *((health_why,) if health_why else ()),
        *_work_reason(facts),
    )
    warnings = [*facts.warnings, *app.warnings, *release.warnings]
    # A file the runner copies from the build context must not be excluded from it.
    copied = {c.sources[0].split("/", 1)[0] for c in app.copies}
    ignore = common.ignore_patterns(_ignore(facts, copied), options.ignore)
    return phases.assemble("go", header, build, rt, ignore=ignore, warnings=warnings, context=_context(facts))


def _ignore(facts: GoFacts, copied: set[str]) -> tuple[str, ...]:
    own = tuple(p for p in IGNORE if p not in copied)
    if facts.workspace is None:
        return own
    # The context is the go.work directory: go.work and go.work.sum are part of the build; the other
    # patterns reach into every module, and dockgen's files of every member stay out.
    return (*(f"**/{p}" for p in own if p not in WORK_FILES), "# dockgen's files, in every module",
            *(f"**/{p}" for p in common.MEMBER_IGNORE))


def _context(facts: GoFacts) -> m.BuildContext | None:
    if facts.workspace is None:
        return None
    return m.BuildContext.above(facts.workspace.value.dir, "the go.work directory")


def _in_context(facts: GoFacts, path: str) -> str:
    """A path of the module as the build context names it (under the member's directory in a workspace)."""
    return posixpath.join(facts.workspace.value.dir, path) if facts.workspace else path


def _work_reason(facts: GoFacts) -> tuple[str, ...]:
    if facts.workspace is None:
        return ()
    w = facts.workspace.value
    others = [d for d in w.uses if d != w.dir]
    return (f"go.work workspace (from {facts.workspace.source}): built from the go.work directory with the "
            f"workspace on, so {', '.join(others) or 'no other module'} replace{'s' if len(others) == 1 else ''} "
            f"what {w.dir}/go.mod requires; every used module's go.mod and go.sum are copied before the download",)


def _exe(binary: str, beside: RunnerSpec | None = None) -> str:
    """Where the binary is installed: /usr/local/bin, or the app user's home when it writes beside itself."""
    return f"{go_runners.home(beside) if beside else go_runners.BIN_DIR}/{binary}"


def deps_phase(facts: GoFacts) -> phases.DepsPhase:
    """go.mod and go.sum alone, then `go mod download` (vendored modules need no download)."""
    if facts.vendored.value:
        return phases.DepsPhase(
            steps=(m.Comment(text="Modules are vendored (vendor/modules.txt): no download, -mod=vendor."),),
            reasons=("modules vendored (from vendor/modules.txt): built with -mod=vendor, nothing downloaded",))
    if facts.workspace is not None:
        return _work_deps(facts)
    if facts.go_sum.value:
        why = "modules from go.mod and go.sum: downloaded in a cached layer, go.sum verified (-mod=readonly)"
    elif facts.has_requires.value:
        why = "modules from go.mod: go.sum is missing, so -mod=readonly fails until it is committed"
    else:
        why = "no module requirements (standard library only): go.mod alone, -mod=readonly"
    return phases.DepsPhase(steps=(
        m.Comment(text="Dependencies first: this layer stays cached until go.mod or go.sum change."),
        *_copy_manifests(facts),
        *(m.Copy(sources=(f"{d}/go.mod",), dest=f"./{d}/")
          for d in (_in_context(facts, r) for r in facts.local_replaces.value) if f"{d}/go.mod" not in facts.manifests),
        m.Run(step="deps", mounts=(m.cache_mount(MOD_CACHE),), command="go mod download"),
    ), reasons=(why,))


def _work_deps(facts: GoFacts) -> phases.DepsPhase:
    """A workspace member: go.work, go.work.sum and every used module's go.mod/go.sum, then the modules
    required from outside the workspace, named (``go mod download`` alone also looks up the versions
    go.mod requires of the workspace's own modules, which no proxy may have)."""
    external = facts.workspace.value.external
    download = (m.Run(step="deps", mounts=(m.cache_mount(MOD_CACHE),), command="go mod download " + " ".join(external)),
                ) if external else (m.Comment(text="Nothing required from outside the workspace: nothing to download."),)
    why = (f"modules required from outside the workspace: {len(external)}, downloaded in a cached layer"
           if external else "no module required from outside the workspace: nothing downloaded")
    return phases.DepsPhase(steps=(
        m.Comment(text="Dependencies first: this layer stays cached until go.work or a go.mod/go.sum change."),
        *_copy_manifests(facts), *download), reasons=(why,))


def _copy_manifests(facts: GoFacts) -> tuple[m.Copy, ...]:
    """The manifests at their paths in the context: one COPY per directory (go.work's first)."""
    by_dir: dict[str, list[str]] = {}
    for f in facts.manifests:
        by_dir.setdefault(posixpath.dirname(f), []).append(f)
    return tuple(m.Copy(sources=tuple(files), dest=f"./{d}/" if d else "./") for d, files in by_dir.items())


def build_phase(facts: GoFacts, builder: m.ImageRef, main: str, binary: str, runner: str, port: int,
                path: str | None, deps: phases.DepsPhase) -> phases.BuildPhase:
    build_cache = m.cache_mount(BUILD_CACHE)
    ins: list = [m.Workdir(path=WORKDIR)]
    for step in (go_runners.setup_step(runner), go_runners.probe_step(runner, port, path, build_cache)):
        if step is not None:
            ins.append(step)
    ins += deps.steps
    vendored = facts.vendored.value
    mounts = (build_cache,) if vendored else (m.cache_mount(MOD_CACHE), build_cache)
    main = _in_context(facts, main) if main != "." or facts.workspace is None else facts.workspace.value.dir
    target = "." if main == "." else f"./{main}"
    # A workspace member: the used modules' sources (the build context may hold other things).
    sources = facts.workspace.value.uses if facts.workspace else (".",)
    ins += [*(m.Copy(sources=(d,), dest="./" if d == "." else f"./{d}/") for d in sources), m.Run(step="build", mounts=mounts, command=(
        f"CGO_ENABLED={1 if facts.cgo.value else 0} go build {'-mod=vendor' if vendored else '-mod=readonly'} "
        f"-trimpath -ldflags=\"-s -w\" -o {go_runners.OUT}/{binary} {target}"))]
    if facts.cgo.value:
        link = (f"cgo (from {facts.cgo.source}): CGO_ENABLED=1, linked against the bookworm builder's glibc, "
                "so the runner is Debian 12 based")
    else:
        link = 'static binary (no import "C" or cgo module found): CGO_ENABLED=0 -trimpath -ldflags="-s -w"'
    return phases.BuildPhase(stages=(m.Stage(name="build", image=builder, comment="Build stage: compile the binary",
                                             instructions=tuple(ins)),), reasons=(link,))


def runtime_phase(facts: GoFacts, options: Options, main: Fact[str], binary: str, runner: RunnerSpec,
                  app: go_app.GoStart, path: str | None) -> RuntimeStage:
    exe = _exe(binary, runner if app.beside_home else None)
    files: list = [*go_runners.prelude(runner),
                   m.Copy(sources=(f"{go_runners.OUT}/{binary}",), dest=exe, from_stage="build")]
    if path is not None and runner.runner in go_runners.PROBE_RUNNERS:
        files.append(m.Copy(sources=(go_runners.PROBE_OUT,), dest=go_runners.PROBE_BIN, from_stage="build"))
    copies = (c.model_copy(update={"sources": tuple(_in_context(facts, x) for x in c.sources)}) for c in app.copies)
    files += [m.Workdir(path=go_runners.home(runner)), *copies, m.Env(pairs=tuple(app.env))]
    labels = common.oci_labels(title=Fact(value=binary, source=main.source), source=_source_url(facts.module.value),
                               base=runner.image)
    return RuntimeStage(runner=runner, summary="only the compiled binary", files=tuple(files), labels=labels,
                        port=Fact(value=app.port, source=app.port_source), port_assumed=app.port_assumed,
                        health=go_runners.health(runner.runner, app.port, path, options),
                        entrypoint=tuple(options.command) if options.command else (exe,),
                        cmd=tuple(app.args) or None)


STACK = StackDef(name="go", title="Go", detect=detector.detect, plan=plan, order=40, manifests=("go.mod",),
                 workspace_root=go_work.workspace_root, workspace_members=go_work.members,
                 compose_init=(False, "one static binary that starts no child processes; the Go runtime exits on SIGTERM"))

"""Go planner: GoFacts + options → a two-stage BuildPlan (golang builder → scratch/distroless/slim/alpine).

Build stage: go.mod/go.sum first, `go mod download` into a cache mount (its own layer, step "deps"),
then the sources and `go build` (-mod=readonly verifies go.sum; vendored modules use -mod=vendor and
skip the download, which needs no network). Static builds: CGO_ENABLED=0 -trimpath -ldflags="-s -w".
cgo builds: CGO_ENABLED=1, the bookworm builder's glibc matches the Debian 12 runners.
"""

from __future__ import annotations

import re

from ..detectors import safe
from ..detectors.errors import UsageError
from ..detectors.facts import Fact, Source
from ..detectors.go import GoFacts
from . import common, go_runners
from . import models as m
from ..detectors import go as detector
from .catalog import Runtime, image
from .go_version import resolve
from .options import Options
from .stackdef import StackDef

WORKDIR = "/src"
MOD_CACHE = "/go/pkg/mod"
BUILD_CACHE = "/root/.cache/go-build"
IGNORE = ("bin", "dist", "*.exe", "*.test", "*.out", "*.prof", "coverage.*", "go.work", "go.work.sum")
_BINARY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEALTH_PATH = re.compile(r"^/[A-Za-z0-9._~/-]{0,200}$")
_SOURCE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def _main(facts: GoFacts, options: Options) -> Fact[str]:
    mains = facts.mains.value
    listed = ", ".join(f"./{d}" if d != "." else "." for d in mains)
    if options.main is not None:
        src = options.source("main")
        want = "." if options.main.strip() in (".", "./") else safe.rel_path(
            options.main, src.path or str(src), src.key if src.path else str(src))
        if want not in mains:
            raise options.refuse("main", f"not a main package of this module (found: {listed or 'none'})",
                                 hint="use one of the listed directories")
        return Fact(value=want, source=options.fact("main").source)
    if not mains:
        raise UsageError("no main package found (looked for `package main` in the root and in cmd/<name>/)",
                         hint="add a main package or pass --main DIR")
    if len(mains) > 1:
        raise UsageError(f"several main packages: {listed}", hint="choose one with --main (e.g. --main cmd/api)")
    return Fact(value=mains[0], source=facts.mains.source)


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


def _healthcheck_path(options: Options) -> str | None:
    path = common.healthcheck_path(options.healthcheck)
    if path is not None and not _HEALTH_PATH.fullmatch(path):
        raise options.refuse("healthcheck", "not a plain URL path", hint="use e.g. /healthz")
    return path


def _health_reason(runner: str, port: int, path: str | None) -> str:
    if path is None:
        return "no health check (healthcheck option disabled it)"
    if runner in go_runners.PROBE_RUNNERS:
        return (f"health check: a static probe compiled in the build stage requests GET {path} on port {port} "
                f"({runner} has no shell or HTTP client)")
    return f"health check: GET {path} on port {port} with the runner's own tools"


def _build_stage(facts: GoFacts, builder: m.ImageRef, main: str, binary: str, runner: str, port: int,
                 path: str | None) -> m.Stage:
    cgo = facts.cgo.value
    vendored = facts.vendored.value
    mod_cache = m.cache_mount(MOD_CACHE)
    build_cache = m.cache_mount(BUILD_CACHE)
    ins: list = [m.Workdir(path=WORKDIR)]
    for step in (go_runners.setup_step(runner), go_runners.probe_step(runner, port, path, build_cache)):
        if step is not None:
            ins.append(step)
    if vendored:
        ins.append(m.Comment(text="Modules are vendored (vendor/modules.txt): no download, -mod=vendor."))
        mounts: tuple[m.Mount, ...] = (build_cache,)
        mod_flag = "-mod=vendor"
    else:
        ins.append(m.Comment(text="Dependencies first: this layer stays cached until go.mod or go.sum change."))
        ins.append(m.Copy(sources=tuple(facts.manifests), dest="./"))
        for d in facts.local_replaces.value:
            ins.append(m.Copy(sources=(f"{d}/go.mod",), dest=f"./{d}/"))
        ins.append(m.Run(step="deps", mounts=(mod_cache,), command="go mod download"))
        mounts = (mod_cache, build_cache)
        mod_flag = "-mod=readonly"
    ins.append(m.Copy(sources=(".",), dest="./"))
    target = "." if main == "." else f"./{main}"
    ins.append(m.Run(step="build", mounts=mounts, command=(
        f"CGO_ENABLED={1 if cgo else 0} go build {mod_flag} -trimpath -ldflags=\"-s -w\" "
        f"-o {go_runners.OUT}/{binary} {target}")))
    return m.Stage(name="build", image=builder, comment="Build stage: compile the binary", instructions=tuple(ins))


def plan(facts: GoFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    with options.blame("versions.go"):
        release = resolve(options.fact("versions.go"), facts.go_version, runtime)
    builder = image(runtime.versions[release.line].builder)
    main = _main(facts, options)
    binary = binary_name(main.value, facts.module.value)
    runner, runner_why = go_runners.choose(options, facts.cgo.value, facts.cgo.source)
    spec = go_runners.spec(runner, facts.cgo.value, runtime)
    port_fact = options.fact("port") or facts.port
    port, port_source = port_fact.value, port_fact.source
    path = _healthcheck_path(options)
    exe = f"{go_runners.BIN_DIR}/{binary}"

    run: list = list(go_runners.prelude(spec))
    run.append(m.Copy(sources=(f"{go_runners.OUT}/{binary}",), dest=exe, from_stage="build"))
    if path is not None and runner in go_runners.PROBE_RUNNERS:
        run.append(m.Copy(sources=(go_runners.PROBE_OUT,), dest=go_runners.PROBE_BIN, from_stage="build"))
    run.append(m.Workdir(path=spec.home))
    labels = common.oci_labels(title=Fact(value=binary, source=main.source), source=_source_url(facts.module.value),
                               base=spec.image)
    if labels is not None:
        run.append(labels)
    run.append(m.User(uid=spec.uid, gid=spec.uid))
    run.append(m.Expose(port=port))
    run.append(go_runners.healthcheck(spec, port, path))
    run.append(m.Entrypoint(argv=tuple(options.command) if options.command else (exe,)))
    runner_stage = m.Stage(name=None, image=spec.image, comment=f"Runtime stage: {runner}",
                           instructions=tuple(run))

    build = _build_stage(facts, builder, main.value, binary, runner, port, path)
    if facts.cgo.value:
        link = (f"cgo (from {facts.cgo.source}): CGO_ENABLED=1, linked against the bookworm builder's glibc, "
                "so the runner is Debian 12 based")
    else:
        link = 'static binary (no import "C" or cgo module found): CGO_ENABLED=0 -trimpath -ldflags="-s -w"'
    if facts.vendored.value:
        deps = "modules vendored (from vendor/modules.txt): built with -mod=vendor, nothing downloaded"
    elif facts.go_sum.value:
        deps = "modules from go.mod and go.sum: downloaded in a cached layer, go.sum verified (-mod=readonly)"
    elif facts.has_requires.value:
        deps = "modules from go.mod: go.sum is missing, so -mod=readonly fails until it is committed"
    else:
        deps = "no module requirements (standard library only): go.mod alone, -mod=readonly"
    reasons = common.header(
        f"Go module {facts.module.value} (from {facts.module.source})",
        f"Go {release.line}: {builder.ref} (from {release.requested.source} {release.requested.value}){release.eol_note}",
        f"main package {'.' if main.value == '.' else './' + main.value} (from {main.source}) -> {exe}",
        link,
        deps,
        f"{runner_why}; {spec.why}",
        f"user {spec.uid} (numeric, non-root); port {port} (from {port_source})",
        _health_reason(runner, port, path),
    )
    warnings = list(facts.warnings)
    warnings += release.warnings
    return m.BuildPlan(
        ecosystem="go",
        runner=runner,
        reasons=reasons,
        stages=(build, runner_stage),
        ignore=common.ignore_patterns(IGNORE, options.ignore),
        port=port,
        user=spec.uid,
        warnings=tuple(warnings),
    )


STACK = StackDef(name="go", title="Go", detect=detector.detect, plan=plan, order=40, manifests=("go.mod",))

"""Node.js planner: NodeFacts + Options → BuildPlan.

Stages
  - ``deps``: production dependencies only (``npm ci --omit=dev`` and the like), cache-mounted;
  - ``build`` (``scripts.build`` or Next.js): all dependencies, the sources, ``<pm> run build``;
  - the runner: production ``node_modules`` + the app (sources, or only the build output when it is
    known: the TypeScript outDir, an Nx build target's outputPath, Next.js' standalone server),
    ``NODE_ENV=production``, a numeric non-root user, the directories the app writes owned by that
    user (``writable``; sources stay root-owned), exec-form start, EXPOSE and a node-based
    HEALTHCHECK (works in distroless).
``plan`` composes ``deps_phase`` / ``build_phase`` / ``runtime_phase`` (see ``phases``).
Helpers: ``node_runtime`` (version), ``node_pm`` (package managers), ``node_runner`` (start, runner).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.errors import InvalidInputError
from ..detectors import node_start
from ..detectors.facts import Candidate, Fact, Source
from ..detectors.node import NodeFacts
from . import common, evidence, node_pm, node_runner, node_runtime, phases, runtime_stage, writable
from . import models as m
from ..detectors import node as detector
from .catalog import Runtime, image
from .options import Options
from .runtime_stage import Probe, RunnerSpec, RuntimeStage
from .stackdef import StackDef

APP = "/app"
#: An empty directory made in the build stage: the runner's writable .next/cache (next start).
NEXT_CACHE = "/opt/next-cache"
IGNORE = ("node_modules", "**/node_modules", "npm-debug.log*", "yarn-debug.log*", "yarn-error.log*",
          ".pnpm-debug.log*", ".npm", ".yarn/cache", ".yarn/install-state.gz", ".pnpm-store", ".next",
          "dist", "build", "out", "coverage", ".nyc_output", ".turbo", ".nx", ".cache", ".eslintcache",
          "*.tsbuildinfo")


def _lock_problems(facts: NodeFacts, options: Options) -> list[str]:
    if not facts.lockfile_problems:
        return []
    lock = facts.lockfile.value if facts.lockfile else "the lockfile"
    first = facts.lockfile_problems[0]
    more = f" (and {len(facts.lockfile_problems) - 1} more)" if len(facts.lockfile_problems) > 1 else ""
    fix = {"npm": "npm install", "yarn": "yarn install", "pnpm": "pnpm install", "bun": "bun install"}[
        facts.package_manager.value]
    if options.strict:
        raise InvalidInputError(f"out of sync with package.json: {first}{more}", file=lock,
                                hint=f"run `{fix}` and commit {lock}")
    return [f"{lock} is out of sync with package.json: {first}{more}; the locked install will fail "
            f"until you run `{fix}` and commit {lock}"]


def _setup_instructions(pm: node_pm.PackageManager, facts: NodeFacts) -> list:
    ins: list = [m.Workdir(path=APP)]
    if pm.env:
        ins.append(m.Env(pairs=pm.env))
    if pm.setup:
        ins.append(m.Run(command=pm.setup, step="setup"))
    ins.append(m.Copy(sources=facts.manifests, dest="./"))
    return ins


def plan(facts: NodeFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    if facts.workspaces:
        raise InvalidInputError("package.json declares workspaces (a monorepo); dockgen builds one package",
                                file="package.json", hint="run dockgen in the package's own directory")
    with options.blame("versions.node"):
        major, version_reason, warnings = node_runtime.resolve(facts.node_versions, options.fact("versions.node"),
                                                               runtime)
    warnings = [*facts.warnings, *warnings, *_lock_problems(facts, options)]
    version = runtime.versions[major]
    pm = node_pm.choose(facts, options, runtime, version)
    ent = node_runner.entry(facts, options)
    runner = node_runner.choose(options, ent, version)
    # Native addons are built against the runner's libc: musl for alpine, glibc otherwise.
    builder = image(version.alpine) if runner.runner == "alpine" and version.alpine else image(version.builder)
    node_runner.env_file_check(facts, options)
    port = evidence.choose("port", "port", facts.app.port or _framework_port(ent), options, assumed=Candidate(
        value=node_start.DEFAULT_PORT, evidence=Source.default("the Node.js convention: PORT, 3000"),
        confidence="assumed"))
    warnings += [port.warning] if port.warning else []
    out = _build_output(facts, ent, pm)
    deps = deps_phase(facts, pm)
    build = build_phase(facts, pm, ent, builder, deps, out)
    rt = runtime_phase(facts, options, ent, runner, major, out, port)
    header = [version_reason, *deps.reasons, *build.reasons, ent.reason, runner.reason,
              f"builder {builder.tagged}: musl like the runner, so native addons match"
              if runner.runner == "alpine" else "", *rt.reasons, *writable.header(facts.app, writable.dirs(facts.app))]
    ignore = common.ignore_patterns([*_ignore(ent, out.has_build), *writable.ignore(writable.dirs(facts.app))],
                                    options.ignore)
    return phases.assemble("node", header, build, rt, ignore=ignore, warnings=warnings)


def _framework_port(ent: node_runner.Entry) -> tuple[Candidate[int], ...]:
    """The framework's own default when the app states none: Next.js serves on 3000."""
    if not ent.next:
        return ()
    return (Candidate(value=3000, evidence=Source.default("Next.js' default port"), confidence="derived"),)


@dataclass(frozen=True)
class BuildOutput:
    """Whether there is a build step, and the folder it writes when the runner needs only that."""

    has_build: bool
    out_dir: Fact[str] | None
    #: The build step: ``scripts.build``, or what a build-then-run ``scripts.start`` builds with.
    command: str | None = None


def _build_output(facts: NodeFacts, ent: node_runner.Entry, pm: node_pm.PackageManager) -> BuildOutput:
    command = node_runner.build_command(facts, pm.run_build, pm.name)
    has_build = command is not None or ent.next
    if ent.next and facts.build_script is None:
        raise InvalidInputError("Next.js project without a build script", file="package.json",
                                hint='add "build": "next build" to scripts')
    out_dir = None
    if has_build and not ent.next_standalone and ent.script:
        # Nx's outputPath first: the TypeScript outDir of an Nx workspace is only for type checks.
        out_dir = next((d for d in (facts.build_out_dir, facts.ts_out_dir)
                        if d is not None and ent.script.startswith(d.value + "/")), None)
    return BuildOutput(has_build, out_dir, command)


def deps_phase(facts: NodeFacts, pm: node_pm.PackageManager) -> phases.DepsPhase:
    """Production dependencies only (the runner copies this node_modules), and the empty directories the
    runner copies owned by the app user."""
    return phases.DepsPhase(steps=(*_setup_instructions(pm, facts), node_pm.install_run(pm, pm.install_prod),
                                   *writable.mkdir_step(writable.dirs(facts.app))),
                            reasons=pm.reasons)


def build_phase(facts: NodeFacts, pm: node_pm.PackageManager, ent: node_runner.Entry, builder: m.ImageRef,
                deps: phases.DepsPhase, out: BuildOutput) -> phases.BuildPhase:
    stages: list[m.Stage] = []
    # Next.js' standalone server bundles the node_modules it needs: no production-deps stage.
    if not ent.next_standalone:
        stages.append(m.Stage(name="deps", image=builder,
                              comment="Production dependencies only: cached until a manifest or the lockfile changes",
                              instructions=deps.steps))
    if not out.has_build:
        return phases.BuildPhase(stages=tuple(stages))
    build_cmd = out.command or pm.run_build
    if out.out_dir is None and not ent.next_standalone:
        # The runner copies the whole built project: without the dev dependencies (deps has the production ones)
        # and, for next start, without the build cache (the runner gets an empty one it may write).
        build_cmd += " && rm -rf node_modules" + (f" .next/cache && mkdir -p {NEXT_CACHE}" if ent.next_start else "")
    build_env = [m.Env(pairs=(("NEXT_TELEMETRY_DISABLED", "1"),))] if ent.next else []
    # The same first steps as `deps`: BuildKit shares them (one package-manager setup, one COPY).
    stages.append(m.Stage(name="build", image=builder,
                          comment="Build: all dependencies (dev included) and the sources",
                          instructions=(*_setup_instructions(pm, facts), node_pm.install_run(pm, pm.install_all),
                                        *build_env, m.Copy(sources=(".",), dest="."),
                                        m.Run(command=build_cmd, step="build"),
                                        *(writable.mkdir_step(writable.dirs(facts.app)) if ent.next_standalone
                                          else ()))))
    declared = facts.start_build or facts.build_script
    return phases.BuildPhase(stages=tuple(stages), reasons=(
        f"build: {out.command or pm.run_build} (from {declared.source})" if declared else "build: next build",))


def runtime_phase(facts: NodeFacts, options: Options, ent: node_runner.Entry, runner: RunnerSpec, major: str,
                  out: BuildOutput, chosen: evidence.Chosen[int]) -> RuntimeStage:
    port = chosen.fact
    # The app's own port and bind-all variables, after PORT.
    extra_env, env_reasons = node_runner.server_env(facts, port.value)
    env = [("NODE_ENV", "production"), ("PORT", str(port.value)), *extra_env]
    if ent.next_standalone:
        env += [("HOSTNAME", "0.0.0.0")]
    if ent.next:
        env += [("NEXT_TELEMETRY_DISABLED", "1")]
    copies, files_reason = _runner_files(facts, ent, runner.uid, out)
    # Next.js' standalone build has no deps stage: its build stage makes the writable directories.
    found, staging = writable.dirs(facts.app), "build" if ent.next_standalone else "deps"
    path = common.healthcheck_path(options.healthcheck)
    node = node_runner.node_binary(runner.runner)
    health = (Probe(check=m.Healthcheck(argv=common.http_probe_node(node, port.value, path)), by=node,
                    port=port.value, path=path, note="no curl needed")
              if path is not None else runtime_stage.disabled(options))
    entrypoint, cmd = node_runner.start(runner.runner, ent)
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=runner.image)
    return RuntimeStage(runner=runner, summary=f"node {major} only, NODE_ENV=production",
                        files=(*writable.before_workdir(facts.app, found, staging, runner.uid, APP), m.Workdir(path=APP),
                               m.Env(pairs=tuple(env)), *copies,
                               *writable.runner_steps(facts.app, found, staging, runner.uid, APP)), labels=labels,
                        labels_first=True, port=port, port_assumed=chosen.confidence == "assumed", health=health,
                        entrypoint=entrypoint, cmd=cmd, reasons=(files_reason, *env_reasons))


def _runner_files(facts: NodeFacts, ent: node_runner.Entry, uid: int, out: BuildOutput) -> tuple[list, str]:
    """(the runner's COPY instructions, the header line saying what they bring)."""
    if ent.next_standalone:
        owner = f"{uid}:{uid}"
        copies = [m.Copy(from_stage="build", sources=(f"{APP}/.next/standalone",), dest="./", chown=owner),
                  m.Copy(from_stage="build", sources=(f"{APP}/.next/static",), dest="./.next/static", chown=owner)]
        if facts.public_dir:
            copies.append(m.Copy(from_stage="build", sources=(f"{APP}/public",), dest="./public"))
        return copies, ("runner files: Next.js standalone server (it bundles its own node_modules), .next/static"
                        + (" and public/" if facts.public_dir else "") + f"; owned by {uid} so .next/cache is writable")
    # No production dependencies: npm creates no node_modules, and there is nothing to copy.
    node_modules = [m.Copy(from_stage="deps", sources=(f"{APP}/node_modules",), dest="./node_modules")] \
        if facts.production_dependencies else []
    nm = "production node_modules" if facts.production_dependencies else "no node_modules (no production dependencies)"
    if out.out_dir is not None:
        d = out.out_dir
        return [*node_modules, m.Copy(from_stage="build", sources=(f"{APP}/package.json",), dest="./"),
                m.Copy(from_stage="build", sources=(f"{APP}/{d.value}",), dest=f"./{d.value}")], (
            f"runner files: {nm}, package.json and {d.value}/ (from {d.source}); sources and "
            "dev dependencies stay in the build stage")
    if ent.next_start:
        return [*node_modules, m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./"),
                m.Copy(from_stage="build", sources=(NEXT_CACHE,), dest="./.next/cache", chown=f"{uid}:{uid}")], (
            f"runner files: {nm} and the built project (.next included); root-owned, except "
            f".next/cache, owned by {uid} for next start's image cache")
    if out.has_build:
        return [*node_modules, m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./")], (
            f"runner files: {nm} and the built project (its build output directory is not "
            "known, so the whole project minus node_modules)")
    return [*node_modules, m.Copy(sources=(".",), dest=".")], (
        f"runner files: {nm} and the sources (.dockerignore keeps the rest out); root-owned, "
        "so read-only for the app")


def _ignore(ent: node_runner.Entry, has_build: bool) -> tuple[str, ...]:
    """IGNORE, minus a build-output directory that holds the entry file of a project without a build
    step (a committed ``dist/``): the runner copies it from the context."""
    if has_build or not ent.script or "/" not in ent.script:
        return IGNORE
    top = ent.script.split("/", 1)[0]
    return tuple(p for p in IGNORE if p != top)


def asset_build(facts: NodeFacts, options: Options, runtime: Runtime) -> phases.AssetBuild:
    """The project's frontend build for another stack's runtime: all dependencies from the lockfile,
    the sources, ``<pm> run build``; the built tree (without node_modules) is what the runtime copies."""
    with options.blame("versions.node"):
        major, version_reason, warnings = node_runtime.resolve(facts.node_versions, options.fact("versions.node"),
                                                               runtime)
    version = runtime.versions[major]
    pm = node_pm.choose(facts, options, runtime, version)
    assert facts.build_script is not None  # only a package.json with a build script builds assets
    stage = m.Stage(name="assets", image=image(version.builder),
                    comment="Assets: the frontend build (all dependencies and the sources); later stages copy "
                            "the built project from here",
                    instructions=(*_setup_instructions(pm, facts), node_pm.install_run(pm, pm.install_all),
                                  m.Copy(sources=(".",), dest="."),
                                  m.Run(command=pm.run_build + " && rm -rf node_modules", step="build")))
    reasons = (f"assets: {pm.run_build} (from {facts.build_script.source}) on {version_reason}; "
               "the runtime copies the built project from that stage", *(f"assets {r}" for r in pm.reasons))
    return phases.AssetBuild(stage=stage, workdir=APP, reasons=reasons,
                             warnings=(*facts.warnings, *warnings, *_lock_problems(facts, options)),
                             ignore=IGNORE)


STACK = StackDef(name="node", title="Node.js", detect=detector.detect, plan=plan, order=20, assets=asset_build,
                 manifests=("package.json",))

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

from ..detectors.errors import ALL_MEMBERS, InvalidInputError
from ..detectors import node_start
from ..detectors.facts import Candidate, Fact, Source
from ..detectors.node import NodeFacts
from . import (common, evidence, node_install, node_member, node_pm, node_runner, node_runtime, node_static, phases,
               runtime_stage, writable)
from . import models as m
from ..detectors import node as detector
from ..detectors import node_workspace
from .catalog import Runtime, RuntimeVersion, image
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


def _setup_instructions(pm: node_pm.PackageManager, facts: NodeFacts, inst: node_install.Install,
                        toolchain: tuple[m.Run, ...]) -> list:
    # A workspace root that is an app of its own installs every member too: their manifests first.
    members = facts.members.value if facts.workspaces and facts.members else ()
    return node_member.prelude(pm, inst, toolchain, sorted({*facts.manifests, *inst.config}), members)


def _install(pm: node_pm.PackageManager, inst: node_install.Install, command: str) -> m.Run:
    return m.Run(command=command, mounts=(m.cache_mount(pm.cache, sharing=pm.cache_sharing), *inst.mounts), step="deps")


def _node_and_pm(facts: NodeFacts, options: Options, runtime: Runtime
                 ) -> tuple[str, str, list[str], RuntimeVersion, node_pm.PackageManager]:
    """(major, header reason, warnings, catalog entry, package manager): the Node version the project
    asks for, or the option, and the package manager for it."""
    with options.blame("versions.node"):
        major, reason, warnings = node_runtime.resolve(facts.node_versions, options.fact("versions.node"), runtime,
                                                        options.strict)
    version = runtime.versions[major]
    return major, reason, list(warnings), version, node_pm.choose(facts, options, runtime, version)


def _refuse_root(facts: NodeFacts) -> None:
    """A workspace root with no app of its own (a start script there runs a member's): one member at a time."""
    if not facts.workspaces or facts.members is None or facts.own_app() or (
            facts.start_kind is not None and facts.start_kind.value == "node"):
        return
    listed, src = facts.deployable, facts.members.source
    found = (f"; the members that start a server: {', '.join(listed)}" if listed else
             f"; none of its members ({', '.join(facts.members.value[:6])}{' …' if len(facts.members.value) > 6 else ''})"
             " starts a server dockgen can see")
    if facts.build_only:
        verbs = "builds files and starts" if len(facts.build_only) == 1 else "build files and start"
        found += (f"; {', '.join(facts.build_only[:6])} only {verbs} no server: a static frontend, served by "
                  "dockgen's nginx runner when dockgen can tell where its build writes")
    first = (*listed, *facts.build_only)
    raise InvalidInputError(f"is a workspace root ({src.field} lists the members); dockgen builds one member at a "
                            f"time{found}", file=src.file or "package.json",
                            hint=(f"run `dockgen init {first[0]}` (from here or inside the member)" if first
                                  else "run `dockgen init <member>` for the member that runs a server") + ALL_MEMBERS)


def plan(facts: NodeFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    _refuse_root(facts)
    if (site := node_static.site(facts, options)) is not None:
        return node_static.plan(facts, options, runtime, site, asset_build(facts, options, runtime, stage="build"))
    major, version_reason, warnings, version, pm = _node_and_pm(facts, options, runtime)
    warnings = [*facts.warnings, *warnings, *_lock_problems(facts, options)]
    ent = node_runner.entry(facts, options)
    runner = node_runner.choose(options, ent, version)
    # Native addons are built against the runner's libc: musl for alpine, glibc otherwise.
    builder = image(version.alpine) if runner.runner == "alpine" and version.alpine else image(version.builder)
    node_runner.env_file_check(facts, options)
    port = evidence.choose("port", "port", facts.app.port or _framework_port(ent), options, assumed=Candidate(
        value=node_start.DEFAULT_PORT, evidence=Source.default("the Node.js convention: PORT, 3000"),
        confidence="assumed"))
    warnings += [port.warning] if port.warning else []
    inst = node_install.plan_install(facts, pm, runtime, builder, bundled=ent.next_standalone)
    warnings += inst.warnings
    if facts.workspace is not None:
        return _plan_member(facts, options, (version_reason, runner, major, builder, port, warnings), ent, pm, inst)
    out = _build_output(facts, ent, pm, inst)
    deps = deps_phase(facts, pm, inst)
    build = build_phase(facts, pm, ent, builder, deps, out, inst)
    rt = runtime_phase(facts, options, ent, runner, major, out, port, inst)
    header = [version_reason, *deps.reasons, *build.reasons, ent.reason, runner.reason,
              f"builder {builder.tagged}: musl like the runner, so native addons match"
              if runner.runner == "alpine" else "", *rt.reasons, *writable.header(facts.app, writable.dirs(facts.app))]
    ignore = common.ignore_patterns((*_ignore(ent, out.has_build), *inst.ignore,
                                     *writable.ignore(writable.dirs(facts.app))), options.ignore)
    return phases.assemble("node", header, build, rt, ignore=ignore, warnings=warnings, secrets=inst.secrets)


def _plan_member(facts: NodeFacts, options: Options, chosen: tuple, ent: node_runner.Entry,
                 pm: node_pm.PackageManager, inst: node_install.Install) -> m.BuildPlan:
    """A workspace member (see ``node_member``): built from the root, installs limited to what it uses."""
    version_reason, runner, major, builder, port, warnings = chosen
    if ent.next and facts.build_script is None:
        raise InvalidInputError("Next.js project without a build script", file=f"{node_member.member_dir(facts)}/package.json",
                                hint='add "build": "next build" to scripts')
    cmd = node_member.commands(facts, pm)
    found = writable.dirs(facts.app)
    # Next.js' standalone server bundles the node_modules it needs: no production-deps stage.
    stages = [] if ent.next_standalone else [m.Stage(
        name="deps", image=builder, comment="Production dependencies of the member and the workspace packages it "
        "uses: cached until a manifest or the lockfile changes",
        instructions=(*node_member.deps_steps(facts, pm, inst, cmd), *writable.mkdir_step(found)))]
    if cmd.builds:
        stages.append(m.Stage(name="build", image=builder, comment="Build: the workspace dependencies' builds first, "
                              "then the member's", instructions=(*node_member.build_steps(
                                  facts, pm, inst, cmd, NEXT_CACHE if ent.next_start else ""),
                                  *(writable.mkdir_step(found) if ent.next_standalone else ()))))
    out = BuildOutput(bool(cmd.builds), None, cmd.builds or None)
    rt = runtime_phase(facts, options, ent, runner, major, out, port, inst)
    prune = ([f"{inst.reasons[0]}: not done for workspace members; the install runs the dependencies' scripts as "
              "they are"] if inst.prune else [])
    header = [version_reason, *pm.reasons, *cmd.reasons, *inst.reasons[1 if inst.prune else 0:],
              f"build: {cmd.builds}" if cmd.builds else "", ent.reason, runner.reason, *rt.reasons,
              *writable.header(facts.app, found)]
    ignore = common.ignore_patterns((*node_member.ignore((*_ignore(ent, out.has_build), *inst.ignore)),
                                     *writable.ignore(found)), options.ignore)
    return phases.assemble("node", header, phases.BuildPhase(stages=tuple(stages)), rt, ignore=ignore,
                           warnings=[*warnings, *prune], secrets=inst.secrets, context=node_member.context(facts))


def _framework_port(ent: node_runner.Entry) -> tuple[Candidate[int], ...]:
    """The framework's own default when the app states none: Next.js serves on 3000."""
    if not ent.next:
        return ()
    return (Candidate(value=3000, evidence=Source.default("Next.js' default port"), confidence="derived"),)


#: Build programs that only compile TypeScript into its outDir or clean it: a build of only these
#: leaves everything the runner needs in that folder.
TS_ONLY = ("tsc", "nest", "tsc-alias", "rimraf", "rm", "del-cli", "shx")


@dataclass(frozen=True)
class BuildOutput:
    """Whether there is a build step, and the folder it writes when the runner needs only that."""

    has_build: bool
    out_dir: Fact[str] | None
    #: The build step: ``scripts.build``, or what a build-then-run ``scripts.start`` builds with.
    command: str | None = None
    reason: str = ""


def _build_output(facts: NodeFacts, ent: node_runner.Entry, pm: node_pm.PackageManager,
                  inst: node_install.Install) -> BuildOutput:
    docker = facts.install.docker_build
    command = f"{pm.name} run {docker.value}" if docker else node_runner.build_command(facts, pm.run_build, pm.name)
    has_build = command is not None or ent.next or inst.sources_first
    if ent.next and facts.build_script is None:
        raise InvalidInputError("Next.js project without a build script", file="package.json",
                                hint='add "build": "next build" to scripts')
    out_dir = None
    tools = facts.install.build_tools
    if has_build and not ent.next_standalone and ent.script:
        # Nx's outputPath first (its own build target); the TypeScript outDir of an Nx workspace is only
        # for type checks, and it holds everything only when the build just compiles TypeScript.
        if facts.build_out_dir is not None and ent.script.startswith(facts.build_out_dir.value + "/"):
            out_dir = facts.build_out_dir
        elif facts.ts_out_dir and ent.script.startswith(facts.ts_out_dir.value + "/") \
                and all(t in TS_ONLY for t in tools):
            out_dir = facts.ts_out_dir
    return BuildOutput(has_build, out_dir, command or (pm.run_build if ent.next else None),
                       _build_reason(facts, command or pm.run_build))


def _build_reason(facts: NodeFacts, command: str) -> str:
    docker = facts.install.docker_build
    declared = docker or facts.start_build or facts.build_script
    if declared is None:
        return "build: next build"
    why = (": the project's build for container images, preferred over scripts.build"
           if docker is not None and facts.build_script is not None else "")
    top = docker.value if docker else "build"
    parts = [p for p in facts.install.build_parts if p not in (top, f"pre{top}", f"post{top}")]
    runs = f"; it runs {', '.join(parts[:6])}{' …' if len(parts) > 6 else ''}" if parts and declared != facts.start_build else ""
    return f"build: {command} (from {declared.source}{why}){runs}"


def deps_phase(facts: NodeFacts, pm: node_pm.PackageManager, inst: node_install.Install) -> phases.DepsPhase:
    """Production dependencies only (the runner copies this node_modules); none with full install + prune."""
    reasons = (*pm.reasons, *inst.reasons)
    if inst.prune:
        return phases.DepsPhase(steps=(), reasons=reasons)
    # The empty directories the runner copies owned by the app user are made here too.
    return phases.DepsPhase(steps=(*_setup_instructions(pm, facts, inst, inst.toolchain_deps),
                                   _install(pm, inst, inst.prod_command),
                                   *writable.mkdir_step(writable.dirs(facts.app))), reasons=reasons)


def _staging(ent: node_runner.Entry, inst: node_install.Install) -> str:
    """The stage that makes the writable directories: deps, or build when there is no deps stage."""
    return "build" if ent.next_standalone or inst.prune else "deps"


def build_phase(facts: NodeFacts, pm: node_pm.PackageManager, ent: node_runner.Entry, builder: m.ImageRef,
                deps: phases.DepsPhase, out: BuildOutput, inst: node_install.Install) -> phases.BuildPhase:
    stages: list[m.Stage] = []
    # Next.js' standalone server bundles the node_modules it needs: no production-deps stage.
    if not ent.next_standalone and deps.steps:
        stages.append(m.Stage(name="deps", image=builder,
                              comment="Production dependencies only: cached until a manifest or the lockfile changes",
                              instructions=deps.steps))
    if not out.has_build and not inst.prune:
        return phases.BuildPhase(stages=tuple(stages))
    # The same first steps as `deps`: BuildKit shares them (one package-manager setup, one COPY).
    steps = [*_setup_instructions(pm, facts, inst, inst.toolchain_build), *inst.inputs]
    if inst.sources_first:
        steps.append(m.Copy(sources=(".",), dest="."))
    # Without a build step the prune joins the install: one layer.
    prune_now = inst.prune_command and not out.command
    steps.append(_install(pm, inst, pm.install_all + (f" && {inst.prune_command}" if prune_now and not inst.generate
                                                      else "")))
    if inst.generate:
        steps.append(m.Run(command=inst.generate + (f" && {inst.prune_command}" if prune_now else ""), step="build"))
    if ent.next:
        steps.append(m.Env(pairs=(("NEXT_TELEMETRY_DISABLED", "1"),)))
    if out.command:
        if not inst.sources_first:
            steps.append(m.Copy(sources=(".",), dest="."))
        # Without prune the runner copies the whole built project minus the dev dependencies (deps has
        # the production ones).
        # next start: without the build cache either (the runner gets an empty one it may write).
        drop = not inst.prune and out.out_dir is None and not ent.next_standalone
        rm = " && rm -rf node_modules" + (f" .next/cache && mkdir -p {NEXT_CACHE}" if ent.next_start else "")
        steps.append(m.Run(command=out.command + (rm if drop else ""), step="build"))
    if inst.prune_command and out.command and not ent.next_standalone:
        # npm prune re-reads the settings (legacy-peer-deps): the secret .npmrc too.
        steps.append(m.Run(command=inst.prune_command, mounts=inst.mounts, step="build"))
    if _staging(ent, inst) == "build":
        steps += writable.mkdir_step(writable.dirs(facts.app))
    comment = ("Build: all dependencies (dev included) and the sources" if not inst.prune else
               "Build: all dependencies with their install scripts, the build, then the dev dependencies pruned")
    stages.append(m.Stage(name="build", image=builder, comment=comment, instructions=tuple(steps)))
    return phases.BuildPhase(stages=tuple(stages), reasons=(out.reason,) if out.has_build and out.command else ())


def runtime_phase(facts: NodeFacts, options: Options, ent: node_runner.Entry, runner: RunnerSpec, major: str,
                  out: BuildOutput, chosen: evidence.Chosen[int], inst: node_install.Install) -> RuntimeStage:
    port = chosen.fact
    # The app's own port and bind-all variables, after PORT.
    extra_env, env_reasons = node_runner.server_env(facts, port.value)
    env = [("NODE_ENV", "production"), ("PORT", str(port.value)), *extra_env]
    if ent.next_standalone:
        env += [("HOSTNAME", "0.0.0.0")]
    if ent.next:
        env += [("NEXT_TELEMETRY_DISABLED", "1")]
    if facts.workspace is None:
        copies, files_reason = _runner_files(facts, ent, runner.uid, out, inst.prune)
        workdir, staging = APP, _staging(ent, inst)
    elif ent.next_standalone:
        copies, files_reason = node_member.standalone_files(facts, runner.uid)
        workdir, staging = f"{APP}/{node_member.member_dir(facts)}", "build"
    else:
        copies, files_reason = node_member.runner_files(facts, out.has_build, NEXT_CACHE if ent.next_start else "",
                                                        runner.uid)
        workdir, staging = f"{APP}/{node_member.member_dir(facts)}", "deps"
    found = writable.dirs(facts.app)
    path = common.healthcheck_path(options.healthcheck)
    node = node_runner.node_binary(runner.runner)
    health = (Probe(check=m.Healthcheck(argv=common.http_probe_node(node, port.value, path)), by=node,
                    port=port.value, path=path, note="no curl needed")
              if path is not None else runtime_stage.disabled(options))
    entrypoint, cmd = node_runner.start(runner.runner, ent)
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=runner.image)
    return RuntimeStage(runner=runner, summary=f"node {major} only, NODE_ENV=production",
                        files=(*writable.before_workdir(facts.app, found, staging, runner.uid, workdir),
                               m.Workdir(path=workdir), m.Env(pairs=tuple(env)), *copies,
                               *writable.runner_steps(facts.app, found, staging, runner.uid, workdir)), labels=labels,
                        labels_first=True, port=port, port_assumed=chosen.confidence == "assumed", health=health,
                        entrypoint=entrypoint, cmd=cmd, reasons=(files_reason, *env_reasons))


def _runner_files(facts: NodeFacts, ent: node_runner.Entry, uid: int, out: BuildOutput,
                  pruned: bool) -> tuple[list, str]:
    """(the runner's COPY instructions, the header line saying what they bring)."""
    if ent.next_standalone:
        owner = f"{uid}:{uid}"
        copies = [m.Copy(from_stage="build", sources=(f"{APP}/.next/standalone",), dest="./", chown=owner),
                  m.Copy(from_stage="build", sources=(f"{APP}/.next/static",), dest="./.next/static", chown=owner)]
        if facts.public_dir:
            copies.append(m.Copy(from_stage="build", sources=(f"{APP}/public",), dest="./public"))
        return copies, ("runner files: Next.js standalone server (it bundles its own node_modules), .next/static"
                        + (" and public/" if facts.public_dir else "") + f"; owned by {uid} so .next/cache is writable")
    # Full install + prune: the build stage's node_modules, with what the install scripts did to it.
    # No production dependencies: npm creates no node_modules, and there is nothing to copy.
    node_modules = [m.Copy(from_stage="build" if pruned else "deps", sources=(f"{APP}/node_modules",),
                           dest="./node_modules")] if facts.production_dependencies or pruned else []
    what = ("the pruned node_modules of the build stage" if pruned else "production node_modules"
            if facts.production_dependencies else "no node_modules (no production dependencies)")
    gen = _generated(facts, out)
    if out.out_dir is not None:
        d = out.out_dir
        return [*node_modules, m.Copy(from_stage="build", sources=(f"{APP}/package.json",), dest="./"),
                m.Copy(from_stage="build", sources=(f"{APP}/{d.value}",), dest=f"./{d.value}"), *gen[0]], (
            f"runner files: {what}, package.json and {d.value}/ (from {d.source}){gen[1]}; sources and "
            "dev dependencies stay in the build stage")
    if ent.next_start:
        cache = m.Copy(from_stage="build", sources=(NEXT_CACHE,), dest="./.next/cache", chown=f"{uid}:{uid}")
        return [*([] if pruned else node_modules), m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./"),
                cache], (f"runner files: {what} and the built project (.next included); root-owned, except "
                         f".next/cache, owned by {uid} for next start's image cache")
    if out.has_build and pruned:
        return [m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./")], (
            "runner files: the built project with its pruned node_modules (its build output directory is not "
            "known, so the whole project)")
    if out.has_build:
        return [*node_modules, m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./")], (
            f"runner files: {what} and the built project (its build output directory is not "
            "known, so the whole project minus node_modules)")
    return [*node_modules, m.Copy(sources=(".",), dest="."), *gen[0]], (
        f"runner files: {what} and the sources (.dockerignore keeps the rest out){gen[1]}; root-owned, "
        "so read-only for the app")


def _generated(facts: NodeFacts, out: BuildOutput) -> tuple[list, str]:
    """The Prisma client generated into the project tree (not node_modules), when the runner would miss it."""
    gen = facts.install.prisma_output
    if gen is None or (out.out_dir is not None and gen.value.startswith(out.out_dir.value + "/")):
        return [], ""
    return ([m.Copy(from_stage="build", sources=(f"{APP}/{gen.value}",), dest=f"./{gen.value}")],
            f", the generated Prisma client {gen.value}/ (from {gen.source})")


def _ignore(ent: node_runner.Entry, has_build: bool) -> tuple[str, ...]:
    """IGNORE, minus a build-output directory that holds the entry file of a project without a build
    step (a committed ``dist/``): the runner copies it from the context."""
    if has_build or not ent.script or "/" not in ent.script:
        return IGNORE
    top = ent.script.split("/", 1)[0]
    return tuple(p for p in IGNORE if p != top)


def _in_folder(stage: m.Stage, folder: str) -> m.Stage:
    """The assets stage of a frontend in ``folder``: it works in that folder of the project's tree and
    copies its files from there (``ui/package.json``, ``ui`` for the sources)."""
    def moved(ins):
        if isinstance(ins, m.Workdir):
            return ins.model_copy(update={"path": f"{APP}/{folder}"})
        if isinstance(ins, m.Copy) and ins.from_stage is None:
            srcs = tuple(folder if s == "." else f"{folder}/{s}" for s in ins.sources)
            return ins.model_copy(update={"sources": srcs})
        return ins
    return stage.model_copy(update={"instructions": tuple(moved(i) for i in stage.instructions)})


#: Test tools whose install script downloads a browser that a frontend build never runs (about 150 MB
#: each, from hosts other than the npm registry): the assets stage skips those downloads.
BROWSER_DOWNLOADS = {"puppeteer": ("PUPPETEER_SKIP_DOWNLOAD", "1"), "cypress": ("CYPRESS_INSTALL_BINARY", "0"),
                     "playwright": ("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
                     "@playwright/test": ("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")}


def _skip_browsers(facts: NodeFacts, stage: m.Stage, label: str) -> tuple[m.Stage, tuple[str, ...]]:
    """The assets stage with the browser downloads of test tools turned off, and the header line."""
    found = {n: BROWSER_DOWNLOADS[n] for n in facts.install.declared if n in BROWSER_DOWNLOADS}
    if not found:
        return stage, ()
    env = m.Env(pairs=tuple(sorted(set(found.values()))))
    ins = stage.instructions
    at = next(i for i, x in enumerate(ins) if isinstance(x, m.Workdir)) + 1
    return (stage.model_copy(update={"instructions": (*ins[:at], env, *ins[at:])}),
            (f"{label}: {', '.join(found)} (package.json) would download a browser at install; a build never runs it: "
             + " ".join(f"{k}={v}" for k, v in sorted(set(found.values()))),))


def asset_build(facts: NodeFacts, options: Options, runtime: Runtime, *, folder: str = "",
                script: str = "build", stage: str = "assets") -> phases.AssetBuild:
    """The project's frontend build for another stack's runtime: all dependencies from the lockfile
    (with the same install rules as the Node stack's own build stage), the sources, ``<pm> run build``
    (or ``script``); the built tree (without node_modules) is what the runtime copies. A frontend in
    ``folder`` is built in that folder of ``/app`` (its output may land outside it). ``stage="build"``:
    the build of a static frontend that the nginx runner serves (``node_static``)."""
    _, version_reason, warnings, version, pm = _node_and_pm(facts, options, runtime)
    builder = image(version.builder)
    inst = node_install.plan_install(facts, pm, runtime, builder)
    assert facts.build_script is not None or folder  # a root package.json builds assets only with a build script
    run = pm.run_build if script == "build" else f"{pm.name} run {script}"
    member = node_member.commands(facts, pm, runner_deps=stage == "assets") if facts.workspace is not None else None
    steps = node_member.build_steps(facts, pm, inst, member) if member is not None else (
        *_setup_instructions(pm, facts, inst, inst.toolchain_build), *inst.inputs, _install(pm, inst, pm.install_all),
        m.Copy(sources=(".",), dest="."), m.Run(command=run + " && rm -rf node_modules", step="build"))
    static = stage != "assets"
    built = m.Stage(name=stage, image=builder, instructions=steps, comment=(
        "Build: all dependencies (dev included), the sources, the frontend build; the runner copies only its "
        "output folder" if static else "Assets: the frontend build (all dependencies and the sources); later "
        "stages copy the built " + (f"files of {folder}/ from here" if folder else "project from here")))
    where = f"{folder}/package.json scripts.{script}" if folder else str(facts.build_script.source)
    reasons = (f"{stage}: {member.builds if member else run} (from {where}) on {version_reason}" + (
               "" if static else "; the runtime copies the built " + ("files" if folder else "project")
               + " from that stage"), *(r if static else f"assets {r}" if not folder else f"assets ({folder}/) {r}"
                                        for r in (*pm.reasons, *(member.reasons if member else ()))))
    built, browsers = _skip_browsers(facts, built, stage)
    reasons = (*reasons, *browsers)
    ignore = (*IGNORE, *inst.ignore)
    if member is not None:  # a workspace member: built from its workspace root, paths already from there
        ignore = node_member.ignore(ignore)
    elif folder:
        built = _in_folder(built, folder)
        ignore = tuple(p if p.startswith(("**/", "#")) else f"{folder}/{p}" for p in ignore)
    return phases.AssetBuild(stage=built, workdir=APP, reasons=reasons, secrets=inst.secrets,
                             warnings=(*facts.warnings, *warnings, *inst.warnings, *_lock_problems(facts, options)),
                             ignore=ignore)


STACK = StackDef(name="node", title="Node.js", detect=detector.detect, plan=plan, order=20, assets=asset_build,
                 manifests=("package.json",), workspace_root=node_workspace.workspace_root,
                 workspace_members=node_workspace.workspace_members,
                 runner_init=node_static.compose_init,
                 compose_init=(True, "node as PID 1 reaps no orphaned children and ignores SIGTERM unless the app "
                                     "handles it"))

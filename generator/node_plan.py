"""Node.js planner: NodeFacts + Options → BuildPlan.

Stages
  - ``deps``: production dependencies only (``npm ci --omit=dev`` and the like), cache-mounted;
  - ``build`` (``scripts.build`` or Next.js): all dependencies, the sources, ``<pm> run build``;
  - the runner: production ``node_modules`` + the app (sources, or only the build output when it is
    known: the TypeScript outDir, Next.js' standalone server), ``NODE_ENV=production``, a numeric
    non-root user, exec-form start, EXPOSE and a node-based HEALTHCHECK (works in distroless).
Helpers: ``node_runtime`` (version), ``node_pm`` (package managers), ``node_runner`` (start, runner).
"""

from __future__ import annotations

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from ..detectors.node import NodeFacts
from . import common
from . import models as m
from . import node_pm, node_runner, node_runtime
from ..detectors import node as detector
from .catalog import Runtime, image
from .options import Options
from .stackdef import StackDef

APP = "/app"
IGNORE = ("node_modules", "**/node_modules", "npm-debug.log*", "yarn-debug.log*", "yarn-error.log*",
          ".pnpm-debug.log*", ".npm", ".yarn/cache", ".yarn/install-state.gz", ".pnpm-store", ".next",
          "dist", "build", "out", "coverage", ".nyc_output", ".turbo", ".cache", ".eslintcache",
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
    rs = node_runner.choose(options, ent, version)
    # Native addons are built against the runner's libc: musl for alpine, glibc otherwise.
    builder = image(version.alpine) if rs.runner == "alpine" and version.alpine else image(version.builder)
    port_fact: Fact[int] = options.fact("port") or facts.port
    port = port_fact.value
    probe_path = common.healthcheck_path(options.healthcheck)

    has_build = facts.build_script is not None or ent.next_standalone
    if ent.next_standalone and facts.build_script is None:
        raise InvalidInputError("Next.js project without a build script", file="package.json",
                                hint='add "build": "next build" to scripts')
    out_dir = None
    if has_build and not ent.next_standalone and facts.ts_out_dir and ent.script \
            and ent.script.startswith(facts.ts_out_dir.value + "/"):
        out_dir = facts.ts_out_dir

    stages: list[m.Stage] = []
    reasons: list[str] = [version_reason, *pm.reasons]
    setup = _setup_instructions(pm, facts)
    if not ent.next_standalone:
        stages.append(m.Stage(name="deps", image=builder,
                              comment="Production dependencies only: cached until a manifest or the lockfile changes",
                              instructions=(*setup, node_pm.install_run(pm, pm.install_prod))))
    if has_build:
        build_cmd = pm.run_build
        keep_all = out_dir is None and not ent.next_standalone
        if keep_all:
            build_cmd += " && rm -rf node_modules"
        build_env = [m.Env(pairs=(("NEXT_TELEMETRY_DISABLED", "1"),))] if ent.next_standalone else []
        # The same first steps as `deps`: BuildKit shares them (one package-manager setup, one COPY).
        stages.append(m.Stage(name="build", image=builder,
                              comment="Build: all dependencies (dev included) and the sources",
                              instructions=(*setup, node_pm.install_run(pm, pm.install_all), *build_env,
                                            m.Copy(sources=(".",), dest="."), m.Run(command=build_cmd, step="build"))))
        reasons.append(f"build: {pm.run_build} (from {facts.build_script.source})" if facts.build_script
                       else "build: next build")

    ins: list = []
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=rs.image)
    if labels is not None:
        ins.append(labels)
    ins.append(m.Workdir(path=APP))
    env = [("NODE_ENV", "production"), ("PORT", str(port))]
    if ent.next_standalone:
        env += [("HOSTNAME", "0.0.0.0"), ("NEXT_TELEMETRY_DISABLED", "1")]
    ins.append(m.Env(pairs=tuple(env)))
    owner = f"{rs.uid}:{rs.uid}"
    if ent.next_standalone:
        ins += [m.Copy(from_stage="build", sources=(f"{APP}/.next/standalone",), dest="./", chown=owner),
                m.Copy(from_stage="build", sources=(f"{APP}/.next/static",), dest="./.next/static", chown=owner)]
        if facts.public_dir:
            ins.append(m.Copy(from_stage="build", sources=(f"{APP}/public",), dest="./public"))
        files_reason = ("runner files: Next.js standalone server (it bundles its own node_modules), .next/static"
                       + (" and public/" if facts.public_dir else "") + f"; owned by {rs.uid} so .next/cache is writable")
    else:
        ins.append(m.Copy(from_stage="deps", sources=(f"{APP}/node_modules",), dest="./node_modules"))
        if out_dir is not None:
            ins += [m.Copy(from_stage="build", sources=(f"{APP}/package.json",), dest="./"),
                    m.Copy(from_stage="build", sources=(f"{APP}/{out_dir.value}",), dest=f"./{out_dir.value}")]
            files_reason = (f"runner files: production node_modules, package.json and {out_dir.value}/ "
                            f"(from {out_dir.source}); sources and dev dependencies stay in the build stage")
        elif has_build:
            ins.append(m.Copy(from_stage="build", sources=(f"{APP}/",), dest="./"))
            files_reason = ("runner files: production node_modules and the built project (its build output "
                            "directory is not known, so the whole project minus node_modules)")
        else:
            ins.append(m.Copy(sources=(".",), dest="."))
            files_reason = ("runner files: production node_modules and the sources (.dockerignore keeps the rest "
                            "out); root-owned, so read-only for the app")
    ins.append(m.User(uid=rs.uid, gid=rs.uid))
    ins.append(m.Expose(port=port))
    if probe_path is not None:
        ins.append(m.Healthcheck(argv=common.http_probe_node(rs.node, port, probe_path)))
    else:
        ins.append(m.Comment(text="No HEALTHCHECK: disabled with --healthcheck ''"))
    ins += node_runner.start_instructions(rs, ent)
    stages.append(m.Stage(name=None, image=rs.image,
                          comment=f"Runtime: node {major} only, as user {rs.uid}, NODE_ENV=production",
                          instructions=tuple(ins)))

    reasons += [
        ent.reason,
        rs.reason,
        f"builder {builder.tagged}: musl like the runner, so native addons match" if rs.runner == "alpine" else "",
        files_reason,
        f"port {port} (from {port_fact.source}); PORT is set to it",
        (f"health check: {rs.node} requests http://127.0.0.1:{port}{probe_path} (no curl needed)"
         if probe_path is not None else ""),
    ]
    return m.BuildPlan(
        ecosystem="node",
        runner=rs.runner,
        reasons=common.header(*reasons),
        stages=tuple(stages),
        ignore=common.ignore_patterns(_ignore(ent, has_build), options.ignore),
        port=port,
        user=rs.uid,
        warnings=tuple(warnings),
    )


def _ignore(ent: node_runner.Entry, has_build: bool) -> tuple[str, ...]:
    """IGNORE, minus a build-output directory that holds the entry file of a project without a build
    step (a committed ``dist/``): the runner copies it from the context."""
    if has_build or not ent.script or "/" not in ent.script:
        return IGNORE
    top = ent.script.split("/", 1)[0]
    return tuple(p for p in IGNORE if p != top)


STACK = StackDef(name="node", title="Node.js", detect=detector.detect, plan=plan, order=20,
                 manifests=("package.json",))

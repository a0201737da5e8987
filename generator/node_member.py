"""Node: a member of an npm, yarn or pnpm workspace, built from the workspace root.

The build context is the root (its lockfile is the only one). Every member's package.json is copied
with the root's manifests, since each package manager checks the root lockfile against all of them;
the install is then limited to the member and the workspace packages it depends on:

- npm: ``npm ci --workspace <dir>`` (``--include-workspace-root`` in the build when the root's own
  package.json declares dependencies: monorepos keep their build tools there);
- pnpm: ``pnpm install --frozen-lockfile --filter <name>...`` (the member and its dependencies);
- yarn berry: ``yarn workspaces focus <names>`` (``--production`` for the runner);
- yarn classic (1.x) and bun have no focus: the whole workspace is installed from the lockfile
  (``--production`` for the runner), which is correct but larger; the header says so.

The build runs the workspace dependencies' build scripts first (dependencies first), then the
member's. The runner carries the hoisted root ``node_modules``, the member's and its runtime
workspace dependencies' own ``node_modules`` and their directories, and starts in the member.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.node import NodeFacts
from ..detectors.node_workspace import NodeWorkspace, WorkspacePackage
from . import common
from . import models as m
from .node_install import Install
from .node_pm import PackageManager

APP = "/app"


@dataclass(frozen=True)
class Commands:
    #: The build stage's install (dev dependencies included), the deps stage's production install.
    build_install: str
    prod_install: str
    #: The build scripts, dependencies first ("" when none has one).
    builds: str
    reasons: tuple[str, ...]


def _ws(facts: NodeFacts) -> NodeWorkspace:
    assert facts.workspace is not None  # only called for members
    return facts.workspace


def member_dir(facts: NodeFacts) -> str:
    return _ws(facts).member.value.dir


def _me(facts: NodeFacts) -> WorkspacePackage:
    me = _ws(facts).member.value
    return me.model_copy(update={"build": facts.build_script is not None})


def _builds(facts: NodeFacts, pm: PackageManager) -> str:
    ws = _ws(facts)
    run = {"npm": "npm run build --workspace {dir}", "pnpm": "pnpm --filter {name} run build",
           "yarn": "yarn workspace {name} run build", "bun": "bun run --filter {name} build"}[pm.name]
    return " && ".join(run.format(dir=p.dir, name=p.name) for p in (*ws.build_deps, _me(facts)) if p.build)


def commands(facts: NodeFacts, pm: PackageManager, *, runner_deps: bool = True) -> Commands:
    """``runner_deps``: the runner gets production dependencies (not for a static frontend's nginx)."""
    ws, me = _ws(facts), _me(facts)
    names = [me.name, *(p.name for p in ws.build_deps)]
    berry = facts.yarn_flavor is not None and facts.yarn_flavor.value == "berry"
    root = "; the build installs the root's own dependencies too (its package.json declares some)" if ws.root_deps else ""
    if pm.name == "npm":
        build = pm.install_all + "".join(f" --workspace {d}" for d in (me.dir, *(p.dir for p in ws.build_deps)))
        prod = f"{pm.install_prod} --workspace {me.dir}"
        why = f"npm ci limited to the workspace {me.dir} and the members it uses{root}"
        build += " --include-workspace-root" if ws.root_deps else ""
    elif pm.name == "pnpm":
        build = f"{pm.install_all} --filter {me.name}..." + (" --filter ." if ws.root_deps else "")
        prod = f"{pm.install_all} --prod --filter {me.name}..."
        why = f"pnpm --filter {me.name}... installs the member and the workspace packages it depends on{root}"
    elif pm.name == "yarn" and berry:
        focus_root = ws.root_deps and ws.root_name is not None
        build = "yarn workspaces focus " + " ".join([*names, *([ws.root_name] if focus_root else [])])
        # focus does not check the lockfile (it resolves what package.json says, even with
        # enableImmutableInstalls): the deps stage's `install --immutable` fails on a stale yarn.lock first.
        prod = f"yarn install --immutable --mode=skip-build && yarn workspaces focus --production {me.name}"
        why = (f"yarn workspaces focus installs only {me.name} and its workspace dependencies (the deps stage "
               "checks yarn.lock with install --immutable first: focus alone does not)"
               + (f"; the build focuses the root ({ws.root_name}) too: its package.json declares dependencies"
                  if focus_root else "; the root's dependencies are not installed (its package.json has no name "
                                     "for yarn to focus)" if ws.root_deps else ""))
    else:
        build, prod = pm.install_all, pm.install_prod
        why = (f"{'yarn 1.x' if pm.name == 'yarn' else pm.name} has no workspace focus: the whole workspace is "
               "installed from the lockfile" + (" (the runner gets every member's production dependencies)"
                                                 if runner_deps else ""))
    return Commands(build, prod, _builds(facts, pm), (f"workspace member {me.dir} (from {ws.member.source}): "
                                                       f"built from the workspace root; {why}",))


def prelude(pm: PackageManager, inst: Install, toolchain: tuple[m.Run, ...], root_files: list[str],
            member_dirs: tuple[str, ...]) -> list:
    """WORKDIR, ENV, the toolchain, the package manager, the root's files, then each member's
    package.json (a workspace's install needs them all)."""
    ins: list = [m.Workdir(path=APP)]
    env = (*pm.env, *inst.env)
    if env:
        ins.append(m.Env(pairs=env))
    ins += toolchain
    if pm.setup:
        ins.append(m.Run(command=pm.setup, step="setup"))
    ins.append(m.Copy(sources=tuple(root_files), dest="./"))
    return ins + [m.Copy(sources=(f"{d}/package.json",), dest=f"{d}/") for d in member_dirs]


def setup(pm: PackageManager, facts: NodeFacts, inst: Install, toolchain: tuple[m.Run, ...]) -> list:
    """The prelude of a member's stage: the root's manifests and every member's package.json."""
    members = {f"{d}/package.json" for d in _ws(facts).all_dirs}
    return prelude(pm, inst, toolchain, sorted({*facts.manifests, *inst.config} - members), _ws(facts).all_dirs)


def runs_with(facts: NodeFacts) -> tuple[str, ...]:
    """The member and the workspace packages it runs with (their directories, dependencies first)."""
    return (*(p.dir for p in _ws(facts).run_deps), member_dir(facts))


def deps_steps(facts: NodeFacts, pm: PackageManager, inst: Install, cmd: Commands) -> tuple:
    # Every node_modules the runner copies exists, even when the package manager made none there.
    made = " ".join(["node_modules", *(f"{d}/node_modules" for d in runs_with(facts))])
    return (*setup(pm, facts, inst, inst.toolchain_deps),
            m.Run(command=f"{cmd.prod_install} && mkdir -p {made}", mounts=(m.cache_mount(pm.cache, sharing=pm.cache_sharing), *inst.mounts),
                  step="deps"))


def build_steps(facts: NodeFacts, pm: PackageManager, inst: Install, cmd: Commands, next_cache: str = "") -> tuple:
    """``next_cache``: next start's writable cache folder, made empty here (the build's own stays out)."""
    # The whole context after the install: a member's build reads the root's configs (tsconfig.base.json).
    drop = " ".join(["node_modules", *(f"{d}/node_modules" for d in runs_with(facts))])
    if next_cache:
        drop += f" {member_dir(facts)}/.next/cache && mkdir -p {next_cache}"
    return (*setup(pm, facts, inst, inst.toolchain_build),
            m.Run(command=cmd.build_install, mounts=(m.cache_mount(pm.cache, sharing=pm.cache_sharing), *inst.mounts), step="deps"),
            m.Copy(sources=(".",), dest="."),
            m.Run(command=f"{cmd.builds} && rm -rf {drop}", step="build"))


def runner_files(facts: NodeFacts, built: bool, next_cache: str = "", uid: int = 0) -> tuple[list, str]:
    """(COPY instructions, header line): the production node_modules, then the member's directories
    (and next start's empty cache folder owned by the app user)."""
    dirs = runs_with(facts)
    copies: list = [m.Copy(from_stage="deps", sources=(f"{APP}/node_modules",), dest=f"{APP}/node_modules")]
    copies += [m.Copy(from_stage="deps", sources=(f"{APP}/{d}/node_modules",), dest=f"{APP}/{d}/node_modules")
               for d in dirs]
    if built:
        copies += [m.Copy(from_stage="build", sources=(f"{APP}/{d}",), dest=f"{APP}/{d}") for d in dirs]
    else:
        copies += [m.Copy(sources=(d,), dest=f"{APP}/{d}") for d in dirs]
    if built and next_cache:
        copies.append(m.Copy(from_stage="build", sources=(next_cache,), dest=f"{APP}/{member_dir(facts)}/.next/cache",
                             chown=f"{uid}:{uid}"))
    what = "built " if built else ""
    return copies, (f"runner files: production node_modules (the root's hoisted ones and each member's own) and "
                    f"the {what}directories of {', '.join(dirs)}; the rest of the workspace stays out")


def standalone_files(facts: NodeFacts, uid: int) -> tuple[list, str]:
    """Next.js' standalone output of a member. Next traces from the workspace root (the lockfile's
    directory), so the output mirrors the workspace: ``<member>/server.js`` beside the root's
    traced ``node_modules``; ``.next/static`` and ``public/`` go into the member's folder of it."""
    me, owner = member_dir(facts), f"{uid}:{uid}"
    copies: list = [m.Copy(from_stage="build", sources=(f"{APP}/{me}/.next/standalone",), dest=f"{APP}", chown=owner),
                    m.Copy(from_stage="build", sources=(f"{APP}/{me}/.next/static",), dest=f"{APP}/{me}/.next/static",
                           chown=owner)]
    if facts.public_dir:
        copies.append(m.Copy(from_stage="build", sources=(f"{APP}/{me}/public",), dest=f"{APP}/{me}/public"))
    return copies, (f"runner files: Next.js standalone output traced from the workspace root ({me}/server.js with "
                    "the node_modules it needs), .next/static" + (" and public/" if facts.public_dir else "")
                    + f"; owned by {uid} so .next/cache is writable")


def context(facts: NodeFacts) -> m.BuildContext:
    return m.BuildContext.above(member_dir(facts), f"the {facts.package_manager.value} workspace root")


def ignore(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The stack's patterns, reaching into every member (the context is the workspace root); a
    re-inclusion (``!.npmrc``: the root's credential-free settings) names the root's file only."""
    reach = tuple(p if p.startswith(("**/", "!")) else f"**/{p}" for p in patterns)
    return (*dict.fromkeys(reach), "# dockgen's files, in every member", *(f"**/{p}" for p in common.MEMBER_IGNORE))

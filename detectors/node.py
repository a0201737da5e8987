"""Node.js detector: package.json, the lockfile, version files, the start command and frameworks.

Pure: every value carries its source; the planner (``generator/node_plan.py``) decides. Repo values
that can reach a Dockerfile pass ``safe`` allow-lists here. Helpers: ``node_lock`` (package manager,
lockfile sync), ``node_version`` (version requests and their precedence), ``node_start``.
"""

from __future__ import annotations

import posixpath

import dataclasses
from typing import Literal

from . import node_app, node_install, node_lock, node_outdir, node_scripts, node_start, node_version, node_workspace, safe
from .node_lock import PackageManager, YarnFlavor
from .node_start import Framework, StartKind
from .errors import DockgenError, InvalidInputError
from .facts import Fact, ProjectFacts, fact
from .parsing import load_json
from .repo import RepoView

PACKAGE_JSON = "package.json"


class NodeFacts(ProjectFacts):
    ecosystem: Literal["node"] = "node"
    name: Fact[str] | None = None
    version: Fact[str] | None = None
    description: Fact[str] | None = None
    license: Fact[str] | None = None
    #: The lockfile in use (None: no lockfile).
    lockfile: Fact[str] | None = None
    #: npm, yarn, pnpm or bun, from the lockfile or the packageManager field.
    package_manager: Fact[PackageManager]
    #: The version pinned by package.json ``packageManager`` (corepack), and its hash if given.
    package_manager_version: Fact[str] | None = None
    package_manager_hash: Fact[str] | None = None
    #: yarn only: "classic" (1.x) or "berry" (2+), and berry's nodeLinker.
    yarn_flavor: Fact[YarnFlavor] | None = None
    yarn_node_linker: Fact[str] | None = None
    #: Where the lockfile disagrees with package.json (``npm ci`` would fail on these).
    lockfile_problems: tuple[str, ...] = ()
    #: Node version requests in precedence order (see ``node_version``); the first one wins.
    node_versions: tuple[Fact[str], ...] = ()
    #: ``scripts.build`` exists (it runs in the build stage as ``<pm> run build``).
    build_script: Fact[bool] | None = None
    #: ``scripts.start``: "node", "shell" or "tool" (see ``node_start``), and its args after ``node``.
    start_kind: Fact[StartKind] | None = None
    start_args: Fact[tuple[str, ...]] | None = None
    #: package.json ``main``.
    main: Fact[str] | None = None
    #: Conventional entry files present in the root (server.js first: npm's default start).
    entry_files: tuple[str, ...] = ()
    #: Frameworks among the runtime dependencies, most specific first.
    frameworks: tuple[Fact[Framework], ...] = ()
    #: Next.js: whether next.config.* sets ``output: 'standalone'``.
    next_standalone: Fact[bool] | None = None
    #: A ``public/`` directory exists (Next.js serves it).
    public_dir: bool = False
    #: TypeScript's compilerOptions.outDir (the build output copied to the runner).
    ts_out_dir: Fact[str] | None = None
    port: Fact[int]
    #: A build step ``scripts.start`` runs before node (``("run", "build")``, ``("bin", "tsc")``): it runs
    #: at image build time instead, and only the runtime part starts the container.
    start_build: Fact[tuple[str, ...]] | None = None
    #: The development/reload server ``scripts.start`` runs (``nodemon``): never the container command.
    dev_start: Fact[str] | None = None
    #: ``scripts.start`` runs a tool or loads a package only a devDependency installs (``ts-node``,
    #: ``nest``, ``nx``): never the container's command, not even as ``npm start``.
    devdep_start: Fact[str] | None = None
    #: A dotenv file the start script loads (dropped: the image has no such file), and how it loads
    #: it (``--env-file=.env``, ``dotenv -e .env``, ``env-cmd -f .env``).
    env_file: Fact[str] | None = None
    env_loader: str = ""
    #: Nx: the build target's output folder (the runner copies only it), and why the built entry is
    #: unknown ("" when it is known).
    build_out_dir: Fact[str] | None = None
    nx_problem: str = ""
    #: package.json declares production dependencies (dependencies, optionalDependencies or
    #: peerDependencies). Without any, npm creates no node_modules and the runner copies none.
    production_dependencies: bool = True
    #: package.json ``workspaces`` or pnpm-workspace.yaml (monorepos): a root is not built as a whole.
    workspaces: bool = False
    #: At a workspace root: its members (source: the file listing them), and those that start a server.
    members: Fact[tuple[str, ...]] | None = None
    deployable: tuple[str, ...] = ()
    #: At a workspace root: the members that build files and start no server (frontends).
    build_only: tuple[str, ...] = ()
    #: A member built from its workspace root (the build context): see ``node_workspace``.
    workspace: node_workspace.NodeWorkspace | None = None
    #: What the install needs besides the manifests: lifecycle scripts and the files they read,
    #: dependencies with install scripts, package-manager settings, Prisma, the container build script.
    install: node_install.NodeInstall = node_install.NodeInstall()
    #: (script, folder it writes) for ``scripts.build`` and scripts with an output flag (``node_outdir``).
    build_outputs: tuple[Fact[tuple[str, str]], ...] = ()

    def _serves_without_start(self) -> bool:
        """What the Node planner can start besides ``scripts.start``: main, an entry file, NestJS or
        Next.js (a workspace root is never tooling or assets either)."""
        return self.own_app() or self.workspaces

    def own_app(self) -> bool:
        """main, an entry file, NestJS or Next.js: something to start without ``scripts.start``."""
        runs = any(f.value in ("nestjs", "nextjs") for f in self.frameworks)
        return bool(self.main or self.entry_files or runs)

    def tooling_reason(self) -> str | None:
        # Nothing to start and nothing to build: dependencies alone (linters, CSS tools) are dev tooling.
        if self.start_kind or self.build_script or self._serves_without_start():
            return None
        return "package.json is dev tooling only: no start script, main, entry file or build script"

    def asset_outputs(self) -> tuple[Fact[tuple[str, str]], ...]:
        return self.build_outputs

    def starts_app(self) -> bool:
        """A start script, an entry file or a server framework; ``main`` alone marks a library in a
        workspace (its siblings import it)."""
        starts = self.start_kind is not None and self.dev_start is None  # a dev server serves nothing here
        return bool(starts or self.entry_files or any(f.value in ("nestjs", "nextjs") for f in self.frameworks))

    def library_reason(self) -> str | None:
        if self.workspace is None or self.starts_app():
            return None
        if self.dev_start is not None:
            return f"package.json starts only a development server ({self.dev_start.value}), which dockgen never runs"
        return "package.json is a workspace library: no start script, entry file or server framework"

    def asset_problem(self) -> str | None:
        if self.lockfile is None:
            return "it has no lockfile, so the build would not be reproducible"
        return None

    def assets_reason(self) -> str | None:
        # A start script that runs a development server (ng serve, vite) serves nothing in production.
        starts = self.start_kind is not None and self.dev_start is None
        if self.build_script is None or starts or self._serves_without_start():
            return None
        return f"package.json builds files ({self.build_script.source}) and starts no server"

    def static_reason(self) -> str | None:
        """``assets_reason`` when the planner finds no start either (an Nx app whose start is ``nx serve``
        starts its build target's entry, and is refused naming it when that entry is unknown): a static
        frontend; else None."""
        return None if self.app.start or self.nx_problem or self.build_out_dir else self.assets_reason()

    def static_output(self) -> Fact[str] | None:
        # The folder ``scripts.build`` writes, when nothing else can be started: a static frontend.
        if self.static_reason() is None:
            return None
        out = next((b for b in self.build_outputs if b.value[0] == "build"), None)
        return None if out is None else fact(out.value[1], out.source)


def _exported(value: object) -> frozenset[str]:
    """Every file an ``exports`` field names (a path, a subpath map, conditions, fallback lists)."""
    if isinstance(value, str):
        return frozenset({posixpath.normpath(value)})
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return frozenset().union(*(_exported(v) for v in items))


def _scoped_name(value: object) -> str:
    if isinstance(value, str) and value.startswith("@") and value.count("/") == 1:
        scope, rest = value[1:].split("/")
        safe.name(scope, PACKAGE_JSON, "name", "npm scope")
        safe.name(rest, PACKAGE_JSON, "name", "npm package name")
        return value
    return safe.name(value, PACKAGE_JSON, "name", "npm package name")


def _opt(pkg: dict, key: str, check) -> Fact[str] | None:
    v = pkg.get(key)
    if v is None or v == "":
        return None
    return fact(check(v), PACKAGE_JSON, key)


def _entry_candidates(start_args: Fact[tuple[str, ...]] | None, main: Fact[str] | None,
                      frameworks: tuple[Fact[Framework], ...]) -> list[str]:
    out: list[str] = []
    if start_args:
        out.append(start_args.value[-1])
    if main:
        out.append(main.value)
    if any(f.value == "nestjs" for f in frameworks):
        out.append("src/main.ts")
    out += ["src/main.ts", "src/index.ts", "src/server.ts", "src/index.js", "src/server.js",
            *node_start.FALLBACK_ENTRIES]
    seen: list[str] = []
    for p in out:
        for cand in (p, p + ".js") if not p.endswith((".js", ".mjs", ".cjs", ".ts")) else (p,):
            if cand not in seen:
                seen.append(cand)
    return seen


def detect(repo: RepoView) -> NodeFacts | None:
    if not repo.is_file(PACKAGE_JSON):
        return None
    pkg = load_json(repo.read_text(PACKAGE_JSON), PACKAGE_JSON)
    if not isinstance(pkg, dict):
        raise InvalidInputError("is not a JSON object", file=PACKAGE_JSON, hint="package.json must be an object")
    warnings: list[str] = []

    ws = node_workspace.member_facts(repo)
    lock = node_lock.detect_lock(repo.context, _root_package(repo)) if ws else node_lock.detect_lock(repo, pkg)
    warnings += lock.warnings
    if ws is not None and lock.lockfile is not None:
        lock = dataclasses.replace(lock, problems=(*lock.problems, *node_lock.member_sync(
            repo.context, lock.lockfile.value, repo.member, node_lock.declared_deps(pkg))))
    if lock.lockfile is None:
        warnings.append("no lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock): installs "
                        "are not reproducible; commit one (e.g. run `npm install` and commit package-lock.json)")

    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    build_script = fact(True, PACKAGE_JSON, "scripts.build") if isinstance(scripts.get("build"), str) else None
    start_kind, start_args = node_start.start_facts(pkg)
    main = _opt(pkg, "main", lambda v: safe.rel_path(v, PACKAGE_JSON, "main"))
    frameworks = node_start.frameworks(pkg)
    # A workspace member's file that its `exports` or `main` names is what its siblings import (a
    # shared config package's index.js), not a program to start.
    exported = _exported([pkg.get("exports"), pkg.get("main")]) if repo.member else frozenset()
    entry_files = tuple(f for f in node_start.FALLBACK_ENTRIES
                        if f not in exported and repo.is_file(f) and node_scripts.dev_requires(repo, f, pkg) is None)
    candidates = _entry_candidates(start_args, main, frameworks)
    ts_out = node_start.ts_out_dir(repo)
    app = node_app.read_app(repo, pkg, main=main, ts_out_dir=ts_out, has_build_script=build_script is not None,
                            fastify=any(f.value == "fastify" for f in frameworks))
    warnings += app.warnings
    is_next = any(f.value == "nextjs" for f in frameworks)

    root = _root_facts(repo)
    manifests = [PACKAGE_JSON, *lock.extra_manifests, *(f"{d}/{PACKAGE_JSON}" for d in (ws.all_dirs if ws else ()))]
    if lock.lockfile is not None:
        manifests.append(lock.lockfile.value)
    try:
        name = _opt(pkg, "name", _scoped_name)
    except InvalidInputError as bad_name:
        name, name_error = None, bad_name
    else:
        name_error = None
    facts = NodeFacts(
        manifests=tuple(sorted(set(manifests))),
        warnings=tuple(warnings),
        name=name,
        version=_opt(pkg, "version", lambda v: safe.version(v, PACKAGE_JSON, "version")),
        description=_opt(pkg, "description", lambda v: safe.label_text(v, PACKAGE_JSON, "description")),
        license=_opt(pkg, "license", lambda v: safe.label_text(v, PACKAGE_JSON, "license", 100)),
        lockfile=lock.lockfile,
        package_manager=lock.manager,
        package_manager_version=lock.manager_version,
        package_manager_hash=lock.manager_hash,
        yarn_flavor=lock.yarn_flavor,
        yarn_node_linker=lock.yarn_node_linker,
        lockfile_problems=lock.problems,
        node_versions=node_version.node_version_requests(repo, pkg),
        build_script=build_script,
        start_kind=start_kind,
        start_args=start_args,
        main=main,
        entry_files=entry_files,
        frameworks=frameworks,
        next_standalone=node_start.next_standalone(repo) if is_next else None,
        public_dir=repo.is_dir("public"),
        ts_out_dir=ts_out,
        port=app.app.port[0].fact if app.app.port else node_start.port(repo, candidates),
        start_build=app.start_build,
        dev_start=app.dev_start,
        devdep_start=app.devdep_start,
        env_file=app.env_file,
        env_loader=app.env_loader,
        build_out_dir=app.build_out_dir,
        nx_problem=app.nx_problem,
        app=app.app,
        # A workspace root's install links its members and installs theirs: node_modules exists.
        production_dependencies=bool(root) or any(node_scripts.section(pkg, k) for k in
                                                  ("dependencies", "optionalDependencies", "peerDependencies")),
        build_outputs=node_outdir.build_outputs(repo, pkg),
        install=_install(repo, pkg, lock, ws),
        workspace=ws,
        **root,
    )
    if name_error is not None and facts.tooling_reason() is None:
        raise name_error  # a name that is not an npm name matters only for a package dockgen builds
    return facts


def _root_package(repo: RepoView) -> dict:
    """The workspace root's package.json (its packageManager field names the tool for every member)."""
    data = load_json(repo.context.read_text(PACKAGE_JSON), PACKAGE_JSON) if repo.context.is_file(PACKAGE_JSON) else {}
    return data if isinstance(data, dict) else {}


def _install(repo: RepoView, pkg: dict, lock: node_lock.LockInfo,
             ws: node_workspace.NodeWorkspace | None) -> node_install.NodeInstall:
    lockfile = lock.lockfile.value if lock.lockfile else None
    if ws is None:
        return node_install.detect_install(repo, pkg, lockfile, node_lock.declared_deps(pkg))
    # A member: the settings files and the lockfile are the root's; its own scripts are read here.
    found = node_install.detect_install(repo, pkg, None, node_lock.declared_deps(pkg))
    return found.model_copy(update=node_install.root_settings(repo.context))


def _root_facts(repo: RepoView) -> dict:
    """At a workspace root: its members and the ones that serve (named when the root is refused)."""
    if repo.member or node_workspace.patterns(repo) is None:
        return {}
    listed = node_workspace.members(repo)
    source = node_workspace.patterns(repo)[1].split(" ", 1)  # type: ignore[index]
    dirs = tuple(safe.rel_path(p.dir, source[0], source[1]) for p in listed)
    if not dirs:
        return {}  # a pnpm-workspace.yaml for settings only: a project of its own
    kinds = {d: _kind(repo, d) for d in dirs}
    return {"workspaces": True, "members": fact(dirs, *source),
            "deployable": tuple(d for d in dirs if kinds[d] == "serves"),
            "build_only": tuple(d for d in dirs if kinds[d] == "builds")}


def _kind(root: RepoView, member: str) -> str:
    """"serves" (a server to start), "builds" (a build and no server: a frontend), "" (a library, tooling)."""
    try:
        facts = detect(RepoView(root.root / member, context=root))
    except DockgenError:
        return ""  # a member dockgen cannot read is not offered
    if facts is None or facts.tooling_reason() is not None:
        return ""
    if facts.assets_reason() is not None:
        return "builds"
    return "serves" if facts.starts_app() else ""

"""What a Node install needs besides package.json and the lockfile.

Pure facts with sources; the planner (``generator/node_install.py``) decides the install steps.

- **Lifecycle scripts** the root package runs at install time (preinstall, install, postinstall,
  prepublish, preprepare, prepare, postprepare), followed through ``npm run`` and ``npm-run-all``
  (``node_script_graph``) and classified: ``hooks`` (only git-hook installers and guards: husky, is-ci,
  simple-git-hooks, lefthook, only-allow, echo), ``inputs`` (work that reads known files:
  patch-package → ``patches/``, prisma generate → the schema, ``node scripts/x.js`` → ``scripts/``),
  or ``sources`` (anything else: it gets the whole source tree).
- **Dependencies with install scripts**: package-lock.json's ``hasInstallScript`` entries, production
  and dev apart (platform-specific ones for other systems, like fsevents, left out); for other
  lockfiles, the declared dependencies (the planner knows which of them compile).
- **Package-manager settings** that change the install: ``.npmrc`` (its keys; credentials —
  ``_authToken``, ``_auth``, ``_password``, ``//registry/:…`` lines — only by key name, never their
  values), ``.yarnrc``, ``.yarnrc.yml``, ``pnpm-workspace.yaml``, ``.pnpmfile.cjs``.
- **Prisma**: ``@prisma/client`` among the dependencies, its schema, and whether a script already
  runs ``prisma generate``.
- **The container build script**: ``build-docker``, ``build:docker``, ``docker:build`` … when it builds
  (a script that runs docker itself is not one).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import node_script_graph, safe
from .facts import Fact, fact
from .parsing import load_json
from .repo import LOCKFILE_MAX_BYTES, RepoView

PACKAGE_JSON = "package.json"
#: Root scripts npm runs on ``npm ci`` / ``npm install``, in order.
LIFECYCLE = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare")
#: Commands that only install git hooks or check the environment: nothing the image needs.
HOOK_TOOLS = ("husky", "is-ci", "simple-git-hooks", "lefthook", "only-allow", "git-hooks", "yorkie",
              "echo", "true", "exit", "opencollective", "opencollective-postinstall")
#: Script names a project declares for container builds, first found wins.
DOCKER_BUILD_SCRIPTS = ("build-docker", "build:docker", "docker:build", "docker-build", "build:container",
                        "build-container")
_CONTAINER_TOOLS = ("docker", "docker-compose", "podman", "buildah", "nerdctl")
#: Files a package manager reads during the install, when present.
CONFIG_FILES = (".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml", ".pnpmfile.cjs")
_NPMRC_SECRET_KEYS = ("_auth", "_authtoken", "_password", "password", "username", "email", "certfile", "keyfile",
                      "cert", "key")
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9_@+][A-Za-z0-9._@+-]*(/[A-Za-z0-9_@+][A-Za-z0-9._@+-]*)*$")
#: Script and program names shown in the header.
_WORD = re.compile(r"^[A-Za-z0-9@._:+-]{1,60}$")
#: npm package names (old ones may have capitals: JSONStream); they reach `npm rebuild <names>`.
_NPM_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$", re.IGNORECASE)
PRISMA_SCHEMAS = ("prisma/schema.prisma", "schema.prisma", "prisma/schema")
PRISMA_CONFIGS = ("prisma.config.ts", "prisma.config.js", "prisma.config.mjs")
_PRISMA_OUTPUT = re.compile(r"""(?m)^\s*output\s*=\s*["']([^"']+)["']""")

LifecycleKind = Literal["none", "hooks", "inputs", "sources"]


class NodeInstall(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: The root's install-time lifecycle scripts (value: the script name).
    lifecycle: tuple[Fact[str], ...] = ()
    #: What they need (see the module doc); "none" without lifecycle scripts.
    lifecycle_kind: LifecycleKind = "none"
    #: The tools they run that dockgen knows (husky, patch-package, prisma …), in order.
    lifecycle_tools: tuple[str, ...] = ()
    #: Files and directories the lifecycle scripts read, copied before the install (dirs end in "/").
    script_inputs: tuple[Fact[str], ...] = ()
    #: A lifecycle script runs a devDependency (then the production install cannot run it).
    lifecycle_needs_dev: bool = False
    #: Production dependencies with an install script (package-lock.json hasInstallScript).
    install_scripts: tuple[Fact[str], ...] = ()
    #: Dev dependencies with an install script (they run in the build stage only).
    dev_install_scripts: tuple[str, ...] = ()
    #: Every dependency name package.json declares (for lockfiles without install-script marks).
    declared: tuple[str, ...] = ()
    #: Names declared only in devDependencies.
    dev_declared: tuple[str, ...] = ()
    #: Package-manager config files present (CONFIG_FILES order).
    config_files: tuple[str, ...] = ()
    #: .npmrc keys that are settings (legacy-peer-deps, registry …), in file order.
    npmrc_settings: tuple[str, ...] = ()
    #: The first .npmrc line with a credential (its source says which line and key), else None.
    npmrc_secret: Fact[str] | None = None
    #: .npmrc sets ignore-scripts=true: the developers' installs run no scripts either.
    npmrc_ignore_scripts: bool = False
    #: @prisma/client's schema (file or directory), when @prisma/client is a dependency.
    prisma_schema: Fact[str] | None = None
    #: Prisma's config file (prisma.config.ts), which ``prisma generate`` reads too.
    prisma_config: Fact[str] | None = None
    #: The generated client's directory when the schema puts it in the project (``output = "../generated"``),
    #: not in node_modules.
    prisma_output: Fact[str] | None = None
    #: A script in the install or the build already runs ``prisma generate``.
    prisma_generate: Fact[str] | None = None
    #: The variable Prisma's config or schema reads the database URL from (``env('DATABASE_URL')``)
    #: and the datasource provider ("postgresql"): ``prisma generate`` needs it set, not reachable.
    prisma_url_env: Fact[tuple[str, str]] | None = None
    #: The build script run instead of ``build``: one declared for container builds
    #: (``build-docker`` …), or, without ``build``, the only ``build:<part>`` script.
    docker_build: Fact[str] | None = None
    #: The scripts the build runs (``build`` or ``docker_build``) once followed through ``npm run`` and
    #: ``npm-run-all``, and the program each of their commands runs, in order.
    build_parts: tuple[str, ...] = ()
    build_tools: tuple[str, ...] = ()


def _scripts(pkg: dict) -> dict:
    s = pkg.get("scripts")
    return {k: v for k, v in s.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(s, dict) else {}


def _dev_names(pkg: dict) -> set[str]:
    dev = pkg.get("devDependencies")
    return set(dev) if isinstance(dev, dict) else set()


def _prod_names(pkg: dict) -> set[str]:
    out: set[str] = set()
    for kind in ("dependencies", "optionalDependencies", "peerDependencies"):
        if isinstance(pkg.get(kind), dict):
            out |= set(pkg[kind])
    return out


def _classify(ws: list[str], repo: RepoView, src: str) -> tuple[str, str | None, list[str]]:
    """(kind, tool, inputs) of one command: kind is hooks, inputs or sources."""
    if not ws:
        return "sources", None, []
    tool = ws[0].rsplit("/", 1)[-1]
    if tool in HOOK_TOOLS or ws[:3] == ["git", "config", "core.hooksPath"]:
        return "hooks", tool if tool not in ("echo", "true", "exit") else None, []
    if tool == "node" and len(ws) >= 2 and ws[1].startswith(".husky/"):
        return "hooks", "husky", []
    if tool == "patch-package":
        d = ws[ws.index("--patch-dir") + 1] if "--patch-dir" in ws[:-1] else "patches"
        d = safe.rel_path(d, PACKAGE_JSON, src)
        return "inputs", tool, [d + "/"] if repo.is_dir(d) else []
    if tool == "prisma" and len(ws) >= 2 and ws[1] == "generate":
        return "inputs", "prisma", []  # the schema is added by detect_install
    target = ws[1][2:] if len(ws) >= 2 and ws[1].startswith("./") else ws[1] if len(ws) >= 2 else ""
    if tool == "node" and _PLAIN_PATH.fullmatch(target) and repo.is_file(target):
        # The script's own directory (scripts/): it may read its neighbours.
        return "inputs", None, [target.rsplit("/", 1)[0] + "/" if "/" in target else target]
    return "sources", tool, []


def _lifecycle(repo: RepoView, pkg: dict) -> dict:
    scripts = _scripts(pkg)
    dev = _dev_names(pkg)
    present = [n for n in LIFECYCLE if n in scripts]
    kinds: list[str] = []
    tools: list[str] = []
    inputs: list[Fact[str]] = []
    needs_dev = False
    for event in present:
        for name, cmd in node_script_graph.expand(scripts, event, hooks=False):
            src = f"scripts.{name}"
            kind, tool, ins = _classify(node_script_graph.words(cmd), repo, src)
            kinds.append(kind)
            if tool and tool not in tools and _WORD.fullmatch(tool):
                tools.append(tool)
            if kind != "hooks" and tool in dev:
                needs_dev = True
            inputs += [fact(i, PACKAGE_JSON, src) for i in ins if i not in [x.value for x in inputs]]
    kind: LifecycleKind = ("none" if not present else "sources" if "sources" in kinds
                           else "inputs" if "inputs" in kinds else "hooks")
    return dict(lifecycle=tuple(fact(n, PACKAGE_JSON, f"scripts.{n}") for n in present), lifecycle_kind=kind,
                lifecycle_tools=tuple(tools), script_inputs=tuple(inputs), lifecycle_needs_dev=needs_dev)


def _lock_install_scripts(repo: RepoView, lockfile: str | None) -> tuple[tuple[Fact[str], ...], tuple[str, ...]]:
    """(production, dev) packages with install scripts in package-lock.json v2/v3."""
    if lockfile not in ("package-lock.json", "npm-shrinkwrap.json"):
        return (), ()
    data = load_json(repo.read_text(lockfile, LOCKFILE_MAX_BYTES), lockfile)
    packages = data.get("packages") if isinstance(data, dict) else None
    prod: dict[str, Fact[str]] = {}
    dev: set[str] = set()
    for key, entry in (packages if isinstance(packages, dict) else {}).items():
        if not (isinstance(key, str) and "node_modules/" in key and isinstance(entry, dict)
                and entry.get("hasInstallScript") is True and not entry.get("link")):
            continue
        os_list = entry.get("os")
        if isinstance(os_list, list) and os_list and "linux" not in os_list:
            continue  # fsevents & co.: never installed on Linux
        name = key.rsplit("node_modules/", 1)[1]
        if not _NPM_NAME.fullmatch(name):
            raise safe._refuse("npm package name", name, lockfile, f'packages["{key[:80]}"]')
        if entry.get("dev") is True:
            dev.add(name)
        else:
            prod.setdefault(name, fact(name, lockfile, f'packages["{key}"] hasInstallScript'))
    return tuple(prod[n] for n in sorted(prod)), tuple(sorted(dev - set(prod)))


def _npmrc(repo: RepoView) -> dict:
    text = repo.read_text_if_exists(".npmrc")
    if text is None:
        return {}
    settings: list[str] = []
    secret: Fact[str] | None = None
    ignore_scripts = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = (p.strip() for p in line.partition("="))
        bare = key.rsplit(":", 1)[-1].lower()
        if key.startswith("//") or bare in _NPMRC_SECRET_KEYS:
            secret = secret or fact(key.rsplit(":", 1)[-1][:40], ".npmrc", f"line {n}")
            continue
        if re.fullmatch(r"[A-Za-z0-9@._:/-]{1,100}", key):
            settings.append(key)
        if key == "ignore-scripts" and value.strip("\"'").lower() == "true":
            ignore_scripts = True
    return dict(npmrc_settings=tuple(dict.fromkeys(settings)), npmrc_secret=secret,
                npmrc_ignore_scripts=ignore_scripts)


def _prisma(repo: RepoView, pkg: dict, scripts: dict) -> dict:
    deps = pkg.get("dependencies") if isinstance(pkg.get("dependencies"), dict) else {}
    if "@prisma/client" not in deps:
        return {}
    cfg = pkg.get("prisma") if isinstance(pkg.get("prisma"), dict) else {}
    schema = None
    if isinstance(cfg.get("schema"), str):
        path = safe.rel_path(cfg["schema"], PACKAGE_JSON, "prisma.schema")
        if repo.is_file(path) or repo.is_dir(path):
            schema = fact(path + ("/" if repo.is_dir(path) else ""), PACKAGE_JSON, "prisma.schema")
    for path in PRISMA_SCHEMAS if schema is None else ():
        if repo.is_file(path):
            schema = fact("prisma/" if path.startswith("prisma/") else path, path)
            break
    config = next((fact(c, c) for c in PRISMA_CONFIGS if repo.is_file(c)), None)
    generate = None
    for event in (*LIFECYCLE, "build"):
        for name, cmd in node_script_graph.expand(scripts, event, hooks=event == "build"):
            if node_script_graph.words(cmd)[:2] == ["prisma", "generate"] and generate is None:
                generate = fact(name, PACKAGE_JSON, f"scripts.{name}")
    return dict(prisma_schema=schema, prisma_generate=generate, prisma_config=config,
                prisma_output=_prisma_output(repo, schema) if schema else None,
                prisma_url_env=_prisma_url_env(repo, schema, config))


_ENV_CALL = re.compile(r"""\benv\(\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\)""")
_PROVIDER = re.compile(r"""(?ms)^\s*datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*["']([a-z]+)["']""")


def _prisma_url_env(repo: RepoView, schema: Fact[str] | None, config: Fact[str] | None) -> Fact[tuple[str, str]] | None:
    """(variable, provider) when the config or the schema's datasource reads its URL from the environment."""
    files = [f for f in ([config.value] if config else []) + (_schema_files(repo, schema) if schema else [])
             if repo.is_file(f)]
    provider = next((m.group(1) for f in files if f.endswith(".prisma")
                     if (m := _PROVIDER.search(repo.read_text(f)))), "postgresql")
    for f in files:
        m = _ENV_CALL.search(repo.read_text(f))
        if m:
            return fact((m.group(1), provider), f)
    return None


def _schema_files(repo: RepoView, schema: Fact[str]) -> list[str]:
    """The schema's files: itself, or the ``.prisma`` files of a schema directory (``prisma/``)."""
    if not schema.value.endswith("/"):
        return [schema.value]
    return [schema.value + f for f in repo.listdir(schema.value.rstrip("/")) if f.endswith(".prisma")]


def _prisma_output(repo: RepoView, schema: Fact[str]) -> Fact[str] | None:
    """The client generator's ``output = "../generated/prisma"``, resolved from the schema's directory
    (None: node_modules, Prisma's default before 7)."""
    for f in (f for f in _schema_files(repo, schema) if repo.is_file(f)):
        for block in re.finditer(r"(?ms)^\s*generator\s+\w+\s*\{(.*?)^\s*\}", repo.read_text(f)):
            body = block.group(1)
            out = _PRISMA_OUTPUT.search(body)
            if out is None or not re.search(r"""provider\s*=\s*["']prisma-client(-js)?["']""", body):
                continue
            parts = f.split("/")[:-1]
            for part in out.group(1).split("/"):
                if part == "..":
                    parts = parts[:-1] if parts else [".."]
                elif part not in ("", "."):
                    parts.append(part)
            if not parts or parts[0] == ".." or "node_modules" in parts:
                return None
            where = f"generator output {out.group(1)!r}"
            return fact(safe.rel_path("/".join(parts), f, where), f, where)
    return None


def _docker_build(scripts: dict) -> Fact[str] | None:
    for name in DOCKER_BUILD_SCRIPTS:
        if name not in scripts:
            continue
        cmds = node_script_graph.expand(scripts, name)
        # A container tool anywhere in a step (`node env2arg.js docker buildx build …`) means the
        # script builds the image itself from outside: it never runs inside one.
        if cmds and not any(set(node_script_graph.words(c)) & set(_CONTAINER_TOOLS) for _, c in cmds):
            return fact(name, PACKAGE_JSON, f"scripts.{name}")
    return None if "build" in scripts else _only_build(scripts)


_NOT_A_BUILD = re.compile(r"(watch|dev|test|docs?|storybook|analy[sz]e|lint|clean|release)", re.IGNORECASE)


def _only_build(scripts: dict) -> Fact[str] | None:
    """No ``build``: the one ``build:<part>`` script that is neither a container build, a watcher nor
    a dev build (dockge's ``build:frontend``, next to four ``build:docker*`` scripts)."""
    found = [name for name, body in scripts.items()
             if isinstance(name, str) and name.startswith("build:") and isinstance(body, str)
             and not _NOT_A_BUILD.search(name[6:])
             and not any(set(node_script_graph.words(c)) & set(_CONTAINER_TOOLS)
                         for _, c in node_script_graph.expand(scripts, name))]
    return fact(found[0], PACKAGE_JSON, f"scripts.{found[0]} (the only build script)") if len(found) == 1 else None


def detect_install(repo: RepoView, pkg: dict, lockfile: str | None, declared: dict[str, str]) -> NodeInstall:
    scripts = _scripts(pkg)
    prod, dev = _lock_install_scripts(repo, lockfile)
    lc = _lifecycle(repo, pkg)
    prisma = _prisma(repo, pkg, scripts)
    if prisma.get("prisma_schema") is not None and "prisma" in lc["lifecycle_tools"]:
        lc["script_inputs"] += tuple(f for f in (prisma["prisma_schema"], prisma["prisma_config"]) if f)
    docker_build = _docker_build(scripts)
    steps = node_script_graph.expand(scripts, docker_build.value if docker_build else "build")
    return NodeInstall(
        **lc, **_npmrc(repo), **prisma,
        build_parts=tuple(dict.fromkeys(n for n, _ in steps if _WORD.fullmatch(n))),
        build_tools=tuple(dict.fromkeys(w for _, c in steps
                                        if _WORD.fullmatch(w := (node_script_graph.words(c) or ["?"])[0].rsplit("/", 1)[-1]))),
        install_scripts=prod, dev_install_scripts=dev,
        declared=tuple(sorted(n for n in declared if _NPM_NAME.fullmatch(n))),
        dev_declared=tuple(sorted(n for n in _dev_names(pkg) - _prod_names(pkg) if _NPM_NAME.fullmatch(n))),
        config_files=tuple(f for f in CONFIG_FILES if repo.is_file(f)),
        docker_build=docker_build,
    )


def root_settings(ctx: RepoView) -> dict:
    """A workspace member's install settings: the root's .npmrc and package-manager files."""
    return {**_npmrc(ctx), "config_files": tuple(f for f in CONFIG_FILES if ctx.is_file(f))}

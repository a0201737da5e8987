"""Node: how the dependencies are installed — lifecycle scripts, native modules, settings, credentials.

Two strategies, chosen per project; the header says which one and why:

- **scripts off** (npm and pnpm; the default): the production install runs with ``--ignore-scripts``,
  so the project's own lifecycle scripts never run in the image (a ``prepare: husky`` needs
  devDependencies and a git checkout), and the dependencies that have an install script
  (package-lock.json ``hasInstallScript``) run it by name: ``npm rebuild bcrypt``;
- **full install + prune**: when a root lifecycle script does work the image needs (``patch-package``,
  ``prisma generate``, an asset compile) or ``@prisma/client`` must be generated, the build stage
  installs everything — after copying the files those scripts read (``patches/``, the schema), or
  the whole source tree when dockgen cannot tell — runs the build, then ``npm prune --omit=dev``
  (``pnpm prune --prod``); the runner takes that ``node_modules``.

Around both: ``HUSKY=0`` when the project uses husky; the package manager's settings files
(``.npmrc``, ``.yarnrc``) join the manifests; an ``.npmrc`` with credentials is never copied but
mounted as a BuildKit secret in the install steps (``docker build --secret id=npmrc,src=.npmrc``)
and stays in .dockerignore; node-gyp's toolchain (catalog ``[node.gyp_toolchain]``) goes into the
build stages only when a dependency compiles, building against the image's own headers
(``npm_config_nodedir=/usr/local``: header downloads need not be reachable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..detectors.node import NodeFacts
from ..detectors.node_install import NodeInstall
from . import models as m
from . import ospackages
from .catalog import Runtime
from .node_pm import PackageManager

NODEDIR = ("npm_config_nodedir", "/usr/local")
NPMRC_SECRET = ("npmrc", ".npmrc")
#: Full install + prune: the command that drops the dev dependencies afterwards.
PRUNE = {"npm": "npm prune --omit=dev", "pnpm": "pnpm prune --prod"}
#: Build-time stand-ins for a Prisma database URL (never in the runner): generate needs one set, not reachable.
PLACEHOLDER_URLS = {"postgresql": "postgresql://build:build@localhost:5432/build",
                    "mysql": "mysql://build:build@localhost:3306/build", "sqlite": "file:./build.db",
                    "sqlserver": "sqlserver://localhost:1433;database=build", "mongodb": "mongodb://localhost:27017/build",
                    "cockroachdb": "postgresql://build:build@localhost:26257/build"}
#: Runs a dependency's program (the prisma CLI) without fetching anything.
EXEC = {"npm": "npx --no-install", "pnpm": "pnpm exec", "yarn": "yarn run", "bun": "bun x"}
_DISTRO = re.compile(r"(bookworm|trixie|alpine\d+\.\d+)")


@dataclass(frozen=True)
class Install:
    #: Full install + prune in the build stage (else: a production install with scripts off).
    prune: bool
    #: ENV for every install stage.
    env: tuple[tuple[str, str], ...]
    #: The toolchain RUN for the deps stage and for the build stage (empty: none needed there).
    toolchain_deps: tuple[m.Run, ...]
    toolchain_build: tuple[m.Run, ...]
    #: Settings files copied with the manifests.
    config: tuple[str, ...]
    #: COPY steps for the files the lifecycle scripts read, before the install.
    inputs: tuple[m.Copy, ...]
    #: The lifecycle scripts need the whole source tree before the install.
    sources_first: bool
    #: The deps stage's install command (scripts off).
    prod_command: str
    prune_command: str | None
    #: ``prisma generate`` after the full install, when no script runs it.
    generate: str | None
    #: Extra mounts of every install RUN (the .npmrc secret).
    mounts: tuple[m.Mount, ...]
    #: (id, src) of build secrets: the header's build line.
    secrets: tuple[tuple[str, str], ...]
    #: .dockerignore additions (``!.npmrc``).
    ignore: tuple[str, ...]
    reasons: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def _compiles(facts: NodeFacts, runtime: Runtime) -> tuple[list[str], list[str]]:
    """(production, dev) dependencies that compile with node-gyp."""
    inst = facts.install
    no_compile = runtime.gyp_packages.get("no_compile", ())

    def compiles(name: str) -> bool:
        # "@scope/*" covers a whole scope.
        return not any(name == p or (p.endswith("/*") and name.startswith(p[:-1])) for p in no_compile)

    if facts.lockfile is not None and facts.lockfile.value in ("package-lock.json", "npm-shrinkwrap.json"):
        return ([f.value for f in inst.install_scripts if compiles(f.value)],
                [n for n in inst.dev_install_scripts if compiles(n)])
    known = set(runtime.gyp_packages.get("compile", ()))
    return ([n for n in inst.declared if n in known and n not in inst.dev_declared],
            [n for n in inst.declared if n in known and n in inst.dev_declared])


def toolchain(builder: m.ImageRef, runtime: Runtime) -> tuple[m.Run, ...]:
    """node-gyp's toolchain for a builder image, from the catalog."""
    found = _DISTRO.search(builder.tag)
    specs = runtime.gyp_toolchain.get(found.group(1), ()) if found else ()
    if not specs:
        return ()
    family = "alpine" if found and found.group(1).startswith("alpine") else "debian"
    return ospackages.builder_install(specs, family=family, source="catalog.toml [node.gyp_toolchain]")


def _strategy(facts: NodeFacts, pm: PackageManager, bundled: bool) -> tuple[bool, str]:
    """(the install scripts need the full install, the reason)."""
    inst = facts.install
    scripts = ", ".join(f"scripts.{f.value}" for f in inst.lifecycle)
    tools = ", ".join(inst.lifecycle_tools)
    # A bundled build output (Next.js standalone) carries the client the build generated.
    if inst.prisma_schema is not None and not (bundled and inst.prisma_generate is not None):
        why = f"@prisma/client is generated from {inst.prisma_schema.value} ({inst.prisma_schema.source})"
    elif inst.lifecycle_kind in ("inputs", "sources"):
        need = "devDependencies and " if inst.lifecycle_needs_dev else ""
        reads = ("the whole source tree" if inst.lifecycle_kind == "sources"
                 else ", ".join(f.value for f in inst.script_inputs) or "no project files")
        why = f"package.json {scripts} ({tools or 'a command'}) need{'s' if len(inst.lifecycle) == 1 else ''} {need}{reads}"
    else:
        return False, ""
    if pm.name not in PRUNE:
        return False, why
    return True, why


def plan_install(facts: NodeFacts, pm: PackageManager, runtime: Runtime, builder: m.ImageRef,
                 bundled: bool = False) -> Install:
    """``bundled``: the build output bundles its own node_modules (Next.js standalone): nothing to prune."""
    inst = facts.install
    full, why = _strategy(facts, pm, bundled)
    prune = full and not bundled
    reasons: list[str] = []
    env: list[tuple[str, str]] = []
    if "husky" in inst.declared or "husky" in inst.lifecycle_tools:
        env.append(("HUSKY", "0"))
    if inst.prisma_url_env is not None:
        name, provider = inst.prisma_url_env.value
        env.append((name, PLACEHOLDER_URLS.get(provider, PLACEHOLDER_URLS["postgresql"])))
        reasons.append(f"{name} is a placeholder in the build stages ({inst.prisma_url_env.source} reads it and "
                       "prisma generate needs it set, not reachable); the runner gets none: set it at run time")
    prod_c, dev_c = _compiles(facts, runtime)
    tools = toolchain(builder, runtime) if (prod_c or dev_c) and not inst.npmrc_ignore_scripts else ()
    if tools:
        env.append(NODEDIR)
        reasons.append(f"node-gyp toolchain ({_names(builder, runtime)}) in the build stages only: {', '.join((prod_c + dev_c)[:4])}"
                       f"{' …' if len(prod_c + dev_c) > 4 else ''} compile{'s' if len(prod_c + dev_c) == 1 else ''}; "
                       "built against the image's own Node headers (npm_config_nodedir=/usr/local)")
    if prune:
        reasons.insert(0, f"full install + prune: {pm.install_all} with {_what_first(inst)}, then "
                          f"{PRUNE[pm.name]}: {why}")
    elif full:
        reasons.insert(0, f"install scripts run in the build stage's full install ({pm.install_all} with "
                          f"{_what_first(inst)}): {why}; the standalone output bundles its own node_modules")
    warnings = []
    if why and not full:
        warnings.append(f"{why}; {pm.name} has no prune step dockgen uses, so its production install runs "
                        "them as they are, without devDependencies")
        reasons.insert(0, f"install scripts run as they are: {why} ({pm.name} has no prune step dockgen uses)")
    prod_command, prod_reason = _prod_command(facts, pm, full, prod_c)
    if prod_reason:
        reasons.insert(0, prod_reason)
    config, mounts, secrets, ignore, cfg_reasons = _config(facts, pm)
    generate = None
    if full and inst.prisma_schema is not None and inst.prisma_generate is None:
        generate = f"{EXEC[pm.name]} prisma generate"
        reasons.append(f"prisma generate runs after the install ({inst.prisma_schema.source}); "
                       "the runner gets the generated client")
    return Install(prune=prune, env=tuple(env), toolchain_deps=tools if prod_c and not prune else (),
                   toolchain_build=tools, config=config, inputs=_inputs(inst, full, generate is not None),
                   sources_first=full and inst.lifecycle_kind == "sources", prod_command=prod_command,
                   prune_command=PRUNE.get(pm.name) if prune else None, generate=generate, mounts=mounts,
                   secrets=secrets, ignore=ignore, reasons=(*reasons, *cfg_reasons), warnings=tuple(warnings))


def _names(builder: m.ImageRef, runtime: Runtime) -> str:
    found = _DISTRO.search(builder.tag)
    return ", ".join(s.split("=")[0] for s in runtime.gyp_toolchain.get(found.group(1), ())) if found else ""


def _what_first(inst: NodeInstall) -> str:
    if inst.lifecycle_kind == "sources":
        return "the sources"
    ins = [f.value for f in inst.script_inputs]
    if inst.prisma_schema is not None and inst.prisma_generate is None:
        ins += [inst.prisma_schema.value] + ([inst.prisma_config.value] if inst.prisma_config else [])
    return (", ".join(dict.fromkeys(ins)) + " copied first") if ins else "the manifests"


def _inputs(inst: NodeInstall, full: bool, generate: bool) -> tuple[m.Copy, ...]:
    if not full or inst.lifecycle_kind == "sources":
        return ()
    paths = [f.value for f in inst.script_inputs]
    if generate and inst.prisma_schema is not None:
        paths += [inst.prisma_schema.value] + ([inst.prisma_config.value] if inst.prisma_config else [])
    out = []
    for p in dict.fromkeys(paths):
        # A directory keeps its name (COPY copies its contents), a file lands in its own directory.
        dest = f"./{p}" if p.endswith("/") else f"./{p.rsplit('/', 1)[0]}/" if "/" in p else "./"
        out.append(m.Copy(sources=(p.rstrip("/"),), dest=dest))
    return tuple(out)


def _prod_command(facts: NodeFacts, pm: PackageManager, prune: bool, compiling: list[str]) -> tuple[str, str]:
    """The scripts-off production install (npm, pnpm) and its header line."""
    inst = facts.install
    if prune or pm.name not in ("npm", "pnpm"):
        return pm.install_prod, ""
    if inst.npmrc_ignore_scripts:
        return pm.install_prod, ("install scripts: none run (.npmrc sets ignore-scripts=true, as in the "
                                 "developers' installs)")
    scripts = [f.value for f in inst.install_scripts] if pm.name == "npm" else compiling
    if inst.lifecycle_kind == "none" and (pm.name == "pnpm" or not scripts):
        return pm.install_prod, ""  # nothing of the project's own to keep from running
    command = f"{pm.install_prod} --ignore-scripts"
    if scripts:
        # pnpm links from the store the install used: rebuild must name it too.
        store = f" --store-dir {pm.cache}" if pm.name == "pnpm" else ""
        command += f" && {pm.name} rebuild{store} {' '.join(scripts)}"
    own = (f"package.json {', '.join('scripts.' + f.value for f in inst.lifecycle)} "
           f"({', '.join(inst.lifecycle_tools) or 'git hooks'}) does not run in the image"
           if inst.lifecycle else "the project's own lifecycle scripts never run in the image")
    rebuilt = (f"; {pm.name} rebuild runs the install scripts of {', '.join(scripts)} "
               f"({'package-lock.json hasInstallScript' if pm.name == 'npm' else 'catalog.toml [node.gyp_packages]'})"
               if scripts else "")
    return command, f"production install with --ignore-scripts: {own}{rebuilt}"


def _config(facts: NodeFacts, pm: PackageManager):
    """(settings files, install mounts, secrets, .dockerignore additions, header lines)."""
    inst = facts.install
    reads = {"npm": (".npmrc",), "pnpm": (".npmrc",), "bun": (".npmrc",), "yarn": (".npmrc", ".yarnrc")}
    files = [f for f in inst.config_files if f in reads.get(pm.name, ()) and f not in facts.manifests]
    reasons: list[str] = []
    if ".npmrc" in files and inst.npmrc_secret is not None:
        files.remove(".npmrc")
        s = inst.npmrc_secret
        mount = m.Mount(options=(("type", "secret"), ("id", NPMRC_SECRET[0]), ("target", "/root/.npmrc")))
        reasons.append(f".npmrc holds credentials ({s.source}: {s.value}): mounted as a BuildKit secret in the "
                       "install steps (build with --secret id=npmrc,src=.npmrc), never copied into a layer, "
                       "and kept out of the build context")
        return tuple(files), (mount,), (NPMRC_SECRET,), (), reasons
    if files:
        settings = f" ({', '.join(inst.npmrc_settings[:4])})" if ".npmrc" in files and inst.npmrc_settings else ""
        reasons.append(f"{' and '.join(files)}{settings} copied with the manifests: the install uses the "
                       "project's settings (no credentials in it, so it may ship with the sources)")
    return tuple(files), (), (), ("!.npmrc",) if ".npmrc" in files else (), reasons

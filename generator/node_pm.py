"""Node package managers: how each one is made available in the builder and how it installs.

Only lockfile-enforcing installs: ``npm ci``, ``yarn install --frozen-lockfile`` (classic),
``yarn install --immutable`` (berry), ``pnpm install --frozen-lockfile``,
``bun install --frozen-lockfile``. Without a lockfile, a plain install only with ``allow_unlocked``.

pnpm and yarn berry come from corepack at the version package.json's ``packageManager`` field pins,
else at catalog.toml's ``[node.tools]`` pin with its integrity hash. Node >= 25 images carry no
corepack (and the 26+ images no yarn): the catalog's ``ships`` says what an image has, and what it
lacks is installed with npm at the catalog's pin (``npm install --global corepack@<pin>``, yarn
classic ``yarn@<pin>``) in the build stages only; the runner needs neither. Corepack downloads them through
the registry npm is configured with (``COREPACK_NPM_REGISTRY`` from ``npm config get registry``), so
a mirror or proxy that works for npm works for the package manager too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.errors import InvalidInputError
from ..detectors.node import NodeFacts
from .catalog import Runtime, RuntimeVersion
from .options import Options

COREPACK_REGISTRY = 'registry="$(npm config get registry)" && COREPACK_NPM_REGISTRY="${registry%/}"'


@dataclass(frozen=True)
class PackageManager:
    name: str
    #: RUN command that makes the tool available in a builder stage (None: the image has it).
    setup: str | None
    #: Environment for the install steps (e.g. yarn's node linker).
    env: tuple[tuple[str, str], ...]
    install_all: str
    install_prod: str
    run_build: str
    cache: str
    reasons: tuple[str, ...]
    #: BuildKit cache sharing for ``cache``: yarn 1.x's cache is not safe for two installs at once
    #: (the deps and build stages run in parallel), so they take turns ("locked").
    cache_sharing: str | None = None


def _ships(version: RuntimeVersion | None, tool: str) -> bool:
    return version is None or version.ships is None or tool in version.ships


def _corepack(name: str, facts: NodeFacts, runtime: Runtime, image_version: RuntimeVersion | None = None
              ) -> tuple[str, str]:
    """(setup command, reason) installing ``name`` with corepack at its pinned version."""
    if facts.package_manager_version is not None:
        version = facts.package_manager_version.value
        digest = facts.package_manager_hash.value if facts.package_manager_hash else None
        src = facts.package_manager_version.source
    else:
        version = runtime.tools[name]
        sha = runtime.tools.get(f"{name}_sha512")
        digest = f"sha512.{sha}" if sha else None
        src = "catalog.toml [node.tools]"
    spec = f"{name}@{version}" + (f"+{digest}" if digest else "")
    cmd = f"corepack enable {name} && {COREPACK_REGISTRY} corepack install -g {spec}"
    why = f"{name} {version} via corepack (from {src}{', integrity-pinned' if digest else ''})"
    if not _ships(image_version, "corepack"):
        pin = runtime.tools["corepack"]
        cmd = f"npm install --global corepack@{pin} && {cmd}"
        why += f"; this node image has no corepack: corepack {pin} is installed with npm (from catalog.toml [node.tools])"
    return cmd, why


def _yarn_classic_setup(facts: NodeFacts, runtime: Runtime, version: RuntimeVersion | None
                        ) -> tuple[str | None, str | None]:
    """yarn 1.x: corepack when packageManager pins it; npm's yarn@<pin> when the image has none (node >= 26)."""
    if facts.package_manager_version is not None:
        return _corepack("yarn", facts, runtime, version)
    if not _ships(version, "yarn"):
        pin = runtime.tools["yarn_classic"]
        return (f"npm install --global yarn@{pin}",
                f"yarn {pin} installed with npm (from catalog.toml [node.tools]): this node image has no yarn")
    return None, None


def choose(facts: NodeFacts, options: Options, runtime: Runtime, version: RuntimeVersion | None = None
           ) -> PackageManager:
    """``version``: the node image's catalog entry (what it ships)."""
    pm = facts.package_manager.value
    locked = facts.lockfile is not None
    if not locked and not options.allow_unlocked:
        raise InvalidInputError(
            "no lockfile next to package.json: the image's dependencies would not be reproducible",
            file="package.json",
            hint="commit a lockfile (`npm install` writes package-lock.json), or pass --allow-unlocked "
                 "for a plain `npm install`")
    lock_src = facts.lockfile.value if facts.lockfile else "no lockfile, --allow-unlocked"
    if pm == "npm":
        if locked:
            return PackageManager("npm", None, (), "npm ci", "npm ci --omit=dev", "npm run build", "/root/.npm",
                                  (f"dependencies: npm ci (from {lock_src})",))
        return PackageManager("npm", None, (), "npm install", "npm install --omit=dev", "npm run build",
                              "/root/.npm", ("dependencies: npm install without a lockfile (--allow-unlocked): "
                                             "versions can change between builds",))
    if pm == "pnpm":
        setup, why = _corepack("pnpm", facts, runtime, version)
        frozen = "--frozen-lockfile" if locked else "--no-frozen-lockfile"
        base = f"pnpm install {frozen} --store-dir /pnpm/store"
        return PackageManager("pnpm", setup, (), base, f"{base} --prod", "pnpm run build", "/pnpm/store",
                              (f"dependencies: pnpm install {frozen} (from {lock_src}); {why}",))
    if pm == "yarn":
        berry = facts.yarn_flavor is not None and facts.yarn_flavor.value == "berry"
        if berry:
            setup, why = _corepack("yarn", facts, runtime, version)
            env: tuple[tuple[str, str], ...] = (("YARN_ENABLE_TELEMETRY", "0"),)
            reasons = [f"dependencies: yarn install --immutable (berry, from {facts.yarn_flavor.source}); {why}"]
            linker = facts.yarn_node_linker
            if linker is not None and linker.value != "node-modules":
                env += (("YARN_NODE_LINKER", "node-modules"),)
                reasons.append(f"yarn nodeLinker {linker.value} (from {linker.source}) is replaced by node-modules "
                               "in the image, so the runner needs no Plug'n'Play loader")
            immutable = "--immutable" if locked else "--no-immutable"
            # Berry has no lockfile-checking production install: `workspaces focus --production` resolves
            # whatever package.json says. So `install --immutable` checks the lockfile first (and fails when
            # it is out of date), then focus relinks node_modules without the dev dependencies.
            return PackageManager(
                "yarn", setup, env, f"yarn install {immutable}",
                f"yarn install {immutable} && yarn workspaces focus --all --production",
                "yarn run build", "/root/.yarn/berry/cache", tuple(reasons))
        setup, why = _yarn_classic_setup(facts, runtime, version)
        frozen = " --frozen-lockfile" if locked else ""
        base = f"yarn install{frozen} --non-interactive --cache-folder /usr/local/share/.cache/yarn"
        return PackageManager(
            "yarn", setup, (), base, f"{base} --production", "yarn run build", "/usr/local/share/.cache/yarn",
            (f"dependencies: yarn install --frozen-lockfile (classic, from {facts.yarn_flavor.source if facts.yarn_flavor else lock_src}); "
             + (why or "the yarn 1.x that the node image ships"),), cache_sharing="locked")
    if pm == "bun":
        version = runtime.tools["bun"]
        frozen = " --frozen-lockfile" if locked else ""
        return PackageManager(
            "bun", f"npm install --global bun@{version}", (), f"bun install{frozen}",
            f"bun install{frozen} --production", "bun run build", "/root/.bun/install/cache",
            (f"dependencies: bun install{frozen} (from {lock_src}); bun {version} installed with npm "
             "(from catalog.toml [node.tools]); the app runs on node",))
    raise InvalidInputError(f"unsupported package manager {pm!r}", file=facts.package_manager.source.file)

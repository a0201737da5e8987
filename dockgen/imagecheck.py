"""Pure checks on what a build produced: BuildKit's plain progress log, ``docker save`` tarballs,
image configs and the Dockerfile. No engine calls here (``dockgen.engine`` runs the engine), so the
same functions serve ``dockgen verify``, the end-to-end tests and ``bench/``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tarfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# ---- BuildKit progress (--progress plain) ---------------------------------------------------------

_VERTEX = re.compile(r"^#(\d+) (\[[^\]]*\] )?(.*)$")
_STATUS = re.compile(r"^#(\d+) (CACHED|DONE [0-9.]+s|ERROR.*|CANCELED.*)$")


@dataclass
class Step:
    number: int
    name: str  # e.g. "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt"
    stage: str  # e.g. "[build 5/5]"
    status: str = ""  # "CACHED", "DONE", "ERROR" or "" (never finished)

    @property
    def cached(self) -> bool:
        return self.status == "CACHED"


def parse_progress(log: str) -> list[Step]:
    """The steps (vertices) of a ``--progress plain`` build log, with their final status."""
    steps: dict[int, Step] = {}
    for raw in log.splitlines():
        line = raw.rstrip()
        st = _STATUS.match(line)
        if st:
            n = int(st.group(1))
            if n in steps:
                steps[n].status = st.group(2).split()[0].rstrip(":")
            continue
        m = _VERTEX.match(line)
        if m and m.group(2) and int(m.group(1)) not in steps:
            steps[int(m.group(1))] = Step(int(m.group(1)), m.group(3).strip(), m.group(2).strip())
    return [steps[k] for k in sorted(steps)]


def _norm(text: str) -> str:
    return " ".join(text.replace("\\\n", " ").split())


def find_run_steps(steps: Sequence[Step], command: str) -> list[Step]:
    """Steps whose instruction is ``RUN [--flags] <command>`` (whitespace-insensitive)."""
    want = _norm(command)
    out = []
    for s in steps:
        name = _norm(s.name)
        if name.startswith("RUN ") and (name == f"RUN {want}" or name.endswith(" " + want)):
            out.append(s)
    return out


#: Dependency installs, for Dockerfiles dockgen did not plan (verify on an existing file).
DEPS_COMMANDS = re.compile(
    r"\b(pip3? install|python3? -m pip install|uv (sync|pip install)|poetry install|pipenv install|"
    r"npm (ci|install)|yarn( install)?\b|pnpm (install|fetch)|go mod download|"
    r"mvn\b.*(dependency:|go-offline)|gradle\b.*dependencies|bundle install|composer install)"
)


def deps_steps_by_heuristic(steps: Sequence[Step]) -> list[Step]:
    return [s for s in steps if _norm(s.name).startswith("RUN ") and DEPS_COMMANDS.search(s.name)]


# ---- Dockerfile -----------------------------------------------------------------------------------


@dataclass
class DockerfileInfo:
    final_base: str  # the image the final stage starts from, with stage aliases resolved


def read_dockerfile(text: str) -> DockerfileInfo:
    import dockerfile as dfparse

    cmds = dfparse.parse_string(text)
    global_args: dict[str, str] = {}
    stages: dict[str, str] = {}
    final = ""
    seen_from = False
    for c in cmds:
        if c.cmd.upper() == "ARG" and not seen_from:
            for v in c.value:
                k, _, d = v.partition("=")
                global_args[k] = d.strip('"')
        elif c.cmd.upper() == "FROM":
            seen_from = True
            image = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: global_args.get(m.group(1), ""), c.value[0])
            base = stages.get(image.lower(), image)
            if len(c.value) >= 3 and c.value[1].upper() == "AS":
                stages[c.value[2].lower()] = base
            final = base
    return DockerfileInfo(final_base=final)


def shell_expected(final_base: str) -> bool:
    base = final_base.lower()
    return not (base == "scratch" or "distroless" in base)


# ---- image config ---------------------------------------------------------------------------------


def user_problem(user: str) -> str | None:
    """None if the image's USER is a numeric non-root uid[:gid]; else what is wrong."""
    user = (user or "").strip()
    if not user:
        return "no USER: the container runs as root"
    uid, _, gid = user.partition(":")
    if not uid.isdigit():
        return f"USER {user} is a name, not a numeric uid (runAsNonRoot cannot verify names)"
    if int(uid) == 0:
        return f"USER {user} is root"
    if gid and not gid.isdigit():
        return f"USER {user}: group is a name, not a numeric gid"
    return None


def healthcheck_of(config: dict) -> list[str] | None:
    hc = (config or {}).get("Healthcheck") or {}
    test = hc.get("Test") or []
    if not test or test[0] == "NONE":
        return None
    return list(test)


def exposed_ports(config: dict) -> list[int]:
    out = []
    for key in sorted((config or {}).get("ExposedPorts") or {}):
        port, _, proto = key.partition("/")
        if proto in ("", "tcp") and port.isdigit():
            out.append(int(port))
    return out


# ---- docker save tarball --------------------------------------------------------------------------


@dataclass
class Member:
    layer: int  # 0-based index in the image's layer order
    path: str  # without a leading "./" or "/"
    size: int
    is_dir: bool


def _layers(outer: tarfile.TarFile) -> Iterator[tuple[int, tarfile.TarFile]]:
    """(index, streamed layer archive) for each layer of an open ``docker save`` tarball (legacy and OCI)."""
    manifest = json.load(outer.extractfile("manifest.json"))  # type: ignore[arg-type]
    for idx, name in enumerate(manifest[0]["Layers"]):
        fobj = outer.extractfile(name)
        if fobj is None:
            continue
        with tarfile.open(fileobj=fobj, mode="r|*") as layer:
            yield idx, layer


def layer_members(saved_tar: str | os.PathLike[str]) -> list[Member]:
    """Every entry of every layer in a ``docker save`` tarball (legacy and OCI layouts)."""
    out: list[Member] = []
    with tarfile.open(saved_tar) as outer:
        for idx, layer in _layers(outer):
            for ti in layer:
                path = ti.name[2:] if ti.name.startswith("./") else ti.name
                path = path.lstrip("/") if path not in (".", "") else ""
                if path:
                    out.append(Member(idx, path, ti.size, ti.isdir()))
    return out


def npmrc_secret_values(text: str) -> list[bytes]:
    """The credential values of an .npmrc (``//host/:_authToken=VALUE``, ``_auth=VALUE``), to look for in layers."""
    out = []
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and value.strip() and (key.startswith("//") or key.rsplit(":", 1)[-1].startswith("_")):
            out.append(value.strip().encode())
    return out


def layers_containing(saved_tar: str | os.PathLike[str], needles: Sequence[bytes]) -> list[str]:
    """``layer N: path`` for every file of every layer in a ``docker save`` tarball whose bytes contain
    one of ``needles`` (a secret's value), plus the image config when it does."""
    hits: list[str] = []
    with tarfile.open(saved_tar) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))  # type: ignore[arg-type]
        config = outer.extractfile(manifest[0]["Config"])
        if config is not None and any(n in config.read() for n in needles):
            hits.append("image config (history, env or labels)")
        for idx, layer in _layers(outer):
            for ti in layer:
                data = layer.extractfile(ti) if ti.isfile() else None
                if data is not None and any(n in data.read() for n in needles):
                    hits.append(f"layer {idx}: {ti.name}")
    return hits


SHELLS = ("bin/sh", "bin/bash", "bin/dash", "bin/ash", "bin/busybox", "usr/bin/sh", "usr/bin/bash",
          "usr/bin/dash", "usr/bin/busybox")


def shells_in(members: Iterable[Member]) -> list[str]:
    """Shell binaries present in the final filesystem (whiteouts in later layers are honoured)."""
    present: dict[str, bool] = {}
    for m in members:
        p = PurePosixPath(m.path)
        if p.name.startswith(".wh."):
            present[str(p.parent / p.name[4:])] = False
            continue
        present[m.path.rstrip("/")] = True
    return sorted(s for s in SHELLS if present.get(s))


#: Files that never belong in an image: VCS data, env files, private keys, credentials.
JUNK_PATTERNS = (".git", ".hg", ".svn", ".env", ".env.*", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*",
                 "*.pem", "*.key", "*.p12", "*.pfx", ".npmrc", ".pypirc", ".netrc", ".aws", ".ssh", ".docker",
                 "*.tfstate", ".dockgen-junk*")
#: System places where key/cert-looking files are expected (CA bundles, package data).
SYSTEM_PREFIXES = ("etc/ssl/", "etc/pki/", "etc/ca-certificates", "usr/share/ca-certificates/", "usr/lib/ssl/",
                   "usr/local/share/ca-certificates/", "usr/share/doc/", "usr/share/", "etc/java",
                   "opt/java/", "usr/lib/jvm/", "usr/lib/python3", "usr/local/lib/python3", "usr/local/go/",
                   "var/lib/dpkg/", "proc/", "sys/")
_VENDORED = re.compile(r"(^|/)(site-packages|dist-packages|node_modules|vendor|go/pkg/mod|\.m2)/")


def _junk_name(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    for part in parts:
        for pat in JUNK_PATTERNS:
            if fnmatch.fnmatchcase(part, pat):
                return pat
    return None


def context_junk(context: str | os.PathLike[str]) -> list[str]:
    """Relative paths in a build context that match the junk patterns (top-level match per path)."""
    root = Path(context)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        for name in sorted(dirnames + filenames):
            if _junk_name(name):
                out.append((rel_dir / name).as_posix())
        dirnames[:] = [d for d in dirnames if not _junk_name(d)]
    return sorted(out)


def find_junk(members: Iterable[Member], context_items: Sequence[str] = (), first_own_layer: int = 0,
              shipped: Sequence[str] = ()) -> list[str]:
    """Junk inside the image's layers: context junk found at any depth (``…/app/.env``) in the
    layers the build added (from ``first_own_layer``: the base image's own files, like npm's bundled
    ``.npmrc``, did not come from the context), plus anything matching the junk patterns outside
    system and package-data locations in any layer. ``shipped``: file names the Dockerfile copies on
    purpose (a credential-free ``.npmrc`` the generator re-includes with ``!.npmrc``)."""
    hits: set[str] = set()
    ctx = [c.rstrip("/") for c in context_items if c not in shipped]
    for m in members:
        path = m.path.rstrip("/")
        if PurePosixPath(path).name.startswith(".wh.") or PurePosixPath(path).name in shipped:
            continue
        for c in (ctx if m.layer >= first_own_layer else ()):
            # Package data (e.g. npm's own node_modules/npm/.npmrc in the node images) is not from the context.
            if _VENDORED.search(path):
                break
            if path == c or path.endswith("/" + c) or path.startswith(c + "/") or ("/" + c + "/") in path:
                hits.add(path)
                break
        else:
            if _junk_name(path) and not path.startswith(SYSTEM_PREFIXES) and not _VENDORED.search(path):
                hits.add(path)
    # Report a junk directory once (``app/.git``), not every file under it.
    names = {PurePosixPath(c).name for c in ctx}
    out: set[str] = set()
    for h in hits:
        parts = PurePosixPath(h).parts
        cut = next((i for i, part in enumerate(parts) if part in names or _junk_name(part)), len(parts) - 1)
        out.add("/".join(parts[: cut + 1]))
    return sorted(out)


def file_size_in(members: Iterable[Member], path: str) -> int | None:
    """Size of ``path`` in the final filesystem (last layer that has it)."""
    want = path.lstrip("/")
    size = None
    for m in members:
        if m.path.rstrip("/") == want and not m.is_dir:
            size = m.size
    return size


# ---- installers, build tools and caches in a runner ------------------------------------------------

#: (what, pattern) for files that only install or build: a runner needs none of them. ``name`` is
#: the package the path belongs to (kept when the app depends on it: ``allowed``).
_PY_TOOLS = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel", "poetry", "poetry_core",
             "poetry_plugin_export", "pdm", "pdm_backend", "hatchling", "flit_core", "pipenv", "virtualenv", "uv")
TOOLING = (
    ("python installer or build backend",
     re.compile(r"(?:^|/)site-packages/(?P<name>" + "|".join(_PY_TOOLS) + r")(?:/|-[^/]*\.dist-info/)")),
    ("python installer or build backend", re.compile(r"(?:^|/)site-packages/(?P<name>distutils-precedence)\.pth$")),
    ("installer command", re.compile(r"(?:^|/)bin/(?P<name>pip|pip3(?:\.\d+)?|uv|uvx|poetry|pdm|pipenv)$")),
    ("package-manager cache",
     re.compile(r"(?:^|/)(?P<name>\.cache/(?:pip|uv|pypoetry|pdm|pipenv)|\.npm/_cacache|\.yarn/berry/cache|"
                r"\.pnpm-store|pnpm/store|node_modules/\.cache|\.m2/repository|\.gradle/caches|go/pkg/mod/cache)/")),
    ("node package manager", re.compile(r"(?:^|/)node_modules/(?P<name>npm|corepack|pnpm|yarn)/")),
)
#: Dev tooling that is never a runtime package when the project lists it only in devDependencies.
NODE_DEV_TOOLS = ("typescript", "ts-node", "tsx", "eslint", "prettier", "jest", "vitest", "mocha", "nodemon",
                  "husky", "lint-staged", "webpack", "vite", "@swc/core", "@nestjs/cli", "nx")


def find_tooling(members: Iterable[Member], first_own_layer: int = 0, allowed: Iterable[str] = (),
                 dev_only: Iterable[str] = ()) -> list[str]:
    """``what: path`` for each installer, build backend, package-manager cache or dev-only package
    in the layers the build added (from ``first_own_layer``), one line per package or cache
    directory. ``allowed``: package names the app itself depends on (setuptools for an app that
    imports pkg_resources); ``dev_only``: node packages the project lists only in devDependencies."""
    patterns = list(TOOLING)
    dev = [re.escape(d) for d in dev_only if d in NODE_DEV_TOOLS or d.startswith("@types/")]
    if dev:
        patterns.append(("dev dependency", re.compile(r"(?:^|/)node_modules/(?P<name>" + "|".join(dev) + r")/")))
    keep = set(allowed)
    hits: set[str] = set()
    for m in members:
        if m.layer < first_own_layer or PurePosixPath(m.path).name.startswith(".wh."):
            continue
        for what, pat in patterns:
            found = pat.search(m.path.rstrip("/"))
            if found and found.group("name") not in keep:
                hits.add(f"{what}: {m.path[:found.end('name')]}")
    return sorted(hits)


def runtime_tools(facts) -> tuple[str, ...]:
    """The tool names an app's own production install brings (Python: ``facts.installed``), so
    ``find_tooling`` leaves them alone; setuptools brings pkg_resources and its .pth hook."""
    installed = getattr(getattr(facts, "installed", None), "value", None) or ()
    names = {n.replace("-", "_") for n in installed}
    if "setuptools" in names:
        names |= {"pkg_resources", "_distutils_hack", "distutils-precedence"}
    return tuple(sorted(names & (set(_PY_TOOLS) | {"distutils-precedence"})))


def node_dev_only(package_json: str) -> tuple[str, ...]:
    """Names package.json lists in devDependencies and in no runtime dependency table."""
    data = json.loads(package_json)
    runtime = {n for k in ("dependencies", "optionalDependencies", "peerDependencies") for n in data.get(k) or {}}
    return tuple(sorted(n for n in data.get("devDependencies") or {} if n not in runtime))

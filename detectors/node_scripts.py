"""Node: reading one package.json script — is it ``node <file>``, a build step before it, a
development server, or a tool that only the devDependencies install?

Pure text functions; ``node_app.read_app`` decides what the candidates are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import safe
from .repo import RepoView

PACKAGE_JSON = "package.json"
#: Development / reload servers: never the container's command.
DEV_TOOLS = ("nodemon", "ts-node-dev", "tsnd", "node-dev", "supervisor", "vite", "webpack-dev-server",
             "react-scripts", "parcel", "live-server", "browser-sync")
_DEV_PHRASES = ((re.compile(r"\bnode\s+(?:[^&|;]*\s)?--watch\b"), "node --watch"),
                (re.compile(r"\bnext\s+dev\b"), "next dev"),
                (re.compile(r"\bnest\s+start\s+(?:[^&|;]*\s)?--watch\b"), "nest start --watch"),
                (re.compile(r"\bnuxt\s+dev\b"), "nuxt dev"), (re.compile(r"\btsx\s+watch\b"), "tsx watch"),
                (re.compile(r"\bwebpack\s+serve\b"), "webpack serve"), (re.compile(r"\bastro\s+dev\b"), "astro dev"),
                (re.compile(r"\bnx\s+(?:serve\b|run\s+\S+:serve\b)"), "nx serve"),
                (re.compile(r"\bng\s+serve\b"), "ng serve"), (re.compile(r"\bvue-cli-service\s+serve\b"), "vue-cli-service serve"),
                (re.compile(r"\bexpo\s+start\b"), "expo start"), (re.compile(r"\breact-native\s+start\b"), "react-native start"),
                (re.compile(r"\bdocusaurus\s+start\b"), "docusaurus start"), (re.compile(r"\bgatsby\s+develop\b"), "gatsby develop"),
                (re.compile(r"\bremix\s+dev\b"), "remix dev"), (re.compile(r"\bember\s+serve\b"), "ember serve"))
#: Commands a start script may run before ``node``: they build, so they belong in the image build.
BUILD_TOOLS = ("tsc", "babel", "esbuild", "swc", "tsup", "rollup", "webpack")
#: Commands whose package has another name (the rest are looked up under their own name).
_BIN_PACKAGES = {"nest": "@nestjs/cli", "babel-node": "@babel/node", "tsc": "typescript",
                 "remix-serve": "@remix-run/serve", "react-router-serve": "@react-router/serve"}
PM_RUN = re.compile(r"^(npm run|npm run-script|yarn run|yarn|pnpm run|pnpm|bun run)\s+([A-Za-z0-9:_.-]+)$")
_ENV_FILE = re.compile(r"^--env-file(?:-if-exists)?(?:=(.+))?$")
#: ``dotenv -e .env -- node x.js`` (dotenv-cli) and ``env-cmd -f .env node x.js``: they only load a file.
_DOTENV = re.compile(r"^(?:npx\s+)?dotenv(?:-cli)?((?:\s+-e\s+[A-Za-z0-9_./-]+)*)\s+(?:--\s+)?(node\s.+)$")
_ENV_CMD = re.compile(r"^(?:npx\s+)?env-cmd(?:\s+(?:-f|--file)\s+([A-Za-z0-9_./-]+))?\s+(?:--\s+)?(node\s.+)$")
#: Require hooks that compile the app's own code at run time: an entry that loads one cannot run
#: without it. (Other devDependency imports are often guarded — ``if (dev) require('dotenv')`` — so
#: they are not judged.)
_LOADERS = ("ts-node", "tsx", "@babel/register", "babel-register", "esbuild-register", "@swc-node/register",
            "@swc/register", "sucrase", "@esbuild-kit/cjs-loader", "tsconfig-paths")
#: Packages the code loads (``require('ts-node/register')``, ``import x from 'tsx'``).
_BARE_IMPORT = re.compile(r"""(?:require\(\s*|\bfrom\s+|\bimport\s+|\bimport\(\s*)['"]([@A-Za-z0-9][^'"\s]*)['"]""")
_PRELOAD_FLAGS = ("-r", "--require", "--import", "--loader", "--experimental-loader")


def section(pkg: dict, key: str) -> dict:
    v = pkg.get(key)
    return v if isinstance(v, dict) else {}


def strip_js_comments(text: str) -> str:
    """JavaScript/TypeScript without comments; a block comment keeps its line breaks (file:line evidence)."""
    text = re.sub(r"/\*.*?\*/", lambda m: " " + "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    return re.sub(r"(?m)(^|[^:'\"`\\])//.*$", r"\1", text)


def dev_tool(script: str) -> str | None:
    """The development server a script runs, if any (``nodemon``, ``node --watch``, ``next dev``)."""
    for part in re.split(r"&&|\|\||;|\|", script):
        words = _command_words(part)
        if words and words[0] in DEV_TOOLS:
            return words[0]
    for pat, label in _DEV_PHRASES:
        if pat.search(script):
            return label
    return None


def _command_words(part: str) -> list[str]:
    """The words of one command without ``VAR=x`` prefixes, ``npx``/``exec`` and ``cross-env VAR=x``."""
    words = part.split()
    while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] in ("npx", "exec", "cross-env")):
        words = words[1:]
    return words


def dev_package(name: str, pkg: dict) -> bool:
    """``name`` (or the package of ``ts-node/register``, ``@babel/register``) is a devDependency only."""
    pkg_name = _package_of(name)
    return pkg_name in section(pkg, "devDependencies") and pkg_name not in section(pkg, "dependencies") \
        and pkg_name not in section(pkg, "optionalDependencies")


def devdep_tool(script: str, pkg: dict) -> str | None:
    """The program a script's last command runs when only a devDependency provides it (``ts-node``,
    ``nest``, ``nx``): the production image does not have it."""
    words = _command_words(re.split(r"&&|\|\||;", script)[-1])
    if not words or words[0] == "node":
        return None
    return words[0] if dev_package(_BIN_PACKAGES.get(words[0], words[0]), pkg) else None


def dev_requires(repo: RepoView, path: str, pkg: dict, preload: tuple[str, ...] = ()) -> str | None:
    """The first package a ``node -r`` preload names, or require hook ``path`` loads (``ts-node/register``),
    that only a devDependency installs."""
    for spec in preload:
        if dev_package(spec, pkg):
            return spec
    text = repo.read_text_if_exists(path) if repo.is_file(path) else None
    if text is None:
        return None
    for m in _BARE_IMPORT.finditer(strip_js_comments(text)):
        spec = m.group(1)
        if _package_of(spec) in _LOADERS and dev_package(spec, pkg):
            return spec
    return None


def _package_of(spec: str) -> str:
    parts = spec.split("/")
    return "/".join(parts[:2]) if spec.startswith("@") else parts[0]


def build_part(part: str, scripts: dict) -> tuple[str, ...] | None:
    """Words of a build step a start script runs before node, or None when it is not one."""
    part = " ".join(part.split())
    m = PM_RUN.match(part)
    if m and m.group(2) in scripts and is_build_script(m.group(2), scripts):
        return ("run", m.group(2))
    words = part.split()
    if words and words[0] == "npx":
        words = words[1:]
    if words and (words[0] in BUILD_TOOLS or words[:2] == ["nest", "build"]):
        if any(c in part for c in "$`'\"\\<>*?(){}!~#"):
            return None
        return ("bin", *words)
    return None


def is_build_script(name: str, scripts: dict) -> bool:
    body = scripts.get(name)
    if not isinstance(body, str):
        return False
    if "build" in name or "compile" in name:
        return True
    first = body.split()[0] if body.split() else ""
    return first in BUILD_TOOLS or body.startswith("nest build")


@dataclass
class Start:
    args: tuple[str, ...]  # after `node`
    build: tuple[str, ...] | None
    #: A dotenv file the command loads, and how (``--env-file=.env``, ``dotenv -e .env``).
    env_file: str | None
    env_loader: str = ""

    @property
    def preload(self) -> tuple[str, ...]:
        """Modules node loads before the file (``-r ts-node/register``)."""
        return tuple(v for f, v in zip(self.args, self.args[1:]) if f in _PRELOAD_FLAGS)


def _env_loader(part: str) -> tuple[str, str | None, str]:
    """(the node command, the file a dotenv wrapper loads, the wrapper as written) — or ``part`` as is."""
    m = _DOTENV.match(part)
    if m:
        files = re.findall(r"-e\s+(\S+)", m.group(1))
        return m.group(2), (files[0] if files else ".env"), "dotenv" + "".join(f" -e {f}" for f in files)
    m = _ENV_CMD.match(part)
    if m:
        return m.group(2), m.group(1) or ".env", "env-cmd" + (f" -f {m.group(1)}" if m.group(1) else "")
    return part, None, ""


def _node_command(part: str, file: str, key: str) -> Start | None:
    """``node [flags] <file>`` → its args (env-file flags and dotenv wrappers removed); None otherwise."""
    part, env_file, loader = _env_loader(part)
    words = part.split()
    if not words or words[0] != "node" or len(words) < 2:
        return None
    if any(c in part for c in "$`'\"\\<>*?(){}!~#|;&"):
        return None
    args: list[str] = []
    it = iter(words[1:])
    for w in it:
        m = _ENV_FILE.match(w)
        if m:
            env_file = m.group(1) or next(it, None)
            loader = f"--env-file={env_file}"
            continue
        args.append(w)
    if not args or args[-1].startswith("-"):
        return None
    safe.command_words(args, file, key)
    safe.rel_path(args[-1], file, key)
    return Start(tuple(args), None, env_file, loader)


def parse_start(script: object, scripts: dict, key: str) -> Start | None:
    """A start script as (node args, build words, env file), or None when it is not node-based."""
    if not isinstance(script, str):
        return None
    parts = [p.strip() for p in script.split("&&")]
    if any(not p for p in parts):
        return None
    run = _node_command(parts[-1], PACKAGE_JSON, f"scripts.{key}")
    if run is None:
        return None
    builds = [build_part(p, scripts) for p in parts[:-1]]
    if any(b is None for b in builds):
        return None
    if len(builds) > 1:
        return None  # several build steps before node: run the script's own build instead of guessing
    run.build = builds[0] if builds else None
    # npm runs `pre<name>` before `<name>`: a build there (``"prestart:prod": "tsc"``) runs at image build time.
    pre = scripts.get(f"pre{key}")
    if run.build is None and isinstance(pre, str) and build_part(pre, scripts) is not None:
        run.build = ("run", f"pre{key}")
    return run


def delegate(script: str, scripts: dict) -> str | None:
    """``npm run start-server`` → "start-server" when that script exists and is not a build."""
    m = PM_RUN.match(" ".join(script.split()))
    if m and m.group(2) in scripts and not is_build_script(m.group(2), scripts):
        return m.group(2)
    return None

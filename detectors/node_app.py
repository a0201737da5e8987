"""Node: what the app itself says about running it — start command, port, bind address.

Pure facts with evidence (``Candidate``). Read from package.json scripts and from the code of the
entry file the start command runs plus the local files it obviously requires (``require('./x')``,
``import … from './x'``), never the whole tree.

Start scripts:
  - ``node [flags] <file>``: read; ``--env-file=.env`` is dropped (the image has no .env) and noted;
  - ``<build> && node <file>`` (``npm run build``, ``tsc``, ``nest build`` …): the build part runs at
    image build time (``start_build``), the runtime part is the candidate;
  - a development/reload server (``nodemon``, ``ts-node-dev``, ``node --watch``, ``next dev``,
    ``vite`` …) is never a candidate (``dev_start``); ``start:prod`` and friends are read instead;
  - the file a script or ``main`` runs must exist after the build: a ``.ts`` file, or one that is
    neither in the repo nor under the build's output directory, is skipped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import safe
from .errors import InvalidInputError
from .facts import AppFacts, Candidate, Fact, Source, fact, unique_values
from .repo import RepoView
from .source_text import LOOPBACK

PACKAGE_JSON = "package.json"
#: Production start scripts read after (or instead of) ``start``, in order.
PROD_SCRIPTS = ("start:prod", "start:production", "prod", "serve:prod", "production")
#: Development / reload servers: never the container's command.
DEV_TOOLS = ("nodemon", "ts-node-dev", "tsnd", "node-dev", "supervisor", "vite", "webpack-dev-server",
             "react-scripts", "parcel", "live-server", "browser-sync")
_DEV_PHRASES = ((re.compile(r"\bnode\s+(?:[^&|;]*\s)?--watch\b"), "node --watch"),
                (re.compile(r"\bnext\s+dev\b"), "next dev"),
                (re.compile(r"\bnest\s+start\s+(?:[^&|;]*\s)?--watch\b"), "nest start --watch"),
                (re.compile(r"\bnuxt\s+dev\b"), "nuxt dev"), (re.compile(r"\btsx\s+watch\b"), "tsx watch"),
                (re.compile(r"\bwebpack\s+serve\b"), "webpack serve"), (re.compile(r"\bastro\s+dev\b"), "astro dev"),
                (re.compile(r"\bng\s+serve\b"), "ng serve"), (re.compile(r"\bvue-cli-service\s+serve\b"), "vue-cli-service serve"))
#: Commands a start script may run before ``node``: they build, so they belong in the image build.
BUILD_TOOLS = ("tsc", "babel", "esbuild", "swc", "tsup", "rollup", "webpack")
_PM_RUN = re.compile(r"^(npm run|yarn run|yarn|pnpm run|pnpm|bun run)\s+([A-Za-z0-9:_.-]+)$")
_SCRIPT_NAME = re.compile(r"^[A-Za-z0-9:_.-]+$")
_ENV_FILE = re.compile(r"^--env-file(?:-if-exists)?(?:=(.+))?$")
#: Local modules the entry obviously requires.
_LOCAL_IMPORT = re.compile(r"""(?:require\(\s*|\bfrom\s+|\bimport\s+)['"](\.{1,2}/[A-Za-z0-9_./-]+)['"]""")
_ENV_REF = r"process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\])"
_PORT_ENV_DEFAULT = re.compile(_ENV_REF + r"\s*(?:\|\||\?\?)\s*['\"]?([0-9]{2,5})\b")
_PORT_ENV = re.compile(_ENV_REF)
_PORT_LITERALS = (
    re.compile(r"\.listen\(\s*\{[^}]*?\bport\s*:\s*([0-9]{2,5})\b"),
    re.compile(r"\.listen\(\s*([0-9]{2,5})\s*[,)]"),
    re.compile(r"\b(?:const|let|var)\s+(?:PORT|port|DEFAULT_PORT|defaultPort)\s*=\s*([0-9]{2,5})\b"),
    re.compile(r"\bport\s*:\s*([0-9]{2,5})\b"),
)
_ADDR = r"['\"`](127\.0\.0\.1|localhost|0\.0\.0\.0|::|::1)['\"`]"
_HOST_ENV_DEFAULT = re.compile(_ENV_REF + r"\s*(?:\|\||\?\?)\s*" + _ADDR)
_HOST_KEY_LITERAL = re.compile(r"\bhost(?:name)?\s*:\s*" + _ADDR)
_LISTEN_HOST_LITERAL = re.compile(r"\.listen\(\s*[A-Za-z0-9_.]+\s*,\s*" + _ADDR)
_LISTEN_OBJ = re.compile(r"\.listen\(\s*\{([^}]*)\}")


@dataclass
class NodeApp:
    app: AppFacts = AppFacts()
    #: A build command the start script runs before node, as words (``npm run build``, ``tsc``).
    start_build: Fact[tuple[str, ...]] | None = None
    #: The development server a start script runs (never used as the command).
    dev_start: Fact[str] | None = None
    #: ``--env-file=…`` dropped from the start command.
    env_file: Fact[str] | None = None
    #: package.json main, unless it cannot run in the image (then None and a warning).
    main_ok: bool = True
    warnings: list[str] = field(default_factory=list)


def strip_js_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return re.sub(r"(?m)(^|[^:'\"`\\])//.*$", r"\1", text)


def dev_tool(script: str) -> str | None:
    """The development server a script runs, if any (``nodemon``, ``node --watch``, ``next dev``)."""
    for part in re.split(r"&&|\|\||;|\|", script):
        words = part.split()
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            words = words[1:]
        if words and words[0] in ("npx", "exec"):
            words = words[1:]
        if words and words[0] in DEV_TOOLS:
            return words[0]
    for pat, label in _DEV_PHRASES:
        if pat.search(script):
            return label
    return None


def _build_part(part: str, scripts: dict) -> tuple[str, ...] | None:
    """Words of a build step a start script runs before node, or None when it is not one."""
    part = " ".join(part.split())
    m = _PM_RUN.match(part)
    if m and m.group(2) in scripts and _is_build_script(m.group(2), scripts):
        return ("run", m.group(2))
    words = part.split()
    if words and words[0] == "npx":
        words = words[1:]
    if words and (words[0] in BUILD_TOOLS or words[:2] == ["nest", "build"]):
        if any(c in part for c in "$`'\"\\<>*?(){}!~#"):
            return None
        return ("bin", *words)
    return None


def _is_build_script(name: str, scripts: dict) -> bool:
    body = scripts.get(name)
    if not isinstance(body, str):
        return False
    if "build" in name or "compile" in name:
        return True
    first = body.split()[0] if body.split() else ""
    return first in BUILD_TOOLS or body.startswith("nest build")


@dataclass
class _Start:
    args: tuple[str, ...]  # after `node`
    build: tuple[str, ...] | None
    env_file: str | None


def _node_command(part: str, file: str, key: str) -> _Start | None | str:
    """``node [flags] <file>`` → its args (env-file flags removed); "" when ``part`` is not node."""
    words = part.split()
    if not words or words[0] != "node" or len(words) < 2:
        return ""
    if any(c in part for c in "$`'\"\\<>*?(){}!~#|;&"):
        return ""
    args: list[str] = []
    env_file = None
    it = iter(words[1:])
    for w in it:
        m = _ENV_FILE.match(w)
        if m:
            env_file = m.group(1) or next(it, None)
            continue
        args.append(w)
    if not args or args[-1].startswith("-"):
        return ""
    safe.command_words(args, file, key)
    safe.rel_path(args[-1], file, key)
    return _Start(tuple(args), None, env_file)


def parse_start(script: object, scripts: dict, key: str) -> _Start | None:
    """A start script as (node args, build words, env file), or None when it is not node-based."""
    if not isinstance(script, str):
        return None
    parts = [p.strip() for p in script.split("&&")]
    if any(not p for p in parts):
        return None
    run = _node_command(parts[-1], PACKAGE_JSON, f"scripts.{key}")
    if not isinstance(run, _Start):
        return None
    builds = [_build_part(p, scripts) for p in parts[:-1]]
    if any(b is None for b in builds):
        return None
    if len(builds) > 1:
        return None  # several build steps before node: run the script's own build instead of guessing
    run.build = builds[0] if builds else None
    return run


def _strip_ext(path: str) -> str:
    return re.sub(r"\.(?:c|m)?js$", "", path)


def _source_of_built(repo: RepoView, target: str, out_dirs: tuple[str, ...]) -> str | None:
    """``dist/server.js`` → ``src/server.ts`` (or the .js in the repo): the file to read for the port."""
    if repo.is_file(target):
        return target
    for out in out_dirs:
        if target.startswith(out + "/"):
            rest = _strip_ext(target[len(out) + 1:])
            for cand in (f"src/{rest}.ts", f"{rest}.ts", f"src/{rest}.js", f"src/{rest}.mts", f"lib/{rest}.ts"):
                if repo.is_file(cand):
                    return cand
    return None


def runnable(repo: RepoView, target: str, out_dirs: tuple[str, ...], builds: bool) -> bool:
    """The file exists in the image after the build: in the repo (and not TypeScript), or built."""
    if target.endswith((".ts", ".mts", ".cts", ".tsx")):
        return False
    if repo.is_file(target) or repo.is_file(target + ".js"):
        return True
    return builds and any(target.startswith(o + "/") for o in out_dirs)


def read_app(repo: RepoView, pkg: dict, *, main: Fact[str] | None, ts_out_dir: Fact[str] | None,
             has_build_script: bool, fastify: bool) -> NodeApp:
    out = NodeApp()
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    out_dirs = tuple(dict.fromkeys([*(t for t in [ts_out_dir.value if ts_out_dir else None] if t), "dist", "build"]))
    starts: list[Candidate[tuple[str, ...]]] = []
    env_file: Fact[str] | None = None

    def consider(key: str) -> None:
        nonlocal env_file
        body = scripts.get(key)
        if not isinstance(body, str):
            return
        src = Source.of(PACKAGE_JSON, f"scripts.{key}")
        tool = dev_tool(body)
        if tool is not None:
            if key == "start":
                out.dev_start = fact(tool, src)
            return
        st = parse_start(body, scripts, key)
        if st is None:
            return
        builds = has_build_script or st.build is not None
        target = st.args[-1]
        if not runnable(repo, target, out_dirs, builds):
            out.warnings.append(f"{src} runs {target}, which is not there after the build"
                                + (" (TypeScript source)" if target.endswith(".ts") else "") + "; not used")
            return
        if st.env_file is not None and env_file is None:
            env_file = fact(st.env_file, src)
        if st.build is not None and out.start_build is None and not starts:
            out.start_build = fact(st.build, src)
        starts.append(Candidate(value=("node", *st.args), evidence=src, confidence="read"))

    consider("start")
    for key in PROD_SCRIPTS:
        consider(key)
    if main is not None:
        builds = has_build_script or out.start_build is not None
        if runnable(repo, main.value, out_dirs, builds):
            if not main.value.startswith("-"):
                starts.append(Candidate(value=("node", main.value), evidence=main.source, confidence="read"))
        elif starts or main.value.endswith((".ts", ".mts", ".cts", ".tsx")):
            out.main_ok = False
            better = f"; using {starts[0].evidence}" if starts else ""
            out.warnings.append(f"{main.source} is {main.value}, which does not exist in the image after the "
                                f"build{better}")
    out.env_file = env_file

    # Port and bind: the chosen entry's code and what it requires.
    entry = starts[0].value[-1] if starts else (main.value if main is not None and out.main_ok else None)
    files: list[str] = []
    if entry is not None:
        src_file = _source_of_built(repo, entry, out_dirs)
        if src_file is not None:
            files = _with_requires(repo, src_file)
    for fallback in ("server.js", "index.js", "app.js", "main.js", "src/main.ts", "src/index.ts", "src/server.ts"):
        if not files and repo.is_file(fallback):
            files = _with_requires(repo, fallback)
    port, port_env, bind, bind_env = _read_code(repo, files, fastify)
    out.app = AppFacts(start=tuple(starts), port=port, port_env=port_env, bind=bind, bind_env=bind_env)
    if bind and bind[0].value in LOOPBACK and not bind_env:
        out.warnings.append(f"the app listens on {bind[0].value} (from {bind[0].evidence}), which a container "
                            "cannot publish: listen on 0.0.0.0 (Fastify: pass host: '0.0.0.0' to listen()), "
                            "or read the host from an environment variable")
    if env_file is not None:
        out.warnings.append(f"{env_file.source} loads --env-file={env_file.value}; the image has no "
                            f"{env_file.value} (.dockerignore keeps .env* out), so the flag is dropped: "
                            "set the values with --env K=V")
    return out


def _resolve(repo: RepoView, base_dir: str, spec: str) -> str | None:
    parts = [p for p in (base_dir.split("/") if base_dir else [])]
    for seg in spec.split("/"):
        if seg == "..":
            if not parts:
                return None
            parts.pop()
        elif seg not in (".", ""):
            parts.append(seg)
    path = "/".join(parts)
    stem = _strip_ext(path)
    for cand in (path, stem + ".js", stem + ".ts", stem + ".mjs", stem + ".cjs", f"{path}/index.js", f"{path}/index.ts"):
        if cand and repo.is_file(cand):
            return cand
    return None


def _with_requires(repo: RepoView, entry: str, limit: int = 6) -> list[str]:
    """The entry file, then the local files it requires directly (a few, in order)."""
    files = [entry]
    try:
        text = strip_js_comments(repo.read_text(entry))
    except InvalidInputError:
        return []
    base = entry.rsplit("/", 1)[0] if "/" in entry else ""
    for m in _LOCAL_IMPORT.finditer(text):
        f = _resolve(repo, base, m.group(1))
        if f and f not in files:
            files.append(f)
        if len(files) >= limit:
            break
    return files


def _read_code(repo: RepoView, files: list[str], fastify: bool):
    port: list[Candidate[int]] = []
    port_env: list[Candidate[str]] = []
    bind: list[Candidate[str]] = []
    bind_env: list[Candidate[tuple[str, str]]] = []
    saw_listen_without_host = None
    for path in files:
        try:
            code = strip_js_comments(repo.read_text(path))
        except InvalidInputError:
            continue
        for i, line in enumerate(code.splitlines(), 1):
            src = Source.of(path, f"line {i}")
            for m in _PORT_ENV_DEFAULT.finditer(line):
                name = m.group(1) or m.group(2)
                if "PORT" in name.upper():
                    port.append(Candidate(value=safe.port(m.group(3), path, "port"), evidence=src, confidence="read"))
                    port_env.append(Candidate(value=name, evidence=src, confidence="read"))
            for m in _PORT_ENV.finditer(line):
                name = m.group(1) or m.group(2)
                if "PORT" in name.upper() and not any(c.value == name for c in port_env):
                    port_env.append(Candidate(value=name, evidence=src, confidence="read"))
            for pat in _PORT_LITERALS:
                for m in pat.finditer(line):
                    port.append(Candidate(value=safe.port(m.group(1), path, "port"), evidence=src, confidence="read"))
            for m in _HOST_ENV_DEFAULT.finditer(line):
                name = m.group(1) or m.group(2)
                if "PORT" in name.upper():
                    continue
                bind.append(Candidate(value=_norm(m.group(3)), evidence=src, confidence="read"))
                bind_env.append(Candidate(value=(name, "0.0.0.0"), evidence=src, confidence="read"))
            for pat in (_HOST_KEY_LITERAL, _LISTEN_HOST_LITERAL):
                for m in pat.finditer(line):
                    bind.append(Candidate(value=_norm(m.group(1)), evidence=src, confidence="read"))
        for m in _LISTEN_OBJ.finditer(code):
            if not re.search(r"\bhost\b", m.group(1)):
                line = code.count("\n", 0, m.start()) + 1
                saw_listen_without_host = saw_listen_without_host or Source.of(path, f"line {line}")
    # Several mentions of one port in the order read: keep the first of each value.
    port = unique_values(port)
    port_env = unique_values(port_env)
    if fastify and not bind and saw_listen_without_host is not None:
        bind.append(Candidate(value="127.0.0.1", evidence=saw_listen_without_host.plus(
            "(Fastify's default: listen() without host)"), confidence="derived"))
    return tuple(port), tuple(port_env), tuple(unique_values(bind)), tuple(unique_values(bind_env))


def _norm(addr: str) -> str:
    return "127.0.0.1" if addr == "localhost" else addr


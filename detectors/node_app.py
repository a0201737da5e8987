"""Node: what the app itself says about running it — start command, port, bind address, writable dirs.

Pure facts with evidence (``Candidate``). Read from package.json scripts and from the code of the
entry file the start command runs plus the local files it requires (``require('./x')``,
``import … from './x'``), never the whole tree.

Start scripts:
  - ``node [flags] <file>``: read; a ``.env`` the image does not have is dropped and noted
    (``--env-file=.env``, ``dotenv -e .env --``, ``env-cmd -f .env``);
  - ``<build> && node <file>`` (``npm run build``, ``tsc``, ``nest build`` …), or a ``pre<name>`` script
    that builds (npm runs ``prestart:prod`` before ``start:prod``): the build part runs at image build
    time (``start_build``), the runtime part is the candidate;
  - ``npm run <name>`` (``yarn <name>``, ``pnpm <name>``): the script it runs is read instead;
  - a development/reload server (``nodemon``, ``ts-node-dev``, ``node --watch``, ``next dev``,
    ``nx serve``, ``vite`` …) is never a candidate (``dev_start``), nor a tool or a file that needs a
    devDependency (``ts-node``, ``nest start``, an ``index.js`` requiring ``ts-node/register``): the
    runner has production dependencies only (``devdep_start``). ``start:prod`` and friends are read
    instead, then an Nx project's built entry (``node_nx``);
  - the file a script or ``main`` runs must exist after the build: a ``.ts`` file, or one that is
    neither in the repo nor under the build's output directory, is skipped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import node_nx, node_scripts, node_services, node_writable, safe
from .errors import InvalidInputError
from .facts import AppFacts, Candidate, Fact, Source, fact, unique_values
from .node_scripts import dev_tool, parse_start, strip_js_comments
from .repo import RepoView
from .source_text import LOOPBACK, is_port_name, line_of

PACKAGE_JSON = "package.json"
#: Production start scripts read after (or instead of) ``start``, in order.
PROD_SCRIPTS = ("start:prod", "start:production", "prod", "serve:prod", "production")
#: Local modules the entry obviously requires.
_LOCAL_IMPORT = re.compile(r"""(?:require\(\s*|\bfrom\s+|\bimport\s+)['"](\.{1,2}/[A-Za-z0-9_./-]+)['"]""")
_ENV_REF = r"process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\])"
#: ``process.env.APP_PORT || 4000``, ``?? 4000``, ``process.env.PORT ? Number(process.env.PORT) : 4000``,
#: and inside a conversion: ``Number(process.env.DOCKGE_PORT) || 5001``, ``parseInt(process.env.PORT, 10) || 3000``.
_PORT_ENV_DEFAULT = re.compile(_ENV_REF + r"(?:\s*,\s*10)?\s*\)?\s*(?:\|\||\?\?|\?[^:;\n]*?:)\s*['\"]?([0-9]{2,5})\b")
_PORT_ENV = re.compile(_ENV_REF)
#: ``[args.port, process.env.APP_PORT, process.env.PORT, 3001].map(parseInt).find(…)``: the first set wins.
_PORT_LIST = re.compile(r"\[([^\[\]]*?process\.env[^\[\]]*?),\s*([0-9]{2,5})\s*,?\s*\]")
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
_TS = (".ts", ".mts", ".cts", ".tsx")


@dataclass
class NodeApp:
    app: AppFacts = AppFacts()
    #: A build command the start script runs before node, as words (``npm run build``, ``tsc``).
    start_build: Fact[tuple[str, ...]] | None = None
    #: The development server a start script runs (never used as the command).
    dev_start: Fact[str] | None = None
    #: ``scripts.start`` runs a tool, or a file that loads a package, only a devDependency installs
    #: (``ts-node``, ``nest start``, ``require('ts-node/register')``): never ``npm start`` either.
    devdep_start: Fact[str] | None = None
    #: A dotenv file the start command loads (dropped: the image has none), and the flag or wrapper.
    env_file: Fact[str] | None = None
    env_loader: str = ""
    #: Nx: the build target's output folder, and why its built entry is unknown ("" when known).
    build_out_dir: Fact[str] | None = None
    nx_problem: str = ""
    #: package.json main, unless it cannot run in the image (then None and a warning).
    main_ok: bool = True
    warnings: list[str] = field(default_factory=list)


def _strip_ext(path: str) -> str:
    return re.sub(r"\.(?:c|m)?js$", "", path)


def _source_of_built(repo: RepoView, target: str, out_dirs: tuple[str, ...]) -> str | None:
    """``dist/server.js`` → ``src/server.ts`` (or the .js in the repo): the file to read for the port. The
    source wins over a committed build output (it is rebuilt, and it is what the author edits)."""
    for out in out_dirs:
        if target.startswith(out + "/"):
            rest = _strip_ext(target[len(out) + 1:])
            for cand in (f"src/{rest}.ts", f"{rest}.ts", f"src/{rest}.js", f"src/{rest}.mts", f"lib/{rest}.ts"):
                if repo.is_file(cand):
                    return cand
    return target if repo.is_file(target) else None


def runnable(repo: RepoView, target: str, out_dirs: tuple[str, ...], builds: bool) -> bool:
    """The file exists in the image after the build: in the repo (and not TypeScript), or built."""
    if target.endswith(_TS):
        return False
    if repo.is_file(target) or repo.is_file(target + ".js"):
        return True
    return builds and any(target.startswith(o + "/") for o in out_dirs)


@dataclass
class _Reader:
    """Reads the start candidates from package.json scripts (``read_app``'s first half)."""

    repo: RepoView
    pkg: dict
    scripts: dict
    out_dirs: tuple[str, ...]
    has_build_script: bool
    out: NodeApp
    starts: list[Candidate[tuple[str, ...]]] = field(default_factory=list)
    #: Where the port is read for a candidate whose file is built (Nx: the build target's main).
    sources: dict[str, str] = field(default_factory=dict)

    def consider(self, key: str, origin: str | None = None, depth: int = 0) -> None:
        body = self.scripts.get(key)
        if not isinstance(body, str) or depth > 3:
            return
        origin = origin or key
        src = Source.of(PACKAGE_JSON, f"scripts.{key}") if origin == key else \
            Source.of(PACKAGE_JSON, f"scripts.{key} (run by scripts.{origin})")
        tool = dev_tool(body)
        if tool is not None:
            if origin == "start":
                self.out.dev_start = fact(tool, src)
            return
        inner = node_scripts.delegate(body, self.scripts)
        if inner is not None and inner != key:
            self.consider(inner, origin, depth + 1)
            return
        st = parse_start(body, self.scripts, key)
        if st is None:
            devdep = node_scripts.devdep_tool(body, self.pkg)
            if devdep is not None and origin == "start":
                self.out.devdep_start = fact(devdep, src)
                # `nest start` compiles, then runs dist/main.js: compile at image build time instead.
                if devdep == "nest" and not self.has_build_script and self.out.start_build is None:
                    self.out.start_build = fact(("bin", "nest", "build"), src)
            return
        self._add_start(st, src, origin)

    def _add_start(self, st: node_scripts.Start, src: Source, origin: str) -> None:
        target = st.args[-1]
        if not runnable(self.repo, target, self.out_dirs, self.has_build_script or st.build is not None):
            self.out.warnings.append(f"{src} runs {target}, which is not there after the build"
                                     + (" (TypeScript source)" if target.endswith(".ts") else "") + "; not used")
            return
        needs = node_scripts.dev_requires(self.repo, target, self.pkg, st.preload)
        if needs is not None:
            self.out.warnings.append(f"{src} runs {target}, which loads {needs}, a devDependency that the "
                                     "production image does not install; not used")
            if origin == "start":
                self.out.devdep_start = fact(needs, src)
            return
        if st.env_file is not None and self.out.env_file is None:
            self.out.env_file, self.out.env_loader = fact(st.env_file, src), st.env_loader
        if st.build is not None and self.out.start_build is None and not self.starts:
            self.out.start_build = fact(st.build, src)
        self.starts.append(Candidate(value=("node", *st.args), evidence=src, confidence="read"))

    def nx(self) -> None:
        """An Nx project's built entry (after the scripts: a ``start:prod`` written by hand wins)."""
        if not node_nx.is_nx(self.repo, self.pkg):
            return
        start = self.scripts.get("start")
        project = node_nx.serve_project(start) if isinstance(start, str) else None
        nx = node_nx.built_entry(self.repo, project or "")
        if nx is None:
            return
        self.out.build_out_dir, self.out.nx_problem = nx.out_dir, nx.problem
        if nx.start is None:
            return
        self.out_dirs = (nx.out_dir.value, *self.out_dirs) if nx.out_dir else self.out_dirs
        if not self.has_build_script and self.out.start_build is None:
            words = node_nx.build_words(nx)
            if words is None and not self.starts:
                self.out.nx_problem = f'{nx.start.evidence}: package.json has no "build": "nx build" script'
            if words is None or self.starts:
                return  # a script's own build comes first; an odd project name is not put in a command
            self.out.start_build = fact(words, nx.start.evidence)
        self.starts.append(nx.start)
        if nx.source_file:
            self.sources[nx.start.value[-1]] = nx.source_file

    def main(self, main: Fact[str]) -> None:
        builds = self.has_build_script or self.out.start_build is not None
        if runnable(self.repo, main.value, self.out_dirs, builds):
            needs = node_scripts.dev_requires(self.repo, main.value, self.pkg)
            if needs is not None:
                self.out.main_ok = False
                self.out.warnings.append(f"{main.source} is {main.value}, which loads {needs}, a devDependency "
                                         "that the production image does not install; not used")
            elif not main.value.startswith("-"):
                self.starts.append(Candidate(value=("node", main.value), evidence=main.source, confidence="read"))
        else:
            self.out.main_ok = False
            better = f"; using {self.starts[0].evidence}" if self.starts else ""
            self.out.warnings.append(f"{main.source} is {main.value}, which does not exist in the image after the "
                                     f"build{better}")


def read_app(repo: RepoView, pkg: dict, *, main: Fact[str] | None, ts_out_dir: Fact[str] | None,
             has_build_script: bool, fastify: bool) -> NodeApp:
    out = NodeApp()
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    out_dirs = tuple(dict.fromkeys([*(t for t in [ts_out_dir.value if ts_out_dir else None] if t), "dist", "build"]))
    r = _Reader(repo, pkg, scripts, out_dirs, has_build_script, out)
    r.consider("start")
    for key in PROD_SCRIPTS:
        r.consider(key)
    r.nx()
    if main is not None:
        r.main(main)
    starts = r.starts

    # Port and bind: the chosen entry's code and what it requires; writable dirs: a wider circle of it.
    entry = starts[0].value[-1] if starts else (main.value if main is not None and out.main_ok else None)
    src_file = None
    if entry is not None:
        src_file = r.sources.get(entry) or _source_of_built(repo, entry, r.out_dirs)
    for fallback in (_script_file(repo, scripts.get("start")), "server.js", "index.js", "app.js", "main.js",
                     "src/main.ts", "src/index.ts", "src/server.ts"):
        if src_file is None and fallback is not None and repo.is_file(fallback):
            src_file = fallback
    files = _with_requires(repo, src_file) if src_file else []
    port, port_env, bind, bind_env = _read_code(repo, files, fastify)
    reached = reachable(repo, src_file) if src_file else []
    writable = node_writable.writable(reached, out.warnings)
    needs, need_warnings = node_services.detect(repo, pkg, reached)
    out.warnings += need_warnings
    out.app = AppFacts(start=tuple(starts), port=port, port_env=port_env, bind=bind, bind_env=bind_env,
                       writable=tuple(writable), services=needs)
    if bind and bind[0].value in LOOPBACK and not bind_env:
        out.warnings.append(f"the app listens on {bind[0].value} (from {bind[0].evidence}), which a container "
                            "cannot publish: listen on 0.0.0.0 (Fastify: pass host: '0.0.0.0' to listen()), "
                            "or read the host from an environment variable")
    if out.env_file is not None:
        out.warnings.append(f"{out.env_file.source} loads {out.env_file.value} ({out.env_loader}); the image has no "
                            f"{out.env_file.value} (.dockerignore keeps .env* out), so {out.env_loader} is dropped: "
                            "set the values with --env K=V")
    return out


def _script_file(repo: RepoView, body: object) -> str | None:
    """The source file a start run by another tool names (``tsx ./backend/index.ts``), for reading
    its port even when the start itself stays ``npm start``."""
    if not isinstance(body, str):
        return None
    files = [w.removeprefix("./") for w in body.split() if w.endswith((".js", ".mjs", ".cjs", *_TS))]
    return next((f for f in reversed(files) if ".." not in f and not f.startswith("/") and repo.is_file(f)), None)


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


def reachable(repo: RepoView, entry: str, max_files: int = 80, depth: int = 2) -> list[tuple[str, str]]:
    """(path, comment-free code) of the entry and the local files it requires, ``depth`` levels deep,
    breadth first (where an app creates its data directory is rarely the entry file itself)."""
    seen: list[str] = []
    out: list[tuple[str, str]] = []
    level = [entry]
    for _ in range(depth + 1):
        nxt: list[str] = []
        for path in level:
            if path in seen or len(seen) >= max_files:
                continue
            seen.append(path)
            try:
                code = strip_js_comments(repo.read_text(path))
            except InvalidInputError:
                continue
            out.append((path, code))
            base = path.rsplit("/", 1)[0] if "/" in path else ""
            nxt += [f for m in _LOCAL_IMPORT.finditer(code) if (f := _resolve(repo, base, m.group(1)))]
        level = nxt
    return out


def _port_lists(path: str, code: str) -> tuple[list[Candidate[int]], list[Candidate[str]]]:
    """``[args.port, process.env.APP_PORT, process.env.PORT, 3001]``: the default last, the variables in order."""
    port: list[Candidate[int]] = []
    env: list[Candidate[str]] = []
    for m in _PORT_LIST.finditer(code):
        names = [a or b for a, b in re.findall(_ENV_REF, m.group(1))]
        if not any(is_port_name(n) for n in names):
            continue
        src = Source.of(path, f"line {line_of(code, m.start())}")
        port.append(Candidate(value=safe.port(m.group(2), path, "port"), evidence=src, confidence="read"))
        env += [Candidate(value=n, evidence=src, confidence="read") for n in names if is_port_name(n)]
    return port, env


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
        lists = _port_lists(path, code)
        port += lists[0]
        port_env += lists[1]
        for i, line in enumerate(code.splitlines(), 1):
            src = Source.of(path, f"line {i}")
            for m in _PORT_ENV_DEFAULT.finditer(line):
                name = m.group(1) or m.group(2)
                if is_port_name(name):
                    port.append(Candidate(value=safe.port(m.group(3), path, "port"), evidence=src, confidence="read"))
                    port_env.append(Candidate(value=name, evidence=src, confidence="read"))
            for m in _PORT_ENV.finditer(line):
                name = m.group(1) or m.group(2)
                if is_port_name(name) and not any(c.value == name for c in port_env):
                    port_env.append(Candidate(value=name, evidence=src, confidence="read"))
            for pat in _PORT_LITERALS:
                for m in pat.finditer(line):
                    port.append(Candidate(value=safe.port(m.group(1), path, "port"), evidence=src, confidence="read"))
            for m in _HOST_ENV_DEFAULT.finditer(line):
                name = m.group(1) or m.group(2)
                if is_port_name(name):
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


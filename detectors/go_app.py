"""Go: what one main package says about running it — port, bind address, subcommand, files, health.

Pure facts with evidence. Only the main package's own files are read, plus the module-local
packages it imports (two levels: ``internal/config`` defaults count, another binary's files never
do; the module's root package counts when a main package elsewhere imports it). Recognised:
  - flags: ``flag.Int("port", 8090, …)``, ``fs.String("addr", "127.0.0.1:8090", …)``, pflag/cobra
    ``Flags().IntVarP(&p, "port", "p", 8090, …)``, urfave ``&cli.IntFlag{Name: "port", Value: 8090}``;
    a string flag bound to a variable with an empty default takes the value the code falls back to
    (``if httpAddr == "" { httpAddr = "127.0.0.1:8090" }``), except in a branch that only runs when
    positional arguments are given (the image passes none);
  - ``viper.SetDefault("server.port", 9898)``; configuration defaults (go_defaults.py);
  - environment: ``os.Getenv("PORT")`` with a ``if port == "" { port = "8080" }`` fallback, or a
    ``getEnv("LISTEN_ADDR", "127.0.0.1:8080")`` helper;
  - listen literals: ``http.ListenAndServe(":8081", …)``, ``Addr: "127.0.0.1:8080"``;
  - ports, addresses and variables named for another listener (TLS, metrics, gRPC, a database;
    go_defaults.SECONDARY) are not the server's;
  - the command tree (go_cli.py): a root command that needs a subcommand and the one that serves;
  - whether the package serves at all (``ListenAndServe``, ``http.Server{…}``, ``net.Listen``, a router
    constructor), which ranks several main packages;
  - config files opened relative to the working directory (``os.ReadFile("config.yaml")``,
    ``viper.SetConfigName("config")`` + ``AddConfigPath(".")``, a ``--config`` flag's default), when
    they exist in the repo and are not ``.env*`` files; a port they set is read. A ``--config``
    default that is not in the repository is looked up by name in shallow directories (``docs/``),
    unless the program only reads it when ``os.Stat`` finds it;
  - assets opened relative to the working directory: a path flag's default (``--ui-path ./ui``),
    ``http.Dir("static")``, ``template.ParseGlob("templates/*.html")`` — when they exist;
  - a health route: ``HandleFunc("/healthz", …)``, ``r.GET("/health", …)``, ``"GET /api/healthz"``;
  - paths built from the executable's own location (``filepath.Dir(os.Args[0])``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from . import go_cli, go_defaults, safe, source_text
from . import go_source as gs
from .errors import InvalidInputError
from .facts import AppFacts, Candidate, Fact, Source, fact, unique_values
from .go_defaults import SECONDARY
from .repo import RepoView
from .source_text import is_address_name, is_port_name, line_of

#: Go also writes the IPv6 loopback bracketed, as in "[::1]:8080".
LOOPBACK = (*source_text.LOOPBACK, "[::1]")
_PORT_NAME = re.compile(r"(?i)^(?:[a-z]+[-_.])*(?:http[-_.])?port$")
_ADDR_NAME = re.compile(r"(?i)^(?:[a-z]+[-_.])*(?:addr|address|listen|listen[-_.]addr(?:ess)?|http|bind|host)$")
_PATH_FLAG = re.compile(r"(?i)(?:path|dir|directory|assets|static|templates?|ui|web|public|views|www|root)$")
_FLAG_CALL = re.compile(r"\.(Int|Uint|Uint16|Int64|String)(Var)?(P)?\(")
_URFAVE_FLAG = re.compile(r"\b(Int|Uint|String)Flag\s*\{")
_VIPER_DEFAULT = re.compile(r'\bSetDefault\(\s*"([A-Za-z0-9_.-]+)"\s*,\s*("?[^")]*"?)\s*\)')
_GETENV_ASSIGN = re.compile(r'\b(\w+)\s*:?=\s*os\.Getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)')
_GETENV = re.compile(r'os\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)')
_ENV_HELPER = re.compile(r'\b\w+\(\s*"([A-Z][A-Z0-9_]*)"\s*,\s*"([^"]*)"\s*\)')
_ADDR_LITERAL = re.compile(r'"((?:0\.0\.0\.0|\[::\]|127\.0\.0\.1|localhost)?):(\d{2,5})"')
_VAR_PORT = re.compile(r'(?i)\bport\w*\s*(?::=|=)\s*"(\d{2,5})"')
#: A config-file name as the first argument of any call: ``os.ReadFile("config.yaml")``,
#: ``loadConfig("settings.json", &cfg)``, ``viper.SetConfigFile("app.toml")``.
_OPEN_FILE = re.compile(r'\b[\w.]+\(\s*"([A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:yaml|yml|json|toml|ini|conf|cfg|hcl|properties))"')
_CONFIG_NAME = re.compile(r'SetConfigName\(\s*"([\w.-]+)"\s*\)')
_CONFIG_EXT = (".yaml", ".yml", ".json", ".toml", ".ini", ".conf", ".cfg", ".hcl", ".properties")
_CONFIG_FLAGS = ("config", "config-file", "configfile", "conf", "c")
_IMPORT_LINE = re.compile(r'"([^"\s]+)"')
_IMPORT_BLOCK = re.compile(r"^import\s*\(([^)]*)\)", re.M)
_IMPORT_ONE = re.compile(r'^import\s+(?:\w+\s+)?"([^"]+)"', re.M)
_CFG_PORT = (re.compile(r'(?im)^\s*"?([a-z_]*port)"?\s*[:=]\s*"?(\d{2,5})"?\s*,?\s*$'),
             re.compile(r'(?im)^\s*"?(addr|address|listen|listen_addr|http_addr|bind)"?\s*[:=]\s*"'
                        r'?[A-Za-z0-9.\[\]:]*:(\d{2,5})"?\s*,?\s*$'))
#: Evidence that a package runs a server (a CLI client has none of these).
_SERVES = re.compile(r"\bListenAndServe(?:TLS)?\(|\bhttp\.Server\s*\{|\bhttp\.Serve\(|\bnet\.Listen\(|"
                     r"\b(?:gin\.(?:Default|New)|echo\.New|fiber\.New|chi\.NewRouter|mux\.NewRouter|"
                     r"httprouter\.New|http\.NewServeMux)\(")
#: Only os.Args[0]: os.Executable() mostly serves restarts, self-updates and opt-in portable modes.
_EXE_RELATIVE = re.compile(r"filepath\.(?:Dir|Join)\(\s*os\.Args\[0\]")
_ROUTE = re.compile(r"\.(?:HandleFunc|Handle|HandlerFunc|GET|Get|HEAD|Head|Any|Match|Route)\(")
#: Health routes, best first; a method prefix ("GET /api/healthz", Go 1.22 patterns) is allowed.
_HEALTH_WORDS = ("healthz", "health", "livez", "healthcheck", "health-check", "ping", "readyz", "status")
_HEALTH = re.compile(r"^(?:(?:GET|HEAD)\s+)?(/(?:[A-Za-z0-9_-]+/){0,3}(" + "|".join(_HEALTH_WORDS) + r"))/?$")
_ASSET_CALL = re.compile(r"\b(?:http\.Dir|os\.DirFS|\w+\.ParseGlob|\w+\.ParseFiles|\w+\.LoadHTMLGlob|"
                         r"\w+\.LoadHTMLFiles|\w+\.Static|\w+\.StaticFS|\w+\.StaticFile)\(")
_ARGS_ONLY = re.compile(r"\blen\(\s*args\s*\)\s*(?:>\s*0|!=\s*0|>=\s*1)")


class GoMain(BaseModel):
    """What one main package says about running it."""

    model_config = ConfigDict(frozen=True)

    app: AppFacts = AppFacts()
    #: The flag that sets the port (``--port``), when the app has one.
    port_flag: Candidate[str] | None = None
    #: How to make a loopback default listen on all addresses with a flag: (``--address``, ``0.0.0.0``).
    bind_flag: Candidate[tuple[str, str]] | None = None
    #: The root command does nothing by itself (prints help): it needs a subcommand.
    needs_subcommand: Fact[bool] | None = None
    #: Subcommands found (all of them, in the order read).
    subcommands: tuple[str, ...] = ()
    #: The subcommands that could serve (deprecated ones and aliases dropped).
    serving: tuple[str, ...] = ()
    #: Why serving-named subcommands were dropped.
    command_notes: tuple[str, ...] = ()
    #: The package (or a module package it imports) runs a server.
    serves: Fact[bool] | None = None
    #: Files the program opens relative to its working directory, present in the repo.
    config_files: tuple[Fact[str], ...] = ()
    #: A ``--config`` default that is absent at its path but present elsewhere: (repo file, path).
    config_example: Fact[tuple[str, str]] | None = None
    #: A ``--config`` default found nowhere in the repository (the image cannot contain it).
    config_missing: Fact[str] | None = None
    #: Directories and files the program reads relative to its working directory, present in the repo.
    assets: tuple[Fact[str], ...] = ()
    #: The program builds paths from its executable's location.
    exe_relative: Source | None = None


class _Reader:
    def __init__(self, module: str) -> None:
        self.module = module
        self.port: list[Candidate[int]] = []
        self.port_env: list[Candidate[str]] = []
        self.bind: list[Candidate[str]] = []
        self.bind_env: list[Candidate[tuple[str, str]]] = []
        self.port_flag: Candidate[str] | None = None
        self.bind_flag: Candidate[tuple[str, str]] | None = None
        self.literal_ports: list[Candidate[int]] = []
        self.config_names: list[tuple[str, Source]] = []
        self.config_flag: tuple[str, Source, str] | None = None
        #: Argument text of every ``os.Stat(…)``: a config file checked first is optional.
        self.stats: list[str] = []
        self.asset_names: list[tuple[str, Source]] = []
        self.health: list[Candidate[str]] = []
        self.serves: Source | None = None
        self.exe: Source | None = None
        self.cli = go_cli.CommandReader()
        self.defaults = go_defaults.DefaultsReader()

    def _port(self, value: str, src: Source, rel: str, literal: bool = False) -> None:
        cand = Candidate(value=safe.port(value, rel, "listen port"), evidence=src, confidence="read")
        (self.literal_ports if literal else self.port).append(cand)

    def _addr(self, value: str, src: Source, rel: str, *, flag: str | None = None, env: str | None = None) -> None:
        host, port = gs.split_addr(value)
        if port is not None:
            self._port(port, src, rel)
        if host in LOOPBACK:
            self.bind.append(Candidate(value="127.0.0.1" if host == "localhost" else host.strip("[]"),
                                       evidence=src, confidence="read"))
            wanted = "0.0.0.0" + (f":{port}" if port is not None else "")
            if flag and self.bind_flag is None:
                self.bind_flag = Candidate(value=(flag, wanted), evidence=src, confidence="read")
            if env:
                self.bind_env.append(Candidate(value=(env, wanted), evidence=src, confidence="read"))
        elif port is not None or host in ("", "0.0.0.0", "[::]", "::"):
            self.bind.append(Candidate(value="0.0.0.0", evidence=src, confidence="read"))

    def read(self, rel: str, raw: str, own: bool) -> None:
        text = gs.strip_go_comments(raw)
        self._flags(rel, text)
        self._viper(rel, text)
        self._envs(rel, text)
        if own:
            self._literals(rel, text)
        self._files(rel, text)
        self._markers(rel, text)
        self.cli.read(rel, text)
        self.defaults.read(rel, text)

    def _flags(self, rel: str, text: str) -> None:
        for m in _FLAG_CALL.finditer(text):
            kind, var, short = m.groups()
            args = gs.args(text, m.end())
            bound = args[0] if var and args else ""
            args = args[1:] if var else args
            name = gs.str_lit(args[0]) if len(args) >= 2 else None
            if name is None:
                continue
            args = args[1:] if short else args
            if len(args) < 2:
                continue
            lit = args[1]
            if kind == "String" and gs.str_lit(lit) == "" and bound.startswith("&"):
                lit = _fallback(text, bound[1:], m.start()) or lit
            self._flag(name, kind, lit, Source.of(rel, f"line {line_of(text, m.start())} flag --{name}"), rel)
        for m in _URFAVE_FLAG.finditer(text):
            body = gs.top_level(gs.block(text, m.end() - 1))
            name = re.search(r'\bName\s*:\s*"([\w-]+)"', body)
            value = re.search(r'\bValue\s*:\s*("[^"]*"|\d+)', body)
            if name and value:
                self._flag(name.group(1), m.group(1), value.group(1),
                           Source.of(rel, f"line {line_of(text, m.start())} flag --{name.group(1)}"), rel)

    def _viper(self, rel: str, text: str) -> None:
        for m in _VIPER_DEFAULT.finditer(text):
            key, lit = m.group(1), m.group(2)
            last = key.rsplit(".", 1)[-1]
            src = Source.of(rel, f"line {line_of(text, m.start())} SetDefault {key}")
            val = gs.str_lit(lit) if lit.startswith('"') else lit.strip()
            if val is None or SECONDARY.search(key):
                continue
            if _PORT_NAME.match(last) and re.fullmatch(r"\d{2,5}", val):
                self._port(val, src, rel)
            elif _ADDR_NAME.match(last):
                self._addr(val, src, rel)
            elif _PATH_FLAG.search(last):
                self.asset_names.append((val, src))

    def _envs(self, rel: str, text: str) -> None:
        for m in _GETENV_ASSIGN.finditer(text):
            var, env = m.groups()
            src = Source.of(rel, f"line {line_of(text, m.start())} {env}")
            fb = re.search(rf'\b{re.escape(var)}\s*=\s*"([^"]*)"', text[m.end():m.end() + 400])
            self._env(env, fb.group(1) if fb else None, src, rel)
        for m in _ENV_HELPER.finditer(text):
            src = Source.of(rel, f"line {line_of(text, m.start())} {m.group(1)}")
            self._env(m.group(1), m.group(2), src, rel)
        for m in _GETENV.finditer(text):
            env = m.group(1)
            if is_port_name(env) and not SECONDARY.search(env) and not any(c.value == env for c in self.port_env):
                self.port_env.append(Candidate(value=env, evidence=Source.of(rel, f"line {line_of(text, m.start())}"),
                                               confidence="read"))

    def _literals(self, rel: str, text: str) -> None:
        for m in _ADDR_LITERAL.finditer(text):
            src = Source.of(rel, f"line {line_of(text, m.start())}")
            self._port(m.group(2), src, rel, literal=True)
            if m.group(1) in LOOPBACK:
                self.bind.append(Candidate(value="127.0.0.1", evidence=src, confidence="read"))
        for m in _VAR_PORT.finditer(text):
            self._port(m.group(1), Source.of(rel, f"line {line_of(text, m.start())}"), rel, literal=True)

    def _files(self, rel: str, text: str) -> None:
        for m in _OPEN_FILE.finditer(text):
            self.config_names.append((m.group(1), Source.of(rel, f"line {line_of(text, m.start())}")))
        for m in _CONFIG_NAME.finditer(text):
            for ext in (".yaml", ".yml", ".json", ".toml"):
                self.config_names.append((m.group(1) + ext, Source.of(rel, f"line {line_of(text, m.start())}")))
        for m in re.finditer(r"\bos\.Stat\(", text):
            self.stats.append(" ".join(gs.args(text, m.end())))
        for m in _ASSET_CALL.finditer(text):
            for arg in gs.args(text, m.end())[:2]:
                value = gs.str_lit(arg)
                if value and not value.startswith("/"):
                    self.asset_names.append((re.split(r"[*?\[{]", value)[0], Source.of(
                        rel, f"line {line_of(text, m.start())}")))

    def _markers(self, rel: str, text: str) -> None:
        if self.serves is None and (m := _SERVES.search(text)):
            self.serves = Source.of(rel, f"line {line_of(text, m.start())} {m.group(0).rstrip('({').strip()}")
        if self.exe is None and (m := _EXE_RELATIVE.search(text)):
            self.exe = Source.of(rel, f"line {line_of(text, m.start())} {m.group(0)}")
        for m in _ROUTE.finditer(text):
            for arg in gs.args(text, m.end())[:2]:
                inner = re.fullmatch(r"[\w.]+\(\s*(\"[^\"]*\")\s*\)", arg)
                hm = _HEALTH.fullmatch(gs.str_lit(inner.group(1) if inner else arg) or "")
                if hm:
                    self.health.append(Candidate(value=hm.group(1), evidence=Source.of(
                        rel, f"line {line_of(text, m.start())}"), confidence="read"))

    def _flag(self, name: str, kind: str, lit: str, src: Source, rel: str) -> None:
        if SECONDARY.search(name):
            return
        if kind in ("Int", "Uint", "Uint16", "Int64") and _PORT_NAME.match(name):
            v = gs.int_lit(lit)
            if v is not None:
                self._port(v, src, rel)
                self.port_flag = self.port_flag or Candidate(value=f"--{name}", evidence=src, confidence="read")
        elif kind == "String":
            v = gs.str_lit(lit)
            if v is None:
                return
            if _PORT_NAME.match(name) and re.fullmatch(r"\d{2,5}", v):
                self._port(v, src, rel)
                self.port_flag = self.port_flag or Candidate(value=f"--{name}", evidence=src, confidence="read")
            elif _ADDR_NAME.match(name):
                self._addr(v, src, rel, flag=f"--{name}")
            elif name in _CONFIG_FLAGS and v.endswith(_CONFIG_EXT):
                self.config_names.append((v, src))
                self.config_flag = self.config_flag or (v, src, name)
            elif _PATH_FLAG.search(name) and v:
                self.asset_names.append((v, src))

    def _env(self, env: str, default: str | None, src: Source, rel: str) -> None:
        if SECONDARY.search(env):
            return
        if is_port_name(env):
            if not any(c.value == env for c in self.port_env):
                self.port_env.append(Candidate(value=env, evidence=src, confidence="read"))
            if default and re.fullmatch(r"\d{2,5}", default):
                self._port(default, src, rel)
        elif is_address_name(env) and default is not None:
            self._addr(default, src, rel, env=env)


def _fallback(text: str, var: str, flag_pos: int) -> str | None:
    """The literal a flag variable with an empty default falls back to (``if v == "" { v = "…" }``),
    skipping assignments that only run when positional arguments are given."""
    lo = max(0, flag_pos - 20000)  # the same function, give or take: bounded work per flag
    for m in re.finditer(rf'(?<![\w.]){re.escape(var)}\s*=\s*("[^"\\]*")', text[lo:flag_pos + 20000]):
        if any(_ARGS_ONLY.search(cond) for cond in gs.enclosing(text, lo + m.start(), limit=1500)[:3]):
            continue
        return m.group(1)
    return None


def _imports(text: str) -> list[str]:
    out = [m.group(1) for m in _IMPORT_ONE.finditer(text)]
    for block in _IMPORT_BLOCK.findall(text):
        out += _IMPORT_LINE.findall(block)
    return out


def _local(module: str, imp: str) -> str | None:
    """The directory of a module-local import ("." for the module's root package), else None."""
    if imp == module:
        return "."
    return imp[len(module) + 1:] if imp.startswith(module + "/") else None


def _walk(repo: RepoView, module: str, main_dir: str, sources: dict[str, list[str]], read, r: _Reader) -> None:
    seen_dirs = {main_dir}
    queue = [(main_dir, 0)]
    files_read = 0
    while queue:
        d, depth = queue.pop(0)
        for rel in sources.get(d, []):
            try:
                text = read(rel)
            except InvalidInputError:
                continue
            files_read += 1
            if re.search(r"^//go:build\s+ignore\s*$", text, re.M):
                continue
            r.read(rel, text, own=(d == main_dir))
            if depth < 2:
                for imp in _imports(text):
                    sub = _local(module, imp)
                    if sub is not None and sub in sources and sub not in seen_dirs:
                        seen_dirs.add(sub)
                        queue.append((sub, depth + 1))
            if files_read > 200:
                break


def _config_port(repo: RepoView, name: str) -> Candidate[int] | None:
    try:
        text = repo.read_text(name)
    except InvalidInputError:
        return None
    for pat in _CFG_PORT:
        for pm in pat.finditer(text):
            if SECONDARY.search(pm.group(1)):
                continue
            line = line_of(text, pm.start()) + (1 if text[pm.start()] == "\n" else 0)
            return Candidate(value=safe.port(pm.group(2), name, "port"), evidence=Source.of(name, f"line {line}"),
                             confidence="read")
    return None


def _rel_ok(name: str, src: Source, what: str) -> str | None:
    if name.startswith("/") or ".." in name.split("/"):
        return None
    try:
        return safe.rel_path(name, src.file or "", what)
    except InvalidInputError:
        return None


def _configs(repo: RepoView, r: _Reader) -> tuple[list[Fact[str]], list[Candidate[int]]]:
    configs: list[Fact[str]] = []
    ports: list[Candidate[int]] = []
    for name, src in r.config_names:
        if not name.endswith(_CONFIG_EXT) or name.rsplit("/", 1)[-1].startswith(".env"):
            continue
        path = _rel_ok(name, src, "config file")
        if path is None or any(c.value == path for c in configs) or not repo.is_file(path):
            continue
        configs.append(fact(path, src))
        port = _config_port(repo, path)
        if port is not None:
            ports.append(port)
    return configs, ports


#: Directories searched (two levels deep) for a config file the program expects in its working dir.
_NO_SEARCH = {"vendor", "node_modules", "testdata", "test", "tests"}


def _find_by_name(repo: RepoView, base: str) -> str | None:
    dirs = [d for d in sorted(repo.listdir(".")) if d[0] not in "._" and d not in _NO_SEARCH and repo.is_dir(d)]
    for d in dirs:
        if repo.is_file(f"{d}/{base}"):
            return f"{d}/{base}"
    for d in dirs[:50]:
        for sub in sorted(repo.listdir(d))[:50]:
            rel = f"{d}/{sub}"
            if sub[0] not in "._" and sub not in _NO_SEARCH and repo.is_dir(rel) and repo.is_file(f"{rel}/{base}"):
                return f"{rel}/{base}"
    return None


def _config_flag(repo: RepoView, r: _Reader, configs: list[Fact[str]]) -> tuple[Fact | None, Fact | None]:
    """(example copied to the path the ``--config`` default names, or the default found nowhere)."""
    if r.config_flag is None:
        return None, None
    name, src, flag = r.config_flag
    path = _rel_ok(name, src, "config file")
    if path is None or any(c.value == path for c in configs) or any(f'"{flag}"' in a for a in r.stats):
        return None, None
    found = _find_by_name(repo, path.rsplit("/", 1)[-1])
    if found is not None:
        return fact((found, path), src), None
    return None, fact(path, src)


def _assets(repo: RepoView, r: _Reader, configs: list[Fact[str]]) -> list[Fact[str]]:
    out: list[Fact[str]] = []
    for name, src in r.asset_names:
        path = _rel_ok(name.rstrip("/"), src, "asset path") if name.strip("./") else None
        if path is None or any(a.value == path for a in (*out, *configs)):
            continue
        if repo.is_dir(path) or repo.is_file(path):
            out.append(fact(path, src))
    return out


def read_main(repo: RepoView, module: str, main_dir: str, sources: dict[str, list[str]], read) -> GoMain:
    """Facts of the main package in ``main_dir``; ``read(rel)`` returns a source file's text."""
    r = _Reader(module)
    _walk(repo, module, main_dir, sources, read, r)
    for env, value, src in r.defaults.addresses:
        r._addr(value, src, src.file or "", env=env)
    configs, cfg_ports = _configs(repo, r)
    example, missing = _config_flag(repo, r, configs)
    if example is not None:
        port = _config_port(repo, example.value[0])
        cfg_ports += [port] if port is not None else []
    ports = unique_values([*cfg_ports, *r.port, *r.defaults.ports, *r.literal_ports])
    health = sorted(unique_values(r.health), key=lambda c: _HEALTH_WORDS.index(_HEALTH.fullmatch(c.value).group(2)))
    app = AppFacts(port=tuple(ports), port_env=tuple(unique_values([*r.port_env, *r.defaults.port_envs()])),
                   bind=tuple(unique_values(r.bind)), bind_env=tuple(unique_values(r.bind_env)),
                   health_path=tuple(health))
    cmds = r.cli.result()
    return GoMain(app=app, port_flag=r.port_flag, bind_flag=r.bind_flag,
                  needs_subcommand=Fact(value=True, source=cmds.needs_sub) if cmds.needs_sub else None,
                  subcommands=cmds.subcommands, serving=cmds.serving, command_notes=cmds.notes,
                  serves=Fact(value=True, source=r.serves) if r.serves else None,
                  config_files=tuple(configs), config_example=example, config_missing=missing,
                  assets=tuple(_assets(repo, r, configs)), exe_relative=r.exe)

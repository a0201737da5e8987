"""Go: what one main package says about running it — port, bind address, subcommand, config files.

Pure facts with evidence. Only the main package's own files are read, plus the module-local
packages it imports (two levels: ``internal/config`` defaults count, another binary's files never
do). Recognised:
  - flags: ``flag.Int("port", 8090, …)``, ``fs.String("addr", "127.0.0.1:8090", …)``, pflag/cobra
    ``Flags().IntVarP(&p, "port", "p", 8090, …)``, urfave ``&cli.IntFlag{Name: "port", Value: 8090}``;
  - ``viper.SetDefault("server.port", 9898)``;
  - environment: ``os.Getenv("PORT")`` with a ``if port == "" { port = "8080" }`` fallback, or a
    ``getEnv("LISTEN_ADDR", "127.0.0.1:8080")`` helper;
  - listen literals: ``http.ListenAndServe(":8081", …)``, ``Addr: "127.0.0.1:8080"``;
  - subcommands: a cobra root without ``Run``, a urfave app without ``Action``, or a stdlib
    ``switch os.Args[1]`` / ``flag.NewFlagSet("serve", …)`` — the program needs one to serve;
  - config files opened relative to the working directory (``os.ReadFile("config.yaml")``,
    ``viper.SetConfigName("config")`` + ``AddConfigPath(".")``), when they exist in the repo and are
    not ``.env*`` files; a port they set is read.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from . import safe, source_text
from .errors import InvalidInputError
from .facts import AppFacts, Candidate, Fact, Source, fact, unique_values
from .repo import RepoView
from .source_text import line_of

SERVE_WORDS = ("serve", "server", "run", "start", "web", "http")
#: Go also writes the IPv6 loopback bracketed, as in "[::1]:8080".
LOOPBACK = (*source_text.LOOPBACK, "[::1]")
_PORT_NAME = re.compile(r"(?i)^(?:[a-z]+[-_.])*(?:http[-_.])?port$")
_ADDR_NAME = re.compile(r"(?i)^(?:[a-z]+[-_.])*(?:addr|address|listen|listen[-_.]addr(?:ess)?|http|bind|host)$")
_FLAG_CALL = re.compile(r"\.(Int|Uint|Int64|String)(Var)?(P)?\(")
_URFAVE_FLAG = re.compile(r"\b(Int|Uint|String)Flag\s*\{")
_VIPER_DEFAULT = re.compile(r'\bSetDefault\(\s*"([A-Za-z0-9_.-]+)"\s*,\s*("?[^")]*"?)\s*\)')
_GETENV_ASSIGN = re.compile(r'\b(\w+)\s*:?=\s*os\.Getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)')
_GETENV = re.compile(r'os\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)')
_ENV_HELPER = re.compile(r'\b\w+\(\s*"([A-Z][A-Z0-9_]*)"\s*,\s*"([^"]*)"\s*\)')
_ADDR_LITERAL = re.compile(r'"((?:0\.0\.0\.0|\[::\]|127\.0\.0\.1|localhost)?):(\d{2,5})"')
_VAR_PORT = re.compile(r'(?i)\bport\w*\s*(?::=|=)\s*"(\d{2,5})"')
_COBRA = re.compile(r"(?:(\w+)\s*:?=\s*)?&cobra\.Command\s*\{")
_URFAVE_ROOT = re.compile(r"&cli\.(App|Command)\s*\{")
_ARGS_SWITCH = re.compile(r"switch\s+(?:os\.Args\[1\]|flag\.Arg\(0\)|args\[0\]|\w+\.Arg\(0\))\s*\{")
_CASE = re.compile(r'case\s+("[\w-]+"(?:\s*,\s*"[\w-]+")*)\s*:')
_FLAGSET = re.compile(r'flag\.NewFlagSet\(\s*"([\w-]+)"')
#: A config-file name as the first argument of any call: ``os.ReadFile("config.yaml")``,
#: ``loadConfig("settings.json", &cfg)``, ``viper.SetConfigFile("app.toml")``.
_OPEN_FILE = re.compile(r'\b[\w.]+\(\s*"([A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:yaml|yml|json|toml|ini|conf|cfg|hcl|properties))"')
_CONFIG_NAME = re.compile(r'SetConfigName\(\s*"([\w.-]+)"\s*\)')
_CONFIG_EXT = (".yaml", ".yml", ".json", ".toml", ".ini", ".conf", ".cfg", ".hcl", ".properties")
_IMPORT_LINE = re.compile(r'"([^"\s]+)"')
_IMPORT_BLOCK = re.compile(r"^import\s*\(([^)]*)\)", re.M)
_IMPORT_ONE = re.compile(r'^import\s+(?:\w+\s+)?"([^"]+)"', re.M)
_CFG_PORT = (re.compile(r'(?im)^\s*"?(?:[a-z_]*port)"?\s*[:=]\s*"?(\d{2,5})"?\s*,?\s*$'),
             re.compile(r'(?im)^\s*"?(?:addr|address|listen|listen_addr|http_addr|bind)"?\s*[:=]\s*"'
                        r'?([A-Za-z0-9.\[\]:]*):(\d{2,5})"?\s*,?\s*$'))


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
    #: Files the program opens relative to its working directory, present in the repo.
    config_files: tuple[Fact[str], ...] = ()


def strip_go_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    return re.sub(r'(?m)^((?:[^"/\n`]|"(?:[^"\\\n]|\\.)*")*)//.*$', r"\1", text)


def _args(text: str, start: int) -> list[str]:
    """Top-level comma-separated arguments of the call whose ``(`` is at ``start - 1``."""
    depth, cur, out, i = 0, [], [], start
    in_str = False
    while i < len(text) and i < start + 2000:
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1] if i + 1 < len(text) else "")
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c in "([{":
            depth += 1
            cur.append(c)
        elif c in ")]}":
            if depth == 0:
                out.append("".join(cur).strip())
                return out
            depth -= 1
            cur.append(c)
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return out


def _block(text: str, open_brace: int) -> str:
    """The text between ``{`` at ``open_brace`` and its matching ``}`` (strings respected)."""
    depth, i, in_str = 0, open_brace, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1:i]
        i += 1
    return text[open_brace + 1:]


def _top_level(block: str) -> str:
    """Only depth-0 text of a composite literal body (nested literals and func bodies blanked)."""
    out, depth = [], 0
    for c in block:
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


def _str(lit: str) -> str | None:
    m = re.fullmatch(r'"([^"\\]*)"', lit.strip())
    return m.group(1) if m else None


def _int(lit: str) -> str | None:
    m = re.fullmatch(r"(\d{2,5})", lit.strip())
    return m.group(1) if m else None



def _split_addr(value: str) -> tuple[str, str | None]:
    """``"127.0.0.1:8080"`` → (host, port); ``"127.0.0.1"`` → (host, None)."""
    m = re.fullmatch(r"(\[[^\]]*\]|[A-Za-z0-9.-]*):(\d{2,5})", value)
    if m:
        return m.group(1), m.group(2)
    return value, None


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
        self.subcommands: list[str] = []
        self.needs_sub: Source | None = None

    def _port(self, value: str, src: Source, rel: str, literal: bool = False) -> None:
        cand = Candidate(value=safe.port(value, rel, "listen port"), evidence=src, confidence="read")
        (self.literal_ports if literal else self.port).append(cand)

    def _addr(self, value: str, src: Source, rel: str, *, flag: str | None = None, env: str | None = None) -> None:
        host, port = _split_addr(value)
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
        text = strip_go_comments(raw)
        for m in _FLAG_CALL.finditer(text):
            kind, var, short = m.groups()
            args = _args(text, m.end())
            if var:
                args = args[1:]
            if len(args) < 2:
                continue
            name = _str(args[0])
            if name is None:
                continue
            if short:
                args = args[1:]
            if len(args) < 2:
                continue
            self._flag(name, kind, args[1], Source.of(rel, f"line {line_of(text, m.start())} flag --{name}"), rel)
        for m in _URFAVE_FLAG.finditer(text):
            body = _top_level(_block(text, m.end() - 1))
            name = re.search(r'\bName\s*:\s*"([\w-]+)"', body)
            value = re.search(r'\bValue\s*:\s*("[^"]*"|\d+)', body)
            if name and value:
                self._flag(name.group(1), m.group(1), value.group(1),
                           Source.of(rel, f"line {line_of(text, m.start())} flag --{name.group(1)}"), rel)
        for m in _VIPER_DEFAULT.finditer(text):
            key, lit = m.group(1), m.group(2)
            last = key.rsplit(".", 1)[-1]
            src = Source.of(rel, f"line {line_of(text, m.start())} SetDefault {key}")
            val = _str(lit) if lit.startswith('"') else lit.strip()
            if val is None:
                continue
            if _PORT_NAME.match(last) and re.fullmatch(r"\d{2,5}", val):
                self._port(val, src, rel)
            elif _ADDR_NAME.match(last):
                self._addr(val, src, rel)
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
            if "PORT" in env and not any(c.value == env for c in self.port_env):
                self.port_env.append(Candidate(value=env, evidence=Source.of(rel, f"line {line_of(text, m.start())}"),
                                               confidence="read"))
        if own:
            for m in _ADDR_LITERAL.finditer(text):
                src = Source.of(rel, f"line {line_of(text, m.start())}")
                self._port(m.group(2), src, rel, literal=True)
                if m.group(1) in LOOPBACK:
                    self.bind.append(Candidate(value="127.0.0.1", evidence=src, confidence="read"))
            for m in _VAR_PORT.finditer(text):
                self._port(m.group(1), Source.of(rel, f"line {line_of(text, m.start())}"), rel, literal=True)
        for m in _OPEN_FILE.finditer(text):
            self.config_names.append((m.group(1), Source.of(rel, f"line {line_of(text, m.start())}")))
        for m in _CONFIG_NAME.finditer(text):
            for ext in (".yaml", ".yml", ".json", ".toml"):
                self.config_names.append((m.group(1) + ext, Source.of(rel, f"line {line_of(text, m.start())}")))
        self._subcommands(rel, text)

    def _flag(self, name: str, kind: str, lit: str, src: Source, rel: str) -> None:
        if kind in ("Int", "Uint", "Int64") and _PORT_NAME.match(name):
            v = _int(lit)
            if v is not None:
                self._port(v, src, rel)
                if self.port_flag is None:
                    self.port_flag = Candidate(value=f"--{name}", evidence=src, confidence="read")
        elif kind == "String":
            v = _str(lit)
            if v is None:
                return
            if _PORT_NAME.match(name) and re.fullmatch(r"\d{2,5}", v):
                self._port(v, src, rel)
                if self.port_flag is None:
                    self.port_flag = Candidate(value=f"--{name}", evidence=src, confidence="read")
            elif _ADDR_NAME.match(name):
                self._addr(v, src, rel, flag=f"--{name}")
            elif name in ("config", "config-file", "c") and v.endswith(_CONFIG_EXT):
                self.config_names.append((v, src))

    def _env(self, env: str, default: str | None, src: Source, rel: str) -> None:
        if "PORT" in env:
            if not any(c.value == env for c in self.port_env):
                self.port_env.append(Candidate(value=env, evidence=src, confidence="read"))
            if default and re.fullmatch(r"\d{2,5}", default):
                self._port(default, src, rel)
        elif any(w in env for w in ("ADDR", "LISTEN", "HOST", "BIND")) and default is not None:
            self._addr(default, src, rel, env=env)

    def _subcommands(self, rel: str, text: str) -> None:
        for m in _COBRA.finditer(text):
            body = _block(text, m.end() - 1)
            top = _top_level(body)
            use = re.search(r'\bUse\s*:\s*"([\w-]+)', top)
            has_run = re.search(r"\bRunE?\s*:", top) is not None
            var = m.group(1) or ""
            is_root = "root" in var.lower() or (use is not None and not has_run and "AddCommand" in text
                                                and use.group(1) not in SERVE_WORDS)
            if is_root:
                if not has_run:
                    self.needs_sub = Source.of(rel, f"line {line_of(text, m.start())} cobra root without Run")
            elif use is not None:
                self.subcommands.append(use.group(1))
        for m in _URFAVE_ROOT.finditer(text):
            body = _block(text, m.end() - 1)
            top = _top_level(body)
            if "Commands" not in top:
                continue
            if not re.search(r"\bAction\s*:", top):
                self.needs_sub = Source.of(rel, f"line {line_of(text, m.start())} cli app without Action")
            cm = re.search(r"\bCommands\s*:", body)
            if cm:
                rest = body[cm.end():]
                brace = rest.find("{")
                region = _block(rest, brace) if brace >= 0 else ""
                depth = 0
                for part in re.finditer(r'[{}]|\bName\s*:\s*"([\w-]+)"', region):
                    tok = part.group(0)
                    if tok == "{":
                        depth += 1
                    elif tok == "}":
                        depth -= 1
                    elif depth == 1:
                        self.subcommands.append(part.group(1))
        for m in _ARGS_SWITCH.finditer(text):
            body = _block(text, m.end() - 1)
            names = [n for cm in _CASE.finditer(body) for n in re.findall(r'"([\w-]+)"', cm.group(1))]
            # Only a switch with a serving case means "no subcommand, no server": `case "version":` alone
            # is an optional extra of a program that serves by default.
            if names and any(n in SERVE_WORDS for n in names):
                self.subcommands += names
                self.needs_sub = self.needs_sub or Source.of(rel, f"line {line_of(text, m.start())} switch on the first argument")
        for m in _FLAGSET.finditer(text):
            if m.group(1) in SERVE_WORDS:
                if m.group(1) not in self.subcommands:
                    self.subcommands.append(m.group(1))
                self.needs_sub = self.needs_sub or Source.of(rel, f"line {line_of(text, m.start())} flag.NewFlagSet")


def _imports(text: str) -> list[str]:
    out = [m.group(1) for m in _IMPORT_ONE.finditer(text)]
    for block in _IMPORT_BLOCK.findall(text):
        out += _IMPORT_LINE.findall(block)
    return out


def read_main(repo: RepoView, module: str, main_dir: str, sources: dict[str, list[str]], read) -> GoMain:
    """Facts of the main package in ``main_dir``; ``read(rel)`` returns a source file's text."""
    r = _Reader(module)
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
                    if imp.startswith(module + "/"):
                        sub = imp[len(module) + 1:]
                        if sub in sources and sub not in seen_dirs:
                            seen_dirs.add(sub)
                            queue.append((sub, depth + 1))
            if files_read > 200:
                break
    configs: list[Fact[str]] = []
    cfg_ports: list[Candidate[int]] = []
    for name, src in r.config_names:
        if name.startswith("/") or ".." in name.split("/") or not name.endswith(_CONFIG_EXT):
            continue
        base = name.rsplit("/", 1)[-1]
        if base.startswith(".env") or any(c.value == name for c in configs):
            continue
        if not repo.is_file(name):
            continue
        try:
            safe.rel_path(name, src.file or "", "config file")
        except InvalidInputError:
            continue
        configs.append(fact(name, src))
        try:
            text = repo.read_text(name)
        except InvalidInputError:
            continue
        for pat in _CFG_PORT:
            pm = pat.search(text)
            if pm:
                port = pm.group(pm.lastindex)
                cfg_ports.append(Candidate(value=safe.port(port, name, "port"), evidence=Source.of(
                    name, f"line {line_of(text, pm.start()) + (1 if text[pm.start()] == chr(10) else 0)}"),
                    confidence="read"))
                break
    ports = unique_values([*cfg_ports, *r.port, *r.literal_ports])
    app = AppFacts(port=tuple(ports), port_env=tuple(unique_values(r.port_env)), bind=tuple(unique_values(r.bind)),
                   bind_env=tuple(unique_values(r.bind_env)))
    return GoMain(app=app, port_flag=r.port_flag, bind_flag=r.bind_flag,
                  needs_subcommand=Fact(value=True, source=r.needs_sub) if r.needs_sub else None,
                  subcommands=tuple(dict.fromkeys(r.subcommands)), config_files=tuple(configs))


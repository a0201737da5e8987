"""Node start command, frameworks, Next.js output mode, TypeScript output dir and port.

Pure facts. A ``scripts.start`` is classified, never copied into the output as shell text:
  - ``node``:  ``node [flags] <file>`` whose words pass ``safe.command_words`` (runs without a shell);
  - ``shell``: it needs a shell (``&&``, pipes, quotes, ``$VAR``, an ``ENV=value`` prefix, …);
  - ``tool``:  another program (``nest start``, ``next start``, ``ts-node src/main.ts``).
"""

from __future__ import annotations

import re
from typing import Literal

from . import safe
from .facts import Fact, Source, default, fact
from .node_scripts import strip_js_comments
from .parsing import load_json
from .repo import RepoView

StartKind = Literal["node", "shell", "tool"]
Framework = Literal["nestjs", "nextjs", "fastify", "express"]
#: dependency name → framework, in the order the planner cares about (first wins).
FRAMEWORKS: tuple[tuple[str, Framework], ...] = (
    ("@nestjs/core", "nestjs"), ("next", "nextjs"), ("fastify", "fastify"), ("express", "express"))
NEXT_CONFIGS = ("next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts")
FALLBACK_ENTRIES = ("server.js", "index.js", "app.js", "main.js")
DEFAULT_PORT = 3000
_SHELL_CHARS = set("&|;<>$`'\"(){}*?!\\~#\n")
_ENV_PREFIX = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PORT_PATTERNS = (
    re.compile(r"process\.env\.PORT\s*(?:\|\||\?\?)\s*['\"]?([0-9]{2,5})"),
    re.compile(r"\.listen\(\s*\{[^}]*?\bport\s*:\s*([0-9]{2,5})"),
    re.compile(r"\.listen\(\s*([0-9]{2,5})\s*[,)]"),
    re.compile(r"\b(?:const|let|var)\s+(?:PORT|port)\s*=\s*([0-9]{2,5})\b"),
)
_NEXT_STANDALONE = re.compile(r"""\boutput\s*:\s*['"`]standalone['"`]""")
#: ``output: mode`` with ``const mode = process.env.BUILD_MODE ?? "standalone"`` (NextChat): the
#: default the build gets when the variable is unset, as in the image build.
_NEXT_OUTPUT_NAME = re.compile(r"\boutput\s*:\s*([A-Za-z_$][\w$]*)\s*[,}\n]")
_ENV_DEFAULT = r"""\b(?:const|let|var)\s+{name}\s*=\s*process\.env\.\w+\s*(?:\?\?|\|\|)\s*['"`]standalone['"`]"""


def classify_start(script: object) -> tuple[StartKind, tuple[str, ...] | None]:
    """("node", args after ``node``) | ("shell", None) | ("tool", None)."""
    if not isinstance(script, str) or not script.strip():
        return "tool", None
    if any(c in _SHELL_CHARS for c in script):
        return "shell", None
    words = script.split()
    if _ENV_PREFIX.match(words[0]):
        return "shell", None
    if words[0] != "node" or len(words) < 2:
        return "tool", None
    args = tuple(words[1:])
    safe.command_words(list(args), "package.json", "scripts.start")
    if args[-1].startswith("-"):
        return "tool", None  # `node --version`: no script file
    safe.rel_path(args[-1], "package.json", "scripts.start")
    return "node", args


def start_facts(pkg: dict) -> tuple[Fact[StartKind] | None, Fact[tuple[str, ...]] | None]:
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    if "start" not in scripts:
        return None, None
    kind, args = classify_start(scripts["start"])
    src = Source.of("package.json", "scripts.start")
    return fact(kind, src), (fact(args, src) if args else None)


def frameworks(pkg: dict) -> tuple[Fact[Framework], ...]:
    deps = pkg.get("dependencies") if isinstance(pkg.get("dependencies"), dict) else {}
    return tuple(fact(fw, "package.json", f"dependencies.{dep}") for dep, fw in FRAMEWORKS if dep in deps)


def next_standalone(repo: RepoView) -> Fact[bool] | None:
    for cfg in NEXT_CONFIGS:
        text = repo.read_text_if_exists(cfg)
        if text is not None:
            code = strip_js_comments(text)
            named = _NEXT_OUTPUT_NAME.search(code)
            found = bool(_NEXT_STANDALONE.search(code) or (
                named and re.search(_ENV_DEFAULT.format(name=re.escape(named.group(1))), code)))
            return fact(found, cfg, "output")
    return None


def ts_out_dir(repo: RepoView) -> Fact[str] | None:
    for cfg in ("tsconfig.build.json", "tsconfig.json"):
        text = repo.read_text_if_exists(cfg)
        if text is None:
            continue
        data = load_json(strip_jsonc(text), cfg)
        opts = data.get("compilerOptions") if isinstance(data, dict) else None
        out = opts.get("outDir") if isinstance(opts, dict) else None
        if out is not None:
            return fact(safe.rel_path(out, cfg, "compilerOptions.outDir"), cfg, "compilerOptions.outDir")
    return None


def port(repo: RepoView, candidates: list[str]) -> Fact[int]:
    for path in candidates:
        text = repo.read_text_if_exists(path) if repo.is_file(path) else None
        if text is None:
            continue
        code = strip_js_comments(text)
        for pat in _PORT_PATTERNS:
            m = pat.search(code)
            if m:
                return fact(safe.port(m.group(1), path, "port"), path)
    return default(DEFAULT_PORT)


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (tsconfig.json) → JSON. Strings are left intact."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))

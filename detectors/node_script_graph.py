"""package.json scripts followed the way the package manager runs them.

A script body is split into commands (``&&``, ``||``, ``;``); ``npm run x`` / ``yarn x`` / ``pnpm x`` /
``bun run x``, ``npm-run-all`` / ``run-s`` / ``run-p`` (with ``build:*`` patterns) and npm's
``pre<name>`` / ``post<name>`` hooks are followed into the scripts they name, so a composite
``build`` (``npm-run-all build:ts build:sass``) is read as the commands it ends up running.
Pure text reading: nothing here reaches a Dockerfile.
"""

from __future__ import annotations

import fnmatch
import re
import shlex

#: Wrappers that only set the environment or resolve a binary before the real command.
_WRAPPERS = ("npx", "cross-env", "env-cmd", "dotenv", "bunx")
_RUN = re.compile(r"^(?:npm\s+(?:run|run-script)|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+([A-Za-z0-9:_.@/-]+)(\s.*)?$")
_RUN_ALL = ("npm-run-all", "run-s", "run-p", "npm-run-all2")
_ENV_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
MAX_DEPTH = 12


def commands(body: str) -> list[str]:
    """The commands of one script body, split at ``&&``, ``||`` and ``;`` (quotes respected)."""
    out: list[str] = []
    cur: list[str] = []
    quote = ""
    i = 0
    while i < len(body):
        c = body[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif body.startswith(("&&", "||"), i) or c == ";":
            out.append("".join(cur))
            cur = []
            i += 1 if c == ";" else 2
            continue
        cur.append(c)
        i += 1
    out.append("".join(cur))
    return [" ".join(p.split()) for p in out if p.strip()]


def words(command: str) -> list[str]:
    """Shell words of one command, without leading ``VAR=value`` assignments and wrappers
    (``npx``, ``cross-env X=1``, ``env-cmd --``); [] when it does not split."""
    try:
        ws = shlex.split(command)
    except ValueError:
        return []
    while ws:
        if _ENV_ASSIGN.match(ws[0]):
            ws = ws[1:]
        elif ws[0] in _WRAPPERS:
            ws = ws[1:]
            while ws and (ws[0].startswith("-") or _ENV_ASSIGN.match(ws[0])):
                ws = ws[1:]
        else:
            break
    return ws


def _run_all_targets(ws: list[str], scripts: dict) -> list[str]:
    out: list[str] = []
    for w in ws[1:]:
        if w.startswith("-"):
            continue
        # npm-run-all: `*` stays inside one `:` segment, `**` crosses them.
        pat = re.escape(w).replace(r"\*\*", "\0").replace(r"\*", "[^:]*").replace("\0", ".*")
        out += [n for n in scripts if re.fullmatch(pat, n)] if "*" in w else [w]
    return out


def referenced(command: str, scripts: dict) -> list[str] | None:
    """The scripts one command runs (``npm run a``, ``run-s a b``), or None for a plain command."""
    m = _RUN.match(command)
    if m and m.group(1) in scripts:
        return [m.group(1)]
    ws = words(command)
    if ws and ws[0] in _RUN_ALL:
        return [n for n in _run_all_targets(ws, scripts) if n in scripts]
    if ws and ws[0] == "concurrently":
        names = [w[4:] for w in ws[1:] if w.startswith("npm:")]
        return [n for w in names for n in (fnmatch.filter(scripts, w) if "*" in w else [w]) if n in scripts]
    return None


def expand(scripts: dict, name: str, *, hooks: bool = True) -> list[tuple[str, str]]:
    """(script name, command) for every plain command ``<pm> run name`` ends up running, in order.

    ``hooks``: npm also runs ``pre<name>`` and ``post<name>`` (yarn berry and pnpm do not)."""
    out: list[tuple[str, str]] = []
    _walk(scripts, name, hooks, out, [])
    return out


def _walk(scripts: dict, name: str, hooks: bool, out: list[tuple[str, str]], stack: list[str]) -> None:
    if name in stack or len(stack) > MAX_DEPTH:
        return
    order = [f"pre{name}", name, f"post{name}"] if hooks else [name]
    for n in order:
        body = scripts.get(n)
        if not isinstance(body, str):
            continue
        for cmd in commands(body):
            refs = referenced(cmd, scripts)
            if refs is None:
                out.append((n, cmd))
            for r in refs or ():
                _walk(scripts, r, hooks, out, [*stack, name])

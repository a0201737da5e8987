"""Which Node.js version a project asks for, from every place it can say so.

Precedence (first found wins; the planner warns when a later one disagrees):
  1. ``.nvmrc``                       (nvm; ``22``, ``v22.20.0``, ``lts/*``, ``lts/jod``)
  2. ``.node-version``                (nodenv, fnm, asdf-style)
  2b. ``.tool-versions`` ``nodejs``, ``mise.toml`` ``[tools] node`` (asdf, mise; ``lts`` = ``lts/*``)
  3. ``package.json volta.node``      (Volta's exact pin)
  4. ``package.json engines.node``    (a semver range, e.g. ``>=20 <23``)
The most specific, tool-facing pin wins over the broad compatibility range in ``engines``.
"""

from __future__ import annotations

import re

from . import safe, tool_versions
from .facts import Fact, fact
from .repo import RepoView

#: LTS codenames nvm understands (``lts/<name>``) → major.
LTS_CODENAMES = {"argon": "4", "boron": "6", "carbon": "8", "dubnium": "10", "erbium": "12",
                 "fermium": "14", "gallium": "16", "hydrogen": "18", "iron": "20", "jod": "22",
                 "krypton": "24"}
_EXACT = re.compile(r"^v?([0-9]+)(?:\.([0-9]+|x|\*))?(?:\.([0-9]+|x|\*))?$")
_ALIAS = re.compile(r"^(lts/\*|lts/[a-z]+|node|stable|latest|current)$")
_RANGE = re.compile(r"^[0-9A-Za-z.*^~<>=| x-]{1,100}$")


def _clean_file_value(repo: RepoView, path: str) -> str | None:
    text = repo.read_text_if_exists(path)
    if text is None:
        return None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return line
    return None


def _check(value: object, file: str, field: str) -> str:
    if not isinstance(value, str):
        raise safe._refuse("Node.js version or range", value, file, field)
    v = value.strip().lower()
    if _EXACT.fullmatch(v) or _ALIAS.fullmatch(v) or _RANGE.fullmatch(v):
        return v
    raise safe._refuse("Node.js version or range", value, file, field)


def node_version_requests(repo: RepoView, pkg: dict) -> tuple[Fact[str], ...]:
    out: list[Fact[str]] = []
    for path in (".nvmrc", ".node-version"):
        raw = _clean_file_value(repo, path)
        if raw is not None:
            out.append(fact(_check(raw, path, "version"), path))
    for pin in tool_versions.requests(repo, ("nodejs", "node")):
        raw = "lts/*" if pin.value.strip().lower() == "lts" else pin.value
        out.append(Fact(value=_check(raw, str(pin.source.file), str(pin.source.field)), source=pin.source))
    volta = pkg.get("volta")
    if isinstance(volta, dict) and volta.get("node") is not None:
        out.append(fact(_check(volta["node"], "package.json", "volta.node"), "package.json", "volta.node"))
    engines = pkg.get("engines")
    if isinstance(engines, dict) and engines.get("node") is not None:
        out.append(fact(_check(engines["node"], "package.json", "engines.node"), "package.json", "engines.node"))
    return tuple(out)

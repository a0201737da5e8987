"""Which packages the image will have installed: the lockfile's production set, extras included.

A server often arrives through an extra (``fastapi[standard]`` → uvicorn) or as a dependency of
another package (quart → hypercorn). The lockfiles say so exactly:

- ``uv.lock``: walked from the project's own ``dependencies`` through each package's
  ``dependencies`` and the ``optional-dependencies`` its requesters name (dev groups are not
  installed: ``uv sync --no-dev``);
- ``poetry.lock``: packages in the ``main`` group (or ``category = "main"`` in older locks);
- ``pdm.lock``: packages in the ``default`` group;
- ``Pipfile.lock``: the ``default`` section.

Without a lockfile (requirements files, a bare pyproject.toml), the direct requirements are the
installed set, plus the servers that well-known extras and packages bring (``KNOWN``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from .parsing import load_json, load_toml
from .repo import LOCKFILE_MAX_BYTES, RepoView

#: (package, extra or "" for the package itself) → packages it brings, for files that are not locks.
KNOWN: dict[tuple[str, str], tuple[str, ...]] = {
    ("fastapi", "standard"): ("fastapi-cli", "uvicorn"),
    ("fastapi", "standard-no-fastapi-cloud-cli"): ("fastapi-cli", "uvicorn"),
    ("fastapi", "all"): ("uvicorn",),
    ("fastapi-cli", ""): ("uvicorn",),
    ("quart", ""): ("hypercorn",),
    ("channels", "daphne"): ("daphne",),
    # psycopg 3's extras carry their own libpq (a wheel) or compile against the system one.
    ("psycopg", "binary"): ("psycopg-binary",),
    ("psycopg", "c"): ("psycopg-c",),
    ("django-channels", "daphne"): ("daphne",),
}


#: Group and extra names that hold development tools, never a production server.
_DEV_LIKE = re.compile(r"^(dev|develop|development|test|tests|testing|lint|linting|docs?|typing|types|mypy|ci|"
                       r"local|debug|bench|benchmarks?|coverage|release|build)([-_].*)?$", re.IGNORECASE)


#: Group and extra names reach the install command: PEP 735 / PEP 685 normalised names only.
_SAFE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?")


@dataclass(frozen=True)
class Selection:
    """A dependency group (``[dependency-groups] docker``) or extra (``[project.optional-dependencies]
    webserver``) of the project installed on top of its main dependencies."""
    kind: str  # "group" | "extra"
    name: str

    @property
    def flag(self) -> str:
        return f"--{self.kind} {self.name}"


@dataclass(frozen=True)
class Installed:
    names: frozenset[str]
    #: Where the set came from ("uv.lock", "requirements.txt").
    file: str
    #: name → the requirement that brought it when it is not a direct one ("fastapi[standard]").
    via: dict[str, str]


def from_requirements(direct: list[tuple[str, tuple[str, ...]]], file: str) -> Installed:
    """Direct requirements (name, extras) plus what ``KNOWN`` says they bring."""
    names = {canonicalize_name(n) for n, _ in direct}
    via: dict[str, str] = {}
    todo = [(canonicalize_name(n), tuple(e)) for n, e in direct]
    while todo:
        name, extras = todo.pop()
        for extra in ("", *extras):
            for dep in KNOWN.get((name, canonicalize_name(extra) if extra else ""), ()):
                if dep not in names:
                    names.add(dep)
                    via[dep] = f"{name}[{extra}]" if extra else name
                    todo.append((dep, ()))
    return Installed(names=frozenset(names), file=file, via=via)


def from_lock(repo: RepoView, lock: str, project: str | None,
              roots: tuple[tuple[str, tuple[str, ...]], ...] = (),
              selected: tuple[Selection, ...] = (), at: str = ".") -> Installed | None:
    """The production set a lockfile installs, or None when the lock cannot be read that way.

    ``roots``: the project's main dependencies (name, extras), for a poetry.lock that records no
    groups (poetry 1.5-1.8 dropped ``category`` before 2.0 added ``groups``): the set is then what
    they bring, walked through the lock's dependency tables, instead of every locked package.
    ``selected``: groups and extras of the project installed too. ``at``: the project's directory in
    a uv workspace's lock (a member's, "." for the root).
    """
    text = repo.read_text_if_exists(lock, LOCKFILE_MAX_BYTES)
    if not text or not text.strip():
        return None
    if lock == "Pipfile.lock":
        data = load_json(text, lock)
        default = data.get("default") if isinstance(data, dict) else None
        if not isinstance(default, dict):
            return None
        return Installed(frozenset(canonicalize_name(k) for k in default), lock, {})
    data = load_toml(text, lock)
    listed = data.get("package")
    packages = [p for p in (listed if isinstance(listed, list) else []) if isinstance(p, dict)
                and isinstance(p.get("name"), str)]
    if lock == "uv.lock":
        return _uv(packages, lock, project, selected, at)
    group = "main" if lock == "poetry.lock" else "default"
    if lock == "poetry.lock" and roots and all(p.get("groups") is None and p.get("category") is None for p in packages):
        return Installed(frozenset(_poetry_walk(packages, roots)), lock, {})
    names = set()
    for p in packages:
        groups = p.get("groups")
        if (isinstance(groups, list) and group in groups) or p.get("category") == "main" or (
                groups is None and p.get("category") is None):
            names.add(canonicalize_name(p["name"]))
    return Installed(frozenset(names), lock, {})


def _poetry_walk(packages: list[dict], roots: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    """Names reachable from the roots through ``[package.dependencies]``; optional ones only
    through an extra that asks for them (``[package.extras]``)."""
    by_name = {canonicalize_name(p["name"]): p for p in packages}
    names: set[str] = set()
    todo = [(canonicalize_name(n), tuple(e)) for n, e in roots]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen or name not in by_name:
            continue
        seen.add((name, extras))
        names.add(name)
        p = by_name[name]
        deps = p.get("dependencies") if isinstance(p.get("dependencies"), dict) else {}
        wanted = set()
        extra_table = p.get("extras") if isinstance(p.get("extras"), dict) else {}
        for e in extras:
            for spec in extra_table.get(e, []) if isinstance(extra_table.get(e), list) else ():
                if isinstance(spec, str) and (m := _NAME.match(spec)):
                    wanted.add(canonicalize_name(m.group(0)))
        for dep, value in deps.items():
            entries = value if isinstance(value, list) else [value]
            optional = all(isinstance(v, dict) and v.get("optional") for v in entries)
            dep_extras = tuple(x for v in entries if isinstance(v, dict) and isinstance(v.get("extras"), list)
                               for x in v["extras"] if isinstance(x, str))
            if not optional or canonicalize_name(dep) in wanted:
                todo.append((canonicalize_name(dep), dep_extras))
    return names


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _uv_roots(packages: list[dict], project: str | None, at: str = ".") -> list[dict]:
    roots = [p for p in packages if isinstance(p.get("source"), dict)
             and at in (p["source"].get("virtual"), p["source"].get("editable"))]
    if not roots and project:
        roots = [p for p in packages if canonicalize_name(p["name"]) == canonicalize_name(project)]
    return roots


def _uv_selection(root: dict, sel: Selection) -> object:
    table = root.get("dev-dependencies" if sel.kind == "group" else "optional-dependencies")
    return table.get(sel.name) if isinstance(table, dict) else None


def uv_selections(repo: RepoView, project: str | None, at: str = ".") -> list[tuple[Selection, frozenset[str]]]:
    """The project's own dependency groups and extras in uv.lock (dev-like names left out), each
    with the package names it lists directly."""
    text = repo.read_text_if_exists("uv.lock", LOCKFILE_MAX_BYTES)
    data = load_toml(text, "uv.lock") if text else {}
    listed = data.get("package") if isinstance(data, dict) else None
    packages = [p for p in (listed if isinstance(listed, list) else []) if isinstance(p, dict)
                and isinstance(p.get("name"), str)]
    out = []
    for root in _uv_roots(packages, project, at)[:1]:
        for kind, key in (("group", "dev-dependencies"), ("extra", "optional-dependencies")):
            table = root.get(key)
            for name in sorted(table) if isinstance(table, dict) else ():
                entries = table[name] if isinstance(table[name], list) else []
                if isinstance(name, str) and _SAFE_NAME.fullmatch(name) and not _DEV_LIKE.match(name):
                    out.append((Selection(kind, name), frozenset(canonicalize_name(e["name"]) for e in entries
                                                                  if isinstance(e, dict) and isinstance(e.get("name"), str))))
    return out


def _uv(packages: list[dict], lock: str, project: str | None, selected: tuple[Selection, ...] = (),
        at: str = ".") -> Installed | None:
    by_name: dict[str, list[dict]] = {}
    for p in packages:
        by_name.setdefault(canonicalize_name(p["name"]), []).append(p)
    roots = _uv_roots(packages, project, at)
    if not roots:
        return None
    names: set[str] = set()
    via: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    todo: list[tuple[str, str, str | None]] = []  # (name, extra or "", requester)

    def deps_of(entries: object, requester: str | None) -> None:
        for d in entries if isinstance(entries, list) else ():
            if isinstance(d, dict) and isinstance(d.get("name"), str):
                n = canonicalize_name(d["name"])
                todo.append((n, "", requester))
                for e in d.get("extra", []) or []:
                    if isinstance(e, str):
                        todo.append((n, e, f"{n}[{e}]"))

    for root in roots:
        deps_of(root.get("dependencies"), None)
        for sel in selected:
            deps_of(_uv_selection(root, sel), f"{sel.kind} {sel.name}")
    while todo:
        name, extra, requester = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        if name not in names:
            names.add(name)
            if requester:
                via[name] = requester
        for p in by_name.get(name, []):
            if extra:
                opt = p.get("optional-dependencies")
                deps_of(opt.get(extra) if isinstance(opt, dict) else None, requester or f"{name}[{extra}]")
            else:
                deps_of(p.get("dependencies"), requester)
    return Installed(frozenset(names), lock, via)

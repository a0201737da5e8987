"""npm, yarn and pnpm workspaces: the root above a member, the members, and a member's workspace dependencies.

A workspace root is a directory whose package.json lists ``workspaces`` (an array, or yarn's
``{"packages": [...]}``) or that holds a ``pnpm-workspace.yaml`` with a ``packages:`` list. Members are
the directories those patterns match that hold a package.json (``apps/*``, ``packages/**``, a plain
``frontend``; ``!pattern`` excludes). ``dockgen init path/to/member`` builds from the nearest root that
lists the member: the root's lockfile is the only one, and workspace packages link to each other there.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import safe
from .errors import DockgenError, InvalidInputError
from .facts import Fact, fact
from .parsing import load_json
from .repo import RepoView

PACKAGE_JSON = "package.json"
PNPM_WORKSPACE = "pnpm-workspace.yaml"
#: Directories above a member looked at, members listed at most, directory levels a ``**`` descends.
MAX_LEVELS = 8
MAX_MEMBERS = 200
MAX_DEPTH = 4
#: Never members, whatever a pattern says.
SKIP_DIRS = ("node_modules", ".git")


@dataclass(frozen=True)
class Package:
    """One workspace member: its directory (relative to the root), package name and package.json."""

    dir: str
    name: str
    manifest: dict


def _package_json(repo: RepoView, rel: str) -> dict | None:
    path = f"{rel}/{PACKAGE_JSON}" if rel else PACKAGE_JSON
    if not repo.is_file(path):
        return None
    try:
        data = load_json(repo.read_text(path), path)
    except InvalidInputError:
        if not rel:
            raise  # the root's package.json: the detector reports it
        return None  # a member's: its own detector reports it when dockgen runs there
    return data if isinstance(data, dict) else None


def _pnpm_patterns(text: str) -> list[str]:
    """The ``packages:`` list of pnpm-workspace.yaml (block or flow style), without a YAML library:
    the file's other keys (catalogs, overrides) are not read."""
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        bare = line.split(" #", 1)[0].rstrip()
        if not bare.strip() or bare.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            inside = bare.startswith("packages:")
            flow = bare.partition(":")[2].strip()
            if inside and flow.startswith("["):
                out += [p.strip().strip("'\"") for p in flow.strip("[]").split(",") if p.strip()]
                inside = False
            continue
        item = bare.strip()
        if inside and item.startswith("- "):
            out.append(item[2:].strip().strip("'\""))
    return out


def patterns(repo: RepoView) -> tuple[list[str], str] | None:
    """(member patterns, the file that lists them) when ``repo`` is a workspace root."""
    pkg = _package_json(repo, "")
    ws = pkg.get("workspaces") if pkg else None
    if isinstance(ws, dict):
        ws = ws.get("packages")
    if isinstance(ws, list):
        return [p for p in ws if isinstance(p, str)], f"{PACKAGE_JSON} workspaces"
    if repo.is_file(PNPM_WORKSPACE):
        return _pnpm_patterns(repo.read_text(PNPM_WORKSPACE)), f"{PNPM_WORKSPACE} packages"
    return None


def _expand(repo: RepoView, pattern: str) -> list[str]:
    """Directories matching one pattern (``*`` one level, ``**`` any depth up to MAX_DEPTH)."""
    parts = [p for p in pattern.strip().strip("/").removeprefix("./").split("/") if p and p != "."]
    if not parts or ".." in parts:
        return []
    found = [""]
    for part in parts:
        nxt: list[str] = []
        for base in found:
            nxt += _match_level(repo, base, part)
        found = nxt
    return found


def _match_level(repo: RepoView, base: str, part: str) -> list[str]:
    def join(name: str) -> str:
        return f"{base}/{name}" if base else name

    if part == "**":
        out, level = [base], [base]
        for _ in range(MAX_DEPTH):
            level = [join_d for b in level for join_d in _subdirs(repo, b)]
            out += level
        return out
    if not any(c in part for c in "*?["):
        return [join(part)] if repo.is_dir(join(part)) else []
    return [join(n) for n in repo.listdir(base or ".") if n not in SKIP_DIRS and fnmatch.fnmatchcase(n, part)
            and repo.is_dir(join(n))]


def _subdirs(repo: RepoView, base: str) -> list[str]:
    return [f"{base}/{n}" if base else n for n in repo.listdir(base or ".")
            if n not in SKIP_DIRS and not n.startswith(".") and repo.is_dir(f"{base}/{n}" if base else n)]


def members(repo: RepoView) -> list[Package]:
    """The workspace's members (directories with a package.json), in pattern order; [] when not a root."""
    found = patterns(repo)
    if found is None:
        return []
    include = [p for p in found[0] if not p.startswith("!")]
    exclude = [p[1:].strip().strip("/").removeprefix("./") for p in found[0] if p.startswith("!")]
    out: list[Package] = []
    for pattern in include:
        for d in _expand(repo, pattern):
            if not d or any(d == o.dir for o in out) or any(fnmatch.fnmatchcase(d, x) for x in exclude):
                continue
            pkg = _package_json(repo, d)
            if pkg is not None:
                name = pkg.get("name") if isinstance(pkg.get("name"), str) else d.rsplit("/", 1)[-1]
                out.append(Package(d, name, pkg))
            if len(out) >= MAX_MEMBERS:
                return out
    return out


def workspace_root(path: Path) -> Path | None:
    """The nearest directory above ``path`` whose workspace lists it (None: not a member)."""
    here = Path(path).resolve()
    if not (here / PACKAGE_JSON).is_file():
        return None
    parent = here.parent
    for _ in range(MAX_LEVELS):
        try:
            repo = RepoView(parent)
            if patterns(repo) is not None:
                rel = here.relative_to(parent).as_posix()
                return parent if any(p.dir == rel for p in members(repo)) else None
        except DockgenError:
            return None  # an unreadable directory above is not this member's root
        if parent.parent == parent:
            return None
        parent = parent.parent
    return None


def workspace_members(root: Path) -> tuple[str, ...]:
    """Member directories of the workspace at ``root`` (empty when it is none)."""
    try:
        return tuple(p.dir for p in members(RepoView(root)))
    except DockgenError:
        return ()


_DEP_SECTIONS = ("dependencies", "optionalDependencies", "peerDependencies", "devDependencies")
#: Specifiers that fetch a package from elsewhere even when a member has the same name.
_ELSEWHERE = re.compile(r"^(npm:|git|https?:|github:)")


def _declared(pkg: dict, dev: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind in _DEP_SECTIONS if dev else _DEP_SECTIONS[:3]:
        section = pkg.get(kind)
        if isinstance(section, dict):
            out.update({k: v for k, v in section.items() if isinstance(v, str)})
    return out


def workspace_deps(all_members: list[Package], member: str, dev: bool) -> list[Package]:
    """The members ``member`` depends on, transitively, dependencies first. ``dev``: devDependencies
    count too (what the build needs); else only what runs. A dependency links to a member when the
    names match (npm and yarn link a same-named workspace package; ``workspace:`` says so explicitly)."""
    by_name = {p.name: p for p in all_members}
    me = next((p for p in all_members if p.dir == member), None)
    order: list[Package] = []

    def visit(pkg: Package, trail: tuple[str, ...]) -> None:
        for name, spec in sorted(_declared(pkg.manifest, dev).items()):
            dep = by_name.get(name)
            if dep is None or dep is me or dep.dir in trail or _ELSEWHERE.match(spec):
                continue
            visit(dep, (*trail, dep.dir))
            if dep not in order:
                order.append(dep)

    if me is not None:
        visit(me, (me.dir,))
    return order


class WorkspacePackage(BaseModel):
    """A member in the facts: its directory in the workspace, package name, whether it has a build."""

    model_config = ConfigDict(frozen=True)

    dir: str
    name: str
    build: bool = False


class NodeWorkspace(BaseModel):
    """A member of a workspace, built from the workspace root (the build context)."""

    model_config = ConfigDict(frozen=True)

    #: This member, as its root lists it.
    member: Fact[WorkspacePackage]
    #: Every member's directory: their package.json files are copied before the install (the
    #: package managers check the root lockfile against all of them).
    all_dirs: tuple[str, ...]
    #: Members the build needs (dev dependencies included) and members the runner needs, dependencies first.
    build_deps: tuple[WorkspacePackage, ...] = ()
    run_deps: tuple[WorkspacePackage, ...] = ()
    #: The root package.json declares dependencies (its devDependencies often hold the build tools),
    #: and its name (yarn focuses workspaces by name).
    root_deps: bool = False
    root_name: str | None = None


def _name(pkg: Package) -> str:
    """The package name, checked like the detector checks its own (it reaches RUN lines: ``--filter``)."""
    file = f"{pkg.dir}/{PACKAGE_JSON}" if pkg.dir else PACKAGE_JSON
    scope, slash, rest = pkg.name.removeprefix("@").partition("/")
    if pkg.name.startswith("@") and slash:
        safe.name(scope, file, "name", "npm scope")
        safe.name(rest, file, "name", "npm package name")
        return pkg.name
    return safe.name(pkg.name, file, "name", "npm package name")


def _entry(pkg: Package) -> WorkspacePackage:
    scripts = pkg.manifest.get("scripts")
    build = isinstance(scripts, dict) and isinstance(scripts.get("build"), str)
    return WorkspacePackage(dir=safe.rel_path(pkg.dir, PACKAGE_JSON, "workspaces"),
                            name=_name(pkg), build=build)


def member_facts(repo: RepoView) -> NodeWorkspace | None:
    """The workspace facts of ``repo`` when it is a member built from ``repo.context``."""
    if not repo.member:
        return None
    ctx = repo.context
    listed = members(ctx)
    me = next((p for p in listed if p.dir == repo.member), None)
    if me is None:
        return None
    source = patterns(ctx)[1]  # type: ignore[index]  # members() found patterns
    root = _package_json(ctx, "") or {}
    return NodeWorkspace(
        member=fact(_entry(me), *source.split(" ", 1)),
        all_dirs=tuple(safe.rel_path(p.dir, PACKAGE_JSON, "workspaces") for p in listed),
        build_deps=tuple(_entry(p) for p in workspace_deps(listed, me.dir, dev=True)),
        run_deps=tuple(_entry(p) for p in workspace_deps(listed, me.dir, dev=False)),
        root_deps=any(isinstance(root.get(k), dict) and root.get(k) for k in _DEP_SECTIONS),
        root_name=_name(Package("", root["name"], root)) if isinstance(root.get("name"), str) else None)

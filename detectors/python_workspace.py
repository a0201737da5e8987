"""uv workspaces: the root above a member, its members, and what one member's install needs.

A uv workspace is a root ``pyproject.toml`` with ``[tool.uv.workspace] members = [...]`` (globs,
``exclude`` honoured) and one ``uv.lock`` at the root for every member. ``dockgen init member``
builds from that root: uv needs the root's pyproject.toml and lock and every member's
pyproject.toml to check the lock (``--locked``), and the sources of the members the app depends on
to install them. The member's own start rules are unchanged (they read the member's directory).
"""

from __future__ import annotations

import fnmatch
import posixpath
from pathlib import Path

from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict

from . import safe
from .errors import DockgenError, InvalidInputError
from .parsing import load_toml
from .repo import LOCKFILE_MAX_BYTES, RepoView

PYPROJECT = "pyproject.toml"
LOCK = "uv.lock"
#: Directories above a member looked at, and members listed at most (globs expanded).
MAX_LEVELS = 8
MAX_MEMBERS = 500
MAX_GLOB_DEPTH = 6


class Member(BaseModel):
    """A member as the build sees it: every path is relative to the workspace root."""

    model_config = ConfigDict(frozen=True)

    #: The member's directory ("backend").
    dir: str
    #: Its project name in the lock ([project] name).
    name: str
    #: Every member directory of the workspace, in the workspace's order (their pyproject.toml is copied).
    members: tuple[str, ...]
    #: The member directories this one depends on, transitively (their sources are installed), sorted.
    needs: tuple[str, ...]


def _table(view: RepoView) -> dict | None:
    """``[tool.uv.workspace]`` of the pyproject.toml in ``view`` (None: not a workspace root)."""
    text = view.read_text_if_exists(PYPROJECT)
    if text is None:
        return None
    tool = load_toml(text, PYPROJECT).get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    ws = uv.get("workspace") if isinstance(uv, dict) else None
    return ws if isinstance(ws, dict) else None


def _patterns(ws: dict, key: str) -> list[str]:
    value = ws.get(key, [])
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise InvalidInputError(f"[tool.uv.workspace] {key} must be a list of strings", file=PYPROJECT)
    return [posixpath.normpath(p.strip().removeprefix("./")) for p in value if p.strip()]


def _matches(path: str, pattern: str) -> bool:
    """``path`` matches ``pattern`` segment by segment (``*`` stays in one directory, ``**`` spans any)."""
    parts, pats = path.split("/"), pattern.split("/")

    def walk(i: int, j: int) -> bool:
        if j == len(pats):
            return i == len(parts)
        if pats[j] == "**":
            return any(walk(k, j + 1) for k in range(i, len(parts) + 1))
        return i < len(parts) and fnmatch.fnmatchcase(parts[i], pats[j]) and walk(i + 1, j + 1)

    return walk(0, 0)


def _join(d: str, name: str) -> str:
    return f"{d}/{name}" if d else name


def _below(view: RepoView, top: str) -> list[str]:
    """``top`` and the directories under it (``**``), hidden ones skipped, depth-limited."""
    out, todo = [top], [top]
    while todo and len(out) < MAX_MEMBERS:
        d = todo.pop(0)
        for name in view.listdir(d or "."):
            rel = _join(d, name)
            if not name.startswith(".") and rel.count("/") < MAX_GLOB_DEPTH and view.is_dir(rel):
                out.append(rel)
                todo.append(rel)
    return out


def _expand(view: RepoView, pattern: str) -> list[str]:
    """The directories under the root that ``pattern`` names, one segment at a time (only the
    directories a segment can match are listed), sorted."""
    current = [""]
    for seg in pattern.split("/"):
        found: list[str] = []
        for d in current:
            if seg == "**":
                found += _below(view, d)
            elif not any(c in seg for c in "*?["):
                found += [_join(d, seg)] if view.is_dir(_join(d, seg)) else []
            else:
                found += [_join(d, n) for n in view.listdir(d or ".")
                          if not n.startswith(".") and fnmatch.fnmatchcase(n, seg) and view.is_dir(_join(d, n))]
        current = list(dict.fromkeys(found))[:MAX_MEMBERS]
    return sorted(d for d in current if d)


def members(root: Path) -> tuple[str, ...]:
    """The member directories of the uv workspace at ``root`` (with a pyproject.toml), in order; () when
    ``root`` is not a uv workspace root."""
    try:
        view = RepoView(root)
        ws = _table(view)
        if ws is None:
            return ()
        exclude = _patterns(ws, "exclude")
        found: list[str] = []
        for pattern in _patterns(ws, "members"):
            if pattern.startswith(("/", "..")):
                continue  # a member outside the workspace root cannot be copied from the build context
            for d in _expand(view, pattern):
                if (d not in found and d != "." and not d.startswith("../") and view.is_file(f"{d}/{PYPROJECT}")
                        and not any(_matches(d, x) for x in exclude)):
                    found.append(d)
        return tuple(found[:MAX_MEMBERS])
    except DockgenError:
        return ()


def workspace_root(path: Path) -> Path | None:
    """The uv workspace root whose members include ``path`` (the nearest one above), or None."""
    here = Path(path).resolve()
    if not (here / PYPROJECT).is_file():
        return None
    parent = here.parent
    for _ in range(MAX_LEVELS):
        if here.relative_to(parent).as_posix() in members(parent):
            return parent
        if parent.parent == parent:
            break
        parent = parent.parent
    return None


def _lock_packages(ctx: RepoView) -> list[dict]:
    text = ctx.read_text_if_exists(LOCK, LOCKFILE_MAX_BYTES)
    if text is None:
        raise InvalidInputError("a uv workspace without uv.lock at its root", file=LOCK,
                                hint="run `uv lock` in the workspace root and commit uv.lock")
    listed = load_toml(text, LOCK).get("package")
    return [p for p in listed if isinstance(p, dict) and isinstance(p.get("name"), str)] if isinstance(listed, list) else []


def _source_dir(p: dict) -> str | None:
    """The directory of a workspace package in uv.lock (``source = { editable = "lib" }``)."""
    src = p.get("source")
    if not isinstance(src, dict):
        return None
    for kind in ("editable", "virtual", "directory"):
        if isinstance(src.get(kind), str):
            return posixpath.normpath(src[kind])
    return None


def member(repo: RepoView) -> Member | None:
    """The workspace member ``repo`` is (read through ``repo.context``), or None when it is not one."""
    if not repo.member or repo.member not in members(repo.context.root):
        return None
    ctx = repo.context
    all_members = members(ctx.root)
    packages = _lock_packages(ctx)
    dirs = {canonicalize_name(p["name"]): d for p in packages if (d := _source_dir(p)) in all_members}
    name = next((n for n, d in dirs.items() if d == repo.member), None)
    if name is None:
        raise InvalidInputError(f"uv.lock has no package for the workspace member {repo.member}", file=LOCK,
                                hint="run `uv lock` in the workspace root and commit uv.lock")
    by_name = {canonicalize_name(p["name"]): p for p in packages}
    needs: set[str] = set()
    todo = [name]
    while todo:
        deps = by_name.get(todo.pop(), {}).get("dependencies")
        for dep in deps if isinstance(deps, list) else ():
            n = canonicalize_name(dep["name"]) if isinstance(dep, dict) and isinstance(dep.get("name"), str) else None
            if n in dirs and dirs[n] not in needs and n != name:
                needs.add(dirs[n])
                todo.append(n)
    # Names and directories go into RUN and COPY lines: only plain ones.
    return Member(dir=safe.rel_path(repo.member, PYPROJECT, "[tool.uv.workspace] members"),
                  name=safe.name(name, LOCK, "package name"),
                  members=tuple(safe.rel_path(d, PYPROJECT, "[tool.uv.workspace] members") for d in all_members),
                  needs=tuple(sorted(needs)))

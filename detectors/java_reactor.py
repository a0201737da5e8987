"""Maven multi-module builds: the aggregator root above a module, the reactor's POMs, ``-am``.

``dockgen init path/to/module`` builds from the aggregator that lists the module (the topmost
one, when aggregators nest): Maven needs every POM of the reactor to build one module with
``-pl <module> -am``, and the modules it depends on are built in the same run.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from .errors import DockgenError
from .java_model import Model, load, pom_path, read_pom
from .java_pom import POM, Pom, find, findall, raw
from .repo import RepoView

#: Aggregators above a module followed at most, and modules listed at most (nesting included).
MAX_LEVELS = 8
MAX_MODULES = 500


def module_dirs(pom: Pom) -> list[str]:
    """The directories <modules> lists (relative to the context, like ``pom.path``), in order."""
    base = posixpath.dirname(pom.path)
    out = []
    for m in findall(pom.root, "modules/module"):
        text = (m.text or "").strip()
        if not text or "${" in text or text.startswith("/") or "\\" in text:
            continue
        if text.endswith(".xml"):
            text = posixpath.dirname(text) or "."
        path = posixpath.normpath(posixpath.join(base, text))
        if path != "." and path != ".." and not path.startswith("../"):
            out.append(path)
    return out


def _lists(parent: Path, child: Path) -> bool:
    """Whether ``parent``/pom.xml lists ``child`` among its <modules>."""
    try:
        repo = RepoView(parent)
        if not repo.is_file(POM):
            return False
        pom = read_pom(repo, POM)
    except DockgenError:
        return False  # an unreadable POM above is not this module's aggregator
    return child.relative_to(parent).as_posix() in module_dirs(pom)


def reactor_root(path: Path) -> Path | None:
    """The topmost aggregator directory whose reactor includes ``path`` (None: not a module)."""
    here = Path(path).resolve()
    if not (here / POM).is_file():
        return None
    root = None
    for _ in range(MAX_LEVELS):
        parent = here.parent
        if parent == here or not _lists(parent, here):
            break
        root = here = parent
    return root


def reactor(ctx: RepoView, top: str = "") -> list[str]:
    """Every module directory of the reactor under ``top`` (nested aggregators included), in order."""
    out: list[str] = []
    queue = [top]
    while queue and len(out) < MAX_MODULES:
        d = queue.pop(0)
        path = pom_path(d)
        if d in out or not ctx.is_file(path):
            continue
        out.append(d)
        queue.extend(module_dirs(read_pom(ctx, path)))
    return out


def members(root: Path) -> tuple[str, ...]:
    """The modules of the aggregator at ``root`` that build something (nested aggregators are not
    members, their modules are), in reactor order; empty when ``root`` is not an aggregator."""
    ctx = RepoView(root)
    if not ctx.is_file(POM) or not module_dirs(read_pom(ctx, POM)):
        return ()
    return tuple(d for d in reactor(ctx)[1:] if not module_dirs(read_pom(ctx, pom_path(d))))


def coordinates(pom: Pom) -> tuple[str, str]:
    group = raw(pom.root, "groupId") or raw(find(pom.root, "parent"), "groupId") or ""
    return group, raw(pom.root, "artifactId") or ""


def upstream(ctx: RepoView, model: Model, modules: list[str]) -> list[str]:
    """The reactor modules ``model`` depends on, transitively: what ``-am`` builds before it."""
    by_coords = {coordinates(read_pom(ctx, pom_path(d))): d for d in modules}
    found: list[str] = []
    todo = [model]
    while todo:
        current = todo.pop()
        for dep, _layer in current.dependencies():
            d = by_coords.get(current.coords(dep))
            if d is None or d in found or pom_path(d) == model.file:
                continue
            found.append(d)
            todo.append(load(ctx, d, use_production=False)[0])
    return sorted(found)

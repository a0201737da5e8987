"""Go workspaces: the ``go.work`` above a module, the modules it uses, and what a member's build needs.

The go command finds ``go.work`` in the working directory or the nearest one above it; a module
listed by its ``use`` directives (``use ./svc``, ``use ( ./a ./b )``) builds with every used module
in place of the versions go.mod requires. ``dockgen init svc`` therefore builds from the go.work
directory (the build context) with the workspace on: go.work, go.work.sum and each used module's
go.mod/go.sum first (the download layer), then the used modules' sources.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import go_mod, safe
from .errors import ALL_MEMBERS, DockgenError, InvalidInputError
from .repo import RepoView

FILE = "go.work"
SUM = "go.work.sum"
#: Directories above a module looked at (the go command stops at the first go.work).
MAX_LEVELS = 8
MAX_USES = 500
_COMMENT = re.compile(r"//.*$")


class Work(BaseModel):
    """A member's workspace as the build sees it: every path is relative to the go.work directory."""

    model_config = ConfigDict(frozen=True)

    #: The member module's directory ("svc").
    dir: str
    #: Every used module directory (with a go.mod), in go.work's order ("." for the go.work directory).
    uses: tuple[str, ...]
    #: go.work's own `go` directive (the toolchain must be at least that), None when absent.
    go: str | None
    #: go.work.sum exists next to go.work.
    has_sum: bool
    #: The used modules with a go.sum.
    sums: tuple[str, ...]
    #: The module paths of the used modules (their requires need no download), sorted.
    modules: tuple[str, ...] = ()
    #: What the used modules require from outside the workspace (what is downloaded), sorted.
    external: tuple[str, ...] = ()


def _words(text: str) -> tuple[list[str], str | None]:
    """go.work's ``use`` paths as written, and its ``go`` version."""
    uses: list[str] = []
    go = None
    block = None
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        words = line.split()
        if block is not None:
            if line == ")":
                block = None
            elif block == "use":
                uses.append(words[0])
            continue
        if words[1:] == ["("]:
            block = words[0]
        elif words[0] == "use" and len(words) >= 2:
            uses.append(words[-1] if words[1] == "(" else words[1])
        elif words[0] == "go" and len(words) == 2:
            go = words[1] if go_mod.GO_VERSION.fullmatch(words[1]) else None
    return uses, go


def _uses(view: RepoView) -> tuple[list[str], str | None] | None:
    """The used module directories (normalised, inside the root, with a go.mod) and go.work's go line."""
    text = view.read_text_if_exists(FILE)
    if text is None:
        return None
    written, go = _words(text)
    out: list[str] = []
    for w in written[:MAX_USES]:
        path = posixpath.normpath(w.strip("\"`"))
        if path.startswith("/") or path == ".." or path.startswith("../"):
            continue  # a module outside the build context cannot be copied into it
        if path not in out and view.is_file(posixpath.join(path, "go.mod")):
            out.append(path)
    return out, go


def members(root: Path) -> tuple[str, ...]:
    """The module directories ``root``/go.work uses (without the root itself), in order; () when none."""
    try:
        found = _uses(RepoView(root))
    except DockgenError:
        return ()
    return tuple(d for d in found[0] if d != ".") if found else ()


def workspace_root(path: Path) -> Path | None:
    """The directory of the go.work that uses the module at ``path`` (the nearest go.work above it, as
    the go command finds it), or None."""
    here = Path(path).resolve()
    if not (here / "go.mod").is_file():
        return None
    parent = here.parent
    for _ in range(MAX_LEVELS):
        if (parent / FILE).is_file():
            return parent if here.relative_to(parent).as_posix() in members(parent) else None
        if parent.parent == parent:
            break
        parent = parent.parent
    return None


def member(repo: RepoView) -> Work | None:
    """The workspace of the module ``repo`` is (read through ``repo.context``), or None."""
    if not repo.member:
        return None
    ctx = repo.context
    found = _uses(ctx)
    if found is None or repo.member not in found[0]:
        return None
    uses = tuple(safe.rel_path(d, FILE, "use") if d != "." else d for d in found[0])
    mods = [go_mod.parse(ctx.read_text(posixpath.join(d, "go.mod"))) for d in uses]
    paths = {mod.module for mod in mods if mod.module}
    return Work(dir=safe.rel_path(repo.member, FILE, "use"), uses=uses, go=found[1],
                has_sum=ctx.is_file(SUM), sums=tuple(d for d in uses if ctx.is_file(posixpath.join(d, "go.sum"))),
                modules=tuple(sorted(paths)),
                external=tuple(sorted({r for mod in mods for r in mod.requires if r not in paths})))


def refuse_root(repo: RepoView, serves: Callable[[RepoView], bool]) -> None:
    """A go.work directory without a module of its own: one module at a time (exit 5), naming the used
    modules ``serves`` says have a main package."""
    used = members(repo.root) if not repo.member else ()
    if not used:
        return
    listed = [d for d in used if serves(RepoView(repo.root / d, context=repo))]
    found = (f"; its modules with a main package: {', '.join(listed)}" if listed
             else "; none of its modules has a main package")
    raise InvalidInputError(f"is a Go workspace with no module of its own; dockgen builds one module at a time{found}",
                            file=FILE, hint=(f"run `dockgen init {listed[0]}` (from here or inside the module)"
                                             if listed else "run dockgen in the module with the main package") + ALL_MEMBERS)


def manifests(work: Work) -> tuple[str, ...]:
    """What the download layer copies, relative to the go.work directory."""
    out = [FILE, *([SUM] if work.has_sum else [])]
    for d in work.uses:
        out.append(posixpath.join(d, "go.mod"))
        if d in work.sums:
            out.append(posixpath.join(d, "go.sum"))
    return tuple(out)


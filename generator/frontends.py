"""A frontend in a subfolder (``ui/``, ``web/``, ``frontend/``) whose build the runtime serves or embeds.

The runtime's detector names the folders its server embeds or serves (``ProjectFacts.served_dirs``:
``//go:embed ui/build``, ``StaticFiles(directory="frontend/dist")``). Each top-level folder holding the
manifest of a stack that can build assets (``StackDef.assets``) is detected on its own and judged:

- its build writes a served folder (``ProjectFacts.asset_outputs``, resolved from the subfolder): it is
  built in the ``assets`` stage and the output is copied there wherever the runtime copies its sources
  (before ``go build`` for an embed, into the runtime image for a static folder);
- it would write one, but cannot be built reproducibly (no lockfile), or a missing served folder lies
  inside it and dockgen cannot tell where its build writes: refused, naming the folder and the fix —
  never an image with an empty or placeholder UI;
- otherwise it is classified (dev tooling, a server of its own, output nobody serves) and ignored, the
  reason in the header and ``plan --json`` ``facts.others``.

When a served folder is still missing and the project lies inside a larger repository (a Go module in
``backend/`` beside ``frontend/``), the nearest parent directory holding frontends (at most ``_UP``
levels up, never past a ``.git``) is searched the same way: a sibling whose build writes into the
project (``--outDir ../backend/web/dist``, adapter-static ``pages``) is built from that parent, which
becomes the build context (``ProjectFacts.assets_context``); a workspace member installs from its
workspace's lockfile. A sibling that writes it without a lockfile is refused by name, and so is one
that builds files dockgen cannot locate when the parent is one repository (``.git``, or a workspace
holding the sibling).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..detectors.errors import DockgenError, InvalidInputError
from ..detectors.facts import Fact, ProjectFacts, fact
from ..detectors.repo import RepoView
from .stackdef import StackDef

#: Top-level folders never taken for a frontend (dependencies, caches, VCS).
_SKIP = {"node_modules", "vendor", "dist", "build", "target", "venv", "testdata"}


def _folders(repo: RepoView) -> list[str]:
    """Top-level folders; an entry that cannot be read (a link leaving the repository) is no frontend
    of this project, so it is skipped rather than refused (the runtime's own reads decide about it)."""
    def folder(name: str) -> bool:
        try:
            return repo.is_dir(name)
        except InvalidInputError:
            return False
    return [n for n in repo.listdir(".") if n[0] not in "._" and n not in _SKIP and folder(n)]


def _related(folder: str, served: tuple[Fact[str], ...]) -> list[Fact[str]]:
    return [d for d in served if d.value == folder or d.value.startswith(folder + "/")]


def _match(folder: str, sub: ProjectFacts, served: tuple[Fact[str], ...]):
    """(served folder, build) for the first build of ``sub`` that writes a served folder, or None."""
    for build in sub.asset_outputs():
        out = posixpath.normpath(posixpath.join(folder, build.value[1]))
        for d in served:
            if d.value == out or d.value.startswith(out + "/") or out.startswith(d.value + "/"):
                src = build.source
                src = src.model_copy(update={"file": f"{folder}/{src.file}"}) if src.file else src
                return d, fact((build.value[0], out), src)
    return None


def _refuse_unknown(repo: RepoView, folder: str, manifest: str, served: tuple[Fact[str], ...], runtime: str) -> None:
    """A served folder inside ``folder`` that the repository lacks: only the frontend build can make it."""
    for d in _related(folder, served):
        if not repo.exists(d.value):
            rel = posixpath.relpath(d.value, folder)
            raise InvalidInputError(
                f"the {runtime} app needs {d.value} ({d.source}), which only the build in {folder}/ can "
                "write, and dockgen cannot tell where that build writes", file=f"{folder}/{manifest}",
                hint=f"make the build's output folder explicit (vite build.outDir '{rel}', or --outDir {rel} "
                     "in scripts.build), or commit the built files")


def own_build_note(where: str, runtime: ProjectFacts) -> str | None:
    """The header line for a frontend the runtime's own build runs (no stage of its own), or None."""
    own = runtime.own_frontend_build()
    folder = posixpath.dirname(where) or "."
    if own is None or own.value != folder:
        return None
    return (f"{where} is built by the {runtime.ecosystem} build itself ({own.source}): no separate stage; the "
            "plugin downloads Node.js and runs the install during that build, so it needs nodejs.org and the "
            "npm registry")


def _judge(repo: RepoView, folder: str, stack: StackDef, sub: ProjectFacts, runtime: ProjectFacts):
    """("build", note, build) when the runtime serves this folder's output, else ("note", text, None)."""
    manifest = next(m for m in stack.manifests if repo.is_file(f"{folder}/{m}"))
    where = f"{folder}/{manifest}"
    if (note := own_build_note(where, runtime)) is not None:
        return "note", note, None
    found = _match(folder, sub, runtime.served_dirs)
    if found is None:
        _refuse_unknown(repo, folder, manifest, runtime.served_dirs, runtime.ecosystem)
    if found is None and (reason := sub.tooling_reason()) is not None:
        return "note", f"{folder}/{reason}: ignored", None
    if found is not None:
        served, build = found
        if (problem := sub.asset_problem()) is not None:
            raise InvalidInputError(f"its build writes {build.value[1]}, which the {runtime.ecosystem} app needs "
                                    f"({served.source}), but {problem}", file=where,
                                    hint=f"install once in {folder}/ and commit the lockfile it writes")
        return "build", (f"{where} builds {build.value[1]} ({build.source}), which {served.source} needs: built "
                         f"in the `assets` stage and copied where the {runtime.ecosystem} build reads its sources"), build
    if sub.assets_reason() is None:
        return "note", (f"{where} starts its own server, and the {runtime.ecosystem} app serves none of its "
                        f"output: ignored (run dockgen in {folder}/ for its image)"), None
    outs = ", ".join(posixpath.normpath(posixpath.join(folder, b.value[1])) for b in sub.asset_outputs())
    what = f"writes {outs}, which" if outs else "writes files dockgen cannot locate; whatever it writes"
    return "note", f"{where} builds files but its build {what} the {runtime.ecosystem} app neither serves nor embeds: ignored", None


def _detect(repo: RepoView, folder: str, stack: StackDef, runtime: ProjectFacts) -> ProjectFacts | None | str:
    """The subfolder's facts; a subfolder that cannot be read is a note unless the runtime needs it."""
    try:
        return stack.detect(RepoView(repo.root / folder))
    except DockgenError as exc:
        related = _related(folder, runtime.served_dirs)
        if not related:
            return f"{folder}/ not read as {stack.title} ({exc.message}): ignored"
        # Output committed to the repository (pocketbase's ui/dist, so `go build` needs no Node) is
        # used as it is when its frontend cannot be read; without it the build would fail: refused.
        if all(repo.is_dir(d.value) and repo.listdir(d.value) for d in related):
            return (f"{folder}/ not read as {stack.title} ({exc.message}); the committed "
                    f"{', '.join(d.value for d in related)} is used as it is")
        raise


def attach(repo: RepoView, facts: ProjectFacts, builders: tuple[StackDef, ...]) -> ProjectFacts:
    """``facts`` with the subfolder frontend it serves (``assets``) and notes on the other subfolders."""
    if facts.assets is not None or repo.context is not repo:
        return facts
    notes: list[str] = []
    chosen: dict = {}
    for folder in _folders(repo):
        for stack in builders:
            if not any(repo.is_file(f"{folder}/{m}") for m in stack.manifests):
                continue
            sub = _detect(repo, folder, stack, facts)
            if isinstance(sub, str) or sub is None:
                notes += [sub] if sub else []
                continue
            kind, note, build = _judge(repo, folder, stack, sub, facts)
            if kind == "build" and not chosen:
                chosen = {"assets": sub, "assets_folder": folder, "assets_build": build}
            notes.append(note if kind == "note" or chosen.get("assets_folder") == folder else
                         note.split(":")[0] + ": a second frontend for the same runtime: ignored")
    facts = facts.model_copy(update={**chosen, "others": (*facts.others, *notes)}) if notes else facts
    return facts if chosen else _attach_sibling(repo, facts, builders)


#: How many directories above the project are searched for a sibling frontend.
_UP = 2


def _ancestors(repo: RepoView) -> list[Path]:
    """Directories above the project, nearest first: at most ``_UP``, never past a VCS root."""
    out: list[Path] = []
    here = repo.root
    while len(out) < _UP and not (here / ".git").exists() and here.parent != here:
        here = here.parent
        out.append(here)
    return out


def _open_sibling(parent: Path, folder: str, stack: StackDef) -> RepoView | None:
    """The sibling as its stack reads it: a workspace member with its workspace root (which must be
    ``parent``, the build context), else on its own; None for a member of a workspace elsewhere."""
    path = parent / folder
    root = stack.workspace_root(path) if stack.workspace_root is not None else None
    if root is None or root == path:
        return RepoView(path)
    return RepoView(path, context=RepoView(parent)) if root == parent else None


def _sibling(parent: Path, folder: str, stack: StackDef, served: tuple[Fact[str], ...], runtime: ProjectFacts,
             up: str):
    """(facts, build) when the sibling's build writes a served folder; (facts, None) when it builds
    something dockgen cannot locate; None when it is not a frontend for this project. ``up`` leads
    from the project to ``parent`` (``../``), for messages."""
    view = _open_sibling(parent, folder, stack)
    try:
        sub = stack.detect(view) if view is not None else None
    except DockgenError:
        return None
    if sub is None or sub.tooling_reason() is not None:
        return None
    found = _match(folder, sub, served)
    if found is not None:
        if (problem := sub.asset_problem()) is not None:
            raise InvalidInputError(
                f"its build writes {found[1].value[1]}, which the {runtime.ecosystem} app needs "
                f"({found[0].source}), but {problem}", file=f"{up}{folder}/{stack.manifests[0]}",
                hint=f"install once in {folder}/ (or its workspace root) and commit the lockfile it writes")
        return sub, found[1]
    # Output dockgen cannot locate counts only in one repository (a .git, or the sibling a member of a
    # workspace there): a folder of unrelated projects (examples/) must not refuse one for another.
    one_repo = (parent / ".git").exists() or (view is not None and view.context is not view)
    return (sub, None) if one_repo and sub.assets_reason() is not None and not sub.asset_outputs() else None


def _search(repo: RepoView, parent: Path, served: tuple[Fact[str], ...], builders, runtime: ProjectFacts):
    """(folder, facts, build) of the sibling in ``parent`` that builds a served folder; None when
    ``parent`` holds no frontend. A frontend whose output dockgen cannot locate is refused."""
    mine = repo.root.relative_to(parent).parts[0]
    up = "../" * len(repo.root.relative_to(parent).parts)
    unknown: list[str] = []
    view = RepoView(parent)
    for folder in (f for f in _folders(view) if f != mine):
        for stack in (s for s in builders if any(view.is_file(f"{folder}/{m}") for m in s.manifests)):
            found = _sibling(parent, folder, stack, served, runtime, up)
            if found is not None and found[1] is not None:
                return folder, *found
            unknown += [f"{folder}/{stack.manifests[0]}"] if found is not None else []
    if unknown:
        d = served[0]
        raise InvalidInputError(
            f"the {runtime.ecosystem} app needs {d.value} ({d.source}), which is missing; {up}{unknown[0]} builds "
            "files, but dockgen cannot tell where", file=up + unknown[0],
            hint=f"make that build's output folder explicit (vite build.outDir, adapter-static pages or "
                 f"--outDir {posixpath.relpath(d.value, posixpath.dirname(unknown[0]))} in scripts.build), or commit the "
                 "built files")
    return None


def _attach_sibling(repo: RepoView, facts: ProjectFacts, builders: tuple[StackDef, ...]) -> ProjectFacts:
    """``facts`` with a sibling frontend that builds a missing served folder (see the module doc)."""
    missing = tuple(d for d in facts.served_dirs if not repo.exists(d.value))
    if not missing or repo.context is not repo:
        return facts
    for parent in _ancestors(repo):
        project = repo.root.relative_to(parent).as_posix()
        served = tuple(d.model_copy(update={"value": posixpath.join(project, d.value)}) for d in missing)
        found = _search(repo, parent, served, builders, facts)
        if found is None:
            continue
        folder, sub, build = found
        manifest = str(build.source.file or folder)
        note = (f"{posixpath.relpath(manifest, project)} (a sibling of {project}/) builds {build.value[1]} "
                f"({build.source}), which the {facts.ecosystem} app needs: built in the `assets` stage from "
                f"{parent.name}/, the build context, and copied where the {facts.ecosystem} build reads its sources")
        return facts.model_copy(update={"assets": sub, "assets_folder": folder, "assets_build": build,
                                        "assets_context": project, "others": (*facts.others, note)})
    return facts

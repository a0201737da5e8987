"""Directories the app writes at run time (``AppFacts.writable``), made in the image.

The runner may have no shell (distroless), so it cannot ``mkdir``: a build stage makes empty
directories under ``STAGING`` and the runner copies them in owned by the app user. The sources stay
root-owned. ``.`` (the app writes next to its code, e.g. ``db.sqlite``) makes ``/app`` itself the
user's, before ``WORKDIR`` creates it root-owned; the files in it stay root's. A directory whose data
must outlive the container gets a ``VOLUME``; scratch ones (cache, tmp, logs) do not.
"""

from __future__ import annotations

from ..detectors.facts import AppFacts
from . import models as m

STAGING = "/opt/writable"
#: Directory names that hold scratch data (no VOLUME: it need not outlive the container).
_SCRATCH = ("cache", "tmp", "temp", "log", "logs", "run", ".cache")


def dirs(app: AppFacts) -> tuple[str, ...]:
    """Run-time writable directories, parents before children and without nested duplicates."""
    found = sorted({c.value for c in app.writable if c.confidence != "assumed"})
    if "." in found:
        return (".", *(d for d in found if d != "." and _top(d, found)))
    return tuple(d for d in found if _top(d, found))


def _top(d: str, found: list[str]) -> bool:
    return not any(d.startswith(p + "/") for p in found if p not in (d, "."))


def source(app: AppFacts, d: str) -> str:
    return next((str(c.evidence) for c in app.writable if c.value == d), "")


def persistent(d: str) -> bool:
    return d != "." and not any(part.lower() in _SCRATCH for part in d.split("/"))


def mkdir_step(found: tuple[str, ...]) -> list[m.Instruction]:
    """The build-stage step that makes the empty directories (none when there are none)."""
    if not found:
        return []
    # Empty directories for the runner to copy with the app user as owner (no shell there to mkdir).
    return [m.Run(command="mkdir -p " + " ".join(f"{STAGING}/{i}" for i in range(len(found))), step="setup")]


def before_workdir(app: AppFacts, found: tuple[str, ...], stage: str, uid: int, workdir: str) -> list[m.Instruction]:
    """``.``: the app directory itself, owned by the user (WORKDIR would make it root's)."""
    if "." not in found:
        return []
    return [m.Comment(text=f"The app writes in {workdir} itself ({source(app, '.')}): the directory is the app "
                           "user's, the files in it stay root's."),
            m.Copy(from_stage=stage, sources=(f"{STAGING}/{found.index('.')}",), dest=workdir, chown=f"{uid}:{uid}")]


def runner_steps(app: AppFacts, found: tuple[str, ...], stage: str, uid: int, workdir: str) -> list[m.Instruction]:
    """After the app's files: each directory owned by the user, then a VOLUME for the persistent ones."""
    out: list[m.Instruction] = []
    for i, d in enumerate(found):
        if d != ".":
            out.append(m.Comment(text=f"{d}/ is written at run time ({source(app, d)}): owned by the app user."))
            out.append(m.Copy(from_stage=stage, sources=(f"{STAGING}/{i}",), dest=f"{workdir}/{d}",
                              chown=f"{uid}:{uid}"))
    volumes = tuple(f"{workdir}/{d}" for d in found if persistent(d))
    if volumes:
        out += [m.Comment(text="Data that must outlive the container: mount a volume there."), m.Volume(paths=volumes)]
    return out


def header(app: AppFacts, found: tuple[str, ...]) -> list[str]:
    if not found:
        return []
    return ["writable at run time: " + ", ".join(f"{d} (from {source(app, d)})" for d in found)]


def ignore(found: tuple[str, ...]) -> list[str]:
    """Kept out of the build context: a directory the runner makes must not arrive with files (or root's)."""
    return [d for d in found if d != "."]

"""Writer: decide each output file's status, then write atomically.

Statuses: create, identical, updated, conflict, forced, merged, skipped. All files are decided
before any is written, so a refusal leaves every file as it was. Writes go to a temp file in the
same directory, are fsynced, then renamed over the target: a kill at any point leaves the old file
or the new one, never a truncated one.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..detectors.errors import DockgenError
from ..detectors.repo import LOCKFILE_MAX_BYTES, read_regular_file
from .render import body_hash, split_marker, with_marker

Status = Literal["create", "identical", "updated", "conflict", "forced", "merged", "skipped"]
#: Why an existing file would be replaced against its owner's will (``conflict`` / ``forced``):
#: "hand-edited" (dockgen wrote it, someone edited it: --merge can keep the edits), "no-merge-base"
#: (edited, and --merge found no recorded base), "not-dockgen" (dockgen did not write it).
ConflictKind = Literal["hand-edited", "no-merge-base", "not-dockgen"]


class FileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    status: Status
    reason: str = ""
    diff: str = ""
    backup: str | None = None
    #: ``merged`` only: conflict blocks left in the file for the person to resolve (then exit 1).
    conflicts: int = 0
    #: ``conflict`` / ``forced`` only: what kind of file is in the way (see ``ConflictKind``).
    conflict_kind: ConflictKind | None = None


class PendingWrite(BaseModel):
    """A decided file: what would be written (``content`` None = nothing to write)."""

    model_config = ConfigDict(frozen=True)

    result: FileResult
    target: str
    content: str | None = None
    #: The generated body this decision is about (recorded as the next merge base once written).
    body: str = ""


def unified_diff(old: str, new: str, name: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"a/{name}", f"b/{name}"))


def marked(body_for_hash: str, text: str) -> str:
    """dockgen's header + marker (hash of the generated ``body_for_hash``) in front of ``text``."""
    full = with_marker(body_for_hash)
    return full[: len(full) - len(body_for_hash)] + text


def decide(target: Path, body: str, *, display: str, force: bool = False, merge: bool = False,
           base: str | None = None, skip: bool = False) -> PendingWrite:
    """What writing ``body`` (without marker) to ``target`` would do.

    ``base`` is the body dockgen generated last time (for ``merge``); it is only used when its hash
    is the one in the file's marker, so a stale base can never be merged against.
    """
    def pending(status: Status, reason: str = "", diff: str = "", content: str | None = None, **kw) -> PendingWrite:
        return PendingWrite(result=FileResult(path=display, status=status, reason=reason, diff=diff, **kw),
                            target=str(target), content=content, body=body)

    new = with_marker(body)
    if skip:
        return pending("skipped", "skip option")
    # Never follow a symlink or open a FIFO/device/socket sitting where the output goes (exit 5).
    existing = read_regular_file(target, LOCKFILE_MAX_BYTES, shown=display)
    if existing is None:
        return pending("create", content=new)
    old = existing.decode("utf-8", errors="replace")
    recorded, old_body = split_marker(old)
    if old == new:
        return pending("identical")
    diff = unified_diff(old, new, display)
    if recorded is not None and recorded == body_hash(old_body):
        return pending("updated", "project changed", diff, new)
    if recorded is not None and old_body == body:
        return pending("updated", "edited to match the new render", diff, new)
    reason = "edited by hand" if recorded is not None else "not written by dockgen"
    kind: ConflictKind = "hand-edited" if recorded is not None else "not-dockgen"
    if merge:
        if recorded is not None and base is not None and body_hash(base) == recorded:
            from .merge import merge_text

            text, conflicts = merge_text(base, old_body, body, name=display)
            content = marked(body, text)
            if content == old:
                return pending("identical", "hand edits kept, nothing new to merge")
            why = (f"{conflicts} conflict{'s' if conflicts != 1 else ''} marked in the file" if conflicts
                   else "hand edits kept")
            return pending("merged", why, unified_diff(old, content, display), content, conflicts=conflicts)
        reason += ("; cannot merge: no recorded base (.dockgen/base) for this file"
                   if recorded is not None else "; cannot merge a file dockgen did not write")
        if kind == "hand-edited":
            kind = "no-merge-base"
    if force:
        return pending("forced", reason, diff, new, backup=display + ".dockgen-backup", conflict_kind=kind)
    return pending("conflict", reason, diff, conflict_kind=kind)


class WriteError(DockgenError, OSError):
    """The file system refused a write (permissions, disk full). The old file is left as it was.

    Also an ``OSError``, so callers that catch file-system errors keep working."""

    exit_code = 1


TMP_SUFFIX = ".dockgen-tmp"


def atomic_write(target: Path, content: str | bytes) -> None:
    """Replace ``target`` with ``content``: temp file in the same directory, fsync, rename, fsync dir.

    A crash at any point leaves the old file or the new one, never a mix; an error removes the temp
    file and raises ``WriteError``.
    """
    target = Path(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TMP_SUFFIX, dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write ({exc.strerror or exc}); the old file is unchanged", file=str(target),
                             hint="check the directory's permissions and free space") from None
        raise
    try:  # make the rename itself durable
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def remove_stale_temps(target: Path) -> None:
    """Delete temp files a killed earlier run left next to ``target`` (only dockgen's own names)."""
    target = Path(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    prefix = f".{target.name}."
    for name in names:
        if name.startswith(prefix) and name.endswith(TMP_SUFFIX):
            path = target.parent / name
            if path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                except OSError:
                    pass


def apply(pending: list[PendingWrite]) -> None:
    """Write every decided file (backups first). Call only when no file is in conflict."""
    for p in pending:
        if p.content is None:
            continue
        target = Path(p.target)
        remove_stale_temps(target)
        if p.result.backup and target.exists():
            atomic_write(target.with_name(target.name + ".dockgen-backup"), target.read_bytes())
        atomic_write(target, p.content)

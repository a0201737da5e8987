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

from .render import body_hash, split_marker, with_marker

Status = Literal["create", "identical", "updated", "conflict", "forced", "merged", "skipped"]


class FileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    status: Status
    reason: str = ""
    diff: str = ""
    backup: str | None = None


class PendingWrite(BaseModel):
    """A decided file: what would be written (``content`` None = nothing to write)."""

    model_config = ConfigDict(frozen=True)

    result: FileResult
    target: str
    content: str | None = None


def unified_diff(old: str, new: str, name: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"a/{name}", f"b/{name}"))


def decide(target: Path, body: str, *, display: str, force: bool = False) -> PendingWrite:
    """What writing ``body`` (without marker) to ``target`` would do."""
    new = with_marker(body)
    if not target.exists():
        return PendingWrite(result=FileResult(path=display, status="create"), target=str(target), content=new)
    old = target.read_text("utf-8", errors="replace")
    recorded, old_body = split_marker(old)
    if old == new:
        return PendingWrite(result=FileResult(path=display, status="identical"), target=str(target))
    diff = unified_diff(old, new, display)
    if recorded is not None and recorded == body_hash(old_body):
        return PendingWrite(result=FileResult(path=display, status="updated", reason="project changed",
                                              diff=diff), target=str(target), content=new)
    reason = "edited by hand" if recorded is not None else "not written by dockgen"
    if force:
        return PendingWrite(result=FileResult(path=display, status="forced", reason=reason, diff=diff,
                                              backup=display + ".dockgen-backup"),
                            target=str(target), content=new)
    return PendingWrite(result=FileResult(path=display, status="conflict", reason=reason, diff=diff),
                        target=str(target))


def atomic_write(target: Path, content: str) -> None:
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dockgen-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def apply(pending: list[PendingWrite]) -> None:
    """Write every decided file (backups first). Call only when no file is in conflict."""
    for p in pending:
        if p.content is None:
            continue
        target = Path(p.target)
        if p.result.backup and target.exists():
            atomic_write(target.with_name(target.name + ".dockgen-backup"), target.read_text("utf-8", errors="replace"))
        atomic_write(target, p.content)

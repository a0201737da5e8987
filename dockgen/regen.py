"""Re-running dockgen safely: option layering, per-file decisions, merge, atomic writes, state.

``api.generate`` is a thin wrapper over ``generate`` here. Order of a run:

1. options: default < recorded (``.dockgen/state.json``) < dockgen.toml / [tool.dockgen] < the
   call's own options (CLI flags or ``generate(**options)``);
2. plan and render (``pipeline.plan``);
3. decide every output file (create / identical / updated / conflict / forced / merged /
   skipped) before writing any; a conflict refuses the whole run (exit 4), nothing is written;
4. write the outputs atomically, then the merge bases and the state.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from .detectors.errors import RefusedError
from .detectors.repo import RepoView
from .generator import config, stacks, state, writer
from .generator.options import Options
from .pipeline import PlanResult, Result, call_options, plan



class Prepared(BaseModel):
    """A run decided but not written: the result, each output's pending write, what to record."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: Path
    result: Result
    pending: tuple[writer.PendingWrite, ...]
    given: dict[str, Any]
    recorded: dict[str, Any]
    prev: state.State | None


def prepare(path: str | os.PathLike[str], *, options: Options | None, dry_run: bool, force: bool,
            merge: bool, reset_options: bool, overrides: dict[str, Any], member_of_all: bool = False) -> Prepared:
    """Plan, render and decide every output file; nothing is written. ``member_of_all``: a member
    under ``init --all`` writes no compose.yaml (the root's covers every member)."""
    repo = RepoView(path)
    root = Path(path)
    prev = state.load(repo)
    given = call_options(options, overrides)
    recorded = {} if reset_options or prev is None else config.flatten(dict(prev.recorded_options))
    planned = plan(path, recorded=recorded, **given)
    if member_of_all:
        planned = planned.without_compose()
    opts = planned.options
    bodies, paths = planned.bodies, planned.output_paths
    pending = []
    for name in bodies:
        base = state.base_body(repo, name, prev.files.get(name)) if prev else None
        pending.append(writer.decide(root / paths[name], bodies[name], display=paths[name], force=force,
                                     merge=merge, base=base, skip=name in opts.skip))
    result = Result(files=tuple(p.result for p in pending), planned=planned, dry_run=dry_run)
    return Prepared(root=root, result=result, pending=tuple(pending), given=given, recorded=recorded, prev=prev)


def refuse_conflicts(files: tuple[writer.FileResult, ...], root: Path, result: Any) -> None:
    """A file in conflict refuses the whole run (exit 4), naming it and how to go on."""
    conflicts = [f for f in files if f.status == "conflict"]
    if not conflicts:
        return
    c = conflicts[0]
    hint = ("re-run with --merge to keep your edits, or --force to replace it (a backup is kept)"
            if c.conflict_kind == "hand-edited"
            else "re-run with --force to replace it (a backup is kept)")
    raise RefusedError(f"refusing to overwrite ({c.reason})", file=str(root / c.path), hint=hint, result=result)


def finish(p: Prepared) -> None:
    """Write the decided outputs, then the merge bases and the state."""
    writer.apply(list(p.pending))
    planned = p.result.planned
    _record(stacks.open_repo(p.root, planned.options.stack), p.root, planned, p.given, p.recorded,
            list(p.pending), p.prev)


def generate(path: str | os.PathLike[str], *, options: Options | None, dry_run: bool, force: bool,
             merge: bool, reset_options: bool, overrides: dict[str, Any]):
    p = prepare(path, options=options, dry_run=dry_run, force=force, merge=merge,
                reset_options=reset_options, overrides=overrides)
    refuse_conflicts(p.result.files, p.root, p.result)
    if not dry_run:
        finish(p)
    return p.result


def _record(repo: RepoView, root: Path, planned: PlanResult, given: dict[str, Any], recorded: dict[str, Any],
            pending: list[writer.PendingWrite], prev: state.State | None) -> None:
    """Write the merge bases and ``.dockgen/state.json`` (only what changed)."""
    shadowed = set(planned.resolved.shadowed)
    keep = {k: v for k, v in recorded.items() if k not in shadowed}
    keep.update(config.flatten(given))
    files: dict[str, str] = {}
    for name, p in zip(planned.bodies, pending):
        if p.result.status == "skipped":
            continue
        files[name] = p.body
        base_rel = state.BASE_FILES[name]
        target = root / base_rel
        if not (target.is_file() and target.read_text("utf-8", errors="replace") == p.body):
            target.parent.mkdir(parents=True, exist_ok=True)
            writer.remove_stale_temps(target)
            writer.atomic_write(target, p.body)
    new = state.snapshot(repo, planned.facts, planned.options, planned.option_sources, keep, files)
    text = state.dumps(new)
    target = root / state.STATE_FILE
    if not (target.is_file() and target.read_text("utf-8", errors="replace") == text):
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.remove_stale_temps(target)
        writer.atomic_write(target, text)

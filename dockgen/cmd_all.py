"""The CLI side of ``--all`` (``init``, ``plan``): printing only; the logic is ``workspace_all``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import workspace_all
from .detectors.errors import CheckFailed, RefusedError
from .generator.options import Options


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _show(files, *, dry_run: bool, diff: bool) -> None:
    for f in files:
        prefix = "would " if dry_run and f.status not in ("identical", "skipped") else ""
        typer.echo(f"{prefix}{f.status:<10} {f.path}" + (f"  ({f.reason})" if f.reason else ""))
        if (diff or dry_run or f.status == "conflict") and f.diff:
            typer.echo(f.diff, nl=False)


def init_all(path: Path, options: Options, *, dry_run: bool, diff: bool, force: bool, merge: bool,
             reset_options: bool) -> None:
    try:
        run = workspace_all.generate_all(path, options=options, dry_run=dry_run, force=force, merge=merge,
                                         reset_options=reset_options)
    except RefusedError as exc:
        if isinstance(exc.result, workspace_all.AllRun):
            _show(exc.result.files, dry_run=False, diff=False)
        raise
    for note in run.notes:
        _err(f"note: {note}")
    for w in run.warnings:
        _err(f"warning: {w}")
    _show(run.files, dry_run=dry_run, diff=diff)
    if run.merge_conflicts:
        files = ", ".join(f.path for f in run.files if f.conflicts)
        raise CheckFailed(f"{run.merge_conflicts} merge conflict(s) marked in {files}",
                          hint="resolve the <<<<<<< blocks by hand; `dockgen check --all` fails until then")


def plan_all_cmd(path: Path, options: Options, *, as_json: bool) -> None:
    run = workspace_all.plan_all(path, options)
    if as_json:
        typer.echo(json.dumps(run.to_json_dict(), indent=2, sort_keys=True))
        return
    for note in run.notes:
        _err(f"note: {note}")
    for w in run.warnings:
        _err(f"warning: {w}")
    for m in run.members:
        if m.skipped:
            typer.echo(f"{m.path}: skipped ({m.skipped})")
            continue
        assert m.target is not None and m.planned is not None
        typer.echo(f"{m.path}: {m.planned.facts.ecosystem}, target {m.target.name}, "
                   f"runner {m.planned.plan.runner}, context {m.target.context}, dockerfile {m.target.dockerfile}")
    typer.echo(f"bake: {workspace_all.bake.BAKE_FILE} builds {', '.join(m.target.name for m in run.served if m.target)}")

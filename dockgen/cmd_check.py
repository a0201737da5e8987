"""``dockgen check [PATH]``: exit 0 when the Dockerfile and .dockerignore are what ``init`` would
write now, 1 otherwise (with the reason and the diff). Also runs the base-image pin check
(``dockgen/pins_check.py``) unless ``--no-pins``. Registered in ``cli.py``; logic in ``drift_check``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .detectors.errors import CheckFailed, UsageError


def check_cmd(
    path: Path = typer.Argument(Path("."), help="Project root."),
    online: bool = typer.Option(False, "--online", help="Also ask the registry whether pinned digests still match their tags."),
    offline: bool = typer.Option(False, "--offline", help="Never touch the network (the default); report missing pins."),
    registry_mirror: Optional[str] = typer.Option(None, "--registry-mirror", help="Resolve digests through this registry mirror (HOST[:PORT])."),
    no_pins: bool = typer.Option(False, "--no-pins", help="Skip the base-image pin check (drift only)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No diff, only the status lines and reasons."),
    all_members: bool = typer.Option(False, "--all", help="At a workspace root: docker-bake.hcl and every member "
                                     "`dockgen init --all` writes."),
) -> None:
    """Fail (exit 1) when the Dockerfile or .dockerignore differ from what `dockgen init` writes now."""
    from . import drift_check

    if online and offline:
        raise UsageError("--online and --offline exclude each other", hint="pass one of them")
    run = drift_check.check_all if all_members else drift_check.check
    report = run(path, online=online, mirror=registry_mirror, pins=not no_pins)
    for f in report.files:
        typer.echo(f"{f.status:<10} {f.path}")
        for reason in f.reasons:
            typer.echo(f"  reason: {reason}")
        if f.diff and not quiet:
            typer.echo(f.diff, nl=False)
    for line in report.pin_findings:
        typer.echo(f"pin: {line}")
    if not report.ok:
        drifted = [f.path for f in report.files if f.status == "drift"]
        what = (f"{' and '.join(drifted)} {'is' if len(drifted) == 1 else 'are'} not what `dockgen init` writes now"
                if drifted else f"{len(report.pin_findings)} base-image pin finding(s)")
        raise CheckFailed(f"check failed: {what}",
                          hint=f"run `dockgen init{' --all' if all_members else ''}` (add --merge to keep hand edits)" if drifted else "run `dockgen pin`")

"""The ``dockgen`` command line: a thin typer layer over ``dockgen.api``.

Exit codes (README, "Exit codes"): 0 ok, 1 a check failed, 2 usage, 3 no supported stack,
4 refused to overwrite, 5 invalid project input, 70 internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from . import api
from .cli_options import collect, generation_options
from .detectors.errors import CheckFailed, DockgenError, RefusedError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Generate best-practice multi-stage Dockerfiles from what a project says about itself.")

PathArg = typer.Argument(Path("."), help="Project root.", show_default=True)


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _warn(warnings) -> None:
    for w in warnings:
        _err(f"warning: {w}")


@app.command()
@generation_options()
def init(
    path: Path = PathArg,
    stdout: bool = typer.Option(False, "--stdout", help="Print the Dockerfile; write nothing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
    diff: bool = typer.Option(False, "--diff", help="Show a unified diff of each change."),
    force: bool = typer.Option(False, "--force", help="Replace files not written by dockgen or edited by hand (keeps a backup)."),
    merge: bool = typer.Option(False, "--merge", help="3-way merge your hand edits onto the new render; conflicts are marked (exit 1)."),
    reset_options: bool = typer.Option(False, "--reset-options", help="Forget the options earlier runs recorded in .dockgen/."),
    all_members: bool = typer.Option(False, "--all", help="At a workspace root: a Dockerfile for every member that "
                                     "serves and a docker-bake.hcl that builds them all."),
    **gen,
) -> None:
    """Write PATH/Dockerfile and PATH/.dockerignore for the project in PATH."""
    if merge and force:
        raise UsageError("--merge and --force exclude each other", hint="--merge keeps hand edits, --force replaces them")
    options = collect(gen)
    if all_members:
        if stdout:
            raise UsageError("--all writes several files; --stdout prints one", hint="use --all --dry-run --diff")
        from .cmd_all import init_all

        init_all(path, options, dry_run=dry_run, diff=diff, force=force, merge=merge, reset_options=reset_options)
        return
    if stdout:
        planned = api.plan(path, options)
        _warn(planned.warnings)
        sys.stdout.write(planned.dockerfile)
        return
    try:
        result = api.generate(path, options=options, dry_run=dry_run, force=force, merge=merge,
                              reset_options=reset_options)
    except RefusedError as exc:
        if exc.result is not None:
            for f in exc.result.files:
                typer.echo(f"{f.status:<10} {f.path}" + (f"  ({f.reason})" if f.reason else ""))
                if f.status == "conflict" and f.diff:
                    typer.echo(f.diff, nl=False)
        raise
    _warn(result.warnings)
    for f in result.files:
        prefix = "would " if dry_run and f.status not in ("identical", "skipped") else ""
        typer.echo(f"{prefix}{f.status:<10} {f.path}" + (f"  ({f.reason})" if f.reason else ""))
        if (diff or dry_run) and f.diff:
            typer.echo(f.diff, nl=False)
    if result.merge_conflicts:
        files = ", ".join(f.path for f in result.files if f.conflicts)
        raise CheckFailed(f"{result.merge_conflicts} merge conflict(s) marked in {files}",
                          hint="resolve the <<<<<<< blocks by hand; `dockgen check` fails until then")


@app.command("plan")
@generation_options()
def plan_cmd(
    path: Path = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Facts (with sources) and the build plan as JSON; "
                                 "when init would refuse, the facts found and the refusal (same exit code)."),
    all_members: bool = typer.Option(False, "--all", help="At a workspace root: every member, what it gets "
                                     "(a Dockerfile and bake target, or skipped and why) and its plan."),
    **gen,
) -> None:
    """Show the detected facts and the build plan (every option init takes)."""
    if all_members:
        from .cmd_all import plan_all_cmd

        plan_all_cmd(path, collect(gen), as_json=as_json)
        return
    try:
        seen = api.inspect(path, collect(gen))
    except DockgenError as exc:  # before any fact: still JSON for a --json reader
        seen = api.Inspection(error=exc)
    if as_json:
        typer.echo(json.dumps(seen.to_json_dict(), indent=2, sort_keys=True))
        if seen.error is not None:
            raise seen.error
        return
    if seen.error is not None:
        raise seen.error
    planned = seen.planned
    assert planned is not None
    _warn(planned.warnings)
    facts = planned.facts.model_dump(mode="json")
    typer.echo(f"stack: {facts['ecosystem']}")
    for key, value in sorted(facts.items()):
        if isinstance(value, dict) and "source" in value:
            typer.echo(f"  {key}: {value['value']!r}  ({value['source']})")
    typer.echo(f"runner: {planned.plan.runner}")
    for line in planned.plan.reasons:
        typer.echo(f"  {line}")
    chosen = [k for k in sorted(planned.option_sources) if planned.options.source(k).kind != "default"]
    if chosen:
        typer.echo("options:")
        for key in chosen:
            value = planned.options.value(key)
            typer.echo(f"  {key}: {list(value) if isinstance(value, tuple) else value!r}  ({planned.options.source(key).detail})")


from .cmd_verify import verify_cmd  # noqa: E402 - registered here, lives in its own module

app.command("verify")(verify_cmd)

from .cmd_pin import pin_cmd  # noqa: E402 - registered here, lives in its own module

app.command("pin")(pin_cmd)

from .cmd_check import check_cmd  # noqa: E402 - registered here, lives in its own module

app.command("check")(check_cmd)

from .cmd_catalog import catalog_cmd  # noqa: E402 - registered here, lives in its own module

app.command("catalog")(catalog_cmd)


def main() -> None:
    try:
        rc = app(standalone_mode=False, prog_name="dockgen")
        if rc == 130:  # typer turns Ctrl-C into Exit(130), which non-standalone mode returns
            raise KeyboardInterrupt
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except DockgenError as exc:
        _err(f"dockgen: error: {exc}")
        sys.exit(exc.exit_code)
    except typer.Abort:
        _err("dockgen: aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _err("dockgen: interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes a one-line message
        # typer vendors click: recognise its exceptions by shape, not by class.
        code = getattr(exc, "exit_code", None)
        fmt = getattr(exc, "format_message", None)
        if isinstance(code, int) and callable(fmt):
            ctx = getattr(exc, "ctx", None)
            where = f"`{ctx.command_path} --help`" if ctx is not None else "`dockgen --help`"
            msg = " ".join(fmt().split())
            if msg:  # an empty message follows a help screen click already printed
                _err(f"dockgen: error: {msg} (fix: see {where})")
            sys.exit(code)
        if isinstance(code, int) and type(exc).__name__ == "Exit":
            sys.exit(code)
        _err(f"dockgen: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} (please report this)")
        sys.exit(70)

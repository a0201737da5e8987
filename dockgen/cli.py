"""The ``dockgen`` command line: a thin typer layer over ``dockgen.api``.

Exit codes (README, "Exit codes"): 0 ok, 1 a check failed, 2 usage, 3 no supported stack,
4 refused to overwrite, 5 invalid project input, 70 internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import api
from .detectors.errors import DockgenError, RefusedError
from .generator.options import Options

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Generate best-practice multi-stage Dockerfiles from what a project says about itself.")

PathArg = typer.Argument(Path("."), help="Project root.", show_default=True)


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _warn(warnings) -> None:
    for w in warnings:
        _err(f"warning: {w}")


def _opts(**kw) -> dict:
    return {k: v for k, v in kw.items() if v is not None and v != () and v != []}


RunnerOpt = typer.Option(None, "--runner", help="slim | distroless | scratch | alpine (default: smallest that works).")
StackOpt = typer.Option(None, "--stack", help="python | node | java | go, when a repo has several.")
PortOpt = typer.Option(None, "--port", help="Port the app listens on.")
MainOpt = typer.Option(None, "--main", help="Go: main package directory (e.g. cmd/api).")
CmdOpt = typer.Option(None, "--command", help="Start command as a JSON array, e.g. '[\"gunicorn\",\"app:app\"]'.")
PyOpt = typer.Option(None, "--python-version")
NodeOpt = typer.Option(None, "--node-version")
GoOpt = typer.Option(None, "--go-version")
JavaOpt = typer.Option(None, "--java-version")
HealthOpt = typer.Option(None, "--healthcheck", help="HTTP path to probe; '' disables the HEALTHCHECK.")
UnlockedOpt = typer.Option(False, "--allow-unlocked", help="Node without a lockfile: use a plain `npm install`.")
StrictOpt = typer.Option(False, "--strict", help="Unpinned dependencies are errors, not warnings.")


def _command(raw: Optional[str]) -> Optional[tuple[str, ...]]:
    if raw is None:
        return None
    try:
        argv = json.loads(raw)
    except json.JSONDecodeError:
        argv = None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        from .detectors.errors import UsageError

        raise UsageError("--command must be a JSON array of strings", hint='e.g. --command \'["node","server.js"]\'')
    return tuple(argv)


@app.command()
def init(
    path: Path = PathArg,
    runner: Optional[str] = RunnerOpt,
    stack: Optional[str] = StackOpt,
    port: Optional[int] = PortOpt,
    main: Optional[str] = MainOpt,
    command: Optional[str] = CmdOpt,
    python_version: Optional[str] = PyOpt,
    node_version: Optional[str] = NodeOpt,
    go_version: Optional[str] = GoOpt,
    java_version: Optional[str] = JavaOpt,
    healthcheck: Optional[str] = HealthOpt,
    allow_unlocked: bool = UnlockedOpt,
    strict: bool = StrictOpt,
    stdout: bool = typer.Option(False, "--stdout", help="Print the Dockerfile; write nothing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
    diff: bool = typer.Option(False, "--diff", help="Show a unified diff of each change."),
    force: bool = typer.Option(False, "--force", help="Replace files not written by dockgen or edited by hand (keeps a backup)."),
    merge: bool = typer.Option(False, "--merge", help="3-way merge your hand edits onto the new render; conflicts are marked (exit 1)."),
    reset_options: bool = typer.Option(False, "--reset-options", help="Forget the options earlier runs recorded in .dockgen/."),
    env: Optional[list[str]] = typer.Option(None, "--env", help="KEY=VALUE for an ENV in the final image (repeatable)."),
    label: Optional[list[str]] = typer.Option(None, "--label", help="KEY=VALUE for a LABEL in the final image (repeatable)."),
) -> None:
    """Write PATH/Dockerfile and PATH/.dockerignore for the project in PATH."""
    if merge and force:
        from .detectors.errors import UsageError

        raise UsageError("--merge and --force exclude each other", hint="--merge keeps hand edits, --force replaces them")
    overrides = _opts(runner=runner, stack=stack, port=port, main=main, command=_command(command),
                      python_version=python_version, node_version=node_version, go_version=go_version,
                      java_version=java_version, healthcheck=healthcheck,
                      allow_unlocked=allow_unlocked or None, strict=strict or None,
                      env=_pairs("--env", env), labels=_pairs("--label", label))
    options = _validated(overrides)
    if stdout:
        planned = api.plan(path, options)
        _warn(planned.resolved.warnings if planned.resolved is not None else ())
        _warn(planned.plan.warnings)
        sys.stdout.write(planned.dockerfile)
        return
    try:
        result = api.generate(path, options=options, dry_run=dry_run, force=force, merge=merge,
                              reset_options=reset_options)
    except RefusedError as exc:
        conflict = getattr(exc.__cause__, "result", None)
        if conflict is not None:
            for f in conflict.files:
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
        from .detectors.errors import CheckFailed

        files = ", ".join(f.path for f in result.files if f.conflicts)
        raise CheckFailed(f"{result.merge_conflicts} merge conflict(s) marked in {files}",
                          hint="resolve the <<<<<<< blocks by hand; `dockgen check` fails until then")


@app.command("plan")
def plan_cmd(
    path: Path = PathArg,
    runner: Optional[str] = RunnerOpt,
    stack: Optional[str] = StackOpt,
    port: Optional[int] = PortOpt,
    main: Optional[str] = MainOpt,
    as_json: bool = typer.Option(False, "--json", help="Facts (with sources) and the build plan as JSON."),
) -> None:
    """Show the detected facts and the build plan."""
    planned = api.plan(path, _validated(_opts(runner=runner, stack=stack, port=port, main=main)))
    if as_json:
        typer.echo(json.dumps(planned.to_json_dict(), indent=2, sort_keys=True))
        return
    _warn(planned.resolved.warnings if planned.resolved is not None else ())
    _warn(planned.plan.warnings)
    facts = planned.facts.model_dump(mode="json")
    typer.echo(f"stack: {facts['ecosystem']}")
    for key, value in sorted(facts.items()):
        if isinstance(value, dict) and "source" in value:
            typer.echo(f"  {key}: {value['value']!r}  ({value['source']})")
    typer.echo(f"runner: {planned.plan.runner}")
    for line in planned.plan.reasons:
        typer.echo(f"  {line}")
    chosen = {k: v for k, v in sorted(planned.option_sources.items()) if v != "default"}
    if chosen:
        typer.echo("options:")
        values = planned.options.model_dump(mode="json")
        for key, source in chosen.items():
            typer.echo(f"  {key}: {values[key]!r}  ({source})")


def _pairs(flag: str, raw: Optional[list[str]]) -> Optional[tuple[tuple[str, str], ...]]:
    if not raw:
        return None
    out = []
    for item in raw:
        key, sep, value = item.partition("=")
        if not sep or not key:
            from .detectors.errors import UsageError

            raise UsageError(f"{flag} {item!r} is not KEY=VALUE", hint=f"e.g. {flag} APP_ENV=production")
        out.append((key, value))
    return tuple(out)


def _validated(overrides: dict) -> Options:
    from pydantic import ValidationError

    from .detectors.errors import UsageError

    try:
        return Options.model_validate(overrides)
    except ValidationError as exc:
        e = exc.errors()[0]
        loc = ".".join(str(x) for x in e["loc"])
        raise UsageError(f"--{loc.replace('_', '-')}: {e['msg']}", hint="see `dockgen init --help`") from None


from .cmd_verify import verify_cmd  # noqa: E402 - registered here, lives in its own module

app.command("verify")(verify_cmd)

from .cmd_pin import pin_cmd  # noqa: E402 - registered here, lives in its own module

app.command("pin")(pin_cmd)

from .cmd_check import check_cmd  # noqa: E402 - registered here, lives in its own module

app.command("check")(check_cmd)


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

"""The ``dockgen verify`` command (registered in ``cli.py``)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Optional

import typer

from .cli_options import collect, generation_options
from .detectors.errors import CheckFailed
from .compose_verify import ComposeOptions, format_compose_report, verify_compose
from .engine import DOCKER_ENV, Engine
from .verify import VerifyOptions, format_report, verify


class Progress:
    """A short progress display on stderr: one line per phase, and on a terminal a status line that
    follows the build steps. The full BuildKit log is kept and printed only on failure (or streamed
    with ``--verbose``)."""

    def __init__(self, *, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.tty = sys.stderr.isatty()
        self.lines: list[str] = []
        self._status = False

    def _clear(self) -> None:
        if self._status:
            sys.stderr.write("\r\033[K")
            self._status = False

    def phase(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            self._clear()
            typer.echo(line, err=True)

    def build_line(self, line: str) -> None:
        self.lines.append(line)
        if self.verbose:
            typer.echo(line, err=True)
        elif self.tty and not self.quiet:
            step = re.match(r"^#\d+ (\[[^\]]+\] .*)$", line)
            if step:
                sys.stderr.write("\r\033[K    " + step.group(1)[:100])
                sys.stderr.flush()
                self._status = True

    def done(self) -> None:
        self._clear()

    def dump_log(self) -> None:
        """The full log after a failure (BuildKit output and the phases, in order)."""
        if self.lines:
            typer.echo("---- full log ----", err=True)
            typer.echo("\n".join(self.lines), err=True)
            typer.echo("---- end of log ----", err=True)


@generation_options(only=("runner", "stack"))
def verify_cmd(
    path: Path = typer.Argument(Path("."), help="Project root (the build context)."),
    file: Optional[str] = typer.Option(None, "--file", "-f",
                                       help="Dockerfile to verify, relative to PATH (default: PATH/Dockerfile, "
                                            "else dockgen's generated one, written only to a temp copy)."),
    docker: Optional[str] = typer.Option(None, "--docker", help=f"docker CLI binary (env {DOCKER_ENV}; default: docker on PATH)."),
    build_network: Optional[str] = typer.Option(None, "--build-network", help="docker build --network (env DOCKGEN_BUILD_NETWORK; the lab uses host)."),
    run_network: Optional[str] = typer.Option(None, "--run-network", help="docker run --network (env DOCKGEN_RUN_NETWORK; with host the app gets PORT=<free port>)."),
    touch: Optional[str] = typer.Option(None, "--touch", help="Source file (relative to PATH) to change for the warm rebuild."),
    no_rebuild: bool = typer.Option(False, "--no-rebuild", help="Skip the warm rebuild."),
    warm_cache: bool = typer.Option(False, "--use-cache", help="First build may use the build cache (default: --no-cache, a real cold build)."),
    timeout: float = typer.Option(90.0, "--timeout", help="Seconds for the container to answer or turn healthy."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (progress goes to stderr)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display (the report only)."),
    verbose: bool = typer.Option(False, "--verbose", help="Stream the full BuildKit log (default: only on failure)."),
    compose: bool = typer.Option(False, "--compose", help="Verify the whole stack from compose.yaml instead: "
                                 "up --wait under a throwaway project with throwaway secrets, probe the app, "
                                 "check its hardening with docker inspect, remove everything."),
    compose_file: Optional[str] = typer.Option(None, "--compose-file", help="With --compose: the compose file, "
                                               "relative to PATH (default: PATH/compose.yaml)."),
    probe_path: str = typer.Option("/", "--path", help="With --compose: the HTTP path probed on the app's published port."),
    **gen,
) -> None:
    """Build the Dockerfile with BuildKit, run it, probe it and check the image; exit 1 if a check fails.

    Checks: the build, non-root numeric USER, no shell in distroless/scratch, no VCS data, env files or
    keys in any layer, the HEALTHCHECK, HTTP on the exposed port published on 127.0.0.1 and probed from
    outside the container (status and time to first answer; any status below 500 passes; not possible
    with --run-network host), else that it stays up, and that
    the dependency step stays CACHED after a source-only change (warm vs cold build time). Containers
    and images it creates are always removed.
    """
    if compose:
        _compose(path, Engine(binary=docker), collect(gen), ComposeOptions(
            compose_file=compose_file, path=probe_path, timeout=max(timeout, 180.0)), as_json=as_json, quiet=quiet)
        return
    engine = Engine(binary=docker,
                    build_network=build_network or os.environ.get("DOCKGEN_BUILD_NETWORK") or None,
                    run_network=run_network or os.environ.get("DOCKGEN_RUN_NETWORK") or None)
    chosen = collect(gen)

    progress = Progress(quiet=quiet, verbose=verbose)
    try:
        report = verify(path, engine=engine, generate_options=chosen if chosen.model_fields_set else None,
                        log=progress.phase, build_log=progress.build_line,
                        options=VerifyOptions(dockerfile=file, rebuild=not no_rebuild, cold=not warm_cache,
                                              touch=touch, timeout=timeout))
    finally:
        progress.done()
    if not report.ok and not verbose:
        progress.dump_log()
    _emit(report, format_report, "verify", path, as_json=as_json)


def _emit(report, fmt, what: str, path: Path, *, as_json: bool) -> None:
    """The report (JSON or text) on stdout; exit 1 naming the failed checks."""
    if as_json:
        typer.echo(json.dumps(report.to_json_dict(), indent=2, sort_keys=True))
    else:
        typer.echo(fmt(report), nl=False)
    if not report.ok:
        failed = [f.check for f in report.findings if not f.ok and f.level == "fail"]
        raise CheckFailed(f"{what} failed: {', '.join(failed)}", file=str(path))


def _compose(path: Path, engine: Engine, chosen, options: ComposeOptions, *, as_json: bool, quiet: bool) -> None:
    """``verify --compose``: the stack's report, exit 1 when a check failed."""
    def log(line: str) -> None:
        if not quiet:
            typer.echo(line, err=True)

    report = verify_compose(path, engine=engine, options=options, log=log,
                            generate_options=chosen if chosen.model_fields_set else None)
    _emit(report, format_compose_report, "verify --compose", path, as_json=as_json)

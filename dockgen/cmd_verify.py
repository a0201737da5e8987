"""The ``dockgen verify`` command (registered in ``cli.py``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer

from .cli_options import collect, generation_options
from .detectors.errors import CheckFailed
from .engine import DOCKER_ENV, Engine
from .verify import VerifyOptions, format_report, verify


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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Don't stream build progress."),
    **gen,
) -> None:
    """Build the Dockerfile with BuildKit, run it, probe it and check the image; exit 1 if a check fails.

    Checks: the build, non-root numeric USER, no shell in distroless/scratch, no VCS data, env files or
    keys in any layer, the HEALTHCHECK (else HTTP on the exposed port, else that it stays up), and that
    the dependency step stays CACHED after a source-only change (warm vs cold build time). Containers
    and images it creates are always removed.
    """
    engine = Engine(binary=docker,
                    build_network=build_network or os.environ.get("DOCKGEN_BUILD_NETWORK") or None,
                    run_network=run_network or os.environ.get("DOCKGEN_RUN_NETWORK") or None)
    chosen = collect(gen)

    def log(line: str) -> None:
        if not quiet:
            typer.echo(line, err=True)

    report = verify(path, engine=engine, generate_options=chosen if chosen.model_fields_set else None, log=log,
                    options=VerifyOptions(dockerfile=file, rebuild=not no_rebuild, cold=not warm_cache,
                                          touch=touch, timeout=timeout))
    if as_json:
        typer.echo(json.dumps(report.to_json_dict(), indent=2, sort_keys=True))
    else:
        typer.echo(format_report(report), nl=False)
    if not report.ok:
        failed = [f.check for f in report.findings if not f.ok and f.level == "fail"]
        raise CheckFailed(f"verify failed: {', '.join(failed)}", file=str(path))

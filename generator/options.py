"""Options: what the user asks for on the command line or in dockgen.toml (CLI wins)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Runner = Literal["slim", "distroless", "scratch", "alpine"]
Stack = Literal["python", "node", "java", "go"]


class Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Runner image family; None = the smallest runner that works for the project.
    runner: Runner | None = None
    #: Which ecosystem to use when a repository has several.
    stack: Stack | None = None
    python_version: str | None = None
    node_version: str | None = None
    go_version: str | None = None
    java_version: str | None = None
    #: The start command (exec form), replacing the detected one.
    command: tuple[str, ...] | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    #: Go: the main package directory (".", "cmd/api").
    main: str | None = None
    #: Extra Debian packages for the runner (slim only) and the builder.
    packages: tuple[str, ...] = ()
    build_packages: tuple[str, ...] = ()
    #: Extra .dockerignore patterns.
    ignore: tuple[str, ...] = ()
    #: HTTP path the HEALTHCHECK probes; "" disables the health check.
    healthcheck: str | None = None
    #: Node without a lockfile: allow a plain `npm install` (otherwise an error).
    allow_unlocked: bool = False
    #: Unpinned dependencies are errors instead of warnings.
    strict: bool = False
    #: Extra ENV and LABEL pairs for the final image (in order); applied by ``extras.apply``.
    env: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    #: Output files dockgen leaves alone (status "skipped"): "Dockerfile", ".dockerignore".
    skip: tuple[Literal["Dockerfile", ".dockerignore"], ...] = ()

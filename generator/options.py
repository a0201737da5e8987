"""Options: what the user asks for on the command line or in dockgen.toml (CLI wins)."""

from __future__ import annotations

from typing import Literal

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9]*([.-][a-z0-9]+)*$")

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

    @field_validator("env", "labels")
    @classmethod
    def _pairs(cls, v: tuple[tuple[str, str], ...], info) -> tuple[tuple[str, str], ...]:
        # The same rules as dockgen.toml's [env]/[labels] (generator/config.py): a key the plan
        # models accept, and a one-line value that can be written as a quoted ENV/LABEL value.
        key_re = _ENV_KEY if info.field_name == "env" else _LABEL_KEY
        for key, value in v:
            if not key_re.fullmatch(key) or len(key) > 128:
                raise ValueError(f"{key!r} is not a valid {'variable name' if info.field_name == 'env' else 'label key'}")
            if any(ord(c) < 32 or ord(c) == 127 for c in value) or value.endswith("\\") or len(value) > 1000:
                raise ValueError(f"the value of {key!r} must be one line without a trailing backslash")
        return v

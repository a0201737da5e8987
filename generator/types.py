"""The validated value types every entry point shares: CLI flags, dockgen.toml and the plan models.

One rule per kind of value, so a key the command line accepts is never refused by the config file
(or the other way round), and ``one_line_error`` turns any pydantic failure into the one line the
CLI prints. Membership of a stack name is checked by the registry (``generator/stacks.py``): the
type here only fixes its spelling.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError

ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Docker's label-key rules as hadolint (DL3048) checks them: lowercase, digits, single . or -.
LABEL_KEY = re.compile(r"[a-z][a-z0-9]*([.-][a-z0-9]+)*")
#: Namespaces Docker reserves for itself.
RESERVED_LABELS = ("com.docker.", "io.docker.", "org.dockerproject.")
STACK_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")
#: A version a user asks for: "3.12", "22", "v22.11.0", "1.8" (ranges come from project files only).
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_~-]{0,63}")
VALUE_MAX = 1000
KEY_MAX = 128

Runner = Literal["slim", "distroless", "scratch", "alpine", "nginx"]
RUNNERS: tuple[str, ...] = Runner.__args__  # type: ignore[attr-defined]
OutputFile = Literal["Dockerfile", ".dockerignore", "compose.yaml", ".env.example"]


def _env_key(key: str) -> str:
    if not ENV_KEY.fullmatch(key) or len(key) > KEY_MAX:
        raise ValueError(f"{key!r} is not an environment variable name (letters, digits, _; not starting with a digit)")
    return key


def _label_key(key: str) -> str:
    if not LABEL_KEY.fullmatch(key) or len(key) > KEY_MAX or key.startswith(RESERVED_LABELS):
        raise ValueError(f"{key!r} is not a label key (lowercase letters, digits, single dots and dashes; "
                         "not com.docker.*, io.docker.*, org.dockerproject.*)")
    return key


def _one_line(value: str) -> str:
    if len(value) > VALUE_MAX or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"{value[:40]!r} must be one line of at most {VALUE_MAX} characters")
    if value.endswith("\\"):  # hadolint reads a trailing backslash as a line continuation
        raise ValueError(f"{value[:40]!r} must not end with a backslash")
    return value


def _stack(name: str) -> str:
    if not STACK_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a stack name")
    return name


def _version(value: str) -> str:
    value = value.strip()
    if not VERSION.fullmatch(value):
        raise ValueError(f"{value!r} is not a version such as 3.12")
    return value


EnvKey = Annotated[str, AfterValidator(_env_key)]
LabelKey = Annotated[str, AfterValidator(_label_key)]
OneLine = Annotated[str, AfterValidator(_one_line)]
StackName = Annotated[str, AfterValidator(_stack)]
Version = Annotated[str, AfterValidator(_version)]
Port = Annotated[int, Field(ge=1, le=65535)]
#: compose.yaml ``deploy.resources.limits``: CPUs as a decimal ("0.5", "2"), memory with a unit ("512M").
Cpus = Annotated[str, Field(pattern=r"^(?:0\.[0-9]*[1-9][0-9]*|[1-9][0-9]{0,3}(?:\.[0-9]+)?)$")]
Memory = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}(?:[bkmgBKMG]|[kmgKMG][bB])?$")]
Pids = Annotated[int, Field(ge=1, le=4194304)]

EnvPairs = tuple[tuple[EnvKey, OneLine], ...]
LabelPairs = tuple[tuple[LabelKey, OneLine], ...]


def error_key(err: dict[str, Any]) -> str:
    """``versions.python`` / ``env`` / ``port``: where in the input a pydantic error sits."""
    loc = [str(x) for x in err.get("loc", ()) if not isinstance(x, int)]
    return ".".join(loc)


def one_line_error(exc: ValidationError) -> tuple[str, str]:
    """(key, message) of the first error, as one line without pydantic's prefixes."""
    err = exc.errors()[0]
    msg = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
    return error_key(err), msg

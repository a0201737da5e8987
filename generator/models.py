"""The build plan: every value decided, in order, serialisable (``dockgen plan --json``).

A plan is a list of stages, each a list of typed instructions. The renderer turns it into text with
the templates; the self-check parses that text back and compares it with ``Instruction.expected()``.
Values inside instructions were validated by the detectors' allow-lists; here they are only escaped.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_FLAG_VALUE = re.compile(r"^[A-Za-z0-9_./:=,@+-]+$")
_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_STAGE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
#: Docker's reserved empty base image: ``ImageRef(name=SCRATCH, tag="")`` renders as ``FROM scratch``.
SCRATCH = "scratch"


def _one_line(text: str) -> str:
    return " ".join(str(text).replace("\\", "/").split())


def quote_value(value: str) -> str:
    """A double-quoted ENV/LABEL value: the Dockerfile parser's own escapes for ``\\``, ``"`` and ``$``."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"control character in value {value!r}")
    if value.endswith("\\"):
        # BuildKit reads '"x\\\\"' right, but other Dockerfile parsers (hadolint's) take it for a line continuation.
        raise ValueError(f"value ends with a backslash: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ImageRef(_Model):
    name: str  # e.g. "python", "gcr.io/distroless/python3-debian12"
    tag: str
    digest: str | None = None

    @field_validator("name", "tag")
    @classmethod
    def _plain(cls, v: str, info) -> str:
        if info.field_name == "tag" and v == "":
            return v  # only for scratch, checked below
        if not re.fullmatch(r"^[a-z0-9][a-z0-9._/:-]*$|^[A-Za-z0-9][A-Za-z0-9._-]*$", v):
            raise ValueError(f"bad image reference part {v!r}")
        return v

    @model_validator(mode="after")
    def _scratch(self) -> "ImageRef":
        # `scratch` is Docker's reserved empty image: no tag, no digest. Every other image has a tag.
        if (self.tag == "") != (self.name == SCRATCH) or (self.name == SCRATCH and self.digest):
            raise ValueError(f"image {self.name!r} needs an explicit tag (only scratch has none)")
        return self

    @field_validator("digest")
    @classmethod
    def _digest(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"^sha256:[0-9a-f]{64}$", v):
            raise ValueError(f"bad digest {v!r}")
        return v

    @property
    def ref(self) -> str:
        base = self.tagged
        return f"{base}@{self.digest}" if self.digest else base

    @property
    def tagged(self) -> str:
        return SCRATCH if self.name == SCRATCH else f"{self.name}:{self.tag}"


class Mount(_Model):
    """A ``RUN --mount`` option; ``options`` are key=value pairs in order."""

    options: tuple[tuple[str, str], ...]

    @property
    def flag(self) -> str:
        for k, v in self.options:
            if not _FLAG_VALUE.fullmatch(k) or not _FLAG_VALUE.fullmatch(v):
                raise ValueError(f"unsafe mount option {k}={v}")
        return "--mount=" + ",".join(f"{k}={v}" for k, v in self.options)


def cache_mount(target: str, *, sharing: str | None = None, uid: int | None = None) -> Mount:
    opts: list[tuple[str, str]] = [("type", "cache"), ("target", target)]
    if sharing:
        opts.append(("sharing", sharing))
    if uid is not None:
        opts += [("uid", str(uid)), ("gid", str(uid))]
    return Mount(options=tuple(opts))


def bind_mount(source: str, target: str | None = None) -> Mount:
    return Mount(options=(("type", "bind"), ("source", source), ("target", target or source)))


# ---- instructions ---------------------------------------------------------------------------------


class Comment(_Model):
    kind: Literal["comment"] = "comment"
    text: str

    @field_validator("text")
    @classmethod
    def _line(cls, v: str) -> str:
        return _one_line(v)


class Arg(_Model):
    kind: Literal["arg"] = "arg"
    name: str
    default: str | None = None

    @field_validator("name")
    @classmethod
    def _n(cls, v: str) -> str:
        if not _ENV_KEY.fullmatch(v):
            raise ValueError(f"bad ARG name {v!r}")
        return v

    @property
    def text(self) -> str:
        return self.name if self.default is None else f"{self.name}={quote_value(self.default)}"


class Env(_Model):
    kind: Literal["env"] = "env"
    pairs: tuple[tuple[str, str], ...]

    @field_validator("pairs")
    @classmethod
    def _keys(cls, v):
        for k, _ in v:
            if not _ENV_KEY.fullmatch(k):
                raise ValueError(f"bad ENV key {k!r}")
        return v

    @property
    def items(self) -> list[str]:
        return [f"{k}={quote_value(v)}" for k, v in self.pairs]


class Label(Env):
    kind: Literal["label"] = "label"  # type: ignore[assignment]


class Workdir(_Model):
    kind: Literal["workdir"] = "workdir"
    path: str


class Copy(_Model):
    kind: Literal["copy"] = "copy"
    sources: tuple[str, ...]
    dest: str
    from_stage: str | None = None
    chown: str | None = None
    chmod: str | None = None

    @property
    def flags(self) -> list[str]:
        out = []
        if self.from_stage:
            out.append(f"--from={self.from_stage}")
        if self.chown:
            out.append(f"--chown={self.chown}")
        if self.chmod:
            out.append(f"--chmod={self.chmod}")
        for f in out:
            if not _FLAG_VALUE.fullmatch(f[2:]):
                raise ValueError(f"unsafe COPY flag {f!r}")
        return out

    @property
    def args_json(self) -> str:
        # JSON form: spaces and quotes in paths can't split or merge arguments.
        return json.dumps([*self.sources, self.dest])


class Run(_Model):
    """Shell-form RUN; ``command`` is built by the planner from constants and allow-listed values."""

    kind: Literal["run"] = "run"
    command: str
    mounts: tuple[Mount, ...] = ()
    #: What the step is for: "deps" marks the dependency install that must stay cached after a
    #: source-only change (the e2e cache test and `dockgen verify` look for it). Not rendered.
    step: Literal["deps", "build", "setup"] | None = None

    @field_validator("command")
    @classmethod
    def _cmd(cls, v: str) -> str:
        if "\n" in v or "\r" in v or v.rstrip().endswith("\\"):
            raise ValueError("RUN command must be one line without a trailing backslash")
        return v

    @property
    def flags(self) -> list[str]:
        return [m.flag for m in self.mounts]


class User(_Model):
    kind: Literal["user"] = "user"
    uid: int = Field(ge=1, le=2**31 - 1)
    gid: int = Field(ge=1, le=2**31 - 1)

    @property
    def text(self) -> str:
        return f"{self.uid}:{self.gid}"


class Expose(_Model):
    kind: Literal["expose"] = "expose"
    port: int = Field(ge=1, le=65535)


class Healthcheck(_Model):
    kind: Literal["healthcheck"] = "healthcheck"
    argv: tuple[str, ...]
    interval: str = "30s"
    timeout: str = "5s"
    start_period: str = "10s"
    retries: int = 3

    @property
    def flags(self) -> list[str]:
        return [f"--interval={self.interval}", f"--timeout={self.timeout}",
                f"--start-period={self.start_period}", f"--retries={self.retries}"]

    @property
    def argv_json(self) -> str:
        return json.dumps(list(self.argv))


class Entrypoint(_Model):
    kind: Literal["entrypoint"] = "entrypoint"
    argv: tuple[str, ...]

    @property
    def argv_json(self) -> str:
        return json.dumps(list(self.argv))


class Cmd(Entrypoint):
    kind: Literal["cmd"] = "cmd"  # type: ignore[assignment]


Instruction = Annotated[
    Union[Comment, Arg, Env, Label, Workdir, Copy, Run, User, Expose, Healthcheck, Entrypoint, Cmd],
    Field(discriminator="kind"),
]


class Stage(_Model):
    name: str | None
    image: ImageRef
    #: One-line explanation printed above the FROM line.
    comment: str | None = None
    instructions: tuple[Instruction, ...] = ()

    @field_validator("name")
    @classmethod
    def _stage_name(cls, v: str | None) -> str | None:
        if v is not None and not _STAGE.fullmatch(v):
            raise ValueError(f"bad stage name {v!r}")
        return v

    @field_validator("comment")
    @classmethod
    def _c(cls, v: str | None) -> str | None:
        return _one_line(v) if v else v


class BuildPlan(_Model):
    """Everything the renderer needs, and the summary ``plan --json`` shows."""

    ecosystem: str
    runner: Literal["slim", "distroless", "scratch", "alpine"]
    #: Why these choices: one line each, rendered as the header comment.
    reasons: tuple[str, ...]
    stages: tuple[Stage, ...]
    #: Patterns for .dockerignore (in order).
    ignore: tuple[str, ...]
    port: int | None
    user: int
    warnings: tuple[str, ...] = ()

"""The build plan: every value decided, in order, serialisable (``dockgen plan --json``).

A plan is a list of stages, each a list of typed instructions. Each instruction renders its own
Dockerfile text (``render()``) and states what BuildKit's parser must read back from that text
(``expected()``, ``json_form``): the template only lays stages out, and the renderer's self-check
compares the parsed text with those same definitions, so the two cannot drift apart.
Values inside instructions were validated by the detectors' allow-lists; here they are only escaped.
"""

from __future__ import annotations

import posixpath

import json
import re
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .types import EnvPairs, LabelPairs

_FLAG_VALUE = re.compile(r"^[A-Za-z0-9_./:=,@+-]+$")
#: ARG names (build arguments may carry dots and dashes, unlike ENV keys).
_ARG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_STAGE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
#: (command, flags, arguments) of one instruction, as BuildKit's parser reports them.
Expected = tuple[str, tuple[str, ...], tuple[str, ...]]
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


# ---- instructions ---------------------------------------------------------------------------------


class _Instruction(_Model):
    """One Dockerfile instruction: the text it renders to and what BuildKit's parser reads back.

    Every kind overrides ``render`` and ``expected`` and sets ``json_form``; the template and the
    self-check use nothing else, so a kind is added in one place (tests/test_render.py checks it).
    """

    #: Whether BuildKit's parser must read the arguments as a JSON (exec-form) array; for every
    #: other kind it must not, so a value can never turn shell form into exec form or back.
    json_form: ClassVar[bool]

    def render(self) -> str:
        """The exact Dockerfile text, without a trailing newline (continuation lines included)."""
        raise NotImplementedError(type(self).__name__)

    def expected(self) -> Expected | None:
        """What BuildKit's parser reports for ``render()``'s text; None when it is no instruction."""
        raise NotImplementedError(type(self).__name__)


class Comment(_Instruction):
    kind: Literal["comment"] = "comment"
    text: str
    json_form: ClassVar[bool] = False

    @field_validator("text")
    @classmethod
    def _line(cls, v: str) -> str:
        return _one_line(v)

    def render(self) -> str:
        return f"# {self.text}"

    def expected(self) -> None:
        return None


class Arg(_Instruction):
    kind: Literal["arg"] = "arg"
    name: str
    default: str | None = None
    json_form: ClassVar[bool] = False

    @field_validator("name")
    @classmethod
    def _n(cls, v: str) -> str:
        if not _ARG_NAME.fullmatch(v):
            raise ValueError(f"bad ARG name {v!r}")
        return v

    @property
    def text(self) -> str:
        return self.name if self.default is None else f"{self.name}={quote_value(self.default)}"

    def render(self) -> str:
        return f"ARG {self.text}"

    def expected(self) -> Expected:
        return ("ARG", (), (self.text,))


class Env(_Instruction):
    kind: Literal["env"] = "env"
    #: The same key and value rules as ``--env`` and dockgen.toml's [env] (``generator/types.py``).
    pairs: EnvPairs
    keyword: ClassVar[str] = "ENV"
    json_form: ClassVar[bool] = False

    def render(self) -> str:
        # One pair a line, continuation lines aligned under the first pair.
        sep = " \\\n" + " " * (len(self.keyword) + 1)
        return f"{self.keyword} " + sep.join(f"{k}={quote_value(v)}" for k, v in self.pairs)

    def expected(self) -> Expected:
        # The parser keeps the quotes and escapes; the self-check unquotes them against ``pairs``.
        return (self.keyword, (), tuple(x for k, v in self.pairs for x in (k, quote_value(v))))


class Label(Env):
    kind: Literal["label"] = "label"  # type: ignore[assignment]
    pairs: LabelPairs  # type: ignore[assignment]
    keyword: ClassVar[str] = "LABEL"


class Workdir(_Instruction):
    kind: Literal["workdir"] = "workdir"
    path: str
    json_form: ClassVar[bool] = False

    def render(self) -> str:
        return f"WORKDIR {self.path}"

    def expected(self) -> Expected:
        return ("WORKDIR", (), (self.path,))


class Copy(_Instruction):
    kind: Literal["copy"] = "copy"
    sources: tuple[str, ...]
    dest: str
    from_stage: str | None = None
    chown: str | None = None
    chmod: str | None = None
    # JSON form: spaces and quotes in paths can't split or merge arguments.
    json_form: ClassVar[bool] = True

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

    def render(self) -> str:
        return "COPY " + "".join(f"{f} " for f in self.flags) + json.dumps([*self.sources, self.dest])

    def expected(self) -> Expected:
        return ("COPY", tuple(self.flags), (*self.sources, self.dest))


class Run(_Instruction):
    """Shell-form RUN; ``command`` is built by the planner from constants and allow-listed values."""

    kind: Literal["run"] = "run"
    command: str
    mounts: tuple[Mount, ...] = ()
    #: What the step is for: "deps" marks the dependency install that must stay cached after a
    #: source-only change (the e2e cache test and `dockgen verify` look for it). Not rendered.
    step: Literal["deps", "build", "setup"] | None = None
    # Shell form on purpose: the command is shell syntax (&&, pipes) built from vetted parts.
    json_form: ClassVar[bool] = False

    @field_validator("command")
    @classmethod
    def _cmd(cls, v: str) -> str:
        if "\n" in v or "\r" in v or v.rstrip().endswith("\\"):
            raise ValueError("RUN command must be one line without a trailing backslash")
        return v

    @property
    def flags(self) -> list[str]:
        return [m.flag for m in self.mounts]

    def render(self) -> str:
        # One mount flag a line, the command on the last one.
        return "RUN " + "".join(f"{f} \\\n    " for f in self.flags) + self.command

    def expected(self) -> Expected:
        return ("RUN", tuple(self.flags), (self.command,))


class User(_Instruction):
    kind: Literal["user"] = "user"
    uid: int = Field(ge=1, le=2**31 - 1)
    gid: int = Field(ge=1, le=2**31 - 1)
    json_form: ClassVar[bool] = False

    @property
    def text(self) -> str:
        return f"{self.uid}:{self.gid}"

    def render(self) -> str:
        return f"USER {self.text}"

    def expected(self) -> Expected:
        return ("USER", (), (self.text,))


class Expose(_Instruction):
    kind: Literal["expose"] = "expose"
    port: int = Field(ge=1, le=65535)
    json_form: ClassVar[bool] = False

    def render(self) -> str:
        return f"EXPOSE {self.port}"

    def expected(self) -> Expected:
        return ("EXPOSE", (), (str(self.port),))


class Volume(_Instruction):
    """``VOLUME ["/app/data"]``: data that must outlive the container (exec-form JSON array)."""

    kind: Literal["volume"] = "volume"
    paths: tuple[str, ...]
    json_form: ClassVar[bool] = True

    def render(self) -> str:
        return f"VOLUME {json.dumps(list(self.paths))}"

    def expected(self) -> Expected:
        return ("VOLUME", (), self.paths)


class Healthcheck(_Instruction):
    kind: Literal["healthcheck"] = "healthcheck"
    argv: tuple[str, ...]
    interval: str = "30s"
    timeout: str = "5s"
    start_period: str = "10s"
    retries: int = 3
    json_form: ClassVar[bool] = True

    @property
    def flags(self) -> list[str]:
        return [f"--interval={self.interval}", f"--timeout={self.timeout}",
                f"--start-period={self.start_period}", f"--retries={self.retries}"]

    def render(self) -> str:
        return f"HEALTHCHECK {' '.join(self.flags)} \\\n    CMD {json.dumps(list(self.argv))}"

    def expected(self) -> Expected:
        # The parser reports the probe's own CMD keyword as the first argument.
        return ("HEALTHCHECK", tuple(self.flags), ("CMD", *self.argv))


class Entrypoint(_Instruction):
    kind: Literal["entrypoint"] = "entrypoint"
    argv: tuple[str, ...]
    keyword: ClassVar[str] = "ENTRYPOINT"
    # Exec form: no shell between the container and the program, so signals reach it.
    json_form: ClassVar[bool] = True

    def render(self) -> str:
        return f"{self.keyword} {json.dumps(list(self.argv))}"

    def expected(self) -> Expected:
        return (self.keyword, (), self.argv)


class Cmd(Entrypoint):
    kind: Literal["cmd"] = "cmd"  # type: ignore[assignment]
    keyword: ClassVar[str] = "CMD"


Instruction = Annotated[
    Union[Comment, Arg, Env, Label, Workdir, Copy, Run, User, Expose, Volume, Healthcheck, Entrypoint, Cmd],
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

    def render_from(self) -> str:
        """The stage's opening: its comment line, if any, then the FROM line."""
        line = f"FROM {self.image.ref}" + (f" AS {self.name}" if self.name else "")
        return f"# {self.comment}\n{line}" if self.comment else line

    def expected_from(self) -> Expected:
        """The FROM instruction as BuildKit's parser reports it."""
        return ("FROM", (), (self.image.ref, "AS", self.name) if self.name else (self.image.ref,))


class BuildContext(_Model):
    """A Dockerfile built from a directory above its own (a module of a multi-module build).

    ``root`` is the build context relative to the Dockerfile's directory (``..``), ``dockerfile``
    the Dockerfile's path inside the context (``web-app/Dockerfile``). BuildKit reads the ignore
    file next to the Dockerfile, ``<dockerfile>.dockerignore``, instead of the context's own.
    """

    root: str
    dockerfile: str
    #: What the context root is, for the header ("the Maven aggregator").
    what: str

    @classmethod
    def above(cls, member: str, what: str) -> BuildContext:
        """The context ``member``'s Dockerfile is built from: the directory ``member`` is a path in."""
        return cls(root=posixpath.join(*([".."] * len(member.split("/")))), dockerfile=f"{member}/Dockerfile", what=what)

    @property
    def ignore_file(self) -> str:
        return self.dockerfile + ".dockerignore"


class AddedPackage(_Model):
    """A package dockgen installs that the project's dependencies do not (the server the start runs,
    pinned in the catalog: ``generator/python_server.py``)."""

    name: str
    version: str
    #: The command that needs it ("uwsgi").
    command: str
    #: Its own dependencies, pinned, installed where the lock lacks them.
    deps: tuple[str, ...] = ()
    reason: str


class BuildPlan(_Model):
    """Everything the renderer needs, and the summary ``plan --json`` shows."""

    ecosystem: str
    runner: Literal["slim", "distroless", "scratch", "alpine", "nginx"]
    #: Why these choices: one line each, rendered as the header comment.
    reasons: tuple[str, ...]
    stages: tuple[Stage, ...]
    #: Patterns for .dockerignore (in order).
    ignore: tuple[str, ...]
    port: int | None
    user: int
    warnings: tuple[str, ...] = ()
    #: BuildKit secrets the build mounts, as (id, file in the project): ``--secret id=npmrc,src=.npmrc``.
    secrets: tuple[tuple[str, str], ...] = ()

    #: Set when the build context is a directory above the Dockerfile's (see ``BuildContext``).
    context: BuildContext | None = None
    #: Packages dockgen adds that the project's dependencies do not install (each also a warning).
    added_packages: tuple[AddedPackage, ...] = ()

    @property
    def build_lines(self) -> tuple[str, ...]:
        """How to build the Dockerfile: the header's last lines."""
        c = self.context
        # ``--secret id=npmrc,src=.npmrc`` for each secret the build mounts.
        s = "".join(f"--secret id={i},src={src} " for i, src in self.secrets)
        if c is None:
            return (f"Build (BuildKit):  DOCKER_BUILDKIT=1 docker build {s}-t IMAGE .",
                    f"CI cache reuse:    docker build {s}--cache-from IMAGE:latest --build-arg BUILDKIT_INLINE_CACHE=1 "
                    "-t IMAGE:latest .",
                    f"Rootless:          buildah build {s}-t IMAGE .   (or: podman build {s}-t IMAGE .)")
        return (f"Build context: {c.root} ({c.what}); run these there. BuildKit reads {c.ignore_file}.",
                f"Build (BuildKit):  DOCKER_BUILDKIT=1 docker build {s}-f {c.dockerfile} -t IMAGE .",
                f"CI cache reuse:    docker build {s}-f {c.dockerfile} --cache-from IMAGE:latest "
                "--build-arg BUILDKIT_INLINE_CACHE=1 -t IMAGE:latest .",
                f"Rootless:          buildah build {s}-f {c.dockerfile} --ignorefile {c.ignore_file} -t IMAGE .   "
                "(or: podman build, same flags)")

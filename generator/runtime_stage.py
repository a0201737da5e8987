"""The runtime phase every stack shares: the runner record and the one builder of the final stage.

A stack decides what its runner holds (``RuntimeStage.files``: WORKDIR, ENV, user creation and the
COPY instructions, in the stack's own order) and hands over the rest as values. This module writes
the tail from those values — OCI labels, USER, EXPOSE, HEALTHCHECK or the comment saying why there
is none, ENTRYPOINT/CMD — and the header lines that explain it, with one wording for every stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.facts import Fact
from . import models as m
from .options import Options

#: The address every probe requests: the app inside its own container.
LOCALHOST = "127.0.0.1"


@dataclass(frozen=True)
class RunnerSpec:
    """The image the app runs in: its family, the reference, the numeric user and why it was chosen."""

    runner: str  # slim | distroless | scratch | alpine
    image: m.ImageRef
    uid: int
    #: The header line explaining the choice ("runner distroless (default): …").
    reason: str


@dataclass(frozen=True)
class Probe:
    """An enabled health check and, for the header, what sends the request and why that tool."""

    check: m.Healthcheck
    by: str  # "/nodejs/bin/node", "a compiled Java probe"
    port: int
    path: str
    note: str  # "no curl needed"

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}{self.path}"


@dataclass(frozen=True)
class NoProbe:
    """No HEALTHCHECK, and why (said in the header and in a comment where the instruction would be)."""

    reason: str


def disabled(options: Options) -> NoProbe:
    """The health check the healthcheck option turned off (``--healthcheck ''`` or ``healthcheck = ""``)."""
    return NoProbe(f"disabled by the healthcheck option (from {options.source('healthcheck')})")


@dataclass(frozen=True)
class RuntimeStage:
    """Everything the final stage needs; ``build`` turns it into the stage and its header lines."""

    runner: RunnerSpec
    #: What the stage holds, for its comment: "Runtime stage (distroless): <summary>".
    summary: str
    #: The stack's own instructions before the tail, in its order (WORKDIR, ENV, COPY, user creation).
    files: tuple[m.Instruction, ...]
    labels: m.Label | None
    port: Fact[int]
    health: Probe | NoProbe
    #: Nothing in the project states the port: the header says "assumed" (init warns about it).
    port_assumed: bool = False
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    #: Node and Java write their labels above the files, Python and Go below them. Moving either
    #: would reorder instructions (and change cache keys), so the stack says where they go.
    labels_first: bool = False
    #: The stack's own header lines about this stage (what the files are); its planner places them.
    reasons: tuple[str, ...] = ()


def stage(rt: RuntimeStage) -> m.Stage:
    labels = (rt.labels,) if rt.labels is not None else ()
    ins: list = [*labels, *rt.files] if rt.labels_first else [*rt.files, *labels]
    uid = rt.runner.uid
    ins += [m.User(uid=uid, gid=uid), m.Expose(port=rt.port.value)]
    if isinstance(rt.health, Probe):
        ins.append(rt.health.check)
    else:
        ins.append(m.Comment(text=f"No HEALTHCHECK: {rt.health.reason}."))
    if rt.entrypoint is not None:
        ins.append(m.Entrypoint(argv=rt.entrypoint))
    if rt.cmd is not None:
        ins.append(m.Cmd(argv=rt.cmd))
    return m.Stage(name=None, image=rt.runner.image, comment=f"Runtime stage ({rt.runner.runner}): {rt.summary}",
                   instructions=tuple(ins))


#: The header always ends with these many lines (port, user, health check): ``reasons`` below.
TAIL_LINES = 3


def reasons(rt: RuntimeStage) -> tuple[str, ...]:
    """The header lines of the tail: port, user, health check."""
    port = rt.port.value
    sets_port = any(i.kind == "env" and ("PORT", str(port)) in i.pairs for i in rt.files)
    if isinstance(rt.health, Probe):
        health = f"health check: {rt.health.by} requests {rt.health.url} ({rt.health.note})"
    else:
        health = f"no health check: {rt.health.reason}"
    where = "assumed:" if rt.port_assumed else "from"
    return (f"port {port} ({where} {rt.port.source})" + ("; PORT is set to it" if sets_port else ""),
            f"user {rt.runner.uid} (numeric, non-root)",
            health)

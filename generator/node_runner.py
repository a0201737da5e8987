"""Node: the start command and the runner image it needs.

Start command, first that applies:
  1. ``--command`` (a ``node …`` command runs anywhere; anything else needs a shell image);
  2. ``scripts.start`` when it is a plain ``node [flags] <file>``;
  3. ``scripts.start`` that needs a shell (``&&``, ``ENV=x`` prefixes, …) → ``npm start`` on slim;
  4. NestJS → ``dist/main.js`` (or ``<tsconfig outDir>/main.js``);
  5. Next.js → the standalone ``server.js`` when next.config sets ``output: 'standalone'``, else an error;
  6. package.json ``main``;
  7. any other ``scripts.start`` (``ts-node …``) → ``npm start`` on slim;
  8. ``server.js`` / ``index.js`` / ``app.js`` / ``main.js`` in the root.
Runner: distroless (node only, no shell) unless the command needs a shell, then slim.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.node import NodeFacts
from . import common
from . import models as m
from .catalog import RuntimeVersion, image
from .options import Options

NODE_UID = 1000  # the `node` user of the official node images
RUNNERS = ("distroless", "slim", "alpine")


@dataclass(frozen=True)
class Entry:
    #: Arguments after ``node`` (None when ``argv`` is a whole command that needs a shell image).
    node_args: tuple[str, ...] | None
    argv: tuple[str, ...] | None
    reason: str
    #: Why a shell image is needed ("" when distroless works).
    needs_shell: str = ""
    #: The entry is Next.js' standalone server.
    next_standalone: bool = False

    @property
    def script(self) -> str | None:
        """The file node runs (last argument), if any."""
        return self.node_args[-1] if self.node_args else None


def _fw(facts: NodeFacts, name: str):
    return next((f for f in facts.frameworks if f.value == name), None)


NPM_START = ("npm", "start")


def entry(facts: NodeFacts, options: Options) -> Entry:
    if options.command:
        argv = tuple(options.command)
        where = options.source("command")
        if argv[0] == "node" and len(argv) > 1:
            return Entry(argv[1:], None, f"start: {' '.join(argv)} (from {where})")
        return Entry(None, argv, f"start: {' '.join(argv)} (from {where})",
                     needs_shell=f"the command from {where} starts {argv[0]}, not node")
    kind = facts.start_kind
    if kind is not None and kind.value == "node" and facts.start_args is not None:
        return Entry(facts.start_args.value, None,
                     f"start: node {' '.join(facts.start_args.value)} (from {facts.start_args.source})")
    if kind is not None and kind.value == "shell":
        return Entry(None, NPM_START, f"start: npm start ({kind.source} needs a shell)",
                     needs_shell=f"{kind.source} needs a shell")
    nest = _fw(facts, "nestjs")
    if nest is not None:
        out = facts.ts_out_dir.value if facts.ts_out_dir else "dist"
        return Entry((f"{out}/main.js",), None, f"start: node {out}/main.js (NestJS, from {nest.source})")
    nxt = _fw(facts, "nextjs")
    if nxt is not None:
        sa = facts.next_standalone
        if sa is None or not sa.value:
            where = sa.source.file if sa else "next.config.js"
            raise InvalidInputError(
                "Next.js without standalone output: the image would need the whole project and `next start`",
                file=where, hint="set output: 'standalone' in next.config (module.exports = { output: 'standalone' })")
        return Entry(("server.js",), None, f"start: node server.js (Next.js standalone output, from {sa.source})",
                     next_standalone=True)
    if facts.main is not None:
        return Entry((facts.main.value,), None, f"start: node {facts.main.value} (from {facts.main.source})")
    if kind is not None and kind.value == "tool":
        return Entry(None, NPM_START, f"start: npm start ({kind.source} runs a tool other than node)",
                     needs_shell=f"{kind.source} runs a tool other than node")
    if facts.entry_files:
        f = facts.entry_files[0]
        return Entry((f,), None, f"start: node {f} (found in the project root)")
    raise InvalidInputError("no start command: no scripts.start, main, server.js or index.js", file="package.json",
                            hint='add "start": "node server.js" to scripts, or pass --command')


@dataclass(frozen=True)
class RunnerSpec:
    runner: str
    image: m.ImageRef
    uid: int
    node: str
    reason: str


def choose(options: Options, ent: Entry, version: RuntimeVersion) -> RunnerSpec:
    req = options.runner
    if req is not None and req not in RUNNERS:
        raise options.refuse("runner", "cannot run a Node.js app: it has no node binary",
                             hint="use the runner distroless, slim or alpine")
    if ent.needs_shell:
        if req == "distroless":
            raise options.refuse("runner", f"distroless has no shell, but {ent.needs_shell}",
                                 hint='make scripts.start a plain "node <file>" or use the runner slim')
        runner = req or "slim"
        reason = (f"runner {runner} (from {options.source('runner')})" if req else
                  f"runner slim: {ent.needs_shell}, and distroless has no shell")
    elif req:
        runner, reason = req, f"runner {req} (from {options.source('runner')})"
    elif version.distroless is None:
        runner, reason = "slim", f"runner slim: {version.no_distroless or 'no distroless image for this Node.js version'}"
    else:
        runner, reason = "distroless", ("runner distroless (default): the start command is a plain node file, so "
                                        "an image with node and no shell or package manager is enough")
    ref = getattr(version, runner)
    if ref is None:
        raise UsageError(f"dockgen's catalog has no {runner} image for this Node.js version",
                         hint="choose another --runner")
    if runner == "distroless":
        return RunnerSpec(runner, image(ref), common.NONROOT_UID, "/nodejs/bin/node",
                          reason + f"; user nonroot {common.NONROOT_UID}")
    return RunnerSpec(runner, image(ref), NODE_UID, "/usr/local/bin/node",
                      reason + f"; user node {NODE_UID} of the node image")


def start_instructions(rs: RunnerSpec, ent: Entry) -> list:
    if ent.argv is not None:
        return [m.Cmd(argv=ent.argv)]
    assert ent.node_args is not None
    if rs.runner == "distroless":
        return [m.Entrypoint(argv=(rs.node,)), m.Cmd(argv=ent.node_args)]
    return [m.Cmd(argv=("node", *ent.node_args))]

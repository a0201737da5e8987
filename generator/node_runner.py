"""Node: the start command and the runner image it needs.

Start command, first that applies:
  1. ``--command`` (a ``node …`` command runs anywhere; anything else needs a shell image);
  2. the start candidates the detector read (``facts.app.start``): ``scripts.start`` when it is
     ``node [flags] <file>``, ``<build> && node <file>`` (the build runs at image build time) or
     ``npm run <script>`` of such a script, then ``start:prod`` & co., then an Nx project's built
     entry (project.json), then ``main`` — each only when its file exists after the build and needs
     no devDependency; a development/reload ``scripts.start`` (nodemon, node --watch, next dev, nx
     serve, vite …) or one that needs a devDependency (ts-node, nest start) is never used;
  3. ``scripts.start`` that needs a shell (``&&``, ``ENV=x`` prefixes, …) → ``npm start`` on slim;
  4. NestJS → ``dist/main.js`` (or ``<tsconfig outDir>/main.js``);
  5. Next.js → the standalone ``server.js`` when next.config sets ``output: 'standalone'``, else
     ``next start`` on the built project with production ``node_modules``;
  6. any other ``scripts.start`` that runs an installed tool → ``npm start`` on slim;
  7. ``server.js`` / ``index.js`` / ``app.js`` / ``main.js`` in the root.
Otherwise an error names what was found and the choices (``start:prod``, ``--command``).
Runner: distroless (node only, no shell) unless the command needs a shell, then slim.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.node import NodeFacts
from ..detectors.source_text import LOOPBACK
from . import common
from .catalog import RuntimeVersion, image
from .options import Options
from .runtime_stage import RunnerSpec

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
    #: The entry is ``next start`` on the built project (Next.js without standalone output).
    next_start: bool = False

    @property
    def next(self) -> bool:
        """A Next.js entry: ``next build`` runs in the build stage."""
        return self.next_standalone or self.next_start

    @property
    def script(self) -> str | None:
        """The file node runs (last argument), if any."""
        if self.next_start:
            return None
        return self.node_args[-1] if self.node_args else None


def _fw(facts: NodeFacts, name: str):
    return next((f for f in facts.frameworks if f.value == name), None)


NPM_START = ("npm", "start")
#: ``next start`` through the package's own bin file: distroless' entrypoint is node, no shell or npx.
#: It binds 0.0.0.0 and reads PORT by default.
NEXT_START = ("node_modules/next/dist/bin/next", "start")


def entry(facts: NodeFacts, options: Options) -> Entry:
    if options.command:
        argv = tuple(options.command)
        where = options.source("command")
        if argv[0] == "node" and len(argv) > 1:
            return Entry(argv[1:], None, f"start: {' '.join(argv)} (from {where})")
        return Entry(None, argv, f"start: {' '.join(argv)} (from {where})",
                     needs_shell=f"the command from {where} starts {argv[0]}, not node")
    kind = facts.start_kind
    if facts.app.start:
        best = facts.app.start[0]
        args = best.value[1:]
        how = ""
        if facts.start_build is not None and best.evidence == facts.start_build.source:
            how = "; its build step runs at image build time, in the build stage"
        if facts.env_file is not None and best.evidence == facts.env_file.source:
            how += f"; {facts.env_loader} dropped"
        return Entry(args, None, f"start: node {' '.join(args)} (from {best.evidence}{how})")
    if facts.dev_start is not None or facts.devdep_start is not None:
        kind = None  # never `npm start` on a development server or a devDependency's tool
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
            return Entry(NEXT_START, None, f"start: next start (Next.js, from {nxt.source}; no standalone output, so "
                         "the built project and production node_modules; output: 'standalone' in next.config makes "
                         "a smaller image)", next_start=True)
        return Entry(("server.js",), None, f"start: node server.js (Next.js standalone output, from {sa.source})",
                     next_standalone=True)
    if kind is not None and kind.value == "tool":
        return Entry(None, NPM_START, f"start: npm start ({kind.source} runs a tool other than node)",
                     needs_shell=f"{kind.source} runs a tool other than node")
    if facts.entry_files:
        f = facts.entry_files[0]
        return Entry((f,), None, f"start: node {f} (found in the project root)")
    _refuse_dev_start(facts)
    raise InvalidInputError("no start command: no scripts.start, main, server.js or index.js", file="package.json",
                            hint='add "start": "node server.js" to scripts, or pass --command')


def _refuse_dev_start(facts: NodeFacts) -> None:
    """No production start, and ``scripts.start`` is a development server or a devDependency's tool."""
    if facts.dev_start is not None:
        what = f"{facts.dev_start.source} runs a development server ({facts.dev_start.value})"
    elif facts.devdep_start is not None:
        what = (f"{facts.devdep_start.source} needs {facts.devdep_start.value}, a devDependency the production "
                "image does not install")
    else:
        return
    nx = f"; {facts.nx_problem}" if facts.nx_problem else ""
    out = facts.build_out_dir.value if facts.build_out_dir else "dist"
    raise InvalidInputError(f"{what}, which is never a container's command, and no production start was "
                            f"found{nx}", file="package.json",
                            hint=f'add "start:prod": "node {out}/main.js" (the built entry), or pass '
                                 f'--command "node {out}/main.js"')


def build_command(facts: NodeFacts, run_build: str, pm: str) -> str | None:
    """The build step: ``scripts.build``, or the one ``scripts.start`` runs before node."""
    sb = facts.start_build
    if sb is not None and sb.value[0] == "run" and sb.value[1] != "build":
        return f"{pm} run {sb.value[1]}"
    if sb is not None and sb.value[0] == "bin" and facts.build_script is None:
        return "npx --no-install " + " ".join(sb.value[1:])
    if facts.build_script is not None or sb is not None:
        return run_build
    return None


def env_file_check(facts: NodeFacts, options: Options) -> None:
    """A start that loads a dotenv file (``--env-file``, ``dotenv -e``) is refused when that file is the app's
    only config for its port."""
    if facts.env_file is None or options.port is not None:
        return
    if facts.app.port_env and not facts.app.port:
        name = facts.app.port_env[0].value
        raise InvalidInputError(
            f"{facts.env_file.source} loads {facts.env_file.value} ({facts.env_loader}), which is not in the image, "
            f"and the app reads {name} ({facts.app.port_env[0].evidence}) with no default",
            file="package.json", hint=f"give {name} a default in the code, or pass --port N (and --env {name}=N)")


def server_env(facts: NodeFacts, port: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(ENV pairs after PORT, header lines): the app's own port variable and bind-all variable."""
    env: list[tuple[str, str]] = []
    reasons: list[str] = []
    pe = next((c for c in facts.app.port_env if c.confidence != "assumed"), None)
    if pe is not None and pe.value != "PORT":
        env.append((pe.value, str(port)))
        reasons.append(f"the app reads its port from {pe.value} (from {pe.evidence}): set to {port} too")
    bind = next((c for c in facts.app.bind if c.confidence != "assumed"), None)
    if bind is not None and bind.value in LOOPBACK:
        be = next((c for c in facts.app.bind_env if c.confidence != "assumed"), None)
        if be is not None:
            env.append(be.value)
            reasons.append(f"the app binds {bind.value} by default (from {bind.evidence}); "
                           f"{be.value[0]}={be.value[1]} (from {be.evidence}) makes it listen on all addresses")
    return env, reasons


def choose(options: Options, ent: Entry, version: RuntimeVersion) -> RunnerSpec:
    req = options.runner
    if req == "nginx":
        raise options.refuse("runner", "the nginx runner serves only a static frontend's build output, and this "
                             f"project has a start command ({ent.reason.removeprefix('start: ')})",
                             hint="use the runner distroless, slim or alpine")
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
    # distroless' nonroot user, else the `node` user the official node images ship.
    uid = common.NONROOT_UID if runner == "distroless" else NODE_UID
    return RunnerSpec(runner=runner, image=image(ref), uid=uid, reason=reason)


def node_binary(runner: str) -> str:
    return "/nodejs/bin/node" if runner == "distroless" else "/usr/local/bin/node"


def start(runner: str, ent: Entry) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(ENTRYPOINT, CMD): distroless' entrypoint is node itself, the other images take ``node`` on PATH."""
    if ent.argv is not None:
        return None, ent.argv
    assert ent.node_args is not None
    if runner == "distroless":
        return (node_binary(runner),), ent.node_args
    return None, ("node", *ent.node_args)

"""Go: turning what the chosen main package says (``GoFacts.apps[main]``) into the runner's start.

- the port: ``--port`` > the app's own (config file, flag default, viper default, env fallback, listen
  literal) > 8080 assumed (a warning; refused under --strict); ``PORT`` is always set to it, and the
  app's own port variable too;
- a loopback default bind is overridden through the app's variable (``LISTEN_ADDR=0.0.0.0:8080``) or
  flag (``--address 0.0.0.0``);
- a root command that only prints help gets its ``serve``/``run``/``server``/``start`` subcommand,
  or dockgen refuses listing the choices;
- config files and assets (``./ui``, ``templates/``) the program opens relative to its working
  directory are copied next to it; a ``--config`` default found elsewhere in the repository
  (``docs/app.yml``) is copied to that path with a warning, one found nowhere is a warning naming the
  mount;
- a health route the app registers (``/healthz``) is what the HEALTHCHECK probes;
- a program that builds paths from its executable's location is installed in its writable home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..detectors.errors import UsageError
from ..detectors.facts import Candidate, Source
from ..detectors.go import GoFacts
from ..detectors.go_app import GoMain
from . import evidence
from . import models as m
from .options import Options

DEFAULT_PORT = 8080


@dataclass
class GoStart:
    port: int
    #: Where the port came from, and whether nothing in the program states it.
    port_source: Source
    port_assumed: bool = False
    env: list[tuple[str, str]] = field(default_factory=list)
    #: Arguments after the binary (subcommand, flags) for CMD.
    args: list[str] = field(default_factory=list)
    copies: list[m.Copy] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: A health route the app registers (else the planner probes ``/``).
    health_path: str | None = None
    health_source: Source | None = None
    #: The program builds paths from its executable's location: install it in its writable home.
    beside_home: Source | None = None


def _with_port(value: str, port: int) -> str:
    return re.sub(r":\d{2,5}$", f":{port}", value)


def start(facts: GoFacts, main: str, options: Options, binary: str, workdir: str) -> GoStart:
    ga = facts.apps.get(main) or GoMain()
    chosen = evidence.choose("port", "port", ga.app.port, options, assumed=Candidate(
        value=DEFAULT_PORT, evidence=Source.default("the Go convention: PORT, 8080"), confidence="assumed"))
    port = chosen.value
    out = GoStart(port=port, port_source=chosen.source, port_assumed=chosen.confidence == "assumed")
    if chosen.warning:
        out.warnings.append(chosen.warning)
    out.env.append(("PORT", str(port)))
    if port < 1024 and chosen.confidence is not None:
        out.warnings.append(f"port {port} (from {chosen.source}) is below 1024: the non-root user can bind it where "
                            "the engine sets net.ipv4.ip_unprivileged_port_start=0 (Docker 20.10 and later do), not "
                            "on a cluster without that sysctl; set --port 8080 to move it")
    pe = next((c for c in ga.app.port_env if c.value != "PORT"), None)
    if pe is not None:
        out.env.append((pe.value, str(port)))
        out.reasons.append(f"the app reads its port from {pe.value} (from {pe.evidence}): set to {port}")
    # Subcommand first: flags follow it.
    if ga.needs_subcommand is not None and not options.command:
        _subcommand(ga, f"{workdir if ga.exe_relative else '/usr/local/bin'}/{binary}", out)
    if ga.port_flag is not None and chosen.confidence is None and not options.command:
        out.args += [ga.port_flag.value, str(port)]
    _bind(ga, options, port, out)
    _files(ga, out, workdir)
    health = next(iter(ga.app.health_path), None)
    if health is not None:
        out.health_path = health.value
        out.health_source = health.evidence
    if ga.exe_relative is not None:
        out.beside_home = ga.exe_relative
    return out


def _subcommand(ga: GoMain, exe: str, out: GoStart) -> None:
    serve = list(ga.serving)
    listed = ", ".join(ga.subcommands) or "none found"
    if len(serve) != 1:
        why = f"several could serve: {', '.join(serve)}" if serve else "none of them is serve/run/server/start"
        raise UsageError(f"the {exe.rsplit('/', 1)[-1]} command needs a subcommand ({ga.needs_subcommand.source}) "
                         f"and {why} (subcommands: {listed})",
                         hint=f'choose one with --command \'["{exe}", "SUBCOMMAND"]\'')
    out.args.append(serve[0])
    dropped = f"; not {'; '.join(ga.command_notes)}" if ga.command_notes else ""
    out.reasons.append(f"subcommand {serve[0]}: the root command only prints help "
                       f"(from {ga.needs_subcommand.source}; subcommands: {listed}{dropped})")


def _bind(ga: GoMain, options: Options, port: int, out: GoStart) -> None:
    bind = next(iter(ga.app.bind), None)
    if bind is None or bind.value not in ("127.0.0.1", "::1"):
        return
    be = next(iter(ga.app.bind_env), None)
    if be is not None:
        pair = (be.value[0], _with_port(be.value[1], port))
        out.env.append(pair)
        out.reasons.append(f"the app binds {bind.value} by default (from {bind.evidence}); {pair[0]}={pair[1]} "
                           f"(from {be.evidence}) makes it listen on all addresses")
    elif ga.bind_flag is not None and not options.command:
        flag, value = ga.bind_flag.value
        out.args += [flag, _with_port(value, port)]
        out.reasons.append(f"the app binds {bind.value} by default (from {bind.evidence}); {flag} "
                           f"{_with_port(value, port)} (from {ga.bind_flag.evidence}) makes it listen on all addresses")
    else:
        out.warnings.append(f"the app listens on {bind.value} (from {bind.evidence}), which a container cannot "
                            "publish: listen on 0.0.0.0 or read the address from an environment variable")


def _files(ga: GoMain, out: GoStart, workdir: str) -> None:
    """Config files and assets the program opens relative to its working directory go next to it."""
    for cfg in ga.config_files:
        out.copies.append(m.Copy(sources=(cfg.value,), dest=f"./{cfg.value}"))
        out.reasons.append(f"config file {cfg.value} copied next to the binary (the program opens it relative to "
                           f"its working directory: {cfg.source})")
    if ga.config_example is not None:
        found, path = ga.config_example.value
        out.copies.append(m.Copy(sources=(found,), dest=f"./{path}"))
        out.reasons.append(f"config file {found} copied to ./{path}, the default of {ga.config_example.source}")
        out.warnings.append(f"the program reads ./{path} from its working directory ({ga.config_example.source}); "
                            f"the image holds the repository's {found} there: mount your own over it "
                            f"(docker run -v \"$PWD/{path.rsplit('/', 1)[-1]}:{workdir}/{path}:ro\" …)")
    if ga.config_missing is not None:
        path = ga.config_missing.value
        out.warnings.append(f"the program reads ./{path} from its working directory ({ga.config_missing.source}) "
                            f"and the repository has none: if it needs one, mount it "
                            f"(docker run -v \"$PWD/{path.rsplit('/', 1)[-1]}:{workdir}/{path}:ro\" …)")
    for asset in ga.assets:
        out.copies.append(m.Copy(sources=(asset.value,), dest=f"./{asset.value}"))
        out.reasons.append(f"{asset.value} copied next to the binary (the program reads it relative to its "
                           f"working directory: {asset.source})")

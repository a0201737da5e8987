"""Go: turning what the chosen main package says (``GoFacts.apps[main]``) into the runner's start.

- the port: ``--port`` > the app's own (config file, flag default, viper default, env fallback, listen
  literal) > 8080 assumed (a warning; refused under --strict); ``PORT`` is always set to it, and the
  app's own port variable too;
- a loopback default bind is overridden through the app's variable (``LISTEN_ADDR=0.0.0.0:8080``) or
  flag (``--address 0.0.0.0``);
- a root command that only prints help gets its ``serve``/``run``/``server``/``start`` subcommand,
  or dockgen refuses listing the choices;
- config files the program opens relative to its working directory are copied next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..detectors.errors import UsageError
from ..detectors.facts import Candidate, Source
from ..detectors.go import GoFacts
from ..detectors.go_app import SERVE_WORDS, GoMain
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


def _with_port(value: str, port: int) -> str:
    return re.sub(r":\d{2,5}$", f":{port}", value)


def start(facts: GoFacts, main: str, options: Options, binary: str) -> GoStart:
    ga = facts.apps.get(main) or GoMain()
    chosen = evidence.choose("port", "port", ga.app.port, options, assumed=Candidate(
        value=DEFAULT_PORT, evidence=Source.default("the Go convention: PORT, 8080"), confidence="assumed"))
    port = chosen.value
    out = GoStart(port=port, port_source=chosen.source, port_assumed=chosen.confidence == "assumed")
    if chosen.warning:
        out.warnings.append(chosen.warning)
    out.env.append(("PORT", str(port)))
    pe = next((c for c in ga.app.port_env if c.value != "PORT"), None)
    if pe is not None:
        out.env.append((pe.value, str(port)))
        out.reasons.append(f"the app reads its port from {pe.value} (from {pe.evidence}): set to {port}")

    # Subcommand first: flags follow it.
    if ga.needs_subcommand is not None and not options.command:
        serve = [s for s in ga.subcommands if s in SERVE_WORDS]
        listed = ", ".join(ga.subcommands) or "none found"
        if len(serve) != 1:
            why = "several could serve" if serve else "none of them is serve/run/server/start"
            raise UsageError(f"the {binary} command needs a subcommand ({ga.needs_subcommand.source}) and {why}: "
                             f"{listed}", hint=f'choose one with --command \'["/usr/local/bin/{binary}", "SUBCOMMAND"]\'')
        out.args.append(serve[0])
        out.reasons.append(f"subcommand {serve[0]}: the root command only prints help "
                           f"(from {ga.needs_subcommand.source}; subcommands: {listed})")
    if ga.port_flag is not None and chosen.confidence is None and not options.command:
        out.args += [ga.port_flag.value, str(port)]
    bind = next(iter(ga.app.bind), None)
    if bind is not None and bind.value in ("127.0.0.1", "::1"):
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
    for cfg in ga.config_files:
        out.copies.append(m.Copy(sources=(cfg.value,), dest=f"./{cfg.value}"))
        out.reasons.append(f"config file {cfg.value} copied next to the binary (the program opens it relative to "
                           f"its working directory: {cfg.source})")
    return out

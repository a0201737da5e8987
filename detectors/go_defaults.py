"""Go: ports a program's configuration code sets by default, and the variable that overrides them.

Read from the main package and the module packages it imports (comments stripped):
  - composite literals: ``Server: Server{Port: 80, SSL: SSL{Port: 443}}`` gives 80 (``Port: "1411"``
    too, for a string field; a port in a
    literal or field named for TLS/SSL/HTTPS/gRPC/metrics/a database is another listener's);
  - assignments of defaults: ``config.Server.Port = 8080``;
  - struct tags: ``Port int `env:"HTTP_PORT,default=8080"``` (go-envconfig), ``envDefault:"8080"``
    (caarlos0/env), ``default:"8080"`` with ``envconfig:"PORT"`` (kelseyhightower); the variable name
    gets the prefix the program gives its loader (``PrefixLookuper("APP_")``, ``Prefix: "APP_"``,
    ``envconfig.Process("app", …)``);
  - listen-address fields tagged the same way (``ListenIpV4 string `default:"127.0.0.1"
    env:"APP_LISTEN_IPV4"```): a loopback default is overridden through its variable;
  - a field filled from a named variable: ``parseInt(&c.Server.Port, EnvServerPort)`` with
    ``EnvServerPort = "APP_SERVER_PORT"`` (the constant may sit in another file of the package).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import go_source as gs
from . import safe
from .facts import Candidate, Source
from .source_text import SECONDARY, line_of

_PORT_FIELD = r"(?:(?:HTTP|Http|Server|Listen|App|Web)_?)?Port"
_LIT_PORT = re.compile(rf"\b({_PORT_FIELD})\s*:\s*\"?(\d{{2,5}})\"?\s*[,}}\n]")
_SET_PORT = re.compile(rf"\b((?:\w+\.)+)({_PORT_FIELD})\s*=\s*(\d{{2,5}})\b")
_TAGGED = re.compile(rf"(?m)^\s*({_PORT_FIELD})\s+\*?(?:u?int(?:16|32|64)?|string)\s+`([^`\n]*)`")
_TAG = re.compile(r'(\w+):"([^"]*)"')
#: A listen-address field with struct tags: ``ListenIpV4 string `default:"127.0.0.1" env:"APP_LISTEN_IPV4"```.
_ADDR_TAGGED = re.compile(r"(?m)^\s*(\w*(?:Listen|Addr|Address|Host|Bind|Ip|IP)\w*)\s+string\s+`([^`\n]*)`")
_PARSE_INTO = re.compile(rf"\(\s*&((?:\w+\.)*)({_PORT_FIELD})\s*,\s*(\w+|\"[A-Z][A-Z0-9_]*\")\s*\)")
_CONST = re.compile(r'\b([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([A-Z][A-Z0-9_]*)"')
#: How a loader is told the variables' prefix: go-envconfig, caarlos0/env, kelseyhightower/envconfig.
_PREFIX = (re.compile(r'PrefixLookuper\(\s*"([A-Z][A-Z0-9_]*)"'), re.compile(r'\bPrefix\s*:\s*"([A-Z][A-Z0-9_]*_)"'),
           re.compile(r'envconfig\.Process\(\s*"([A-Za-z][A-Za-z0-9_]*)"'))


@dataclass
class DefaultsReader:
    ports: list[Candidate[int]] = field(default_factory=list)
    #: (env name or constant identifier, how it was written: "ident", "literal" or "tag", source)
    envs: list[tuple[str, str, Source]] = field(default_factory=list)
    consts: dict[str, str] = field(default_factory=dict)
    prefix: str = ""
    #: (variable, default, source) of listen-address fields whose tags give both.
    addresses: list[tuple[str, str, Source]] = field(default_factory=list)

    def read(self, rel: str, text: str) -> None:
        if SECONDARY.search(rel.rsplit("/", 1)[0] if "/" in rel else ""):
            return  # a package for another listener (pkg/api/grpc) or a database client
        for m in _LIT_PORT.finditer(text):
            outer = gs.enclosing(text, m.start(), limit=1500)
            if not outer or SECONDARY.search(outer[0]):
                continue
            self._port(m.group(2), rel, text, m.start(), f"{m.group(1)}: {m.group(2)}")
        for m in _SET_PORT.finditer(text):
            if not SECONDARY.search(m.group(1)):
                self._port(m.group(3), rel, text, m.start(), f"{m.group(1)}{m.group(2)} = {m.group(3)}")
        for m in _TAGGED.finditer(text):
            self._tag(rel, text, m)
        for m in _ADDR_TAGGED.finditer(text):
            tags = dict(_TAG.findall(m.group(2)))
            env = tags.get("env", tags.get("envconfig", "")).partition(",")[0]
            default = tags.get("envDefault", tags.get("default"))
            if default and re.fullmatch(r"[A-Z][A-Z0-9_]*", env) and not SECONDARY.search(m.group(1) + " " + env):
                self.addresses.append((env, default, Source.of(rel, f"line {line_of(text, m.start())} {m.group(1)} "
                                                                    f"default {default}")))
        for m in _PARSE_INTO.finditer(text):
            if not SECONDARY.search(m.group(1)):
                name = m.group(3)
                src = Source.of(rel, f"line {line_of(text, m.start())}")
                self.envs.append((name.strip('"'), "literal" if name.startswith('"') else "ident", src))
        for m in _CONST.finditer(text):
            self.consts.setdefault(m.group(1), m.group(2))
        for pat in _PREFIX:
            pm = pat.search(text)
            if pm and not self.prefix:
                p = pm.group(1).upper()
                self.prefix = p if p.endswith("_") else p + "_"

    def _port(self, value: str, rel: str, text: str, pos: int, what: str) -> None:
        self.ports.append(Candidate(value=safe.port(value, rel, "listen port"),
                                    evidence=Source.of(rel, f"line {line_of(text, pos)} {what}"), confidence="read"))

    def _tag(self, rel: str, text: str, m: re.Match) -> None:
        tags = dict(_TAG.findall(m.group(2)))
        env = tags.get("env", tags.get("envconfig", ""))
        name, _, opts = env.partition(",")
        default = re.search(r"\bdefault=(\d{2,5})\b", opts)
        value = default.group(1) if default else tags.get("envDefault", tags.get("default"))
        if value and re.fullmatch(r"\d{2,5}", value):
            self._port(value, rel, text, m.start(), f"{m.group(1)} default {value}")
        if re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            self.envs.append((name, "tag", Source.of(rel, f"line {line_of(text, m.start())} env {name}")))

    def port_envs(self) -> list[Candidate[str]]:
        out = []
        for name, how, src in self.envs:
            value = self.consts.get(name) if how == "ident" else name
            if value is None or SECONDARY.search(value):
                continue
            if how == "tag" and self.prefix and not value.startswith(self.prefix):
                value = self.prefix + value
            out.append(Candidate(value=value, evidence=src, confidence="read"))
        return out

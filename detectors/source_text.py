"""Small readings of an app's own source text that every stack's app detector shares."""

from __future__ import annotations

import re

#: The marker line of a file dockgen wrote (generator/render.py): such a file is never read back as
#: the app's own evidence.
GENERATED_MARKER = re.compile(r"^# dockgen: sha256=[0-9a-f]{64}$", re.M)

#: Words of a variable's name that make it the app's listen address.
_ADDR_WORDS = frozenset({"ADDR", "ADDRESS", "LISTEN", "HOST", "HOSTNAME", "BIND"})

#: Names of listeners, ports and addresses that are not the app's HTTP server.
SECONDARY = re.compile(r"(?i)(ssl|tls|https|secure|grpc|metric|admin|debug|pprof|profil|smtp|mail|imap|redis|"
                       r"memcache|(?<![a-z])(?:db|pg)|database|sql|postgres|mongo|mysql|maria|ldap|proxy|upstream|backend|"
                       r"remote|peer|cluster|gossip|raft|rpc|ws_|dns|ftp|ssh|syslog|statsd|jaeger|otel|otlp|"
                       r"zipkin|kafka|nats|amqp|rabbit|mqtt|broker|etcd|consul|vault|s3|minio|elastic)")

#: Listen addresses that only the container itself can reach.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def line_of(text: str, pos: int) -> int:
    """The 1-based line number of character ``pos`` (for file:line evidence)."""
    return text.count("\n", 0, pos) + 1


def name_words(name: str) -> frozenset[str]:
    """The words of a variable's name: ``WAKAPI_PORT`` → {WAKAPI, PORT}, ``httpPort`` → {HTTP, PORT}."""
    return frozenset(w for w in re.split(r"[^A-Z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()) if w)


def is_port_name(name: str) -> bool:
    """A variable holding a port: the word PORT, never a substring (``IMPORT_HOSTS`` is not one)."""
    return "PORT" in name_words(name)


def is_address_name(name: str) -> bool:
    """A variable holding a listen address (``LISTEN_ADDR``, ``APP_HOST``; not ``GHOST_THEME``)."""
    return bool(name_words(name) & _ADDR_WORDS)


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, joined text) with backslash continuations joined, ``#`` comments removed and
    blank lines dropped: a requirements file's lines, or a shell script's commands."""
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not buf:
            start = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        if buf.strip():
            out.append((start, buf.strip()))
        buf = ""
    if buf.strip():
        out.append((start, buf.strip()))
    return out

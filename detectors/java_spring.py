"""Spring Boot's application config: the HTTP port from ``server.port`` when it is simple.

Read: src/main/resources/application.properties, then application.yml / application.yaml. "Simple"
means a literal number, or a ``${VAR:8081}`` placeholder (its default is taken). Anything else
(profiles, expressions, other placeholders) leaves the port to the default.
"""

from __future__ import annotations

import re

from . import safe
from .facts import Fact, fact
from .repo import RepoView

RESOURCES = "src/main/resources"
_PLACEHOLDER = re.compile(r"^\$\{[A-Za-z0-9_.-]+:([0-9]{1,5})\}$")
_NUMBER = re.compile(r"^[0-9]{1,5}$")


def _simple_port(raw: str, file: str, field: str) -> int | None:
    value = raw.strip().strip("'\"").strip()
    match = _PLACEHOLDER.fullmatch(value)
    if match:
        value = match.group(1)
    if not _NUMBER.fullmatch(value):
        return None
    port = safe.port(value, file, field)
    return port


def _properties_port(text: str, file: str) -> int | None:
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        match = re.match(r"^server\.port\s*[=:\s]\s*(.*)$", line)
        if match:
            return _simple_port(match.group(1), file, "server.port")
    return None


def _yaml_port(text: str, file: str) -> int | None:
    """``server.port: N`` or ``server:`` / indented ``port: N`` in the first YAML document."""
    in_server = False
    server_indent = 0
    for raw_line in text.splitlines():
        if raw_line.strip() == "---":
            break
        line = raw_line.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0:
            in_server = stripped == "server:"
            flat = re.match(r"^server\.port\s*:\s*(.+)$", stripped)
            if flat:
                return _simple_port(flat.group(1), file, "server.port")
            continue
        if in_server:
            if server_indent == 0:
                server_indent = indent
            if indent == server_indent:
                nested = re.match(r"^port\s*:\s*(.+)$", stripped)
                if nested:
                    return _simple_port(nested.group(1), file, "server.port")
    return None


def application_port(repo: RepoView) -> Fact[int] | None:
    for name, reader in (("application.properties", _properties_port), ("application.yml", _yaml_port),
                         ("application.yaml", _yaml_port)):
        path = f"{RESOURCES}/{name}"
        text = repo.read_text_if_exists(path)
        if text is None:
            continue
        port = reader(text, path)
        if port is not None:
            return fact(port, path, "server.port")
    return None

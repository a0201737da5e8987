"""The framework's application config: the HTTP port, when it is simple.

Spring Boot (``server.port``), Quarkus (``quarkus.http.port``, its ``%prod.`` form first) and
Micronaut (``micronaut.server.port``) read ``application.properties`` and ``application.yml`` /
``.yaml`` under ``src/main/resources`` (Spring also ``src/main/resources/config/``, which wins).
"Simple" means a literal number, or a ``${VAR:8081}`` placeholder (its default is taken). Anything
else (expressions, other placeholders, a random port) leaves the port to the framework's default.
"""

from __future__ import annotations

import posixpath
import re

from . import safe
from .facts import Fact, fact
from .repo import RepoView

RESOURCES = "src/main/resources"
_PLACEHOLDER = re.compile(r"^\$\{[A-Za-z0-9_.-]+:([0-9]{1,5})\}$")
_NUMBER = re.compile(r"^[0-9]{1,5}$")
_KEY_VALUE = re.compile(r"^([^\s:=#!][^:=]*?)\s*[=:]\s*(.*)$")


def _simple_port(raw: str, file: str, field: str) -> int | None:
    value = raw.strip().strip("'\"").strip()
    match = _PLACEHOLDER.fullmatch(value)
    if match:
        value = match.group(1)
    if not _NUMBER.fullmatch(value) or int(value) == 0:
        return None
    return safe.port(value, file, field)


def _properties_value(text: str, key: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        match = re.match(rf"^{re.escape(key)}\s*(?:[=:]\s*|\s+)(.*)$", line)
        if match:
            return match.group(1)
    return None


def _yaml_value(text: str, key: str) -> str | None:
    """``a.b.c: v`` written nested, flat or half of each, in the first YAML document."""
    stack: list[tuple[int, str]] = []
    for raw_line in text.splitlines():
        if raw_line.strip() == "---":
            break
        line = raw_line.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith(("#", "-")):
            continue
        indent = len(line) - len(line.lstrip())
        match = _KEY_VALUE.match(line.strip())
        if not match:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        name = match.group(1).strip().strip("'\"")
        path = ".".join([*(k for _, k in stack), name])
        value = match.group(2).strip()
        if value:
            if path == key:
                return value
        else:
            stack.append((indent, name))
    return None


def config_port(repo: RepoView, module: str, keys: tuple[str, ...], *,
                dirs: tuple[str, ...] = (RESOURCES,)) -> Fact[int] | None:
    """The first of ``keys`` (in order) set to a simple port in the module's application config."""
    for key in keys:
        for d in dirs:
            for name, reader in (("application.properties", _properties_value), ("application.yml", _yaml_value),
                                 ("application.yaml", _yaml_value)):
                path = posixpath.join(module, d, name) if module else posixpath.join(d, name)
                text = repo.read_text_if_exists(path)
                value = reader(text, key) if text is not None else None
                if value is None:
                    continue
                port = _simple_port(value, path, key)
                if port is not None:
                    return fact(port, path, key)
    return None


def config_value(repo: RepoView, module: str, key: str) -> Fact[str] | None:
    """A plain setting from the module's application.properties / .yml (Quarkus' package type)."""
    for name, reader in (("application.properties", _properties_value), ("application.yml", _yaml_value),
                         ("application.yaml", _yaml_value)):
        path = posixpath.join(module, RESOURCES, name) if module else posixpath.join(RESOURCES, name)
        text = repo.read_text_if_exists(path)
        value = reader(text, key) if text is not None else None
        if value:
            return fact(value.strip().strip("'\""), path, key)
    return None

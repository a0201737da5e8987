"""The port the repository's own compose file publishes for this project's service.

A compose file the maintainers wrote (``docker-compose.yml`` at the project or workspace root) says
which container port each of their services listens on. When the app's own code and config state no
port, that is the next best evidence: spring-petclinic-microservices' services take their ports from
a config server outside the repository, and its compose file maps ``8081:8081`` for
customers-service. A compose file dockgen wrote (its marker line) is never read back.

A service is this project's when its ``build`` context is the project's directory, or — for a
workspace member — when its name or image names the member's directory
(``customers-service`` / ``springcommunity/spring-petclinic-customers-service`` for
``spring-petclinic-customers-service``). Only a single, literal container port counts.
"""

from __future__ import annotations

import posixpath
import re

import yaml

from .facts import Candidate, Source
from .source_text import GENERATED_MARKER

FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_PORT = re.compile(r"^[0-9]{1,5}$")


def _container_port(entry) -> int | None:
    """The container side of one ``ports:`` entry (short or long syntax), or None when not literal."""
    if isinstance(entry, dict):
        entry = entry.get("target")
    if isinstance(entry, bool):
        return None
    if isinstance(entry, int):
        return entry if 0 < entry < 65536 else None
    if not isinstance(entry, str):
        return None
    target = entry.split("/", 1)[0].rsplit(":", 1)[-1]
    if not _PORT.fullmatch(target):
        return None  # a range, or a variable (${PORT:-8080}): not a fact
    n = int(target)
    return n if 0 < n < 65536 else None


def _build_dir(service: dict, compose_dir: str) -> str | None:
    build = service.get("build")
    ctx = build.get("context", ".") if isinstance(build, dict) else build
    if not isinstance(ctx, str) or "://" in ctx or ctx.startswith("${"):
        return None
    return posixpath.normpath(posixpath.join(compose_dir, ctx))


def _names_member(name: str, service: dict, member_dir: str) -> bool:
    base = posixpath.basename(member_dir)
    if name == base or base.endswith("-" + name):
        return True
    image = service.get("image")
    if isinstance(image, str):
        last = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
        return last == base
    return False


def _services(view, path: str) -> dict | None:
    text = view.read_text_if_exists(path)
    if text is None or GENERATED_MARKER.search(text):
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None  # not ours to judge: it is only evidence, and it does not parse
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else None


def published_port(repo) -> Candidate[int] | None:
    """The container port the maintainers' compose file gives this project's service, read, or None."""
    top = repo.context
    member = repo.member  # "" for a project at its own root
    places = [member, ""] if member else [""]
    for folder in dict.fromkeys(places):
        for name in FILES:
            path = posixpath.join(folder, name) if folder else name
            services = _services(top, path)
            if services is None:
                continue
            hits = []
            for svc_name, svc in services.items():
                if not isinstance(svc, dict) or not isinstance(svc_name, str):
                    continue
                built = _build_dir(svc, folder or ".")
                mine = built == (member or ".") or (bool(member) and built is None
                                                    and _names_member(svc_name, svc, member))
                if mine:
                    hits.append((svc_name, svc))
            if len(hits) != 1:
                continue
            svc_name, svc = hits[0]
            entries = svc.get("ports")
            ports = {p for p in map(_container_port, entries) if p} if isinstance(entries, list) else set()
            if len(ports) == 1:
                return Candidate(value=ports.pop(), confidence="read",
                                 evidence=Source.of(path, f"services.{svc_name}.ports"))
    return None

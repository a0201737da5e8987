"""Image references: parse ``[host[:port]/]path[:tag][@sha256:…]`` and map names onto a mirror.

Pure string handling shared by the lock (``pins.py``), the registry client and ``dockgen check``.

Naming rules (the Docker/OCI distribution reference grammar):
- the first path component is a registry host when it contains ``.`` or ``:`` or is ``localhost``;
  otherwise the image lives on Docker Hub (``docker.io``), whose one-component names sit under
  ``library/`` (``python`` → ``docker.io/library/python``);
- a mirror serves Docker Hub names under ``library/`` and every other registry's names without
  their host (``gcr.io/distroless/static-debian12`` → ``MIRROR/distroless/static-debian12``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ..detectors.errors import UsageError

DOCKER_HUB = "docker.io"
#: Where Docker Hub's registry API answers (``docker.io`` itself is only a name).
DOCKER_HUB_API = "registry-1.docker.io"
_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io"}

_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def is_digest(value: str) -> bool:
    return bool(_DIGEST.fullmatch(value))


@dataclass(frozen=True)
class Reference:
    """A parsed image reference. ``registry`` is canonical (``docker.io`` for Docker Hub)."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """The familiar name, as a Dockerfile writes it (``python``, ``gcr.io/distroless/static``)."""
        if self.registry == DOCKER_HUB:
            return self.repository[len("library/"):] if self.repository.startswith("library/") \
                and self.repository.count("/") == 1 else self.repository
        return f"{self.registry}/{self.repository}"

    @property
    def tagged(self) -> str:
        return f"{self.name}:{self.tag or 'latest'}"

    def __str__(self) -> str:
        out = self.name + (f":{self.tag}" if self.tag else "")
        return out + (f"@{self.digest}" if self.digest else "")


def _bad(ref: str, why: str) -> UsageError:
    return UsageError(f"image reference {ref!r}: {why}", hint="write it as [HOST/]NAME:TAG[@sha256:DIGEST]")


def parse_reference(ref: str) -> Reference:
    """Parse a reference; raise ``UsageError`` (one line) when it is not one."""
    raw = ref
    if not ref or len(ref) > 512 or any(c.isspace() for c in ref):
        raise _bad(raw, "empty, too long or contains spaces")
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
        if not _DIGEST.fullmatch(digest):
            raise _bad(raw, f"digest {digest!r} is not sha256:<64 hex digits>")
    tag = None
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        ref, tag = ref[:colon], ref[colon + 1:]
        if not _TAG.fullmatch(tag):
            raise _bad(raw, f"tag {tag!r} is not valid")
    parts = ref.split("/")
    first = parts[0]
    if len(parts) > 1 and ("." in first or ":" in first or first == "localhost"):
        registry, path = first.lower(), parts[1:]
        if not _HOST.match(first):
            raise _bad(raw, f"registry host {first!r} is not valid")
    else:
        registry, path = DOCKER_HUB, parts
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
    if not path or not all(_COMPONENT.fullmatch(p) for p in path):
        raise _bad(raw, "repository name must be lowercase letters, digits and separators")
    if registry == DOCKER_HUB and len(path) == 1:
        path = ["library", *path]
    return Reference(registry=registry, repository="/".join(path), tag=tag, digest=digest)


@dataclass(frozen=True)
class Mirror:
    """A registry mirror: ``HOST[:PORT][/PREFIX]``, optionally with ``http://`` or ``https://``."""

    host: str
    prefix: str = ""
    scheme: str | None = None

    @property
    def display(self) -> str:
        return self.host + (f"/{self.prefix}" if self.prefix else "")

    def repository(self, ref: Reference) -> str:
        """The repository path on the mirror for an upstream reference."""
        if ref.registry == self.host:
            return ref.repository  # already names the mirror
        path = ref.repository  # Docker Hub keeps library/, other registries lose their host
        return f"{self.prefix}/{path}" if self.prefix else path

    def map(self, ref: Reference) -> Reference:
        if ref.registry == self.host:
            return ref
        return Reference(registry=self.host, repository=self.repository(ref), tag=ref.tag, digest=ref.digest)


def parse_mirror(value: str) -> Mirror:
    raw = value.strip()
    scheme = None
    v = raw
    for s in ("http://", "https://"):
        if v.lower().startswith(s):
            scheme, v = s[:-3], v[len(s):]
    v = v.rstrip("/")
    host, _, prefix = v.partition("/")
    if not host or not _HOST.match(host) or (prefix and not all(_COMPONENT.fullmatch(p) for p in prefix.split("/"))):
        raise UsageError(f"registry mirror {raw!r} is not HOST[:PORT][/PREFIX]",
                         hint="e.g. --registry-mirror 127.0.0.1:5000 or DOCKGEN_REGISTRY_MIRROR=mirror.example:5000")
    return Mirror(host=host.lower(), prefix=prefix, scheme=scheme)


def is_loopback(host: str) -> bool:
    """``127.0.0.0/8``, ``::1`` and ``localhost`` (a port may follow)."""
    h = host
    if h.startswith("["):
        h = h[1:h.find("]")]
    elif h.count(":") == 1:
        h = h.split(":", 1)[0]
    if h.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False

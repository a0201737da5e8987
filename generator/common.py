"""Pieces every ecosystem's planner shares: users, ignore patterns, labels, health checks, header."""

from __future__ import annotations

from collections.abc import Iterable

from ..detectors.facts import Fact
from . import models as m

#: distroless' and scratch's non-root user (it exists in distroless' /etc/passwd as "nonroot").
NONROOT_UID = 65532
#: The user dockgen creates in slim (Debian) runners.
APP_UID = 10001

#: Always kept out of the build context: VCS data, secrets, local environments, editor litter.
BASE_IGNORE: tuple[str, ...] = (
    ".git",
    ".gitignore",
    ".gitattributes",
    ".hg",
    ".svn",
    "**/.DS_Store",
    ".idea",
    ".vscode",
    "*.swp",
    "# secrets and credentials",
    ".env",
    ".env.*",
    "**/.env",
    "**/.env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".aws",
    ".ssh",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".docker",
    "*.tfstate",
    "*.tfstate.*",
    "# container and CI files that the image does not need",
    "Dockerfile",
    "Dockerfile.*",
    "*.dockgen-backup",
    ".dockgen",
    "dockgen.toml",
    "dockgen.lock",
    ".dockerignore",
    "docker-compose*.yml",
    "compose*.yaml",
    ".github",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "*.log",
    "tmp",
)


#: dockgen's own files in a workspace member, kept out when the context is the workspace root
#: (prefixed ``**/`` by the planner: the root's ``Dockerfile`` pattern matches only the root's).
MEMBER_IGNORE: tuple[str, ...] = ("Dockerfile", "Dockerfile.*", "*.dockgen-backup", ".dockgen", "dockgen.toml",
                                  "dockgen.lock")


def ignore_patterns(ecosystem_patterns: Iterable[str], extra: Iterable[str] = ()) -> tuple[str, ...]:
    out: list[str] = list(BASE_IGNORE)
    out.append("# build outputs and local environments")
    out.extend(ecosystem_patterns)
    extra = list(extra)
    if extra:
        out.append("# from dockgen options")
        out.extend(extra)
    seen: set[str] = set()
    uniq = []
    for p in out:
        if p.startswith("#") or p not in seen:
            uniq.append(p)
            seen.add(p)
    return tuple(uniq)


def oci_labels(*, title: Fact[str] | None = None, version: Fact[str] | None = None,
               description: Fact[str] | None = None, source: Fact[str] | None = None,
               licenses: Fact[str] | None = None, base: m.ImageRef | None = None) -> m.Label | None:
    pairs: list[tuple[str, str]] = []
    for key, f in (("title", title), ("version", version), ("description", description),
                   ("source", source), ("licenses", licenses)):
        if f is not None and f.value:
            pairs.append((f"org.opencontainers.image.{key}", f.value))
    if base is not None:
        pairs.append(("org.opencontainers.image.base.name", base.ref))
    return m.Label(pairs=tuple(pairs)) if pairs else None


def header(*lines: str) -> tuple[str, ...]:
    return tuple(line for line in lines if line)


def http_probe_python(python: str, port: int, path: str) -> tuple[str, ...]:
    """HEALTHCHECK argv using the runner's own Python: no curl needed, works in distroless."""
    # One success rule for every stack: any HTTP status below 500 counts (a 404 or 401 root too).
    # urlopen raises on 4xx, so the opener's error processor is replaced by one that never raises.
    url = f"http://127.0.0.1:{port}{path}"
    code = ("import sys, urllib.request as u; "
            "o = u.build_opener(type('P', (u.HTTPErrorProcessor,), {'http_response': lambda s, q, r: r})); "
            f"sys.exit(0 if o.open({url!r}, timeout=4).status < 500 else 1)")
    return (python, "-c", code)


def http_probe_node(node: str, port: int, path: str) -> tuple[str, ...]:
    url = f"http://127.0.0.1:{port}{path}"
    code = (f"require('http').get({url!r}, r => process.exit(r.statusCode < 500 ? 0 : 1))"
            ".on('error', () => process.exit(1))")
    return (node, "-e", code)


def http_probe_bash(port: int, path: str) -> tuple[str, ...]:
    """HEALTHCHECK argv for a runner with bash and no HTTP client: bash's /dev/tcp speaks HTTP/1.0,
    and the status must be below 500."""
    return ("bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {path} HTTP/1.0\\r\\nHost: "
            "localhost\\r\\n\\r\\n' >&3 && read -r _ code _ <&3 && [ \"${code:-500}\" -lt 500 ]")


def healthcheck_path(option: str | None, default: str = "/") -> str | None:
    """The probe path: the option, else the default; ``""`` disables the check."""
    if option is None:
        return default
    return option or None

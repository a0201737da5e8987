"""The base-image part of ``dockgen check``: FROM lines without a digest, and digests that moved.

``check_pins`` reads the Dockerfile on disk (through the repository view), parses it with BuildKit's
parser and returns one finding line per problem (empty list = all pinned). With ``online=True`` it
asks the registry (or the mirror) what each pinned tag points at now and reports every digest that
no longer matches; a registry that cannot be asked is a finding too. ``online=False`` never touches
the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .detectors.errors import DockgenError, UsageError
from .detectors.repo import RepoView
from .generator.imagename import Mirror, parse_reference
from .generator.pins import UNPINNABLE
from .registry import RegistryClient, RegistryError, mirror_from

DOCKERFILE = "Dockerfile"


@dataclass(frozen=True)
class FromLine:
    line: int
    image: str  # as written (after the flags, before AS)


def from_lines(text: str, file: str = DOCKERFILE) -> list[FromLine]:
    """The FROM lines that name an image (not an earlier stage, not scratch)."""
    import dockerfile

    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        raise DockgenError(f"cannot parse: {exc}", file=file, hint="fix the Dockerfile syntax") from None
    stages: set[str] = set()
    out = []
    for c in cmds:
        if c.cmd.upper() != "FROM" or not c.value:
            continue
        image = c.value[0]
        if len(c.value) >= 3 and c.value[1].upper() == "AS":
            stages_after = c.value[2].lower()
        else:
            stages_after = None
        if image.lower() not in stages and image.lower() not in UNPINNABLE:
            out.append(FromLine(line=c.start_line, image=image))
        if stages_after:
            stages.add(stages_after)
    return out


def _resolve_mirror(mirror: str | Mirror | None) -> Mirror | None:
    if isinstance(mirror, Mirror):
        return mirror
    return mirror_from(mirror)


def check_pins(root: Path, *, online: bool, mirror: str | None = None,
               client: RegistryClient | None = None) -> list[str]:
    """One finding per FROM line without a digest; with ``online``, per digest its tag no longer has.

    ``mirror`` (else ``DOCKGEN_REGISTRY_MIRROR``) is asked instead of the upstream registries.
    """
    repo = RepoView(root)
    if not repo.is_file(DOCKERFILE):
        return [f"{DOCKERFILE}: not found (run `dockgen init`, then `dockgen pin`)"]
    text = repo.read_text(DOCKERFILE)
    findings: list[str] = []
    to_check: list[tuple[FromLine, str, str]] = []
    for fl in from_lines(text):
        where = f"{DOCKERFILE}:{fl.line}"
        if "$" in fl.image:
            findings.append(f"{where}: FROM {fl.image} uses a build argument, so its digest cannot be checked")
            continue
        try:
            ref = parse_reference(fl.image)
        except UsageError as exc:
            findings.append(f"{where}: {exc.message}")
            continue
        if ref.digest is None:
            findings.append(f"{where}: FROM {fl.image} has no digest (run `dockgen pin`)")
        elif online and ref.tag:
            to_check.append((fl, f"{ref.name}:{ref.tag}", ref.digest))
    if online and to_check:
        client = client or RegistryClient(_resolve_mirror(mirror))
        for fl, tagged, pinned in to_check:
            where = f"{DOCKERFILE}:{fl.line}"
            try:
                now = client.resolve(tagged).digest
            except RegistryError as exc:
                findings.append(f"{where}: cannot check {tagged}: {exc.message}")
                continue
            if now != pinned:
                findings.append(f"{where}: {tagged} is pinned to {pinned[:19]}… but the tag now points to "
                                f"{now[:19]}… (run `dockgen pin`)")
    return findings

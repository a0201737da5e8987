"""``dockgen.lock``: the base-image digests that ``dockgen pin`` resolved and ``dockgen init`` reads.

Format (TOML, written deterministically: fixed header, keys sorted, one pin per line)::

    # dockgen.lock: base-image digests written by `dockgen pin`; `dockgen init` reads them.
    version = 1
    mirror = "127.0.0.1:5000"          # only when pinned through a mirror

    [images]
    "python:3.11-slim-bookworm" = "sha256:…"

Keys are the images exactly as dockgen's catalog names them (``name:tag``), so a pin survives
regeneration. With ``mirror`` set, pinned FROM lines name the mirror's repository
(``127.0.0.1:5000/library/python:3.11-slim-bookworm@sha256:…``): that is what the engine can pull.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.facts import Unpinned
from ..detectors.parsing import load_toml
from ..detectors.repo import RepoView
from .imagename import Mirror, is_digest, parse_mirror, parse_reference
from .models import BuildPlan, ImageRef

LOCKFILE = "dockgen.lock"
VERSION = 1
_HEADER = ("# dockgen.lock: base-image digests written by `dockgen pin`; `dockgen init` reads them.\n"
           "# Refresh them with `dockgen pin`; `dockgen check --online` reports digests that moved.\n")

#: Images that are not pulled from anywhere and so have no digest.
UNPINNABLE = frozenset({"scratch"})


@dataclass(frozen=True)
class Lock:
    images: Mapping[str, str] = field(default_factory=dict)
    mirror: str | None = None

    @property
    def mirror_spec(self) -> Mirror | None:
        return parse_mirror(self.mirror) if self.mirror else None

    def dumps(self) -> str:
        out = [_HEADER, f"version = {VERSION}\n"]
        if self.mirror:
            out.append(f'mirror = "{self.mirror}"\n')
        out.append("\n[images]\n")
        for key in sorted(self.images):
            out.append(f'"{key}" = "{self.images[key]}"\n')
        return "".join(out)


def _invalid(msg: str) -> InvalidInputError:
    return InvalidInputError(msg, file=LOCKFILE, hint="delete it and run `dockgen pin` again")


def parse_lock(text: str) -> Lock:
    data = load_toml(text, LOCKFILE)
    unknown = sorted(set(data) - {"version", "mirror", "images"})
    if unknown:
        raise _invalid(f"unknown key {unknown[0]!r}")
    if data.get("version") != VERSION:
        raise _invalid(f"version must be {VERSION}, not {data.get('version')!r}")
    mirror = data.get("mirror")
    if mirror is not None:
        if not isinstance(mirror, str):
            raise _invalid("mirror must be a string")
        try:
            parse_mirror(mirror)
        except UsageError as exc:
            raise _invalid(exc.message) from None
    images = data.get("images", {})
    if not isinstance(images, dict):
        raise _invalid("[images] must be a table")
    for key, digest in images.items():
        try:
            ref = parse_reference(key)
        except UsageError:
            ref = None
        if ref is None or ref.tag is None or ref.digest is not None:
            raise _invalid(f"[images] key {key!r} is not an image name:tag")
        if not isinstance(digest, str) or not is_digest(digest):
            raise _invalid(f"[images] {key!r}: {digest!r} is not sha256:<64 hex digits>")
    return Lock(images=dict(images), mirror=mirror)


def load_lock(repo: RepoView) -> Lock | None:
    """The project's lock, or None when it has none."""
    text = repo.read_text_if_exists(LOCKFILE)
    return None if text is None else parse_lock(text)


def plan_images(plan: BuildPlan) -> list[ImageRef]:
    """The distinct pullable FROM images of a plan, in stage order."""
    seen: dict[str, ImageRef] = {}
    for st in plan.stages:
        if st.image.name not in UNPINNABLE and st.image.tagged not in seen:
            seen[st.image.tagged] = st.image
    return list(seen.values())


def pinned_image(image: ImageRef, lock: Lock) -> ImageRef:
    digest = lock.images.get(image.tagged)
    if not digest or image.name in UNPINNABLE:
        return image
    name = image.name
    mirror = lock.mirror_spec
    if mirror is not None:
        name = mirror.map(parse_reference(image.tagged)).name
    return image.model_copy(update={"name": name, "digest": digest})


BASE_NAME = "org.opencontainers.image.base.name"
BASE_DIGEST = "org.opencontainers.image.base.digest"


def _with_base_digest(ins, lock: Lock):
    """A LABEL naming the base image gets ``org.opencontainers.image.base.digest`` beside it."""
    if getattr(ins, "kind", None) != "label" or any(k == BASE_DIGEST for k, _ in ins.pairs):
        return ins
    pairs: list[tuple[str, str]] = []
    for key, value in ins.pairs:
        pairs.append((key, value))
        if key == BASE_NAME and lock.images.get(value):
            pairs.append((BASE_DIGEST, lock.images[value]))
    return ins.model_copy(update={"pairs": tuple(pairs)})


def apply_lock(plan: BuildPlan, lock: Lock | None) -> BuildPlan:
    """Attach the lock's digests (and mirror names) to the plan's FROM images."""
    if lock is None or not lock.images:
        return plan
    stages = tuple(st.model_copy(update={
        "image": pinned_image(st.image, lock),
        "instructions": tuple(_with_base_digest(i, lock) for i in st.instructions),
    }) for st in plan.stages)
    return plan.model_copy(update={"stages": stages})


def describe(plan: BuildPlan, lock: Lock | None) -> list[dict]:
    """``plan --json`` "pins": every FROM image of the unpinned plan with its digest and source."""
    out = []
    for img in plan_images(plan):
        digest = (lock.images.get(img.tagged) if lock else None)
        out.append({
            "image": img.name,
            "tag": img.tag,
            "digest": digest,
            "source": LOCKFILE if digest else "catalog",
            "from": pinned_image(img, lock).ref if lock else img.ref,
        })
    return out


def missing(plan: BuildPlan, lock: Lock | None) -> list[str]:
    """``name:tag`` of every FROM image the lock has no digest for."""
    return [img.tagged for img in plan_images(plan) if not (lock and lock.images.get(img.tagged))]



def unpinned(plan: BuildPlan, lock: Lock | None, facts: object) -> list[dict]:
    """``plan --json`` "unpinned": base images without a digest, then what the facts report unpinned."""
    out = [{"kind": "base image", "item": img, "source": "catalog", "fix": "run `dockgen pin`"}
           for img in missing(plan, lock)]
    u: Unpinned
    for u in getattr(facts, "unpinned", ()) or ():
        out.append({"kind": "dependency", "item": u.item, "source": str(u.source), "fix": "pin it in its manifest"})
    return out

"""``dockgen pin``: resolve every FROM image's digest, record it in dockgen.lock, rewrite the Dockerfile.

All or nothing: every image is resolved before anything is written (a failed resolution writes
nothing). Then the lock is replaced atomically and the Dockerfile and .dockerignore are regenerated
through the normal ``init`` path (``api.generate``: every file decided before any is written, atomic
writes, .dockgen/ state recorded). If that refuses (a hand-edited Dockerfile, exit 4) the previous lock
is put back, so the project is left as it was. ``--offline`` never touches the network: it reports which pins the lock lacks (exit 1
when any does) and writes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer

from . import api
from .cli_options import collect, generation_options
from .detectors.errors import CheckFailed, UsageError
from .detectors.repo import RepoView
from .generator import writer
from .generator.options import Options
from .generator.pins import LOCKFILE, Lock, load_lock, plan_images
from .registry import MIRROR_ENV, RegistryClient, mirror_from

DOCKERFILE = "Dockerfile"


@dataclass
class PinReport:
    #: (image, digest, status) with status new | unchanged | changed | locked | missing
    images: list[tuple[str, str | None, str]] = field(default_factory=list)
    lock: Lock | None = None
    lock_status: str = "identical"  # create | updated | identical | skipped
    files: list[writer.FileResult] = field(default_factory=list)
    #: False for ``pin --all``: each member's lock is one of ``files``, there is no lock at the root.
    root_lock: bool = True

    @property
    def missing(self) -> list[str]:
        return [img for img, _, status in self.images if status == "missing"]

    def lines(self) -> list[str]:
        out = []
        for img, digest, status in self.images:
            out.append(f"{status:<10} {img}" + (f"  {digest}" if digest else ""))
        if self.root_lock:
            out.append(f"{self.lock_status:<10} {LOCKFILE}")
        for f in self.files:
            out.append(f"{f.status:<10} {f.path}" + (f"  ({f.reason})" if f.reason else ""))
        return out


def _decide_lock(root: Path, options: Options | None, mirror: str | None, offline: bool,
                 client: RegistryClient | None) -> tuple[PinReport, str | None]:
    """Resolve every FROM image of the project at ``root`` (the first failure raises; nothing is
    written): the report and the new dockgen.lock text (None with ``offline``)."""
    repo = RepoView(root)
    old = load_lock(repo)
    spec = mirror_from(mirror)
    if spec is None and mirror is None and old is not None and not os.environ.get(MIRROR_ENV):
        spec = old.mirror_spec  # a refresh goes through the mirror the lock was made with
    base = api.plan(root, options, lock=Lock())  # the plan without pins: the catalog's images
    # The FROM images, then the backing services' images compose.yaml names (same lock, same keys).
    images = [img.tagged for img in plan_images(base.plan)] + [i for i in base.service_images]
    report = PinReport()
    if offline:
        for img in images:
            digest = old.images.get(img) if old else None
            report.images.append((img, digest, "locked" if digest else "missing"))
        report.lock, report.lock_status = old, "skipped"
        return report, None
    client = client or RegistryClient(spec)
    resolved: dict[str, str] = {}
    for img in images:  # the first failure raises: nothing has been written yet
        resolved[img] = client.resolve(img).digest
    for img, digest in resolved.items():
        before = old.images.get(img) if old else None
        report.images.append((img, digest, "new" if before is None else
                              "unchanged" if before == digest else "changed"))
    new = Lock(images=resolved, mirror=spec.display if spec else None)
    report.lock = new
    text = new.dumps()
    lock_path = root / LOCKFILE
    before_text = lock_path.read_bytes() if lock_path.exists() else None
    report.lock_status = ("create" if before_text is None else
                          "identical" if before_text == text.encode("utf-8") else "updated")
    return report, text


def pin(path: str | Path = ".", options: Options | None = None, *, mirror: str | None = None,
        offline: bool = False, force: bool = False, client: RegistryClient | None = None) -> PinReport:
    """Resolve, record and rewrite (see the module doc). Raises before writing anything on failure."""
    root = Path(path)
    report, text = _decide_lock(root, options, mirror, offline, client)
    if text is None:
        return report
    lock_path = root / LOCKFILE
    before = lock_path.read_bytes() if lock_path.exists() else None
    if report.lock_status != "identical":
        writer.atomic_write(lock_path, text)
    try:
        # The normal `init` path: decides every file before writing any, records .dockgen/ state.
        result = api.generate(root, options=options, force=force)
    except BaseException:
        _restore(lock_path, before)  # a refused rewrite leaves the project as it was
        raise
    report.files = list(result.files)
    return report


def pin_all(path: str | Path = ".", options: Options | None = None, *, mirror: str | None = None,
            offline: bool = False, force: bool = False, client: RegistryClient | None = None) -> PinReport:
    """``pin --all``: every serving member's dockgen.lock, then ``init --all``; all or nothing."""
    from . import workspace_all

    root = Path(path)
    members = [m.path for m in workspace_all.plan_all(root, options).served]
    decided = [(m, *_decide_lock(root / m, options, mirror, offline, client)) for m in members]
    report = PinReport(root_lock=False)
    for m, rep, _ in decided:
        report.images += [(f"{m}: {img}", digest, status) for img, digest, status in rep.images]
        report.files.append(writer.FileResult(path=f"{m}/{LOCKFILE}", status=rep.lock_status))
    if offline:
        return report
    before = {m: (root / m / LOCKFILE).read_bytes() if (root / m / LOCKFILE).exists() else None for m in members}
    try:
        for m, rep, text in decided:
            if rep.lock_status != "identical" and text is not None:
                writer.atomic_write(root / m / LOCKFILE, text)
        run = workspace_all.generate_all(root, options=options, force=force)
    except BaseException:
        for m, old in before.items():  # a refused rewrite leaves every member as it was
            _restore(root / m / LOCKFILE, old)
        raise
    report.files += list(run.files)
    return report


def _restore(path: Path, before: bytes | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        writer.atomic_write(path, before.decode("utf-8"))


@generation_options(only=("runner", "stack"))
def pin_cmd(
    path: Path = typer.Argument(Path("."), help="Project root."),
    registry_mirror: Optional[str] = typer.Option(
        None, "--registry-mirror",
        help=f"Resolve through this registry mirror (HOST, HOST:PORT or HOST:PORT/PREFIX; env {MIRROR_ENV}; default: the "
             "mirror dockgen.lock records; '' for none). The pinned FROM lines then name the mirror's "
             "repository (Docker Hub images under library/, others without their host), so the engine "
             "pulls them from there."),
    offline: bool = typer.Option(False, "--offline", help="Never touch the network: list the pins dockgen.lock lacks."),
    force: bool = typer.Option(False, "--force", help="Rewrite a hand-edited Dockerfile (keeps a backup)."),
    all_members: bool = typer.Option(False, "--all", help="At a workspace root: pin every member `dockgen init --all` "
                                     "writes (each member's dockgen.lock), then rewrite them all."),
    **gen,
) -> None:
    """Pin every FROM image by digest: resolve it, record it in dockgen.lock, rewrite the Dockerfile.

    The lock keeps the pins across `dockgen init`. `dockgen check --online` reports digests that moved.
    """
    options = collect(gen)
    if offline and registry_mirror:
        raise UsageError("--offline and --registry-mirror exclude each other", hint="pass one of them")
    report = (pin_all if all_members else pin)(path, options, mirror=registry_mirror, offline=offline, force=force)
    for line in report.lines():
        typer.echo(line)
    if offline and report.missing:
        raise CheckFailed(f"{len(report.missing)} base image(s) not pinned in {LOCKFILE}: "
                          f"{', '.join(report.missing)}", hint="run `dockgen pin` with network access")

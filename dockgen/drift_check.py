"""``dockgen check``: are the Dockerfile and .dockerignore exactly what ``init`` would write now?

Typed and silent (the CLI in ``cmd_check.py`` prints). For each output file: ``ok``, ``drift``
(with the reasons and a unified diff) or ``skipped``. Reasons come from comparing what the last
``init`` recorded in ``.dockgen/state.json`` (facts, manifest hashes, options) with the project
as it is now, plus the file's own marker ("Dockerfile edited by hand").
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import pipeline
from .detectors.repo import LOCKFILE_MAX_BYTES, RepoView
from .generator import drift, stacks, state
from .generator.merge import has_conflict_markers
from .generator.render import body_hash, split_marker, with_marker
from .generator.writer import unified_diff

OUTPUTS = ("Dockerfile", ".dockerignore")


class FileCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    status: Literal["ok", "drift", "skipped"]
    reasons: tuple[str, ...] = ()
    diff: str = ""


class CheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    files: tuple[FileCheck, ...]
    #: One line per base-image pin problem (``dockgen/pins_check.py``).
    pin_findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(f.status != "drift" for f in self.files) and not self.pin_findings


def project_reasons(prev: state.State | None, current: state.State) -> list[str]:
    if prev is None:
        return ["no .dockgen/state.json records what the project looked like at the last `dockgen init` "
                "(commit the .dockgen folder with the Dockerfile: it also holds the options init was given)"]
    return drift.reasons(prev, current) or [
        "dockgen's own output changed (a new dockgen version, catalog or pins) for the same project"]


def check_files(path: str | os.PathLike[str] = ".") -> CheckReport:
    """Compare the files on disk with a fresh render using the recorded and configured options."""
    repo = RepoView(path)
    prev = state.load(repo)
    planned = pipeline.plan(path)
    bodies, paths = planned.bodies, planned.output_paths
    current = state.snapshot(stacks.open_repo(path, planned.options.stack), planned.facts, planned.options,
                             planned.option_sources, prev.recorded_options if prev else {}, bodies)
    out = []
    for output in OUTPUTS:
        name = paths[output]
        if output in planned.options.skip:
            out.append(FileCheck(path=name, status="skipped", reasons=("skip option",)))
            continue
        want = with_marker(bodies[output])
        if not repo.is_file(name):
            out.append(FileCheck(path=name, status="drift", reasons=(f"{name} is missing",),
                                 diff=unified_diff("", want, name)))
            continue
        have = repo.read_text(name, LOCKFILE_MAX_BYTES)
        if have == want:
            out.append(FileCheck(path=name, status="ok"))
            continue
        recorded, have_body = split_marker(have)
        reasons: list[str] = []
        if recorded is None:
            reasons.append(f"{name} was not written by dockgen")
        elif body_hash(have_body) != recorded:
            reasons.append(f"{name} edited by hand")
            if has_conflict_markers(have_body):
                reasons.append(f"{name} still holds unresolved merge conflict markers")
        if recorded is not None and recorded != body_hash(bodies[output]):
            reasons += project_reasons(prev, current)
        out.append(FileCheck(path=name, status="drift", reasons=tuple(reasons), diff=unified_diff(have, want, name)))
    return CheckReport(files=tuple(out))


def check(path: str | os.PathLike[str] = ".", *, online: bool = False, mirror: str | None = None,
          pins: bool = True) -> CheckReport:
    """Drift check, then (when ``pins``) the base-image pin check."""
    report = check_files(path)
    if pins:
        from . import pins_check

        findings = pins_check.check_pins(path, online=online, mirror=mirror)
        report = report.model_copy(update={"pin_findings": tuple(findings)})
    return report

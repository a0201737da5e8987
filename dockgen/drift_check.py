"""``dockgen check``: are the Dockerfile and .dockerignore exactly what ``init`` would write now?

Typed and silent (the CLI in ``cmd_check.py`` prints). For each output file: ``ok``, ``drift``
(with the reasons and a unified diff) or ``skipped``. Reasons come from comparing what the last
``init`` recorded in ``.dockgen/state.json`` (facts, manifest hashes, options) with the project
as it is now, plus the file's own marker ("Dockerfile edited by hand").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import pipeline
from .detectors.repo import LOCKFILE_MAX_BYTES, RepoView
from .generator import drift, stacks, state
from .generator.merge import has_conflict_markers
from .generator.render import body_hash, split_marker, with_marker
from .generator.writer import unified_diff



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


def check_files(path: str | os.PathLike[str] = ".", *, member_of_all: bool = False) -> CheckReport:
    """Compare the files on disk with a fresh render using the recorded and configured options."""
    repo = RepoView(path)
    prev = state.load(repo)
    planned = pipeline.plan(path)
    if member_of_all:
        planned = planned.without_compose()
    bodies, paths = planned.bodies, planned.output_paths
    current = state.snapshot(stacks.open_repo(path, planned.options.stack), planned.facts, planned.options,
                             planned.option_sources, prev.recorded_options if prev else {}, bodies)
    out = []
    for output in bodies:
        name = paths[output]
        if output in planned.options.skip:
            out.append(FileCheck(path=name, status="skipped", reasons=("skip option",)))
            continue
        out.append(_check_file(repo, name, bodies[output], lambda: project_reasons(prev, current), conflicts=True))
    return CheckReport(files=tuple(out))


def _check_file(repo: RepoView, name: str, body: str, why_changed: Callable[[], list[str]], *,
                conflicts: bool = False) -> FileCheck:
    """One generated file against what dockgen would write now: missing, ok, or drift with its
    reasons (not dockgen's, edited by hand, and ``why_changed`` when dockgen's own output moved).
    ``conflicts``: an edited file is also searched for unresolved merge markers."""
    want = with_marker(body)
    if not repo.is_file(name):
        return FileCheck(path=name, status="drift", reasons=(f"{name} is missing",), diff=unified_diff("", want, name))
    have = repo.read_text(name, LOCKFILE_MAX_BYTES)
    if have == want:
        return FileCheck(path=name, status="ok")
    recorded, have_body = split_marker(have)
    reasons: list[str] = []
    if recorded is None:
        reasons.append(f"{name} was not written by dockgen")
    elif body_hash(have_body) != recorded:
        reasons.append(f"{name} edited by hand")
        if conflicts and has_conflict_markers(have_body):
            reasons.append(f"{name} still holds unresolved merge conflict markers")
    if recorded is not None and recorded != body_hash(body):
        reasons += why_changed()
    return FileCheck(path=name, status="drift", reasons=tuple(reasons), diff=unified_diff(have, want, name))


def check(path: str | os.PathLike[str] = ".", *, online: bool = False, mirror: str | None = None,
          pins: bool = True) -> CheckReport:
    """Drift check, then (when ``pins``) the base-image pin check."""
    report = check_files(path)
    if pins:
        from . import pins_check

        findings = pins_check.check_pins(path, online=online, mirror=mirror)
        report = report.model_copy(update={"pin_findings": tuple(findings)})
    return report


def _member_reasons(prev: dict, now: dict[str, str | None]) -> list[str]:
    """Why the bake file's members differ from what the last ``init --all`` recorded."""
    before = prev.get("members")
    if not isinstance(before, dict):
        return ["no .dockgen/all.json records the members the last `dockgen init --all` saw"]
    out = [f"member {m} appeared" for m in now if m not in before]
    out += [f"member {m} is gone" for m in before if m not in now]
    out += [f"member {m} {'now gets an image' if now[m] else 'no longer serves'}" for m in now
            if m in before and bool(before[m]) != bool(now[m])]
    return out or ["dockgen's own output changed (a new dockgen version or a member's plan) for the same members"]


def _check_bake(root: str | os.PathLike[str], run, BAKE_FILE: str = "docker-bake.hcl",
                body: str | None = None) -> FileCheck:
    """A file ``init --all`` writes at the root (the bake file, compose.yaml, .env.example)."""
    from .workspace_all import _load_all_state

    repo = RepoView(root)

    def members_moved() -> list[str]:
        now = {m.path: (m.target.name if m.target else None) for m in run.members}
        return _member_reasons(_load_all_state(repo), now)

    return _check_file(repo, BAKE_FILE, run.bake_body if body is None else body, members_moved)


def check_all(root: str | os.PathLike[str] = ".", *, online: bool = False, mirror: str | None = None,
              pins: bool = True) -> CheckReport:
    """``check --all``: the bake file and every serving member's files (and pins), as ``init --all`` writes them."""
    import posixpath
    from pathlib import Path

    from . import workspace_all

    run = workspace_all.plan_all(root)
    files = [_check_bake(root, run), *(_check_bake(root, run, name, text) for name, text in run.root_bodies.items())]
    findings: list[str] = []
    for m in run.served:
        report = check_files(Path(root) / m.path, member_of_all=True)
        files += [f.model_copy(update={"path": posixpath.join(m.path, f.path)}) for f in report.files]
        if pins:
            from . import pins_check

            findings += [f"{m.path}/{line}" for line in
                         pins_check.check_pins(Path(root) / m.path, online=online, mirror=mirror)]
    return CheckReport(files=tuple(files), pin_findings=tuple(findings))

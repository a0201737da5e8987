"""``dockgen init --all`` (and ``plan``/``check``/``pin --all``): every member of a workspace at once.

The members come from the stack registry (``StackDef.workspace_members``). Each member is read and
planned exactly as ``dockgen init <member>`` would (its own options, dockgen.toml, dockgen.lock and
``.dockgen/`` state); members that serve nothing (``tooling_reason``/``library_reason``/``assets_reason``: a library, dev
tooling, a build-only frontend) are skipped with a note. ``docker-bake.hcl`` at the root builds the
rest together. All or nothing: a member that is refused fails the run naming it, and every file
of every member and the bake file is decided before any is written (a conflict anywhere writes
nothing). The bake file follows the Dockerfile's rules: header and marker, byte-identical re-runs,
``--merge``/``--force``, a merge base and a state (``.dockgen/all.json``) for ``check --all``.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from . import pipeline, regen
from .detectors.errors import DockgenError, UsageError
from .detectors.repo import LOCKFILE_MAX_BYTES, RepoView
from .generator import bake, stacks, state, writer
from .generator.options import Options

ALL_STATE = ".dockgen/all.json"
BAKE_BASE = ".dockgen/base/docker-bake.hcl.body"


class Member(BaseModel):
    """One workspace member and what ``--all`` does with it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: str
    #: The stack whose workspace lists it.
    workspace: str
    #: Why it gets no Dockerfile (None: it gets one).
    skipped: str | None = None
    target: bake.BakeTarget | None = None
    planned: pipeline.PlanResult | None = None
    prepared: regen.Prepared | None = None

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"member": self.path, "workspace": self.workspace}
        if self.skipped is not None:
            return {**out, "skipped": self.skipped}
        assert self.target is not None and self.planned is not None
        paths = self.planned.output_paths
        return {**out, "stack": self.planned.facts.ecosystem, "target": self.target.name,
                "dockerfile": posixpath.join(self.path, paths["Dockerfile"]),
                "dockerignore": posixpath.join(self.path, paths[".dockerignore"]),
                "context": self.target.context, "runner": self.planned.plan.runner,
                "plan": self.planned.to_json_dict()}


class AllRun(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: Path
    members: tuple[Member, ...]
    bake_body: str
    bake: writer.PendingWrite | None = None
    dry_run: bool = False

    @property
    def served(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.skipped is None)

    @property
    def files(self) -> tuple[writer.FileResult, ...]:
        """Every file's decision, paths relative to the root (members' first, the bake file last)."""
        out = [f.model_copy(update={"path": posixpath.join(m.path, f.path)})
               for m in self.served if m.prepared for f in m.prepared.result.files]
        return (*out, *([self.bake.result] if self.bake else ()))

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"{m.path}: {w}" for m in self.served if m.planned for w in m.planned.warnings)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(f"skipped {m.path}: {m.skipped}" for m in self.members if m.skipped)

    @property
    def merge_conflicts(self) -> int:
        return sum(f.conflicts for f in self.files)

    def to_json_dict(self) -> dict[str, Any]:
        return {"root": str(self.root), "bake_file": bake.BAKE_FILE,
                "targets": [m.target.name for m in self.served if m.target],
                "members": [m.to_json_dict() for m in self.members]}


def members_of(root: Path, stack: str | None) -> dict[str, str]:
    found = stacks.workspace_members(root, stack)
    if not found:
        raise UsageError(f"{root} is not a workspace root dockgen knows (no members found)",
                         hint=f"run `dockgen init --all` where the workspace is declared: {stacks.workspace_kinds()}")
    return found


def _in_member(member: str, exc: DockgenError) -> DockgenError:
    """The member's own refusal, naming the member: ``--all`` writes nothing then."""
    exc.message = f"--all: member {member} refused, nothing was written: {exc.message}"
    exc.args = (str(exc),)
    return exc


def skip_reason(path: Path, given: dict[str, Any], recorded: dict[str, Any] | None) -> str | None:
    """Why the member at ``path`` serves nothing (None: it gets a Dockerfile). Detection refusals raise."""
    resolved = pipeline.resolve(RepoView(path), given, recorded)
    stack = resolved.options.stack
    facts = stacks.detect(stacks.open_repo(path, stack), stack)
    return facts.tooling_reason() or facts.assets_reason() or facts.library_reason()


def bake_target(root: Path, member: str, name: str, planned: pipeline.PlanResult) -> bake.BakeTarget:
    """The member's target: its build context relative to the workspace root, its Dockerfile in it."""
    ctx = planned.plan.context
    context = posixpath.normpath(posixpath.join(member, ctx.root)) if ctx is not None else member
    dockerfile = posixpath.relpath(posixpath.join(member, "Dockerfile"), context)
    ignore = posixpath.join(member, planned.output_paths[".dockerignore"])
    return bake.BakeTarget(name=name, member=member, stack=planned.facts.ecosystem, dockerfile=dockerfile,
                           ignore_file=ignore, context=context)


def _body(members: list[Member]) -> str:
    targets = [m.target for m in members if m.target is not None]
    return bake.render_bake_body(targets, [(m.path, m.skipped) for m in members if m.skipped])


def survey(root: Path, given: dict[str, Any], plan_member) -> list[Member]:
    """Every member classified and (when it serves) planned by ``plan_member(path) -> (planned, prepared)``."""
    found = members_of(root, given.get("stack"))
    names = bake.target_names(list(found))
    out = []
    for member, workspace in found.items():
        path = root / member
        try:
            reason = skip_reason(path, given, None)
            if reason is not None:
                out.append(Member(path=member, workspace=workspace, skipped=reason))
                continue
            planned, prepared = plan_member(path)
        except DockgenError as exc:
            raise _in_member(member, exc) from None
        out.append(Member(path=member, workspace=workspace, planned=planned, prepared=prepared,
                          target=bake_target(root, member, names[member], planned)))
    if not any(m.skipped is None for m in out):
        raise UsageError(f"no member of the workspace at {root} serves anything ({len(out)} skipped: "
                         + "; ".join(f"{m.path}: {m.skipped}" for m in out) + ")",
                         hint="run `dockgen init <member> --stack <stack>` for a member that should get an image")
    return out


def plan_all(root: str | os.PathLike[str], options: Options | None = None, **overrides: Any) -> AllRun:
    """What ``plan --all`` shows: every member's classification and plan, and the bake file's body."""
    given = pipeline.call_options(options, overrides)
    members = survey(Path(root), given, lambda p: (pipeline.plan(p, **given), None))
    return AllRun(root=Path(root), members=tuple(members), bake_body=_body(members), dry_run=True)


def _load_all_state(repo: RepoView) -> dict[str, Any]:
    if not repo.is_file(ALL_STATE):
        return {}
    try:
        data = json.loads(repo.read_text(ALL_STATE))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        from .detectors.errors import InvalidInputError

        raise InvalidInputError("unreadable dockgen state", file=ALL_STATE,
                                hint="delete it and re-run `dockgen init --all --force`")
    return data


def _bake_base(repo: RepoView, recorded_hash: str | None) -> str | None:
    if recorded_hash is None or not repo.is_file(BAKE_BASE):
        return None
    body = repo.read_text(BAKE_BASE, LOCKFILE_MAX_BYTES)
    return body if state.sha256(body) == recorded_hash else None


def prepare_all(root: str | os.PathLike[str], *, options: Options | None = None, dry_run: bool = False,
                force: bool = False, merge: bool = False, reset_options: bool = False,
                overrides: dict[str, Any] | None = None) -> AllRun:
    """Plan every member and decide every file (members' and the bake file); nothing is written."""
    root = Path(root)
    given = pipeline.call_options(options, overrides or {})

    def plan_member(path: Path):
        p = regen.prepare(path, options=None, dry_run=dry_run, force=force, merge=merge,
                          reset_options=reset_options, overrides=given)
        return p.result.planned, p

    members = survey(root, given, plan_member)
    body = _body(members)
    repo = RepoView(root)
    prev = _load_all_state(repo)
    base = _bake_base(repo, prev.get("files", {}).get(bake.BAKE_FILE))
    decided = writer.decide(root / bake.BAKE_FILE, body, display=bake.BAKE_FILE, force=force, merge=merge, base=base)
    return AllRun(root=root, members=tuple(members), bake_body=body, bake=decided, dry_run=dry_run)


def generate_all(root: str | os.PathLike[str], **kwargs: Any) -> AllRun:
    """``init --all``: decide everything, refuse on any conflict (nothing written), else write it all."""
    run = prepare_all(root, **kwargs)
    regen.refuse_conflicts(run.files, run.root, run)
    if run.dry_run:
        return run
    for m in run.served:
        assert m.prepared is not None
        regen.finish(m.prepared)
    assert run.bake is not None
    writer.apply([run.bake])
    _record_all(run)
    return run


def _record_all(run: AllRun) -> None:
    """The bake file's merge base and ``.dockgen/all.json`` (members, the body's hash)."""
    data = {"format": 1, "members": {m.path: (m.target.name if m.target else None) for m in run.members},
            "skipped": {m.path: m.skipped for m in run.members if m.skipped},
            "files": {bake.BAKE_FILE: state.sha256(run.bake_body)}}
    for rel, text in ((BAKE_BASE, run.bake_body), (ALL_STATE, json.dumps(data, indent=2, sort_keys=True) + "\n")):
        target = run.root / rel
        if target.is_file() and target.read_text("utf-8", errors="replace") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.remove_stale_temps(target)
        writer.atomic_write(target, text)

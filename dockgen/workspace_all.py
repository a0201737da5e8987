"""``dockgen init --all`` (and ``plan``/``check``/``pin --all``): every member of a workspace at once.

The members come from the stack registry (``StackDef.workspace_members``). Each member is read and
planned exactly as ``dockgen init <member>`` would (its own options, dockgen.toml, dockgen.lock and
``.dockgen/`` state); members that serve nothing (``tooling_reason``/``library_reason``/``assets_reason``: a library, dev
tooling, a build-only frontend whose output folder dockgen cannot tell) are skipped with a note; a static
frontend whose build output is known (``static_output``: a Vite, CRA or Angular SPA) is a target, served
by nginx. ``docker-bake.hcl`` at the root builds the
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
from .generator import bake, compose, stacks, state, writer
from .generator import pins as pinning
from .generator.options import Options

ALL_STATE = ".dockgen/all.json"
BAKE_BASE = ".dockgen/base/docker-bake.hcl.body"
#: The root's compose.yaml / .env.example merge bases (not the single-project ones: a root may be a project too).
ROOT_BASES = {compose.COMPOSE_FILE: ".dockgen/base/all-compose.yaml.body", compose.ENV_EXAMPLE: ".dockgen/base/all-env.example.body"}


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
    #: The root's compose.yaml and .env.example bodies (absent with ``--no-compose`` / no secrets).
    root_bodies: dict[str, str] = {}
    root_pending: tuple[writer.PendingWrite, ...] = ()

    @property
    def served(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.skipped is None)

    @property
    def files(self) -> tuple[writer.FileResult, ...]:
        """Every file's decision, paths relative to the root (members' first, the bake file last)."""
        out = [f.model_copy(update={"path": posixpath.join(m.path, f.path)})
               for m in self.served if m.prepared for f in m.prepared.result.files]
        return (*out, *([self.bake.result] if self.bake else ()), *(p.result for p in self.root_pending))

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
    out = facts.static_output()
    if out is not None and not resolved.options.command:
        if posixpath.normpath(out.value).startswith("../"):
            return f"its build writes {out.value} ({out.source}), another project's folder: built there"
        return None  # a static frontend whose output folder is known: its stack serves it (nginx)
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


def _wants_compose(root: Path, given: dict[str, Any]) -> bool:
    """The root compose.yaml is on unless ``--no-compose`` or the root's dockgen.toml says no."""
    return bool(pipeline.resolve(RepoView(root), given, {}).options.compose)


def root_compose(root: Path, members: list[Member], given: dict[str, Any]) -> dict[str, str]:
    """One compose.yaml at the root: every serving member (built from its bake target's context) and
    the services they need, each once; the members' own runs write none."""
    if not _wants_compose(root, given):
        return {}
    apps, images = [], {}
    for m in members:
        if m.planned is None or m.target is None:
            continue
        p = m.planned
        apps.append(compose.app_service(p.plan, p.facts, p.options, stacks.get(p.facts.ecosystem).init_for(p.plan),
                                        name=m.target.name, context=m.target.context, dockerfile=m.target.dockerfile))
        lock = pinning.load_lock(RepoView(root / m.path))  # a member's dockgen.lock pins the images it needs
        images.update({k: v for k, v in compose.service_images((apps[-1],), lock).items() if "@" in v or k not in images})
    out = {compose.COMPOSE_FILE: compose.render_body(tuple(apps), images)}
    env = compose.env_example_body(tuple(apps))
    if env is not None:
        out[compose.ENV_EXAMPLE] = env
    return out


def plan_all(root: str | os.PathLike[str], options: Options | None = None, **overrides: Any) -> AllRun:
    """What ``plan --all`` shows: every member's classification and plan, and the bake file's body."""
    given = pipeline.call_options(options, overrides)
    members = survey(Path(root), given, lambda p: (pipeline.plan(p, **given).without_compose(), None))
    return AllRun(root=Path(root), members=tuple(members), bake_body=_body(members), dry_run=True,
                  root_bodies=root_compose(Path(root), members, given))


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
                          reset_options=reset_options, overrides=given, member_of_all=True)
        return p.result.planned, p

    members = survey(root, given, plan_member)
    body = _body(members)
    repo = RepoView(root)
    prev = _load_all_state(repo)
    base = _bake_base(repo, prev.get("files", {}).get(bake.BAKE_FILE))
    decided = writer.decide(root / bake.BAKE_FILE, body, display=bake.BAKE_FILE, force=force, merge=merge, base=base)
    root_bodies = root_compose(root, members, given)
    pending = tuple(writer.decide(root / name, text, display=name, force=force, merge=merge,
                                  base=_root_base(repo, name, prev.get("files", {}).get(name)))
                    for name, text in root_bodies.items())
    return AllRun(root=root, members=tuple(members), bake_body=body, bake=decided, dry_run=dry_run,
                  root_bodies=root_bodies, root_pending=pending)


def _root_base(repo: RepoView, name: str, recorded_hash: str | None) -> str | None:
    rel = ROOT_BASES[name]
    if recorded_hash is None or not repo.is_file(rel):
        return None
    text = repo.read_text(rel, LOCKFILE_MAX_BYTES)
    return text if state.sha256(text) == recorded_hash else None


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
    writer.apply([run.bake, *run.root_pending])
    _record_all(run)
    return run


def _record_all(run: AllRun) -> None:
    """The bake file's merge base and ``.dockgen/all.json`` (members, the body's hash)."""
    data = {"format": 1, "members": {m.path: (m.target.name if m.target else None) for m in run.members},
            "skipped": {m.path: m.skipped for m in run.members if m.skipped},
            "files": {bake.BAKE_FILE: state.sha256(run.bake_body),
                      **{name: state.sha256(text) for name, text in run.root_bodies.items()}}}
    bases = [(ROOT_BASES[name], text) for name, text in run.root_bodies.items()]
    for rel, text in ((BAKE_BASE, run.bake_body), *bases, (ALL_STATE, json.dumps(data, indent=2, sort_keys=True) + "\n")):
        target = run.root / rel
        if target.is_file() and target.read_text("utf-8", errors="replace") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.remove_stale_temps(target)
        writer.atomic_write(target, text)

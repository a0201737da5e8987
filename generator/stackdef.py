"""What defines a stack: the record each planner module exports as ``STACK`` (see ``stacks.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..detectors.facts import ProjectFacts
from ..detectors.repo import RepoView
from .catalog import Runtime, load_catalog
from .models import BuildPlan
from .options import Options
from .phases import AssetBuild


@dataclass(frozen=True)
class StackDef:
    #: Registry key, CLI value (``--stack go``), catalog section and version option name.
    name: str
    #: Human name for messages and docs ("Python", "Node.js").
    title: str
    #: ``detect(repo) -> facts | None`` (None: not this stack).
    detect: Callable[[RepoView], ProjectFacts | None]
    #: ``plan(facts, options, runtime) -> BuildPlan``.
    plan: Callable[[Any, Options, Runtime], BuildPlan]
    #: The files whose presence marks the stack, for "no stack found" messages.
    manifests: tuple[str, ...]
    #: Position in listings and messages (lower first).
    order: int = 100
    #: ``assets(facts, options, runtime, *, folder="", script="build") -> AssetBuild`` when the stack
    #: can build files another stack's runtime serves (a frontend build); None when it cannot. With
    #: ``folder`` the frontend lives in that subfolder (``ui/``) and runs ``script`` there.
    assets: Callable[..., AssetBuild] | None = None
    #: ``workspace_root(path) -> root | None``: the directory a member at ``path`` is built from
    #: (its build context), when the stack knows workspaces (a Maven aggregator above a module).
    workspace_root: Callable[[Path], Path | None] | None = None
    #: ``workspace_members(root) -> member dirs`` (relative POSIX paths, in the workspace's own
    #: order) when ``root`` is a workspace of this stack (Maven aggregator, npm/yarn/pnpm
    #: workspaces, uv workspace, go.work); empty when it is not. ``init --all`` detects each member
    #: and writes a Dockerfile for the ones that serve; libraries are skipped with a note.
    workspace_members: Callable[[Path], tuple[str, ...]] | None = None
    #: compose.yaml ``init: true``: the runtime as PID 1 neither reaps orphaned children nor stops on
    #: SIGTERM without a handler of its own, so Docker's init (tini) runs in front of it. The reason
    #: is the compose file's comment.
    compose_init: tuple[bool, str] = (False, "")
    #: ``init_for(plan) -> (init, reason)`` when it depends on the plan's runner (Node's nginx runner
    #: for a static frontend needs none); None: ``compose_init`` for every plan.
    runner_init: Callable[[BuildPlan], tuple[bool, str] | None] | None = None

    def init_for(self, plan: BuildPlan) -> tuple[bool, str]:
        """compose.yaml's ``init`` for this plan, and why."""
        own = self.runner_init(plan) if self.runner_init is not None else None
        return own if own is not None else self.compose_init

    @property
    def version_flag(self) -> str:
        return f"--{self.name}-version"

    def runtime(self) -> Runtime:
        return load_catalog().section(self.name)

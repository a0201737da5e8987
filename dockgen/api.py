"""The public Python API. The CLI is a thin layer over these functions; nothing here prints.

    >>> import dockgen
    >>> result = dockgen.generate("path/to/repo", runner="distroless", dry_run=True)
    >>> [(f.path, f.status) for f in result.files]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from .detectors import detect
from .detectors.errors import RefusedError
from .detectors.facts import ProjectFacts
from .detectors.repo import RepoView
from .generator import writer
from .generator.models import BuildPlan
from .generator.options import Options
from . import regen
from .generator import pins as pinning
from .generator.planner import build_plan
from .generator.render import render_dockerfile_body, render_dockerignore_body, with_marker

DOCKERFILE = "Dockerfile"
DOCKERIGNORE = ".dockerignore"


class PlanResult(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    facts: ProjectFacts
    options: Options
    plan: BuildPlan
    #: Generated bodies, without dockgen's two header lines.
    dockerfile_body: str
    dockerignore_body: str
    #: Base-image pins and unpinned items (``plan --json``), see ``generator/pins.py``.
    pins: tuple[dict[str, Any], ...] = ()
    unpinned: tuple[dict[str, Any], ...] = ()
    #: Every option → where its value came from: cli | dockgen.toml | pyproject.toml [tool.dockgen] |
    #: recorded | default (see ``generator/config.py``).
    option_sources: dict[str, str] = {}
    resolved: Any = None

    @property
    def dockerfile(self) -> str:
        """The Dockerfile exactly as ``init`` writes it."""
        return with_marker(self.dockerfile_body)

    @property
    def dockerignore(self) -> str:
        return with_marker(self.dockerignore_body)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "facts": self.facts.model_dump(mode="json"),
            "options": self.options.model_dump(mode="json", exclude_defaults=True),
            "plan": self.plan.model_dump(mode="json"),
            "pins": list(self.pins),
            "unpinned": list(self.unpinned),
            "option_sources": dict(sorted(self.option_sources.items())),
        }


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    files: tuple[writer.FileResult, ...]
    planned: PlanResult
    dry_run: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        extra = self.planned.resolved.warnings if self.planned.resolved is not None else ()
        return (*extra, *self.planned.plan.warnings)

    @property
    def merge_conflicts(self) -> int:
        """Conflict blocks ``--merge`` left in the files (the CLI exits 1 when there are any)."""
        return sum(f.conflicts for f in self.files)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.merge_conflicts

    @property
    def conflicts(self) -> tuple[writer.FileResult, ...]:
        return tuple(f for f in self.files if f.status == "conflict")


def _options(options: Options | None, overrides: dict[str, Any]) -> Options:
    base = options or Options()
    clean = {k: v for k, v in overrides.items() if v is not None}
    return base.model_copy(update=clean) if clean else base


def plan(path: str | os.PathLike[str] = ".", options: Options | None = None, *,
         lock: pinning.Lock | None = None, _recorded: dict[str, Any] | None = None, **overrides: Any) -> PlanResult:
    """Detect, plan and render without touching the file system.

    ``options``/``overrides`` are the caller's own choices; they win over dockgen.toml /
    [tool.dockgen], which win over the options the last ``init`` recorded (``.dockgen/``).
    """
    repo = RepoView(path)
    resolved = regen.resolve(repo, regen.call_options(options, overrides), _recorded)
    opts = resolved.options
    facts = detect(repo, opts.stack)
    unpinned_plan = build_plan(facts, opts)
    lock = pinning.load_lock(repo) if lock is None else lock  # dockgen.lock: base-image digests
    bp = pinning.apply_lock(unpinned_plan, lock)
    return PlanResult(
        facts=facts,
        options=opts,
        plan=bp,
        pins=tuple(pinning.describe(unpinned_plan, lock)),
        unpinned=tuple(pinning.unpinned(unpinned_plan, lock, facts)),
        dockerfile_body=render_dockerfile_body(bp),
        dockerignore_body=render_dockerignore_body(bp),
        option_sources=resolved.sources,
        resolved=resolved,
    )


def generate(path: str | os.PathLike[str] = ".", *, options: Options | None = None, dry_run: bool = False,
             force: bool = False, merge: bool = False, reset_options: bool = False, **overrides: Any) -> Result:
    """Write (or, with ``dry_run``, only decide) the Dockerfile and .dockerignore; nothing is printed.

    Each file gets one status: create, identical, updated, merged, forced, skipped (or conflict).
    Raises ``RefusedError`` (exit 4; the refused ``Result`` is its ``.result``) when a file was not
    written by dockgen or was edited by hand and neither ``merge`` nor ``force`` is given; nothing is
    written then. With ``merge``, unresolved conflict blocks are written into the file and
    ``Result.merge_conflicts`` counts them. The options given here are recorded in ``.dockgen/`` so a
    plain re-run reproduces them (``reset_options`` forgets earlier recorded ones).
    """
    return regen.generate(path, options=options, dry_run=dry_run, force=force, merge=merge,
                          reset_options=reset_options, overrides=overrides)


class _Conflict(Exception):
    """Carries the full result of a refused run (its diffs) to the CLI."""

    def __init__(self, result: Result):
        super().__init__("conflict")
        self.result = result

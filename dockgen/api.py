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
        }


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    files: tuple[writer.FileResult, ...]
    planned: PlanResult
    dry_run: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.planned.plan.warnings

    @property
    def conflicts(self) -> tuple[writer.FileResult, ...]:
        return tuple(f for f in self.files if f.status == "conflict")


def _options(options: Options | None, overrides: dict[str, Any]) -> Options:
    base = options or Options()
    clean = {k: v for k, v in overrides.items() if v is not None}
    return base.model_copy(update=clean) if clean else base


def plan(path: str | os.PathLike[str] = ".", options: Options | None = None, **overrides: Any) -> PlanResult:
    """Detect, plan and render without touching the file system."""
    opts = Options.model_validate({**(options or Options()).model_dump(), **{k: v for k, v in overrides.items() if v is not None}})
    repo = RepoView(path)
    facts = detect(repo, opts.stack)
    bp = build_plan(facts, opts)
    return PlanResult(
        facts=facts,
        options=opts,
        plan=bp,
        dockerfile_body=render_dockerfile_body(bp),
        dockerignore_body=render_dockerignore_body(bp),
    )


def generate(path: str | os.PathLike[str] = ".", *, options: Options | None = None, dry_run: bool = False,
             force: bool = False, **overrides: Any) -> Result:
    """Write (or, with ``dry_run``, only decide) the Dockerfile and .dockerignore.

    Raises ``RefusedError`` (exit 4) when a file was not written by dockgen or was edited by hand and
    ``force`` is not given; nothing is written then.
    """
    planned = plan(path, options, **overrides)
    root = Path(path)
    pending = [
        writer.decide(root / DOCKERFILE, planned.dockerfile_body, display=DOCKERFILE, force=force),
        writer.decide(root / DOCKERIGNORE, planned.dockerignore_body, display=DOCKERIGNORE, force=force),
    ]
    result = Result(files=tuple(p.result for p in pending), planned=planned, dry_run=dry_run)
    if result.conflicts:
        c = result.conflicts[0]
        raise RefusedError(f"refusing to overwrite ({c.reason})", file=str(root / c.path),
                           hint="re-run with --force to replace it (a backup is kept)") from _Conflict(result)
    if not dry_run:
        writer.apply(pending)
    return result


class _Conflict(Exception):
    """Carries the full result of a refused run (its diffs) to the CLI."""

    def __init__(self, result: Result):
        super().__init__("conflict")
        self.result = result

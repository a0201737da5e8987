"""The detect → plan → render pipeline and its result types. Nothing here writes or prints.

``plan`` is what ``dockgen plan`` and ``init --stdout`` show; ``regen.generate`` adds the file
decisions and writes. ``inspect`` is ``plan`` for a person investigating a refusal: it keeps the
facts that were found next to the error instead of dropping them.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .detectors.errors import DockgenError, UsageError
from .detectors.facts import ProjectFacts
from .detectors.repo import RepoView
from .generator import compose, config, state, stacks, writer
from .generator import pins as pinning
from .generator.models import BuildPlan
from .generator.options import Options
from .generator.planner import build_plan
from .generator.render import render_dockerfile_body, render_dockerignore_body, split_marker, with_marker
from .generator.types import one_line_error


class PlanResult(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    facts: ProjectFacts
    plan: BuildPlan
    resolved: config.Resolved
    #: Generated bodies, without dockgen's two header lines.
    dockerfile_body: str
    dockerignore_body: str
    #: Base-image pins and unpinned items (``plan --json``), see ``generator/pins.py``.
    pins: tuple[dict[str, Any], ...] = ()
    unpinned: tuple[dict[str, Any], ...] = ()
    #: compose.yaml and .env.example bodies (None: not written — ``--no-compose``, or no secrets).
    compose_body: str | None = None
    env_example_body: str | None = None
    #: The backing services' images as the catalog names them (``dockgen pin`` resolves them too).
    service_images: tuple[str, ...] = ()
    #: Why no compose.yaml is written although the option is on (the project has its own compose file).
    compose_warnings: tuple[str, ...] = ()

    @property
    def options(self) -> Options:
        return self.resolved.options

    @property
    def option_sources(self) -> dict[str, str]:
        """Every option → cli | dockgen.toml | pyproject.toml [tool.dockgen] | recorded | default."""
        return self.resolved.sources

    @property
    def warnings(self) -> tuple[str, ...]:
        return (*self.resolved.warnings, *self.plan.warnings, *self.compose_warnings)

    @property
    def dockerfile(self) -> str:
        """The Dockerfile exactly as ``init`` writes it."""
        return with_marker(self.dockerfile_body)

    @property
    def dockerignore(self) -> str:
        return with_marker(self.dockerignore_body)

    @property
    def output_paths(self) -> dict[str, str]:
        """Output → file name in the project directory. A member built from a workspace root gets
        ``Dockerfile.dockerignore``: BuildKit reads that one, next to the Dockerfile, not the root's."""
        ignore = ".dockerignore" if self.plan.context is None else "Dockerfile.dockerignore"
        return {"Dockerfile": "Dockerfile", ".dockerignore": ignore, compose.COMPOSE_FILE: compose.COMPOSE_FILE,
                compose.ENV_EXAMPLE: compose.ENV_EXAMPLE}

    @property
    def bodies(self) -> dict[str, str]:
        """Output → generated body (without dockgen's header lines); only the outputs this run writes."""
        out = {"Dockerfile": self.dockerfile_body, ".dockerignore": self.dockerignore_body}
        if self.compose_body is not None:
            out[compose.COMPOSE_FILE] = self.compose_body
        if self.env_example_body is not None:
            out[compose.ENV_EXAMPLE] = self.env_example_body
        return out

    def without_compose(self) -> "PlanResult":
        """The Dockerfile's outputs only (a member under ``init --all``); the service images stay for ``pin``."""
        return self.model_copy(update={"compose_body": None, "env_example_body": None})

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
        return self.planned.warnings

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


def call_options(options: Options | None, overrides: dict[str, Any]) -> dict[str, Any]:
    """The options a caller set explicitly (an ``Options`` object's set fields, then keyword overrides)."""
    given: dict[str, Any] = dict(options.model_dump(exclude_unset=True)) if options is not None else {}
    given.update({k: v for k, v in overrides.items() if v is not None})
    try:
        checked = Options.model_validate(given)
    except ValidationError as exc:
        key, msg = one_line_error(exc)
        raise UsageError(f"option {key}: {msg}", hint="see `dockgen init --help`") from None
    return {k: getattr(checked, k) for k in checked.model_fields_set}


def resolve(repo: RepoView, given: dict[str, Any], recorded: dict[str, Any] | None = None) -> config.Resolved:
    """Layered options; ``recorded`` None means "what the last init recorded"."""
    if recorded is None:
        prev = state.load(repo)
        recorded = prev.recorded_options if prev else {}
    return config.resolve(repo, given, recorded)


def plan_facts(repo: RepoView, facts: ProjectFacts, resolved: config.Resolved,
               lock: pinning.Lock | None = None) -> PlanResult:
    unpinned_plan = build_plan(facts, resolved.options)
    lock = pinning.load_lock(repo) if lock is None else lock  # dockgen.lock: base-image digests
    bp = pinning.apply_lock(unpinned_plan, lock)
    bodies = _compose_bodies(repo, facts, bp, resolved.options, lock)
    return PlanResult(
        **bodies,
        facts=facts,
        plan=bp,
        resolved=resolved,
        pins=tuple(pinning.describe(unpinned_plan, lock)),
        unpinned=tuple(pinning.unpinned(unpinned_plan, lock, facts)),
        dockerfile_body=render_dockerfile_body(bp),
        dockerignore_body=render_dockerignore_body(bp),
    )


def _own_file(repo: RepoView, name: str) -> bool:
    """``name`` exists and dockgen did not write it (no marker)."""
    return repo.is_file(name) and split_marker(repo.read_text(name, 1 << 20))[0] is None


def _own_compose_file(repo: RepoView) -> str | None:
    """A compose file the project wrote itself (no dockgen marker): docker compose would prefer
    compose.yaml over it, so writing one by default would silently replace the project's."""
    return next((name for name in compose.PROJECT_FILES if _own_file(repo, name)), None)


def _compose_bodies(repo: RepoView, facts: ProjectFacts, bp: BuildPlan, options: Options,
                    lock: pinning.Lock | None) -> dict[str, Any]:
    """compose.yaml's and .env.example's bodies and the service images (none with ``--no-compose``)."""
    if not options.compose:
        return {}
    app = compose.app_service(bp, facts, options, stacks.get(facts.ecosystem).init_for(bp))
    own = _own_compose_file(repo) if "compose" not in options.model_fields_set else None
    if own is not None:
        return {"service_images": tuple(compose.service_images((app,)).values()),
                "compose_warnings": (f"compose.yaml not written: the project has its own {own} (docker compose "
                                     "would use ours instead); pass --compose to write it anyway, "
                                     "or --no-compose to silence this",)}
    images = compose.service_images((app,), lock)
    env_example, warnings = compose.env_example_body((app,)), ()
    if env_example is not None and _own_file(repo, compose.ENV_EXAMPLE):
        # The project's own .env.example is the user's: never replaced; what it should list is said.
        names = [ln.split("=")[0] for ln in env_example.splitlines() if "=" in ln and not ln.startswith("#")]
        env_example, warnings = None, (f"{compose.ENV_EXAMPLE} not written: the project has its own; add "
                                       f"{', '.join(names)} to it (compose.yaml reads them from .env)",)
    return {"compose_body": compose.render_body((app,), images), "env_example_body": env_example,
            "service_images": tuple(compose.service_images((app,)).values()), "compose_warnings": warnings}


def plan(path: str | os.PathLike[str] = ".", options: Options | None = None, *,
         lock: pinning.Lock | None = None, recorded: dict[str, Any] | None = None, **overrides: Any) -> PlanResult:
    """Detect, plan and render without touching the file system.

    ``options``/``overrides`` are the caller's own choices; they win over dockgen.toml /
    [tool.dockgen], which win over the options the last ``init`` recorded (``.dockgen/``).
    """
    repo = RepoView(path)
    resolved = resolve(repo, call_options(options, overrides), recorded)
    repo = stacks.open_repo(path, resolved.options.stack)
    facts = stacks.detect(repo, resolved.options.stack)
    return plan_facts(repo, facts, resolved, lock)


class Inspection(BaseModel):
    """What ``plan --json`` shows: the plan, or the refusal together with the facts found before it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    planned: PlanResult | None = None
    #: Facts per detected stack (all of them when the refusal is "several stacks found").
    found: dict[str, ProjectFacts] = {}
    error: DockgenError | None = None

    def to_json_dict(self) -> dict[str, Any]:
        if self.planned is not None:
            return self.planned.to_json_dict()
        assert self.error is not None
        out: dict[str, Any] = {"refusal": {"message": self.error.message, "file": self.error.file,
                                           "hint": self.error.hint, "exit_code": self.error.exit_code}}
        if len(self.found) == 1:
            out["facts"] = next(iter(self.found.values())).model_dump(mode="json")
        elif self.found:
            out["stacks"] = {name: f.model_dump(mode="json") for name, f in self.found.items()}
        else:
            out["facts"] = None  # refused before any fact was found
        return out


def inspect(path: str | os.PathLike[str] = ".", options: Options | None = None, **overrides: Any) -> Inspection:
    """``plan``, but a refusal after detection comes back with the facts found, not only raised.

    A detector that refuses (a manifest it cannot use) is that refusal, with the other stacks'
    facts. Errors before detection (an invalid option or dockgen.toml) are raised as usual.
    """
    repo = RepoView(path)
    resolved = resolve(repo, call_options(options, overrides))
    stack = resolved.options.stack
    repo = stacks.open_repo(path, stack)
    found: dict[str, ProjectFacts] = {}
    for candidate in (stacks.get(stack),) if stack else stacks.all_stacks():
        try:
            facts = candidate.detect(repo)
        except DockgenError as exc:
            return Inspection(found=found, error=exc)
        if facts is not None:
            found[candidate.name] = facts
    try:
        facts = stacks.detect(repo, stack, found=found)
        return Inspection(planned=plan_facts(repo, facts, resolved), found={facts.ecosystem: facts})
    except DockgenError as exc:
        return Inspection(found=found, error=exc)

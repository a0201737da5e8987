"""A plan in three phases, as every planner writes it: deps → build → runtime.

- ``DepsPhase``: the locked dependency install, as builder-stage steps (the ``step="deps"`` RUN
  among them), kept apart so a source-only change leaves it cached;
- ``BuildPhase``: every stage before the runner (the deps steps placed inside them);
- the runtime phase: a ``runtime_stage.RuntimeStage``, turned into the final stage by the one
  shared builder.

A planner's ``plan()`` only chooses (version, runner, command), calls its phase functions and hands
the phases to ``assemble``. The header order is the planner's; the tail's lines always come last.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from . import common, runtime_stage
from . import models as m


@dataclass(frozen=True)
class DepsPhase:
    """Builder-stage steps that install the locked dependencies, and the header lines about them."""

    steps: tuple[m.Instruction, ...]
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildPhase:
    """Every stage before the runner, and the header lines about them."""

    stages: tuple[m.Stage, ...]
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssetBuild:
    """A stage named ``assets`` that builds the whole project's files with another stack's tools
    (its working directory holds the built tree), with its header lines, warnings and ignore patterns."""

    stage: m.Stage
    workdir: str
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: BuildKit secrets its install mounts (a credential .npmrc).
    secrets: tuple[tuple[str, str], ...] = ()


def add_reasons(plan: m.BuildPlan, lines: Iterable[str]) -> m.BuildPlan:
    """Header lines added after planning, placed before the tail (port, user, health check)."""
    cut = len(plan.reasons) - runtime_stage.TAIL_LINES
    return plan.model_copy(update={"reasons": (*plan.reasons[:cut], *lines, *plan.reasons[cut:])})


def with_assets(plan: m.BuildPlan, assets: AssetBuild) -> m.BuildPlan:
    """The assets stage first; every later copy of the build context takes the built tree instead."""
    def from_assets(ins: m.Instruction) -> m.Instruction:
        if isinstance(ins, m.Copy) and ins.from_stage is None and ins.sources == (".",):
            return ins.model_copy(update={"from_stage": assets.stage.name, "sources": (assets.workdir + "/",)})
        return ins

    stages = tuple(st.model_copy(update={"instructions": tuple(from_assets(i) for i in st.instructions)})
                   for st in plan.stages)
    ignore = (*plan.ignore, *(p for p in assets.ignore if p not in plan.ignore and not p.startswith("#")))
    secrets = (*plan.secrets, *(s for s in assets.secrets if s not in plan.secrets))
    plan = plan.model_copy(update={"stages": (assets.stage, *stages), "ignore": ignore, "secrets": secrets,
                                   "warnings": (*assets.warnings, *plan.warnings)})
    return add_reasons(plan, assets.reasons)


def with_folder_assets(plan: m.BuildPlan, assets: AssetBuild, out: str, *, ignore_out: bool,
                       project: str = ".") -> m.BuildPlan:
    """The assets stage first; every copy of the build context is followed by a copy of the built
    folder ``out`` (repository-relative) from it, so an embed or a static folder finds the build's
    files. With ``ignore_out`` (the folder lies inside the frontend's own folder, so it holds nothing
    but build output) the context's stale or placeholder copy is kept out by .dockerignore; a folder
    elsewhere may hold committed files too, so the build's files are copied over it. ``project`` is
    the project's folder in the build context (``in_parent``): ``out`` is relative to the context."""
    dest = posixpath.relpath(out, project)
    built = m.Copy(from_stage=assets.stage.name, sources=(f"{assets.workdir}/{out}/",), dest=f"./{dest}/")

    def after(ins: m.Instruction) -> tuple[m.Instruction, ...]:
        context = isinstance(ins, m.Copy) and ins.from_stage is None and ins.sources == (project,)
        return (ins, built.model_copy(update={"chown": ins.chown})) if context else (ins,)

    stages = tuple(st.model_copy(update={"instructions": tuple(x for i in st.instructions for x in after(i))})
                   for st in plan.stages)
    ignore = tuple(dict.fromkeys((*plan.ignore, *(p for p in (*assets.ignore, *([out] if ignore_out else [])) if not p.startswith("#")))))
    secrets = (*plan.secrets, *(s for s in assets.secrets if s not in plan.secrets))
    plan = plan.model_copy(update={"stages": (assets.stage, *stages), "ignore": ignore, "secrets": secrets,
                                   "warnings": (*assets.warnings, *plan.warnings)})
    return add_reasons(plan, assets.reasons)


def in_parent(plan: m.BuildPlan, project: str, what: str) -> m.BuildPlan:
    """The plan built from a directory above the project's (``project`` is its folder there): every
    copy of the build context names its files under ``project``, the ignore patterns reach into every
    folder (``**/``), and the Dockerfile stays in the project with its ``<Dockerfile>.dockerignore``."""
    def moved(ins: m.Instruction) -> m.Instruction:
        if isinstance(ins, m.Copy) and ins.from_stage is None:
            return ins.model_copy(update={"sources": tuple(posixpath.normpath(posixpath.join(project, s))
                                                           for s in ins.sources)})
        return ins

    def reach(p: str) -> str:
        neg, p = ("!", p[1:]) if p.startswith("!") else ("", p)
        return p if p.startswith(("#", "**/")) else f"{neg}**/{p.lstrip('/')}"

    stages = tuple(st.model_copy(update={"instructions": tuple(moved(i) for i in st.instructions)})
                   for st in plan.stages)
    up = posixpath.join(*([".."] * len(project.split("/"))))
    ignore = tuple(dict.fromkeys((*(reach(p) for p in plan.ignore), "# dockgen's files, in every folder",
                                  *(f"**/{p}" for p in common.MEMBER_IGNORE))))
    return plan.model_copy(update={"stages": stages, "ignore": ignore, "context": m.BuildContext(
        root=up, dockerfile=f"{project}/Dockerfile", what=what)})


def assemble(ecosystem: str, header: Iterable[str], build: BuildPhase, runtime: runtime_stage.RuntimeStage, *,
             ignore: tuple[str, ...], warnings: Iterable[str],
             secrets: tuple[tuple[str, str], ...] = (), context: m.BuildContext | None = None,
             added_packages: tuple[m.AddedPackage, ...] = ()) -> m.BuildPlan:
    """The plan: the build stages, then the runner; the header ends with the tail's lines."""
    return m.BuildPlan(
        ecosystem=ecosystem,
        runner=runtime.runner.runner,
        reasons=common.header(*header, *runtime_stage.reasons(runtime)),
        stages=(*build.stages, runtime_stage.stage(runtime)),
        ignore=ignore,
        port=runtime.port.value,
        user=runtime.runner.uid,
        warnings=tuple(warnings),
        secrets=secrets,
        context=context,
        added_packages=added_packages,
    )

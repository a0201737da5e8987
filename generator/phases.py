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


def assemble(ecosystem: str, header: Iterable[str], build: BuildPhase, runtime: runtime_stage.RuntimeStage, *,
             ignore: tuple[str, ...], warnings: Iterable[str], context: m.BuildContext | None = None) -> m.BuildPlan:
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
        context=context,
    )

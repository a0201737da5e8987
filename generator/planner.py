"""Planner: facts + options (+ catalog, + pins) → BuildPlan. One module per ecosystem does the work."""

from __future__ import annotations

from collections.abc import Mapping

from ..detectors.facts import ProjectFacts
from . import extras, go_plan, java_plan, node_plan, python_plan
from .catalog import Catalog, load_catalog
from .models import BuildPlan, Stage
from .options import Options

PLANNERS = {
    "python": python_plan.plan,
    "node": node_plan.plan,
    "java": java_plan.plan,
    "go": go_plan.plan,
}


def build_plan(facts: ProjectFacts, options: Options | None = None, *, catalog: Catalog | None = None,
               pins: Mapping[str, str] | None = None) -> BuildPlan:
    options = options or Options()
    plan = extras.apply(PLANNERS[facts.ecosystem](facts, options, catalog or load_catalog()), options)
    return apply_pins(plan, pins) if pins else plan


def apply_pins(plan: BuildPlan, pins: Mapping[str, str]) -> BuildPlan:
    """Attach recorded digests (``{"python:3.11-slim-bookworm": "sha256:…"}``) to FROM images."""
    stages = []
    for st in plan.stages:
        digest = pins.get(st.image.tagged)
        stages.append(st.model_copy(update={"image": st.image.model_copy(update={"digest": digest})})
                      if digest else st)
    return plan.model_copy(update={"stages": tuple(stages)})

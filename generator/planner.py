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
    planner = PLANNERS[facts.ecosystem]
    catalog = catalog or load_catalog()
    plan = planner(facts, options, catalog)
    if options.packages and options.runner is None and plan.runner in ("distroless", "scratch"):
        # The smallest runner that works: extra OS packages need a package manager.
        plan = planner(facts, options.model_copy(update={"runner": "slim"}), catalog)
        plan = plan.model_copy(update={"reasons": (*plan.reasons,
                                                   "runner slim chosen because extra OS packages need apt")})
    plan = extras.apply(plan, options)
    return apply_pins(plan, pins) if pins else plan


def apply_pins(plan: BuildPlan, pins: Mapping[str, str]) -> BuildPlan:
    """Attach recorded digests (``{"python:3.11-slim-bookworm": "sha256:…"}``) to FROM images."""
    stages = []
    for st in plan.stages:
        digest = pins.get(st.image.tagged)
        stages.append(st.model_copy(update={"image": st.image.model_copy(update={"digest": digest})})
                      if digest else st)
    return plan.model_copy(update={"stages": tuple(stages)})

"""Planner: facts + options (+ catalog) → BuildPlan. One module per ecosystem does the work.

Base-image digests are attached afterwards by ``generator/pins.apply_lock`` (dockgen.lock).
"""

from __future__ import annotations

from ..detectors.facts import ProjectFacts
from . import extras, go_plan, java_plan, node_plan, python_plan
from .catalog import Catalog, load_catalog
from .models import BuildPlan
from .options import Options

PLANNERS = {
    "python": python_plan.plan,
    "node": node_plan.plan,
    "java": java_plan.plan,
    "go": go_plan.plan,
}


def build_plan(facts: ProjectFacts, options: Options | None = None, *, catalog: Catalog | None = None) -> BuildPlan:
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
    return plan


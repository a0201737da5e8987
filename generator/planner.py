"""Planner: facts + options (+ catalog) → BuildPlan. The stack's own planner does the work.

Base-image digests are attached afterwards by ``generator/pins.apply_lock`` (dockgen.lock).
"""

from __future__ import annotations

from ..detectors.facts import ProjectFacts
from . import extras, phases, stacks
from .models import BuildPlan
from .options import Options


def build_plan(facts: ProjectFacts, options: Options | None = None) -> BuildPlan:
    options = options or Options()
    plan = stacks.plan(facts, options)
    if options.packages and options.runner is None and plan.runner in ("distroless", "scratch"):
        # The smallest runner that works: extra OS packages need a package manager.
        plan = stacks.plan(facts, options.model_copy(update={"runner": "slim"}))
        plan = plan.model_copy(update={"reasons": (*plan.reasons,
                                                   "runner slim chosen because extra OS packages need apt")})
    if facts.assets is not None:
        builder = stacks.get(facts.assets.ecosystem)
        assert builder.assets is not None  # the registry only picks builders that have one
        if facts.assets_build is not None:  # a frontend in a subfolder: its output goes to one folder
            script, out = facts.assets_build.value
            built = builder.assets(facts.assets, options, builder.runtime(), folder=facts.assets_folder, script=script)
            plan = phases.with_folder_assets(plan, built, out, ignore_out=out.startswith(facts.assets_folder + "/"))
        else:
            plan = phases.with_assets(plan, builder.assets(facts.assets, options, builder.runtime()))
    if facts.others:
        plan = phases.add_reasons(plan, facts.others)
    return extras.apply(plan, options)

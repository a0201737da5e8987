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
            project = facts.assets_context or "."
            if facts.assets_context:  # a sibling frontend: both are built from their common parent
                plan = phases.in_parent(plan, project, f"the parent directory, holding {project}/ and the "
                                                       f"frontend {facts.assets_folder}/ that builds {out}")
            plan = phases.with_folder_assets(plan, built, out, project=project, ignore_out=bool(
                facts.assets_context) or out.startswith(facts.assets_folder + "/"))
        else:
            plan = phases.with_assets(plan, builder.assets(facts.assets, options, builder.runtime()))
    if facts.others:
        plan = phases.add_reasons(plan, facts.others)
    return extras.apply(plan, options)

"""Options every ecosystem honours the same way, applied to any plan after its planner ran.

``packages`` / ``build_packages`` (extra OS packages, pinned: see ``ospackages``) are installed in
the final stage before its USER (so as root) and at the top of every build stage.

``env`` and ``labels`` (dockgen.toml ``[env]``/``[labels]``) become one ENV and one LABEL
instruction in the final stage, placed before its USER/EXPOSE/HEALTHCHECK/ENTRYPOINT/CMD, so a
person never needs to hand-edit the Dockerfile for them.
"""

from __future__ import annotations

from . import models as m
from . import ospackages
from .options import Options

_TAIL = {"user", "expose", "healthcheck", "entrypoint", "cmd"}


def apply(plan: m.BuildPlan, options: Options) -> m.BuildPlan:
    return _env_labels(_packages(plan, options), options)


def _insert_before_tail(stage: m.Stage, added: list) -> m.Stage:
    instructions = list(stage.instructions)
    at = next((i for i, ins in enumerate(instructions) if ins.kind in _TAIL), len(instructions))
    instructions[at:at] = added
    return stage.model_copy(update={"instructions": tuple(instructions)})


def _packages(plan: m.BuildPlan, options: Options) -> m.BuildPlan:
    if not (options.packages or options.build_packages) or not plan.stages:
        return plan
    stages = list(plan.stages)
    if options.build_packages:
        for n, st in enumerate(stages[:-1]):
            family = "alpine" if "alpine" in st.image.tag else "debian"
            runs = ospackages.builder_install(options.build_packages, family=family,
                                              source=str(options.source("build_packages")))
            # after the stage's WORKDIR (if it opens with one), before anything that installs dependencies
            lead = 1 if st.instructions and st.instructions[0].kind == "workdir" else 0
            ins = list(st.instructions)
            ins[lead:lead] = [m.Comment(text="extra build packages (dockgen option build_packages)"), *runs]
            stages[n] = st.model_copy(update={"instructions": tuple(ins)})
    if options.packages:
        if plan.runner not in ("slim", "alpine", "nginx"):
            raise options.refuse("packages", f"the {plan.runner} runner (from {options.source('runner')}) has no "
                                 "package manager to install them", hint="use the runner slim (or alpine)")
        runs = ospackages.runner_install(options.packages, plan.runner, source=str(options.source("packages")))
        final = stages[-1]
        instructions = list(final.instructions)
        at = next((i for i, ins in enumerate(instructions) if ins.kind == "user"), None)
        if at is None:
            at = next((i for i, ins in enumerate(instructions) if ins.kind in _TAIL), len(instructions))
        instructions[at:at] = [m.Comment(text="extra runtime packages (dockgen option packages)"), *runs]
        stages[-1] = final.model_copy(update={"instructions": tuple(instructions)})
    return plan.model_copy(update={"stages": tuple(stages)})


def _env_labels(plan: m.BuildPlan, options: Options) -> m.BuildPlan:
    added: list = []
    if options.env:
        added.append(m.Env(pairs=tuple(options.env)))
    if options.labels:
        added.append(m.Label(pairs=tuple(options.labels)))
    if not added or not plan.stages:
        return plan
    added.insert(0, m.Comment(text="from dockgen options ([env], [labels])"))
    stages = (*plan.stages[:-1], _insert_before_tail(plan.stages[-1], added))
    return plan.model_copy(update={"stages": stages})

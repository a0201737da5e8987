"""Options every ecosystem honours the same way, applied to any plan after its planner ran.

``env`` and ``labels`` (dockgen.toml ``[env]``/``[labels]``) become one ENV and one LABEL
instruction in the final stage, placed before its USER/EXPOSE/HEALTHCHECK/ENTRYPOINT/CMD, so a
person never needs to hand-edit the Dockerfile for them.
"""

from __future__ import annotations

from . import models as m
from .options import Options

_TAIL = {"user", "expose", "healthcheck", "entrypoint", "cmd"}


def apply(plan: m.BuildPlan, options: Options) -> m.BuildPlan:
    added: list = []
    if options.env:
        added.append(m.Env(pairs=tuple(options.env)))
    if options.labels:
        added.append(m.Label(pairs=tuple(options.labels)))
    if not added or not plan.stages:
        return plan
    added.insert(0, m.Comment(text="from dockgen options ([env], [labels])"))
    final = plan.stages[-1]
    instructions = list(final.instructions)
    at = next((i for i, ins in enumerate(instructions) if ins.kind in _TAIL), len(instructions))
    instructions[at:at] = added
    stages = (*plan.stages[:-1], final.model_copy(update={"instructions": tuple(instructions)}))
    return plan.model_copy(update={"stages": stages})

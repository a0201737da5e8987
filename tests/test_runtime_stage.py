"""The runtime tail: one builder (generator/runtime_stage.py) writes it for every stack, in one wording."""

from __future__ import annotations

import re

import pytest

import dockgen
from dockgen.generator import models as m
from dockgen.generator import runtime_stage
from dockgen.detectors.facts import Fact, Source
from support import examples as ex

NAMES = ex.example_names()


def _plan(name: str, **opts):
    return dockgen.plan(ex.project(name), **{**ex.expect(name).get("options", {}), **opts})


@pytest.mark.parametrize("name", NAMES)
def test_header_ends_with_port_user_health(name):
    plan = _plan(name).plan
    port, user, health = plan.reasons[-3:]
    assert re.fullmatch(rf"port {plan.port} \((from|assumed:) .+\)(; PORT is set to it)?", port), port
    assert user == f"user {plan.user} (numeric, non-root)"
    assert re.fullmatch(r"health check: .+ requests http://127\.0\.0\.1:\d+/\S* \(.+\)", health), health
    assert sum(r.startswith("user ") for r in plan.reasons) == 1


@pytest.mark.parametrize("name", NAMES)
def test_disabled_health_check_is_said_the_same_way(name):
    planned = _plan(name, healthcheck="")
    assert "\nHEALTHCHECK " not in planned.dockerfile
    assert "\n# No HEALTHCHECK: disabled by the healthcheck option (from --healthcheck).\n" in planned.dockerfile
    assert planned.plan.reasons[-1] == "no health check: disabled by the healthcheck option (from --healthcheck)"
    final = planned.plan.stages[-1]
    assert final.comment.startswith(f"Runtime stage ({planned.plan.runner}): ")


def test_tail_order_and_label_placement():
    runner = runtime_stage.RunnerSpec(runner="slim", image=m.ImageRef(name="debian", tag="bookworm-slim"), uid=10001,
                                      reason="runner slim")
    rt = runtime_stage.RuntimeStage(
        runner=runner, summary="test", files=(m.Workdir(path="/app"), m.Env(pairs=(("PORT", "8080"),))),
        labels=m.Label(pairs=(("a", "b"),)), port=Fact(value=8080, source=Source.default()),
        health=runtime_stage.NoProbe("no probe here"), entrypoint=("/app/bin",), cmd=("--serve",))
    kinds = [i.kind for i in runtime_stage.stage(rt).instructions]
    assert kinds == ["workdir", "env", "label", "user", "expose", "comment", "entrypoint", "cmd"]
    first = runtime_stage.RuntimeStage(**{**rt.__dict__, "labels_first": True})
    assert [i.kind for i in runtime_stage.stage(first).instructions][:2] == ["label", "workdir"]
    assert runtime_stage.reasons(rt) == ("port 8080 (from dockgen default); PORT is set to it",
                                         "user 10001 (numeric, non-root)", "no health check: no probe here")

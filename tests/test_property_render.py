"""Property tests, renderer: plans built straight from hostile values (exec arrays, ENV/LABEL values,
COPY sources, WORKDIR, comments, stage comments) either fail to build (the models refuse them) or
render to text that BuildKit's parser reads back as exactly the plan — checked by the independent
oracle in support/props.py, not only by the renderer's own self-check. The self-check must also
catch every tampering of a rendered file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dockgen.detectors.errors import DockgenError
from dockgen.generator import models as m
from dockgen.generator.render import RenderError, render_dockerfile_body, verify_against_plan, with_marker
from support.plans import sample_plan
from support.props import Budget, PAYLOADS, check_rendered, hostile_text, profile

budget_plan = Budget()
budget_tamper = Budget()

text = st.one_of(hostile_text(30), st.sampled_from(PAYLOADS), st.text(max_size=30))


def _with_final(instructions: tuple) -> m.BuildPlan:
    plan = sample_plan()
    build, final = plan.stages
    return plan.model_copy(update={"stages": (build, final.model_copy(update={
        "instructions": (*final.instructions, *instructions)}))})


@profile(300)
@given(argv=st.lists(text, min_size=1, max_size=4), env=st.lists(st.tuples(st.sampled_from(["A", "B_1", "_c2"]), text),
                                                                  min_size=1, max_size=3),
       label=text, src=text, workdir=text, comment=text, stage_comment=text, run=text)
def _plan_values(argv, env, label, src, workdir, comment, stage_comment, run):
    budget_plan.ran += 1
    try:
        plan = _with_final((
            m.Comment(text=comment),
            m.Env(pairs=tuple(env)),
            m.Label(pairs=(("org.example.x", label),)),
            m.Copy(sources=(src,), dest="/app/"),
            m.Cmd(argv=tuple(argv)),
        ))
        plan = plan.model_copy(update={"stages": (plan.stages[0].model_copy(update={"comment": stage_comment}),
                                                  plan.stages[1])})
        body = render_dockerfile_body(plan)
    except (ValidationError, ValueError, DockgenError):
        budget_plan.refused += 1
        return
    check_rendered(with_marker(body), plan, [*argv, *(v for _, v in env), label, src, comment, stage_comment])
    budget_plan.rendered += 1
    # WORKDIR and RUN take values the planner built; they are either refused or round-trip too.
    for extra in (m.Workdir(path=workdir),):
        try:
            p2 = _with_final((extra,))
            check_rendered(with_marker(render_dockerfile_body(p2)), p2, [])
        except (ValidationError, ValueError, DockgenError):
            pass
    try:
        p3 = _with_final((m.Run(command=f"echo {run}"),))
    except (ValidationError, ValueError):
        return
    try:
        check_rendered(with_marker(render_dockerfile_body(p3)), p3, [])
    except DockgenError:
        pass


def test_plan_values_render_exactly_or_are_refused():
    _plan_values()
    budget_plan.require(300)
    assert budget_plan.rendered >= 50 and budget_plan.refused >= 50, budget_plan


@profile(300)
@given(pos=st.integers(0, 10_000), insert=st.sampled_from([
    "\nRUN id", "\nUSER root", "\nCMD [\"sh\"]", " \\", "\\\n", '"', "\n# escape=`", "[", "]", ",", "x",
    "\nENV A=1", "\nHEALTHCHECK NONE", "\nONBUILD RUN id", "\n\tEXPOSE 22"]))
def _tampering(pos, insert):
    """Any of these edits to a rendered file either leaves the parse unchanged (a comment, a blank)
    or is caught by ``verify_against_plan``."""
    budget_tamper.ran += 1
    plan = sample_plan()
    good = with_marker(render_dockerfile_body(plan))
    at = pos % (len(good) + 1)
    bad = good[:at] + insert + good[at:]
    from support.props import dockerfile  # the same parser, used directly

    try:
        same = [(c.cmd, c.flags, c.value, c.json, c.heredocs) for c in dockerfile.parse_string(bad)] == \
            [(c.cmd, c.flags, c.value, c.json, c.heredocs) for c in dockerfile.parse_string(good)]
    except dockerfile.GoParseError:
        same = False
    try:
        verify_against_plan(bad, plan)
        caught = False
    except RenderError:
        caught = True
    assert caught or (same and bad.split("\n", 1)[0] == good.split("\n", 1)[0]), repr(bad[max(0, at - 40): at + 40])
    budget_tamper.refused += caught


def test_self_check_catches_tampering():
    _tampering()
    budget_tamper.require(300)
    assert budget_tamper.refused >= 100, budget_tamper

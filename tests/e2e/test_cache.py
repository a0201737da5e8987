"""Layer cache, read from BuildKit's plain progress output, on each example's default runner (one
example per distinct dependency-install path: ``_install_path``).

After a source-only change (expect.toml [cache] source) the `step="deps"` RUN shows CACHED and the
build step runs; after a lockfile change ([cache] lockfile) the deps step runs again. The baseline
build is the same context test_examples builds, so it comes from the cache.
Examples without [cache] are listed in the session summary (none should be).
"""

from __future__ import annotations

import pytest

from dockgen import imagecheck as ic
from support import examples as ex

from . import harness as h
from .conftest import skip_if_declared

def _install_path(name: str) -> tuple:
    """What the cache check proves: the dependency step's commands and whether a build step follows,
    per stack and default runner. Examples that share it add no coverage, only build time."""
    runner = ex.expect(name)["runners"][0]
    plan = h.plan_for(name, runner)
    return ex.stack_of(name), runner, tuple(h.steps_marked(plan, "deps")), bool(h.steps_marked(plan, "build"))


CASES = [h.param(n, ex.expect(n)["runners"][0]) for n in ex.representatives(_install_path)]


def _status(log: str, commands: list[str]) -> list[ic.Step]:
    steps = ic.parse_progress(log)
    found = [s for c in commands for s in ic.find_run_steps(steps, c)]
    assert len(found) >= len(commands), (f"step(s) {commands} not found in the progress output:\n"
                                         + "\n".join(f"  {s.stage} {s.name} {s.status}" for s in steps))
    return found


def _not_reached(plan, source: str) -> tuple[str, ...]:
    """Stages whose context copies all name folders or files ``source`` is not in."""
    out = []
    for st in plan.stages:
        copied = [src for i in st.instructions if i.kind == "copy" and i.from_stage is None for src in i.sources]
        if copied and not any(c in (".", "./") or source == c or source.startswith(c.rstrip("/") + "/") for c in copied):
            out.append(st.name)
    return tuple(out)


@pytest.mark.parametrize("case", CASES)
def test_cache(case, request, engine, workdir):
    example, runner = case
    skip_if_declared(example, runner)
    cache = ex.expect(example).get("cache")
    assert cache and cache.get("source") and cache.get("lockfile"), \
        f"tests/golden/{example}/expect.toml needs [cache] source and lockfile"
    plan = h.plan_for(example, runner)
    deps = h.steps_marked(plan, "deps")
    # A stage that copies only a folder the changed file is not in (a subfolder frontend's assets
    # stage) rightly stays cached: only the stages the change reaches must rebuild.
    build_steps = h.steps_marked(plan, "build", skip_stages=_not_reached(plan, cache["source"]))
    ctx = h.prepare_context(example, runner, workdir / f"{example}-{runner}-cache")
    tags = [h.tag_for(example, runner, f"-cache{i}") for i in range(3)]
    try:
        first = engine.build(ctx, tags[0], dockerfile=h.dockerfile_in(ctx, example), secrets=plan.secrets)
        assert first.ok, first.tail(25)

        h.bust(ctx / cache["source"])
        warm = engine.build(ctx, tags[1], dockerfile=h.dockerfile_in(ctx, example), secrets=plan.secrets)
        assert warm.ok, warm.tail(25)
        if deps:
            rerun = [s for s in _status(warm.log, deps) if not s.cached]
            assert not rerun, f"dependency step re-ran after a source-only change: {[s.name for s in rerun]}"
        if build_steps:
            cached = [s for s in _status(warm.log, build_steps) if s.cached]
            assert not cached, f"the source change did not reach the build step: {[s.name for s in cached]}"
        assert deps or build_steps, "the plan marks neither a deps nor a build step"

        h.bust(ctx / cache["lockfile"])
        relock = engine.build(ctx, tags[2], dockerfile=h.dockerfile_in(ctx, example), secrets=plan.secrets)
        assert relock.ok, relock.tail(25)
        if deps:
            ran = [s for s in _status(relock.log, deps) if not s.cached]
            assert ran, "dependency step stayed CACHED after a lockfile change"
        else:
            ran = [s for s in _status(relock.log, build_steps) if not s.cached]
            assert ran, "build step stayed CACHED after a lockfile change"
    finally:
        engine.rmi(tags)

"""Every extra runtime version an example declares (expect.toml [versions."X"]): one build on the
default runner with ``--<stack>-version X``, run, HTTP probe, numeric non-root user, HEALTHCHECK.

The full runner matrix runs for each example's own version (test_examples.py); this covers the other
catalog versions the lab has, one example per version. Versions without a lab stand-in are declared
skips naming the missing tag (their Dockerfiles are golden files, tests/test_golden.py).
"""

from __future__ import annotations

import pytest

from dockgen import imagecheck as ic
from support import examples as ex

from . import harness as h

CASES = [h.version_param(n, v) for n, v in ex.version_cases()]


@pytest.fixture(scope="module", params=CASES)
def built(request, engine, workdir):
    example, _, version = request.param
    reason = h.declared_version_skip(example, version)
    if reason:
        pytest.skip(reason)
    runner = ex.expect(example)["runners"][0]
    case = h.build_case(engine, example, runner, workdir, version)
    yield case
    case.cleanup()


def test_build_uses_the_version_images(built):
    built.require_build()
    plan = h.plan_for(built.example, built.runner, built.version)
    dockerfile = (built.ctx / "Dockerfile").read_text("utf-8")
    for st in plan.stages:
        if st.image.name != "scratch":
            assert f"FROM {st.image.tagged}" in dockerfile


def test_http(built):
    h.start(built)
    want = ex.expect(built.example).get("http", {})
    status, body = h.wait_http(built, want.get("path", "/"))
    assert status == want.get("status", 200), f"GET {want.get('path', '/')} → {status}: {body[:300]}"
    expected = want.get("body", "")
    if ex.stack_of(built.example) == "python" and "Python 3." in expected:  # the app prints its minor
        expected = expected.rsplit("Python ", 1)[0] + f"Python {built.version}"
    assert expected in body, f"response lacks {expected!r}: {body[:300]}"


def test_user_numeric_non_root(built):
    built.require_build()
    user = built.config.get("User") or ""
    assert ic.user_problem(user) is None, ic.user_problem(user)
    plan = h.plan_for(built.example, built.runner, built.version)
    assert user.partition(":")[0] == str(plan.user), f"image USER {user}, plan says {plan.user}"


def test_healthcheck(built):
    built.require_build()
    if ic.healthcheck_of(built.config):
        h.start(built)
        assert h.wait_health(built) == "healthy"


def test_size_budget(built):
    built.require_build()
    budget = ex.expect(built.example)["versions"][built.version].get("budget_mb")
    budget = budget or ex.expect(built.example).get("budget_mb", {}).get(built.runner)
    if budget:
        size_mb = int(built.image["Size"]) / 1e6
        assert size_mb <= budget, f"{size_mb:.1f} MB > budget {budget} MB"

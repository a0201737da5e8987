"""Every example × every runner it supports: `dockgen init` → BuildKit build → run → probe → inspect.

One build and one container per case (a module-scoped fixture: pytest groups the checks of a case
together), removed when the case's checks are done.
"""

from __future__ import annotations

import pytest

from dockgen import imagecheck as ic
from support import examples as ex

from . import harness as h
from .conftest import skip_if_declared

CASES = [h.param(n, r) for n, r in ex.cases()]
NO_SHELL_RUNNERS = {"distroless", "scratch"}


@pytest.fixture(scope="module", params=CASES)
def built(request, engine, workdir):
    example, runner = request.param
    skip_if_declared(example, runner)
    case = h.build_case(engine, example, runner, workdir)
    yield case
    case.cleanup()


def test_build(built):
    built.require_build()
    assert built.build.log, "no build output"


def test_http(built):
    h.start(built)
    want = ex.expect(built.example).get("http", {})
    status, body = h.wait_http(built, want.get("path", "/"))
    assert status == want.get("status", 200), f"GET {want.get('path', '/')} → {status}: {body[:300]}"
    assert want.get("body", "") in body, f"response lacks {want.get('body')!r}: {body[:300]}"
    for deep in want.get("deep_links", []):
        status, body = h.wait_http(built, deep)
        assert status == want.get("status", 200) and want.get("body", "") in body, f"GET {deep} → {status}: {body[:300]}"


def test_user_numeric_non_root(built):
    built.require_build()
    user = built.config.get("User") or ""
    assert ic.user_problem(user) is None, ic.user_problem(user)
    plan = h.plan_for(built.example, built.runner)
    assert user.partition(":")[0] == str(plan.user), f"image USER {user}, plan says {plan.user}"


def test_shell_policy(built):
    """distroless/scratch: no shell at all; others: the shell's `id -u` is the numeric USER."""
    built.require_build()
    shells = ic.shells_in(built.members())
    uid = (built.config.get("User") or "").partition(":")[0]
    if built.runner in NO_SHELL_RUNNERS:
        assert not shells, f"{built.runner} image contains {shells}"
        p = built.engine.run_once(built.tag, ["-c", "true"], entrypoint="/bin/sh")
        assert p.returncode != 0, "`docker run --entrypoint /bin/sh` worked in a shell-less image"
        assert any(w in (p.stderr + p.stdout).lower() for w in ("no such file", "not found")), p.stderr
    else:
        assert shells, f"{built.runner} image has no shell"
        p = built.engine.run_once(built.tag, ["-c", "id -u"], entrypoint="/bin/sh")
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == uid and uid != "0", f"`id -u` says {p.stdout.strip()!r}, USER is {uid!r}"


def test_no_junk_in_layers(built):
    built.require_build()
    members = built.members()
    plan = h.plan_for(built.example, built.runner)
    own = h.own_layers(built, plan)
    # A credential-free .npmrc the plan re-includes (`!.npmrc`) is project settings, not junk; the planted
    # junk is never put over an example's own file.
    shipped = [p[1:] for p in plan.ignore if p.startswith("!")]
    for name in shipped:  # only ever a file without credentials
        assert not ic.npmrc_secret_values((ex.EXAMPLES / built.example / name).read_text("utf-8")), name
    junk = ic.find_junk(members, sorted(h.JUNK), own, shipped)
    assert not junk, f"context junk in the image layers: {junk}"
    # The planted files' directories exist in the context, so the check can see them if they leak.
    assert (built.ctx / ".git" / "config").is_file() and (built.ctx / ".env").is_file()


def _tooling(built, members) -> list[str]:
    plan = h.plan_for(built.example, built.runner)
    pkg = ex.project(built.example) / "package.json"
    dev = ic.node_dev_only(pkg.read_text("utf-8")) if plan.ecosystem == "node" and pkg.is_file() else ()
    facts = h.facts_for(built.example, built.runner)
    return ic.find_tooling(members, h.own_layers(built, plan), allowed=ic.runtime_tools(facts), dev_only=dev)


def test_no_tooling_in_runner(built):
    """The runner carries only what runs: no installer (pip, uv, npm …), build backend (setuptools,
    poetry-core …), package-manager cache or dev-only tool in the layers over the runner base, read
    from `docker save` (setuptools stays when the app's own install brings it)."""
    built.require_build()
    found = _tooling(built, built.members())
    assert not found, f"{built.example} ({built.runner}): the runner carries {found}"


def test_tooling_check_sees_a_planted_pip(built, tmp_path):
    """The check above can fail: the same image with pip planted in its site-packages is caught."""
    if built.example != "python-flask-pip" or built.runner != ex.expect(built.example)["runners"][0]:
        return
    built.require_build()
    site = next(m.path.split("/site-packages/")[0] + "/site-packages" for m in built.members()
                if m.path.startswith("opt/venv/") and "/site-packages/" in m.path)
    (tmp_path / "pip").mkdir()
    (tmp_path / "pip" / "__init__.py").write_text("__version__ = '24.0'\n", "utf-8")
    (tmp_path / "Dockerfile").write_text(f"FROM {built.tag}\nCOPY pip /{site}/pip\n", "utf-8")
    tag = f"{built.tag.rsplit(':', 1)[0]}-planted:x"
    result = built.engine.build(tmp_path, tag)
    assert result.ok, result.tail(20)
    built.extra_tags.append(tag)
    tar = built.engine.save(tag, tmp_path / "planted.tar")
    members = ic.layer_members(tar)
    tar.unlink()
    assert _tooling(built, members) == [f"python installer or build backend: {site}/pip"]


def test_build_secret_in_no_layer(built, tmp_path):
    """A build secret (an .npmrc with a token) is in no layer of the image nor of any build stage: not as a
    file, not inside any file, not in the config or history — checked in `docker save` output."""
    plan = h.plan_for(built.example, built.runner)
    if not plan.secrets:
        return
    built.require_build()
    needles = [v for _, src in plan.secrets
               for v in ic.npmrc_secret_values((ex.EXAMPLES / built.example / src).read_text("utf-8"))]
    assert needles, f"{built.example}: the secret file holds no credential to look for"
    tags = [built.tag]
    for stage in plan.stages[:-1]:
        tag = f"{built.tag.rsplit(':', 1)[0]}-{stage.name}:stage"
        result = built.engine.build(built.ctx, tag, secrets=plan.secrets, target=stage.name)
        assert result.ok, result.tail(20)
        built.extra_tags.append(tag)
        tags.append(tag)
    for tag in tags:
        tar = tmp_path / "image.tar"
        built.engine.save(tag, tar)
        hits = ic.layers_containing(tar, needles)
        # The project's file itself, anywhere outside the base image's npm (an empty mount point is no copy).
        copies = [f"layer {m.layer}: {m.path}" for m in ic.layer_members(tar)
                  if m.path.rsplit("/", 1)[-1] == ".npmrc" and m.size > 0 and "node_modules/npm/" not in m.path]
        tar.unlink()
        assert not hits, f"{tag}: the secret's value is in {hits[:5]}"
        assert not copies, f"{tag}: an .npmrc is in {copies[:5]}"


def test_build_secret_is_used(built):
    """Without `--secret` the install lacks the .npmrc's settings: the token fixture's legacy-peer-deps is only
    in that file, so the build must fail (proving the secret mount is what feeds the install)."""
    plan = h.plan_for(built.example, built.runner)
    if not plan.secrets or built.runner != ex.expect(built.example)["runners"][0]:
        return
    tag = f"{built.tag.rsplit(':', 1)[0]}-nosecret:x"
    result = built.engine.build(built.ctx, tag, no_cache=True)
    built.extra_tags.append(tag)
    assert not result.ok, "the build passed without the .npmrc secret"
    assert "ERESOLVE" in result.log, result.tail(20)


def test_size_budget(built):
    built.require_build()
    budgets = ex.expect(built.example).get("budget_mb", {})
    assert built.runner in budgets, f"tests/golden/{built.example}/expect.toml has no [budget_mb] {built.runner}"
    size_mb = int(built.image["Size"]) / 1e6
    assert size_mb <= budgets[built.runner], f"{size_mb:.1f} MB > budget {budgets[built.runner]} MB"


def test_healthcheck(built):
    """A HEALTHCHECK the plan defines is in the image and reaches `healthy`."""
    built.require_build()
    plan = h.plan_for(built.example, built.runner)
    planned = any(i.kind == "healthcheck" for i in plan.stages[-1].instructions)
    test = ic.healthcheck_of(built.config)
    assert bool(test) == planned, f"plan HEALTHCHECK={planned}, image HEALTHCHECK={test}"
    if test:
        h.start(built)
        status = h.wait_health(built)
        assert status == "healthy", (f"HEALTHCHECK status {status}; last probe: "
                                     f"{built.engine.inspect_container(built.container)['State'].get('Health', {}).get('Log', [])[-1:]}"
                                     f"\nlogs:\n{built.engine.logs(built.container, 20)}")


def test_loopback_bind_is_unreachable_from_outside(built):
    """The control for the outside probe: node-fastify-loopback run with its loopback default
    (LISTEN_HOST=127.0.0.1) turns healthy inside, yet its published port gives no HTTP answer."""
    if built.example != "node-fastify-loopback":
        return
    built.require_build()
    import uuid

    port = ic.exposed_ports(built.config)[0]
    host_port = h.free_port()
    name = f"{h.PREFIX}loopback-{uuid.uuid4().hex[:6]}"
    built.engine.run_detached(built.tag, name=name, publish=[(host_port, port)], env={"LISTEN_HOST": "127.0.0.1"},
                              extra=["--health-interval", "2s"])
    try:
        probe = h.Built(built.example, built.runner, built.ctx, built.tag, built.build, built.engine,
                        container=name, host_port=host_port)
        assert h.wait_health(probe) == "healthy"
        from dockgen.verify import http_get

        try:
            status, _ = http_get(f"http://127.0.0.1:{host_port}/", timeout=3)
        except OSError:
            status = None
        assert status is None, f"a loopback-bound app answered {status} on the published port"
    finally:
        built.engine.rm([name])

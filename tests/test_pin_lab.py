"""Pinning against the real lab registry (127.0.0.1:5000) and engine: resolve, pin, build, check, drift.

Marked ``e2e``. Without an engine, the registry or the lab's images these tests skip with the reason;
with ``DOCKGEN_E2E=1`` (CI) that is a failure instead.

The lab's own tags are never touched: the tests copy the two images they need into a throwaway
namespace of the lab registry (``127.0.0.1:5000/dockgen-e2e-pin/…``, a mirror with a prefix), pin
through that mirror, push a different image onto one of those tags to make the drift, and delete
the namespace's manifests (repository-scoped) and the local tags they created at the end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dockgen.generator.imagename import parse_mirror, parse_reference
from dockgen.generator.pins import LOCKFILE, parse_lock
from dockgen.registry import ACCEPT, RegistryClient
from support.lint import assert_clean

pytestmark = pytest.mark.e2e

STRICT = os.environ.get("DOCKGEN_E2E") == "1"
REGISTRY = os.environ.get("DOCKGEN_LAB_REGISTRY", "127.0.0.1:5000")
NAMESPACE = "dockgen-e2e-pin"
MIRROR = f"{REGISTRY}/{NAMESPACE}"
IMAGES = ("golang:1.22-bookworm", "gcr.io/distroless/static-debian13:nonroot")
LAB_TAGS = ("python:3.11-slim-bookworm", "gcr.io/distroless/static-debian13:nonroot", "eclipse-temurin:21-jre",
            "node:24-bookworm-slim")
PREFIX = "dockgen-e2e-pin"

GO_MAIN = """package main

import (
\t"fmt"
\t"net/http"
\t"os"
)

func main() {
\tport := os.Getenv("PORT")
\tif port == "" {
\t\tport = "8080"
\t}
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "pinned by digest") })
\t_ = http.ListenAndServe(":"+port, nil)
}
"""


def _unavailable(reason: str):
    if STRICT:
        pytest.fail(f"DOCKGEN_E2E=1 but {reason}")
    pytest.skip(reason)


def _docker_bin() -> str | None:
    explicit = os.environ.get("DOCKGEN_DOCKER")
    if explicit:
        return explicit
    # The lab's rule: build with the Debian 20.10 client (BuildKit without buildx).
    return "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else shutil.which("docker")


def docker(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    out = subprocess.run([DOCKER, *args], capture_output=True, text=True, timeout=timeout, env=env)
    if check and out.returncode != 0:
        raise AssertionError(f"docker {' '.join(args[:3])} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out


DOCKER = _docker_bin() or "docker"


@pytest.fixture(scope="module")
def lab():
    if _docker_bin() is None:
        _unavailable("no docker client (run `eval \"$(../shared/lab/lab env)\"` after `lab up`)")
    try:
        ver = docker("version", "--format", "{{.Server.Version}}", check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"no container engine ({exc})")
    if ver.returncode != 0:
        last = (ver.stderr.strip().splitlines() or ["no output"])[-1]
        _unavailable(f"no container engine answers ({last})")
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"http://{REGISTRY}/v2/", timeout=5) as resp:
            ok = resp.status == 200
    except OSError:
        ok = False
    if not ok:
        _unavailable(f"the lab registry {REGISTRY} does not answer (`lab up` starts it)")
    missing = [t for t in IMAGES if docker("image", "inspect", t, check=False).returncode != 0]
    if missing:
        _unavailable(f"the lab images {missing} are missing (`lab up` builds them)")
    return REGISTRY


def _manifest_digest_by_get(host: str, repo: str, tag: str) -> str:
    req = urllib.request.Request(f"http://{host}/v2/{repo}/manifests/{tag}", headers={"Accept": ACCEPT})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10) as resp:
        return "sha256:" + hashlib.sha256(resp.read()).hexdigest()


def test_resolves_the_lab_tags(lab):
    client = RegistryClient(parse_mirror(lab), timeout=10)
    for tag in LAB_TAGS:
        got = client.resolve(tag)
        ref = parse_reference(tag)
        repo = parse_mirror(lab).repository(ref)
        assert got.repository == repo and got.registry == lab
        assert got.digest == _manifest_digest_by_get(lab, repo, ref.tag)
    # The same image by its mirror name, without a mirror.
    direct = RegistryClient().resolve(f"{lab}/library/python:3.11-slim-bookworm")
    assert direct.digest == client.resolve("python:3.11-slim-bookworm").digest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dockgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCKGEN_REGISTRY_MIRROR"}
    return subprocess.run([sys.executable, "-m", "dockgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


@pytest.fixture
def throwaway(lab):
    """Copies of IMAGES in the throwaway namespace; removed afterwards (registry and local tags)."""
    client = RegistryClient(parse_mirror(MIRROR), timeout=10)
    pushed: dict[str, set[str]] = {}
    for image in IMAGES:
        target = str(parse_mirror(MIRROR).map(parse_reference(image)))
        docker("tag", image, target)
        docker("push", target)
        pushed[target] = {client.resolve(target).digest}
    yield list(pushed)
    for target, digests in pushed.items():
        ref = parse_reference(target)
        try:
            digests.add(client.resolve(target).digest)  # the drift image, if one was pushed
        except Exception:  # noqa: BLE001 - best-effort cleanup of our own namespace
            pass
        for digest in sorted(digests):
            req = urllib.request.Request(f"http://{ref.registry}/v2/{ref.repository}/manifests/{digest}",
                                         method="DELETE")
            try:
                urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10).close()
            except OSError:
                pass
        docker("rmi", target, check=False)
        for digest in sorted(digests):  # the repo@digest references a push leaves on the local images
            docker("rmi", f"{ref.registry}/{ref.repository}@{digest}", check=False)


def test_pin_build_check_then_drift(lab, throwaway, tmp_path):
    root = tmp_path / "app"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/pinlab\n\ngo 1.22\n")
    (root / "main.go").write_text(GO_MAIN)

    init = _dockgen("init", "--runner", "distroless", ".", cwd=root)
    assert init.returncode == 0, init.stderr
    pinned = _dockgen("pin", "--registry-mirror", MIRROR, ".", cwd=root)
    assert pinned.returncode == 0, pinned.stderr
    lock = parse_lock((root / LOCKFILE).read_text())
    assert sorted(lock.images) == sorted(IMAGES) and lock.mirror == MIRROR
    text = (root / "Dockerfile").read_text()
    for image in IMAGES:
        mapped = parse_mirror(MIRROR).map(parse_reference(image))
        assert f"FROM {mapped}@{lock.images[image]}" in text
    assert_clean(text)

    # The pinned Dockerfile builds with BuildKit, pulling by digest from the lab registry.
    ctx = tmp_path / "ctx"
    shutil.copytree(root, ctx, ignore=shutil.ignore_patterns(".dockgen"))
    tag = f"{PREFIX}-app:{os.getpid()}"
    name = f"{PREFIX}-{os.getpid()}"
    try:
        start = time.monotonic()
        build = docker("build", "--network", "host", "--progress", "plain", "-t", tag, str(ctx), timeout=900)
        build_s = time.monotonic() - start
        log = build.stderr + build.stdout
        digest = lock.images["gcr.io/distroless/static-debian13:nonroot"]
        assert f"{MIRROR}/distroless/static-debian13:nonroot@{digest}" in log
        labels = docker("image", "inspect", "--format",
                        '{{index .Config.Labels "org.opencontainers.image.base.digest"}}', tag).stdout.strip()
        assert labels == digest
        # …and the app answers.
        port = _free_port()
        docker("run", "-d", "--name", name, "--network", "host", "-e", f"PORT={port}", tag)
        body, deadline = "", time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                        f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "pinned by digest" in body
        print(f"pinned build: {build_s:.1f}s")
    finally:
        docker("rm", "-f", name, check=False)
        docker("rmi", tag, check=False)

    # dockgen check passes, offline and online.
    check = _dockgen("check", ".", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    online = _dockgen("check", "--online", ".", cwd=root)
    assert online.returncode == 0, online.stdout + online.stderr

    # Push a different image onto the runner's tag: the online check reports the drift, offline does not.
    static = parse_mirror(MIRROR).map(parse_reference("gcr.io/distroless/static-debian13:nonroot"))
    drift_ctx = tmp_path / "drift"
    drift_ctx.mkdir()
    (drift_ctx / "Dockerfile").write_text(f"FROM {IMAGES[1]}\nLABEL dockgen.e2e.drift=\"{os.getpid()}\"\n")
    docker("build", "--network", "host", "-t", str(static), str(drift_ctx))
    docker("push", str(static))
    try:
        drifted = _dockgen("check", "--online", ".", cwd=root)
        assert drifted.returncode == 1, drifted.stdout + drifted.stderr
        lines = [ln for ln in drifted.stdout.splitlines() if "no longer" in ln or "now points to" in ln]
        assert len(lines) == 1 and "static-debian13:nonroot is pinned to" in lines[0], drifted.stdout
        assert _dockgen("check", "--offline", ".", cwd=root).returncode == 0
        # dockgen pin picks up the new digest and the check passes again.
        again = _dockgen("pin", "--registry-mirror", MIRROR, ".", cwd=root)
        assert again.returncode == 0 and "changed" in again.stdout, again.stderr
        assert _dockgen("check", "--online", ".", cwd=root).returncode == 0
    finally:
        docker("rmi", str(static), check=False)


def test_os_packages_policy_builds_and_keeps_downloads_in_the_cache_mount(lab, tmp_path):
    """The policy's RUN (pinned with a trailing *, quoted) installs on the lab's Debian image, pinned by
    digest through the lab registry; re-running the install downloads nothing (the cache mount works
    despite the image's docker-clean hook)."""
    from dockgen.generator import models as m
    from dockgen.generator import ospackages
    from dockgen.generator.pins import Lock, apply_lock
    from dockgen.generator.render import render_dockerfile_body, with_marker

    image = "debian:bookworm-slim"
    digest = RegistryClient(parse_mirror(lab), timeout=10).resolve(image).digest
    stage = m.Stage(name=None, image=m.ImageRef(name="debian", tag="bookworm-slim"), instructions=(
        m.Arg(name="CACHE_BUST"),  # a new value re-runs the install without --no-cache (which drops cache mounts)
        *ospackages.runner_install(["libpq5=15.*"], "slim"),
        m.Run(command="dpkg-query -W -f '${Package} ${Version}\\n' libpq5"),
        m.User(uid=10001, gid=10001),
        m.Cmd(argv=("true",))))
    plan = m.BuildPlan(ecosystem="go", runner="slim", reasons=("os packages policy",), stages=(stage,),
                       ignore=(), port=None, user=10001)
    plan = apply_lock(plan, Lock(images={image: digest}, mirror=lab))
    text = with_marker(render_dockerfile_body(plan))
    assert f"FROM {lab}/library/debian:bookworm-slim@{digest}" in text
    assert_clean(text)
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(text)
    tag = f"{PREFIX}-apt:{os.getpid()}"
    try:
        logs = []
        for i in range(2):
            out = docker("build", "--build-arg", f"CACHE_BUST={os.getpid()}-{time.time_ns()}-{i}", "--network",
                         "host", "--progress", "plain", "-t", tag, str(ctx), timeout=900)
            logs.append(out.stderr + out.stdout)
        assert "libpq5 15." in logs[0]
        assert "Need to get 0 B" in logs[1], logs[1][-2000:]
    finally:
        docker("rmi", tag, check=False)

"""``dockgen init --all`` on the two-service fixture, then one ``docker buildx bake`` builds both images
(the lab's buildx 0.13 with the docker driver); each runs as a numeric non-root user and serves."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid

import pytest

from support import examples as ex
from support.regen import run

from . import harness as h

NAME = "java-maven-services"
SERVICES = ("orders", "billing")


@pytest.fixture(scope="module")
def baked(engine, workdir):
    repo = shutil.copytree(ex.EXAMPLES / NAME, workdir / f"bake-{uuid.uuid4().hex[:6]}")
    r = run("init", "--all", str(repo))
    assert r.returncode == 0, r.stderr
    if engine.call(["buildx", "version"]).returncode != 0:
        pytest.skip("no docker buildx plugin (the lab installs it: `lab up`)")
    # The bake file's variables name the images: the session's prefix, so the engine fixture removes them.
    engine.extra_env.update({"REGISTRY": h.PREFIX, "TAG": "bake"})
    try:
        printed = engine.call(["buildx", "bake", "-f", str(repo / "docker-bake.hcl"), "--print"], check=True)
        # The targets' context "." is the directory bake runs in: the workspace root.
        proc = subprocess.run([engine.binary, "buildx", "bake", "-f", "docker-bake.hcl", "--progress", "plain"],
                              cwd=repo, env=engine.env, capture_output=True, text=True, timeout=1800,
                              stdin=subprocess.DEVNULL)
    finally:
        engine.extra_env.pop("REGISTRY", None)
        engine.extra_env.pop("TAG", None)
    return repo, json.loads(printed.stdout), proc


def test_bake_file_as_buildx_reads_it(baked):
    _, printed, _ = baked
    assert printed["group"]["default"]["targets"] == list(SERVICES)
    for name in SERVICES:
        target = printed["target"][name]
        assert target["dockerfile"] == f"{name}/Dockerfile"
        assert target["tags"] == [f"{h.PREFIX}{name}:bake"]


def test_one_bake_builds_both(baked, engine):
    _, _, proc = baked
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in SERVICES:
        assert engine.images(f"{h.PREFIX}{name}:bake"), f"{name} was not built"


@pytest.mark.parametrize("service", SERVICES)
def test_each_runs_non_root_and_serves(baked, engine, service):
    assert baked[2].returncode == 0
    image = f"{h.PREFIX}{service}:bake"
    user = engine.inspect_image(image)["Config"]["User"]
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0", user
    port = h.free_port()
    name = f"{h.PREFIX}{service}-{uuid.uuid4().hex[:6]}"
    engine.run_detached(image, name=name, publish=[(port, 8080)])
    try:
        deadline, last = time.monotonic() + 90, ""
        while time.monotonic() < deadline:
            try:
                status, body = h.http_get(f"http://127.0.0.1:{port}/")
                break
            except OSError as exc:
                last = str(exc)
                time.sleep(1)
        else:
            pytest.fail(f"{service}: no answer ({last}):\n{engine.logs(name)}")
        assert status == 200 and f"Hello from {service} (java-maven-services)" in body
    finally:
        engine.rm([name])

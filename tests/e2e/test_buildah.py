"""Rootless-style builder: each example's default output also builds with buildah (no Docker daemon).

buildah gets the lab's stand-ins from its registry: a registries.conf maps docker.io and gcr.io to
127.0.0.1:5000 (plain HTTP), where the lab pushed them as ``library/<name>`` and ``distroless/<name>``.
As root in this sandbox it runs with ``--storage-driver vfs`` and ``--isolation chroot`` in a
throwaway storage root. Outside the lab (no DOCKGEN_LAB_REGISTRY) it uses the host's registries.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from dockgen import imagecheck as ic
from support import examples as ex

from . import harness as h
from .conftest import skip_if_declared

#: One build per stack and default-runner family (buildah's vfs storage makes each build slow).
CASES = [h.param(n, ex.expect(n)["runners"][0])
         for n in ex.representatives(lambda n: (ex.stack_of(n), ex.expect(n)["runners"][0]))]

REGISTRIES = """\
unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "docker.io"
location = "{reg}"
insecure = true

[[registry]]
prefix = "gcr.io"
location = "{reg}"
insecure = true
"""


def _install_buildah() -> str | None:
    """buildah's path; installs the Debian package when missing and we are root with apt."""
    found = shutil.which("buildah")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-q", "buildah"], capture_output=True, env=env, timeout=600)
    return shutil.which("buildah")


@pytest.fixture(scope="module")
def buildah(engine):  # engine: the same "is there a lab" gate as the rest of the suite
    binary = _install_buildah()
    if not binary:
        pytest.skip("buildah is not installed and could not be installed (apt-get install buildah)")
    root = Path(tempfile.mkdtemp(prefix="dockgen-e2e-buildah-", dir="/var/tmp"))
    conf = root / "registries.conf"
    reg = os.environ.get("DOCKGEN_LAB_REGISTRY")
    env = dict(os.environ)
    if reg:
        conf.write_text(REGISTRIES.format(reg=reg), "utf-8")
        env["CONTAINERS_REGISTRIES_CONF"] = str(conf)
    policy = root / "policy.json"
    policy.write_text(json.dumps({"default": [{"type": "insecureAcceptAnything"}]}), "utf-8")
    base = [binary, "--root", str(root / "storage"), "--runroot", str(root / "run"), "--storage-driver", "vfs"]

    def run(args, timeout=1800):
        return subprocess.run([*base, *args], capture_output=True, text=True, env=env, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    run.policy = str(policy)  # type: ignore[attr-defined]
    yield run
    run(["rmi", "--all", "--force"], timeout=300)
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("case", CASES)
def test_buildah_builds(case, buildah, workdir):
    example, runner = case
    skip_if_declared(example, runner)
    ctx = h.prepare_context(example, runner, workdir / f"{example}-{runner}-buildah")
    tag = h.tag_for(example, runner, "-buildah")
    try:
        df = h.dockerfile_in(ctx, example)
        member = ["-f", str(df), "--ignorefile", f"{df}.dockerignore"] if df else []
        p = buildah(["bud", "--isolation", "chroot", "--network", "host", *member,
                     "--signature-policy", buildah.policy, "-t", tag, str(ctx)])
        assert p.returncode == 0, f"buildah bud failed ({p.returncode}):\n" + "\n".join(
            (p.stdout + p.stderr).splitlines()[-25:])
        info = buildah(["inspect", "--type", "image", tag], timeout=120)
        assert info.returncode == 0, info.stderr
        config = json.loads(info.stdout).get("OCIv1", {}).get("config", {})
        assert ic.user_problem(config.get("User", "")) is None, ic.user_problem(config.get("User", ""))
        assert config.get("ExposedPorts"), "buildah's image lost EXPOSE"
    finally:
        buildah(["rmi", "--force", tag], timeout=300)

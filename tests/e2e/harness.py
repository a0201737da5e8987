"""Shared machinery of the end-to-end suite: contexts, builds, containers, probes, declared skips.

One build per example × runner (cached in ``BUILDS``), shared by every check on it; the cache test
adds two rebuilds per example. Every image is tagged ``dockgen-e2e-*`` and every container is named
``dockgen-e2e-*`` so the session can remove them all at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest

from dockgen import imagecheck as ic
from dockgen.engine import BuildResult, Engine
from dockgen.verify import http_get
from support import examples as ex

#: Per session, so concurrent sessions on one engine never remove each other's images.
PREFIX = f"dockgen-e2e-{uuid.uuid4().hex[:6]}-"
#: The lab beside the checkout (CI's layout), or beside an ancestor (a git worktree under /work/wt).
LAB = next((d / "shared" / "lab" / "lab" for d in ex.ROOT.parents if (d / "shared" / "lab" / "lab").is_file()),
           ex.ROOT.parent / "shared" / "lab" / "lab")
#: Runners whose stand-in images the lab does not provide, and why (checked against `lab images`).
LAB_RUNNER_IMAGES = {"alpine": "alpine"}

#: Files planted in every build context; none may reach any layer.
JUNK = {
    ".git/config": "[core]\n\trepositoryformatversion = 0\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".env": "DATABASE_PASSWORD=dockgen-e2e-secret\n",
    ".env.production": "API_KEY=dockgen-e2e-secret\n",
    "id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\ndockgen-e2e\n-----END OPENSSH PRIVATE KEY-----\n",
    "secrets.pem": "-----BEGIN PRIVATE KEY-----\ndockgen-e2e\n-----END PRIVATE KEY-----\n",
    "server.key": "dockgen-e2e\n",
    ".npmrc": "//registry.invalid/:_authToken=dockgen-e2e-secret\n",
    ".aws/credentials": "[default]\naws_secret_access_key = dockgen-e2e-secret\n",
    "docker-compose.yml": "services: {}\n",
    "debug.log": "dockgen-e2e\n",
}


# ---- declared skips -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def lab_images() -> tuple[str, ...] | None:
    """The lab's provided tags, or None when this is not the lab."""
    if not os.environ.get("DOCKGEN_LAB") or not LAB.is_file():
        return None
    try:
        out = subprocess.run(["bash", str(LAB), "images"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return tuple(out.stdout.split()) if out.returncode == 0 else None


def declared_skip(example: str, runner: str | None = None) -> str | None:
    """The reason this case may skip (expect.toml [e2e] skip / skip_runners, or a runner the lab lacks)."""
    e2e = ex.expect(example).get("e2e", {})
    if e2e.get("skip"):
        return str(e2e["skip"])
    if runner is None:
        return None
    per_runner = e2e.get("skip_runners", {})
    if runner in per_runner:
        return str(per_runner[runner])
    images = lab_images()
    word = LAB_RUNNER_IMAGES.get(runner)
    if images is not None and word and not any(word in tag for tag in images):
        return f"the lab has no {word} images"
    return None


def param(example: str, runner: str | None):
    reason = declared_skip(example, runner)
    marks = [pytest.mark.declared_skip(reason)] if reason else []
    return pytest.param((example, runner), id=f"{example}-{runner}" if runner else example, marks=marks)


def declared_version_skip(example: str, version: str) -> str | None:
    """The reason an extra-version case may skip (expect.toml [versions."X"] skip)."""
    reason = ex.expect(example).get("versions", {}).get(version, {}).get("skip")
    return str(reason) if reason else None


def version_param(example: str, version: str):
    reason = declared_version_skip(example, version)
    marks = [pytest.mark.declared_skip(reason)] if reason else []
    return pytest.param((example, "version", version), id=f"{example}-version-{version}", marks=marks)


def declared_skips() -> list[tuple[str, str, str]]:
    """(example, runner, reason) for every declared skip: listed in the session summary and the README."""
    out = []
    for name, runner in ex.cases():
        reason = declared_skip(name, runner)
        if reason:
            out.append((name, runner, reason))
    for name, version in ex.version_cases():
        reason = declared_version_skip(name, version)
        if reason:
            out.append((name, f"version {version}", reason))
    return out


# ---- contexts -----------------------------------------------------------------------------------


#: Junk planted only after `dockgen init`: a credential .npmrc changes what dockgen generates (a secret
#: mount), so planted before it would test another Dockerfile than the golden one.
JUNK_AFTER_INIT = (".npmrc",)


def plant_junk(ctx: Path, names: tuple[str, ...] | None = None) -> None:
    """Plant the junk files (or only ``names``); a file the example has itself is left alone."""
    for rel, text in JUNK.items():
        p = ctx / rel
        if (names is not None and rel not in names) or p.exists():
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")


def init_args(example: str, runner: str, version: str | None = None) -> list[str]:
    """`dockgen init` flags: --runner plus the example's options from expect.toml (and, for an extra
    version, ``--<stack>-version``)."""
    args = ["--runner", runner]
    if version is not None:
        args += [f"--{ex.stack_of(example)}-version", version]
    for key, value in sorted(ex.expect(example).get("options", {}).items()):
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            args += [flag] if value else []
        elif key == "command":
            args += [flag, json.dumps(list(value))]
        elif isinstance(value, list):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


def prepare_context(example: str, runner: str, dest: Path, version: str | None = None) -> Path:
    """Copy the example, plant junk, run `dockgen init` in the copy."""
    shutil.copytree(ex.EXAMPLES / example, dest, symlinks=True)
    for p in dest.rglob("*"):  # examples may be read-only in a CI checkout
        if not p.is_symlink():
            p.chmod(p.stat().st_mode | 0o200)
    plant_junk(dest, tuple(n for n in JUNK if n not in JUNK_AFTER_INIT))
    cp = subprocess.run([sys.executable, "-m", "dockgen", "init", str(dest / ex.member(example)),
                         *init_args(example, runner, version)],
                        capture_output=True, text=True, timeout=120)
    assert cp.returncode == 0, f"dockgen init failed ({cp.returncode}): {cp.stderr.strip() or cp.stdout.strip()}"
    plant_junk(dest, JUNK_AFTER_INIT)
    return dest


def plan_for(example: str, runner: str, version: str | None = None):
    import dockgen

    opts = dict(ex.expect(example).get("options", {}) if version is None else ex.version_options(example, version))
    opts["runner"] = runner
    return dockgen.plan(ex.project(example), **opts).plan


def facts_for(example: str, runner: str):
    import dockgen

    opts = dict(ex.expect(example).get("options", {}), runner=runner)
    return dockgen.plan(ex.project(example), **opts).facts


def own_layers(built: "Built", plan) -> int:
    """Index of the first layer the build put over the runner base (the base's own files come first)."""
    base = plan.stages[-1].image
    return 0 if base.name == "scratch" else len(built.engine.inspect_image(base.ref)["RootFS"]["Layers"])


def dockerfile_in(ctx: Path, example: str) -> Path | None:
    """The Dockerfile to build when it is not the context's own (a workspace member's), else None.
    BuildKit then reads the ignore file next to it (``Dockerfile.dockerignore``)."""
    return ctx / ex.member(example) / "Dockerfile" if ex.member(example) else None


def steps_marked(plan, step: str, *, skip_stages: tuple[str, ...] = ()) -> list[str]:
    return [i.command for st in plan.stages if st.name not in skip_stages
            for i in st.instructions if getattr(i, "step", None) == step]


# ---- builds -------------------------------------------------------------------------------------


@dataclass
class Built:
    example: str
    runner: str
    ctx: Path
    tag: str
    build: BuildResult
    engine: Engine
    _config: dict | None = None
    _members: list | None = None
    container: str | None = None
    host_port: int | None = None
    extra_tags: list[str] = field(default_factory=list)
    #: The extra runtime version (``--<stack>-version``) of a version case, else None.
    version: str | None = None

    @property
    def image(self) -> dict:
        if self._config is None:
            self._config = self.engine.inspect_image(self.tag)
        return self._config

    @property
    def config(self) -> dict:
        return self.image.get("Config") or {}

    def members(self) -> list:
        if self._members is None:
            tar = self.ctx.parent / f"{self.ctx.name}.image.tar"
            self.engine.save(self.tag, tar)
            try:
                self._members = ic.layer_members(tar)
            finally:
                tar.unlink(missing_ok=True)
        return self._members

    def require_build(self) -> None:
        if not self.build.ok:
            pytest.fail(f"build of {self.example} ({self.runner}) failed:\n{self.build.tail(25)}")

    def cleanup(self) -> None:
        if self.container:
            self.engine.rm([self.container])
            self.container = None
        self.engine.rmi([self.tag, *self.extra_tags])


def tag_for(example: str, runner: str, suffix: str = "") -> str:
    return f"{PREFIX}{example}-{runner}{suffix}:{uuid.uuid4().hex[:8]}".lower()


def build_case(engine: Engine, example: str, runner: str, workdir: Path, version: str | None = None) -> Built:
    suffix = f"-v{version}" if version else ""
    ctx = prepare_context(example, runner, workdir / f"{example}-{runner}{suffix}", version)
    tag = tag_for(example, runner, suffix)
    # The build line the header documents: `--secret id=npmrc,src=.npmrc` when the plan mounts one.
    result = engine.build(ctx, tag, dockerfile=dockerfile_in(ctx, example),
                          secrets=plan_for(example, runner, version).secrets)
    return Built(example, runner, ctx, tag, result, engine, version=version)


def start(built: Built) -> None:
    """Run the image once (shared by the HTTP and HEALTHCHECK checks)."""
    if built.container:
        return
    built.require_build()
    ports = ic.exposed_ports(built.config)
    assert ports, f"{built.example} ({built.runner}): the image EXPOSEs no port"
    # The probe must come from outside the container, as a user's would: the default bridge with the
    # port published on 127.0.0.1 (an app listening on loopback inside fails). The host network would
    # let such an app pass.
    assert built.engine.run_network != "host", "DOCKGEN_E2E_RUN_NETWORK=host cannot check the published port"
    name = f"{PREFIX}{built.example}-{built.runner}-{uuid.uuid4().hex[:6]}"
    extra = ["--health-interval", "2s"] if ic.healthcheck_of(built.config) else []
    host_port = free_port()
    built.engine.run_detached(built.tag, name=name, publish=[(host_port, ports[0])], extra=extra)
    built.container = name
    built.host_port = built.engine.host_port(name, ports[0])
    assert built.host_port == host_port


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(built: Built, path: str, timeout: float = 120) -> tuple[int, str]:
    url = f"http://127.0.0.1:{built.host_port}{path}"
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            return http_get(url)
        except OSError as exc:
            last = str(exc)
        state = built.engine.inspect_container(built.container)["State"]
        if not state.get("Running"):
            pytest.fail(f"container exited ({state.get('ExitCode')}) before answering {url}:\n"
                        + built.engine.logs(built.container, 20))
        time.sleep(1)
    pytest.fail(f"no HTTP answer on {url} within {timeout:.0f}s ({last}):\n" + built.engine.logs(built.container, 20))


def wait_health(built: Built, timeout: float = 150) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        state = built.engine.inspect_container(built.container)["State"]
        status = (state.get("Health") or {}).get("Status", "")
        if status in ("healthy", "unhealthy") or not state.get("Running"):
            return status or "exited"
        time.sleep(1)
    return status or "timeout"


def bust(path: Path) -> None:
    """Change a file in a way no earlier run has (the build cache outlives sessions) that every
    format involved accepts: trailing lines of spaces only (source files, JSON, TOML, YAML, XML,
    requirements.txt, go.mod, go.sum, vendor/modules.txt all ignore them)."""
    lines = ["\n", *(" " * (b % 61 + 1) + "\n" for b in os.urandom(10))]
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(lines))

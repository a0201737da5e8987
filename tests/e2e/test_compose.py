"""`dockgen verify --compose` on the lab: an app that reads Postgres and one that uses Redis come up healthy
beside their service, serve from it, run with the hardening in effect, and leave nothing behind — also when
the stack fails and when verify is interrupted."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import examples as ex



def compose_file(example: str) -> Path:
    """THE compose file under test: the one `dockgen init` generates for the example (its golden
    file, which tests/test_golden.py holds equal to what init writes)."""
    return ex.GOLDEN / example / "compose.yaml"


#: example → what `/` answers when it reads from its service.
SERVES = {"python-flask-postgres": r"Hello from PostgreSQL: \d+ visits", "node-express-redis": r"Hello from Redis: \d+ hits"}
HARDENING = ("read-only root", "no capabilities", "no-new-privileges", "default seccomp", "memory limit", "cpu limit",
             "pids limit")


def _verify(engine, proj: Path, compose: Path, *extra: str, timeout: int = 900) -> tuple[subprocess.CompletedProcess, dict]:
    args = [sys.executable, "-m", "dockgen", "verify", str(proj), "--compose", "--compose-file", str(compose),
            "--json", "--docker", engine.binary, *extra]
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=dict(os.environ))
    return p, (json.loads(p.stdout) if p.stdout.strip().startswith("{") else {})


def _left(engine, project: str) -> dict[str, list[str]]:
    label = f"label=com.docker.compose.project={project}"
    return {what: engine.call([*cmd, "--filter", label]).stdout.split()
            for what, cmd in (("containers", ["ps", "-a", "-q"]), ("volumes", ["volume", "ls", "-q"]),
                              ("networks", ["network", "ls", "-q"]))}


def _copy(example: str, workdir: Path, tag: str) -> Path:
    proj = workdir / f"compose-{tag}-{example}"
    shutil.rmtree(proj, ignore_errors=True)
    shutil.copytree(ex.EXAMPLES / example, proj)
    return proj


@pytest.mark.parametrize("example", sorted(SERVES))
def test_stack_serves_from_its_service_hardened_and_is_removed(engine, workdir, example):
    proj = _copy(example, workdir, "ok")
    p, report = _verify(engine, proj, compose_file(example))
    assert p.returncode == 0, f"{p.stdout}\n" + "\n".join(p.stderr.splitlines()[-20:])
    checks = {f["check"]: f for f in report["findings"]}
    assert re.search(SERVES[example], report["body"]), report["body"]
    assert report["http_status"] == 200 and report["url"].startswith("http://127.0.0.1:")
    for name in HARDENING:
        assert checks[f"hardening: {name}"]["ok"], checks[f"hardening: {name}"]
    assert checks["cleanup"]["ok"], checks["cleanup"]
    assert _left(engine, report["project"]) == {"containers": [], "volumes": [], "networks": []}
    # Every secret the compose file requires got a throwaway value, and none landed in the project.
    assert bool(report["generated_secrets"]) == (":?" in compose_file(example).read_text("utf-8"))
    assert not (proj / ".env").exists(), "secrets never land in the project"
    assert not (proj / "Dockerfile").exists(), "the generated Dockerfile is written only to the temp copy"


def test_failing_stack_is_removed_too(engine, workdir, tmp_path):
    """The app cannot reach its database (a wrong password): the check fails, and everything is still removed."""
    example = "python-flask-postgres"
    proj = _copy(example, workdir, "fail")
    broken = tmp_path / "compose.yaml"
    broken.write_text(compose_file(example).read_text("utf-8").replace(
        "postgresql://app:${POSTGRES_PASSWORD", "postgresql://app:wrong${POSTGRES_PASSWORD"), "utf-8")
    p, report = _verify(engine, proj, broken, "--timeout", "40")
    assert p.returncode == 1, p.stdout
    failed = {f["check"] for f in report["findings"] if not f["ok"]}
    assert failed & {"up", "http"}, report["findings"]
    assert next(f for f in report["findings"] if f["check"] == "cleanup")["ok"]
    assert _left(engine, report["project"]) == {"containers": [], "volumes": [], "networks": []}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_verify_removes_the_stack(engine, workdir, sig):
    """Ctrl-C (or SIGTERM) while the stack is starting: verify still tears it down before exiting."""
    example = "node-express-redis"
    proj = _copy(example, workdir, f"sig{int(sig)}")
    args = [sys.executable, "-m", "dockgen", "verify", str(proj), "--compose", "--compose-file",
            str(compose_file(example)), "--docker", engine.binary]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=dict(os.environ))
    project = None
    for line in proc.stderr:
        m = re.search(r"\(project (dockgen-verify-[0-9a-f]+)\)", line)
        if m:
            project = m.group(1)
            break
    assert project, "verify never reached `compose up`"
    deadline = time.monotonic() + 120
    while not _left(engine, project)["containers"] and time.monotonic() < deadline:
        time.sleep(0.5)  # interrupt once the stack exists
    proc.send_signal(sig)
    proc.stderr.read()
    assert proc.wait(timeout=300) != 0
    assert _left(engine, project) == {"containers": [], "volumes": [], "networks": []}

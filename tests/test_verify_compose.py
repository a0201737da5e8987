"""`verify --compose` without an engine: throwaway secrets, the hardening verdicts, and the teardown that runs
whatever happens (a fake engine answers and records every docker call)."""

from __future__ import annotations

import json
import shutil
import stat

import pytest

from dockgen import compose_verify as cv
from dockgen.detectors.errors import UsageError
from dockgen.engine import Engine, Proc
from support import examples as ex

COMPOSE = """services:
  app:
    build: .
    ports: ["127.0.0.1:8000:8000"]
    environment:
      DATABASE_URL: "postgresql://app:${POSTGRES_PASSWORD:?set it}@db/app"
      OTHER: "${NOT_REQUIRED:-x} ${ALSO_NOT}"
  db:
    image: postgres:17
    environment: {POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set it}", TOKEN: "${API_TOKEN?set it}"}
"""
HARDENED = {"HostConfig": {"ReadonlyRootfs": True, "CapDrop": ["ALL"], "CapAdd": None,
                           "SecurityOpt": ["no-new-privileges:true"], "Memory": 1 << 29, "NanoCpus": 10**9,
                           "PidsLimit": 256}}
CONFIG = {"services": {"app": {"build": {"context": "."}, "ports": [{"target": 8000, "published": "8000"}]},
                       "db": {"image": "postgres:17"}}}


class FakeEngine(Engine):
    """Answers compose calls from ``answers`` (first matching word → Proc or exception); records calls."""

    def __init__(self, answers: dict, inspect: dict = HARDENED):
        self.binary, self.extra_env, self.build_network, self.run_network = "docker", {}, None, None
        self.answers, self.inspect, self.calls = answers, inspect, []

    def check(self) -> None:
        pass

    def call(self, args, *, timeout=None, check=False):
        self.calls.append(list(args))
        for word, answer in self.answers.items():
            if word in args:
                if isinstance(answer, BaseException):
                    raise answer
                return answer
        return Proc(0, "", "")

    def inspect_container(self, cid):
        return self.inspect


def _project(tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(ex.EXAMPLES / "python-flask-postgres", proj)
    (proj / "compose.yaml").write_text(COMPOSE, "utf-8")
    return proj


def _downs(engine):
    return [c for c in engine.calls if "down" in c]


def test_throwaway_env_only_required_variables(tmp_path):
    env = tmp_path / "e.env"
    names = cv.throwaway_env(COMPOSE, env)
    assert names == ["API_TOKEN", "POSTGRES_PASSWORD"]
    values = dict(line.split("=", 1) for line in env.read_text().splitlines())
    assert set(values) == set(names) and len(set(values.values())) == 2
    assert all(len(v) == 32 and int(v, 16) >= 0 for v in values.values())  # hex: safe inside a URL
    assert stat.S_IMODE(env.stat().st_mode) == 0o600


def test_hardening_verdicts():
    ok = cv.ComposeReport("p", "c", "x")
    cv._hardening(HARDENED, ok)
    assert ok.ok and len(ok.findings) == 7
    bad = cv.ComposeReport("p", "c", "x")
    cv._hardening({"HostConfig": {"ReadonlyRootfs": False, "CapDrop": ["ALL"], "CapAdd": ["NET_ADMIN"],
                                  "SecurityOpt": ["seccomp=unconfined"], "Memory": 0, "NanoCpus": 0,
                                  "PidsLimit": None}}, bad)
    assert {f.check.removeprefix("hardening: ") for f in bad.findings if not f.ok} == {
        "read-only root", "no capabilities", "no-new-privileges", "default seccomp", "memory limit", "cpu limit",
        "pids limit"}


def test_no_compose_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="has no compose.yaml"):
        cv.find_compose(tmp_path, None)


def test_failed_up_still_tears_down_and_writes_nothing(tmp_path):
    proj = _project(tmp_path)
    before = sorted(p.name for p in proj.iterdir())
    eng = FakeEngine({"config": Proc(0, json.dumps(CONFIG), ""), "up": Proc(1, "", "dependency failed to start"),
                      "ps": Proc(0, "", "")})
    report = cv.verify_compose(proj, engine=eng)
    assert not report.ok and {f.check for f in report.findings if not f.ok} == {"up"}
    down = _downs(eng)
    assert len(down) == 1 and {"-v", "--remove-orphans"} <= set(down[0]) and report.project in down[0]
    env_file = down[0][down[0].index("--env-file") + 1]
    assert not env_file.startswith(str(proj)), "the throwaway secrets never live in the project"
    assert sorted(p.name for p in proj.iterdir()) == before


def test_ctrl_c_during_up_tears_down_then_propagates(tmp_path):
    eng = FakeEngine({"config": Proc(0, json.dumps(CONFIG), ""), "up": KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        cv.verify_compose(_project(tmp_path), engine=eng)
    assert len(_downs(eng)) == 1


def test_leftovers_fail_the_cleanup_check(tmp_path):
    eng = FakeEngine({"config": Proc(0, json.dumps(CONFIG), ""), "up": Proc(1, "", "x"), "volume": Proc(0, "v1\n", "")})
    report = cv.verify_compose(_project(tmp_path), engine=eng)
    cleanup = next(f for f in report.findings if f.check == "cleanup")
    assert not cleanup.ok and cleanup.detail == "left behind: volumes: 1"


def test_the_scratch_copy_holds_the_compose_file_under_test(tmp_path):
    """Only the Dockerfile and ignore file are generated into the copy: the compose file under test
    is never overwritten (the generated outputs now include compose.yaml and .env.example)."""
    src = shutil.copytree(ex.EXAMPLES / "node-express-redis", tmp_path / "src")
    compose = ex.GOLDEN / "node-express-redis" / "compose.yaml"
    stack = cv.Stack(None, "p", tmp_path / "work", tmp_path / "env")
    stack.workdir.mkdir()
    report = cv.ComposeReport(str(src), str(compose), "p")
    cv._prepare(src, compose, stack, report, None)
    assert (stack.workdir / "compose.yaml").read_text("utf-8") == compose.read_text("utf-8")
    assert (stack.workdir / "Dockerfile").is_file() and (stack.workdir / ".dockerignore").is_file()
    assert not (stack.workdir / ".env.example").exists()
    assert report.generated_secrets == []

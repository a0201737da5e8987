"""compose.yaml on the lab: ``docker compose up -d --wait`` brings the generated stack up hardened
(read-only root, no capabilities, no-new-privileges, limits) and the app serves; ``down -v`` after.

One example per stack, then an app that reads PostgreSQL and Redis (both found by the detectors from
its drivers and the variables it reads) on the lab's ``postgres:17`` and ``redis:8`` stand-ins.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
import uuid
from pathlib import Path

import pytest

import dockgen
from support import examples as ex

from . import harness as h

STACK_EXAMPLES = ["python-sqlite-data", "node-nextjs-start", "go-static", "java-maven-plain"]

DB_APP = '''"""Counts visits in PostgreSQL and Redis: it serves only when both are reachable."""
import os

import psycopg2
import redis

CACHE = redis.Redis.from_url(os.environ["REDIS_URL"])


def app(environ, start_response):
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (n int)")
        cur.execute("INSERT INTO visits VALUES (1)")
        cur.execute("SELECT count(*) FROM visits")
        rows = cur.fetchone()[0]
    hits = CACHE.incr("hits")
    body = f"postgres rows={rows} redis hits={hits}\\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


def _compose(engine, repo: Path, project: str, *args: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    files = ["-f", "compose.yaml", "-f", "lab-ports.yaml"]
    return subprocess.run([engine.binary, "compose", "-p", project, *files, *args], cwd=repo, env=engine.env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _up_and_probe(engine, repo: Path, secrets: dict[str, str] | None = None) -> tuple[str, dict]:
    if engine.call(["compose", "version"]).returncode != 0:
        pytest.skip("no docker compose plugin (the lab installs it: `lab up`)")
    data = __import__("yaml").safe_load((repo / "compose.yaml").read_text())
    port = int(data["services"]["app"]["ports"][0].rsplit(":", 1)[1])
    host_port = h.free_port()
    # Only the published port moves (other runs use the app's port); everything else is the generated file.
    (repo / "lab-ports.yaml").write_text(f'services:\n  app:\n    ports: !override ["127.0.0.1:{host_port}:{port}"]\n')
    if secrets:
        (repo / ".env").write_text("".join(f"{k}={v}\n" for k, v in secrets.items()))
    project = f"{h.PREFIX}compose-{uuid.uuid4().hex[:6]}"
    try:
        up = _compose(engine, repo, project, "up", "-d", "--wait", "--build")
        assert up.returncode == 0, up.stderr[-3000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{host_port}/", timeout=20) as resp:
            body = resp.read().decode()
        cid = _compose(engine, repo, project, "ps", "-q", "app").stdout.strip()
        inspect = json.loads(engine.call(["inspect", cid], check=True).stdout)[0]
        return body, inspect
    finally:
        _compose(engine, repo, project, "down", "-v", "--rmi", "local", timeout=300)


def _hardened(inspect: dict) -> None:
    hc = inspect["HostConfig"]
    assert hc["ReadonlyRootfs"] is True and hc["CapDrop"] == ["ALL"] and not hc.get("CapAdd")
    assert hc["SecurityOpt"] == ["no-new-privileges:true"]  # no seccomp=unconfined: the default profile
    assert hc["PidsLimit"] == 512 and hc["Memory"] == 512 * 1024 * 1024 and hc["NanoCpus"] == 10**9
    assert inspect["State"]["Health"]["Status"] == "healthy"


@pytest.mark.parametrize("name", STACK_EXAMPLES)
def test_example_comes_up_hardened_and_serves(name, engine, workdir):
    repo = shutil.copytree(ex.EXAMPLES / name, workdir / f"compose-{name}-{uuid.uuid4().hex[:6]}")
    dockgen.generate(repo)
    body, inspect = _up_and_probe(engine, repo)
    want = ex.expect(name).get("http", {}).get("body")
    # Counters differ: the healthcheck also hits the app.
    assert want is None or re.sub(r"\d+", "N", want) in re.sub(r"\d+", "N", body), body
    _hardened(inspect)


def test_app_reading_postgres_and_redis_serves_from_both(engine, workdir):
    repo = shutil.copytree(ex.EXAMPLES / "python-psycopg2", workdir / f"compose-db-{uuid.uuid4().hex[:6]}")
    (repo / "app.py").write_text(DB_APP)
    (repo / "requirements" / "common.txt").write_text("gunicorn==23.0.0\npsycopg2==2.9.13\nredis==5.2.1\n")
    # The detectors find both services from the drivers and the variables app.py reads.
    facts = dockgen.plan(repo).facts
    assert {(n.kind, tuple(v.name for v in n.env)) for n in facts.app.services} == {
        ("postgres", ("DATABASE_URL",)), ("redis", ("REDIS_URL",))}
    dockgen.generate(repo)
    assert "POSTGRES_PASSWORD=" in (repo / ".env.example").read_text().splitlines()
    body, inspect = _up_and_probe(engine, repo, {"POSTGRES_PASSWORD": uuid.uuid4().hex})
    # Each request (the healthcheck's too) adds a row and a hit: both stores answered.
    assert re.fullmatch(r"postgres rows=[1-9]\d* redis hits=[1-9]\d*\n", body), body
    _hardened(inspect)

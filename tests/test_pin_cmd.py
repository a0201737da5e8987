"""``dockgen pin``, ``--offline``, the pin part of ``dockgen check`` and ``plan --json`` pins, against
the fake loopback registry (tests/support/fake_registry.py) and a small Go project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockgen import api
from dockgen.cmd_pin import pin
from dockgen.detectors.errors import RefusedError
from dockgen.generator.pins import LOCKFILE, parse_lock
from dockgen.pins_check import check_pins, from_lines
from dockgen.registry import RegistryError
from support.fake_registry import DOCKER_V2, OCI_INDEX, FakeRegistry, Running, digest_of, index, manifest
from support.lint import assert_clean

GO_MAIN = """package main

import (
\t"fmt"
\t"net/http"
)

func main() {
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "pinned") })
\t_ = http.ListenAndServe(":8080", nil)
}
"""
GOLANG = ("library/golang", "1.22-bookworm")
STATIC = ("distroless/static-debian13", "nonroot")


def go_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/pinme\n\ngo 1.22\n")
    (root / "main.go").write_text(GO_MAIN)
    return root


@pytest.fixture
def registry():
    reg = FakeRegistry()
    amd, arm = manifest("golang amd64"), manifest("golang arm64")
    reg.put(*GOLANG, (OCI_INDEX, index(amd, arm)), (DOCKER_V2, amd))
    reg.put(*STATIC, (DOCKER_V2, manifest("static")))
    run = Running(reg)
    try:
        yield reg
    finally:
        run.stop()


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKGEN_REGISTRY_MIRROR", raising=False)
    root = go_project(tmp_path / "app")
    api.generate(root, runner="distroless")
    return root


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_pin_writes_the_lock_and_pinned_from_lines(project, registry):
    report = pin(project, mirror=registry.host)
    golang = digest_of(registry.manifests[GOLANG][0][1])
    static = digest_of(registry.manifests[STATIC][0][1])
    assert [(i, d, s) for i, d, s in report.images] == [
        ("golang:1.22-bookworm", golang, "new"),
        ("gcr.io/distroless/static-debian13:nonroot", static, "new")]
    lock = parse_lock((project / LOCKFILE).read_text())
    assert lock.images == {"golang:1.22-bookworm": golang, "gcr.io/distroless/static-debian13:nonroot": static}
    assert lock.mirror == registry.host
    text = (project / "Dockerfile").read_text()
    assert f"FROM {registry.host}/library/golang:1.22-bookworm@{golang} AS " in text
    assert f"FROM {registry.host}/distroless/static-debian13:nonroot@{static}" in text
    assert_clean(text)
    # Regeneration keeps the pins; a second pin changes nothing.
    assert {f.status for f in api.generate(project).files} == {"identical"}
    again = pin(project)  # a refresh uses the mirror the lock records
    assert {s for _, _, s in again.images} == {"unchanged"} and again.lock_status == "identical"
    assert check_pins(project, online=False) == []
    assert check_pins(project, online=True, mirror=registry.host) == []


def test_plan_json_lists_pins_and_their_source(project, registry):
    before = api.plan(project).to_json_dict()
    assert [(p["image"], p["digest"], p["source"]) for p in before["pins"]] == [
        ("golang", None, "catalog"), ("gcr.io/distroless/static-debian13", None, "catalog")]
    assert [u["item"] for u in before["unpinned"] if u["kind"] == "base image"] == [
        "golang:1.22-bookworm", "gcr.io/distroless/static-debian13:nonroot"]
    pin(project, mirror=registry.host)
    after = api.plan(project).to_json_dict()
    assert {p["source"] for p in after["pins"]} == {LOCKFILE}
    assert all(p["digest"].startswith("sha256:") and "@sha256:" in p["from"] for p in after["pins"])
    assert [u for u in after["unpinned"] if u["kind"] == "base image"] == []


def test_moved_tag_is_reported_by_the_online_check(project, registry):
    pin(project, mirror=registry.host)
    registry.put(*STATIC, (DOCKER_V2, manifest("static, rebuilt")))
    findings = check_pins(project, online=True, mirror=registry.host)
    assert len(findings) == 1
    assert findings[0].startswith("Dockerfile:") and "distroless/static-debian13:nonroot is pinned to sha256:" in \
        findings[0] and "run `dockgen pin`" in findings[0]
    assert check_pins(project, online=False) == []  # offline cannot see it, and asks nothing
    seen = len(registry.seen)
    check_pins(project, online=False)
    assert len(registry.seen) == seen
    report = pin(project, mirror=registry.host)
    assert dict((i, s) for i, _, s in report.images)["gcr.io/distroless/static-debian13:nonroot"] == "changed"
    assert check_pins(project, online=True, mirror=registry.host) == []


def test_failed_resolution_writes_nothing(project, registry):
    before = files(project)
    del registry.manifests[STATIC]
    with pytest.raises(RegistryError, match="not found"):
        pin(project, mirror=registry.host)
    assert files(project) == before


def test_refused_rewrite_restores_the_lock(project, registry):
    pin(project, mirror=registry.host)
    with (project / "Dockerfile").open("a") as fh:
        fh.write("# my edit\n")
    before = files(project)
    registry.put(*STATIC, (DOCKER_V2, manifest("static v2")))
    with pytest.raises(RefusedError):
        pin(project, mirror=registry.host)
    assert files(project) == before
    pin(project, mirror=registry.host, force=True)
    assert (project / "Dockerfile.dockgen-backup").is_file()


def test_offline_lists_missing_pins_and_touches_no_network(project):
    report = pin(project, offline=True)
    assert report.missing == ["golang:1.22-bookworm", "gcr.io/distroless/static-debian13:nonroot"]
    assert not (project / LOCKFILE).exists()


def test_check_reports_every_from_line_without_a_digest(tmp_path):
    d = "sha256:" + "a" * 64
    (tmp_path / "Dockerfile").write_text(
        "ARG BASE=debian:12-slim\n"
        f"FROM golang:1.22-bookworm@{d} AS build\n"
        "FROM build AS test\n"
        "FROM python:3.11-slim\n"
        "FROM $BASE\n"
        "FROM scratch\n")
    findings = check_pins(tmp_path, online=False)
    assert findings == [
        "Dockerfile:4: FROM python:3.11-slim has no digest (run `dockgen pin`)",
        "Dockerfile:5: FROM $BASE uses a build argument, so its digest cannot be checked"]
    assert [f.line for f in from_lines((tmp_path / "Dockerfile").read_text())] == [2, 4, 5]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_pins(empty, online=False) == ["Dockerfile: not found (run `dockgen init`, then `dockgen pin`)"]


def test_unreachable_registry_is_a_finding_not_a_traceback(project, registry):
    pin(project, mirror=registry.host)
    findings = check_pins(project, online=True, mirror="127.0.0.1:9")
    assert len(findings) == 2 and all("cannot check" in f and "127.0.0.1:9" in f for f in findings)


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "DOCKGEN_REGISTRY_MIRROR"}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "dockgen", *args], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=120)


def test_cli_pin_offline_then_online_with_the_environment_mirror(project, registry):
    off = _cli("pin", "--offline", ".", cwd=project)
    assert off.returncode == 1, off.stderr
    assert "missing    golang:1.22-bookworm" in off.stdout
    assert off.stderr.strip().splitlines() == [
        "dockgen: error: 2 base image(s) not pinned in dockgen.lock: golang:1.22-bookworm, "
        "gcr.io/distroless/static-debian13:nonroot (fix: run `dockgen pin` with network access)"]
    on = _cli("pin", ".", cwd=project, env={"DOCKGEN_REGISTRY_MIRROR": registry.host})
    assert on.returncode == 0, on.stderr
    assert "create     dockgen.lock" in on.stdout and "updated    Dockerfile" in on.stdout
    assert _cli("pin", "--offline", ".", cwd=project).returncode == 0
    plan = json.loads(_cli("plan", "--json", ".", cwd=project).stdout)
    assert {p["source"] for p in plan["pins"]} == {LOCKFILE}


def test_cli_pin_error_is_one_line(project, registry):
    del registry.manifests[GOLANG]
    out = _cli("pin", "--registry-mirror", registry.host, ".", cwd=project)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dockgen: error: golang:1.22-bookworm: not found at ")
    bad = _cli("pin", "--registry-mirror", "no such host", ".", cwd=project)
    assert bad.returncode == 2 and "is not HOST[:PORT][/PREFIX]" in bad.stderr


def test_cli_pin_help_renders(tmp_path):
    out = _cli("pin", "--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "--registry-mirror" in out.stdout and "--offline" in out.stdout

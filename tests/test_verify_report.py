"""`dockgen verify` against a fake docker binary: report, JSON, exit codes and cleanup.

The fake (tests/verify_fake_docker.py) answers from a scenario file and logs every call, so each
test can assert that containers and images were removed whatever happened.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dockgen import cli

FAKE = Path(__file__).with_name("verify_fake_docker.py")
ROOT = Path(__file__).resolve().parents[1]

DOCKERFILE = """\
FROM python:3.11-slim-bookworm AS build
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \\
    pip install -r requirements.txt
FROM python:3.11-slim-bookworm
COPY . /app
USER 10001
CMD ["python", "/app/app.py"]
"""

GOOD_LAYERS = [["usr/", "usr/bin/python3", "bin/sh"], ["app/", "app/app.py", "etc/ssl/certs/ca.pem"]]
GOOD_CONFIG = {"User": "10001", "ExposedPorts": {"8080/tcp": {}},
               "Healthcheck": {"Test": ["CMD", "python", "-c", "..."]}}


def _server(status: int, hits: list | None = None):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if hits is not None:
                hits.append(self.path)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture
def fake(tmp_path, monkeypatch, capsys, request):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    docker = bindir / "docker"
    docker.write_text(f"#!{sys.executable}\n" + FAKE.read_text("utf-8"), "utf-8")
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").write_text(DOCKERFILE, "utf-8")
    (project / "requirements.txt").write_text("flask==3.0.3\n", "utf-8")
    (project / "app.py").write_text("print('hi')\n", "utf-8")
    (project / ".env").write_text("SECRET=1\n", "utf-8")

    class Fake:
        path = docker
        log = tmp_path / "calls.jsonl"
        scenario_file = tmp_path / "scenario.json"
        project_dir = project

        def run(self, scenario: dict, *args: str, env_docker: bool = True, project_dir: Path = project):
            """`dockgen verify` in-process (the CLI's main(), exit code included).

            Unless the scenario names an ``http_port``, a local server answering ``http_status``
            (default 200) stands in for the container's published port."""
            base = {"layers": GOOD_LAYERS, "config": GOOD_CONFIG, "health": "healthy", "shell": True}
            base.update(scenario)
            if "http_port" not in base:
                srv = _server(base.get("http_status", 200))
                request.addfinalizer(srv.shutdown)
                base["http_port"] = srv.server_address[1]
            self.scenario_file.write_text(json.dumps(base), "utf-8")
            monkeypatch.setenv("FAKE_DOCKER_SCENARIO", str(self.scenario_file))
            monkeypatch.setenv("FAKE_DOCKER_LOG", str(self.log))
            monkeypatch.delenv("DOCKER_BUILDKIT", raising=False)
            if env_docker:
                monkeypatch.setenv("DOCKGEN_DOCKER", str(docker))
            else:
                monkeypatch.delenv("DOCKGEN_DOCKER", raising=False)
            monkeypatch.setattr(sys, "argv", ["dockgen", "verify", str(project_dir), "--timeout", "5", *args])
            capsys.readouterr()
            code = 0
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            captured = capsys.readouterr()
            return subprocess.CompletedProcess(sys.argv, code, captured.out, captured.err)

        def env(self, scenario: dict) -> dict:
            if "http_port" not in scenario:
                srv = _server(200)
                request.addfinalizer(srv.shutdown)
                scenario = {**scenario, "http_port": srv.server_address[1]}
            self.scenario_file.write_text(json.dumps(scenario), "utf-8")
            return dict(os.environ, FAKE_DOCKER_SCENARIO=str(self.scenario_file), FAKE_DOCKER_LOG=str(self.log),
                        DOCKGEN_DOCKER=str(docker))

        def calls(self) -> list[list[str]]:
            if not self.log.exists():
                return []
            return [json.loads(line)["args"] for line in self.log.read_text().splitlines()]

        def assert_cleaned(self):
            calls = self.calls()
            rmi = [c for c in calls if c[0] == "rmi"]
            assert rmi, f"no `docker rmi` in {calls}"
            tags = {c[c.index("-t") + 1] for c in calls if c[0] == "build"}
            assert tags and tags <= set(rmi[-1]), f"built {tags}, removed {rmi}"
            started = [c[c.index("--name") + 1] for c in calls if c[0] == "run" and "-d" in c]
            removed = {x for c in calls if c[0] == "rm" for x in c}
            assert set(started) <= removed, f"started {started}, removed {removed}"

    return Fake()


def test_all_checks_pass(fake):
    p = fake.run({})
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    for word in ("size        52.0 MB", "layers      2", "user        10001", "cold build", "warm build",
                 "ok   healthcheck", "ok   deps-cached", "ok   no-junk", "result: PASS"):
        assert word in out, f"{word!r} missing from:\n{out}"
    fake.assert_cleaned()
    calls = fake.calls()
    builds = [c for c in calls if c[0] == "build"]
    assert len(builds) == 2 and "--no-cache" in builds[0] and "--no-cache" not in builds[1]
    assert all(c[c.index("--progress") + 1] == "plain" for c in builds)
    # The project itself is untouched: the warm rebuild changed a temp copy.
    assert (fake.project_dir / "app.py").read_text() == "print('hi')\n"


def test_buildkit_is_forced(fake):
    fake.run({})
    lines = [json.loads(x) for x in fake.log.read_text().splitlines()]
    assert all(x["buildkit"] == "1" for x in lines if x["args"][0] == "build")


def test_json_report(fake):
    p = fake.run({}, "--json", "--build-network", "host")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["ok"] is True and data["size_bytes"] == 52_000_000 and data["layers"] == 2
    assert data["deps_steps"] and all(s["status"] == "CACHED" for s in data["deps_steps"])
    assert "pip install -r requirements.txt" in data["deps_steps"][0]["instruction"]
    assert data["cold_seconds"] > 0 and data["warm_seconds"] >= 0 and data["warm_ratio"] is not None
    assert {f["check"] for f in data["findings"]} >= {"build", "non-root", "no-junk", "healthcheck", "deps-cached"}
    builds = [c for c in fake.calls() if c[0] == "build"]
    assert all(c[c.index("--network") + 1] == "host" for c in builds)


def test_docker_option_wins(fake):
    p = fake.run({}, "--docker", str(fake.path), env_docker=False)
    assert p.returncode == 0, p.stderr


@pytest.mark.parametrize("scenario,check,detail", [
    ({"config": {**GOOD_CONFIG, "User": ""}}, "non-root", "runs as root"),
    ({"config": {**GOOD_CONFIG, "User": "0"}}, "non-root", "is root"),
    ({"config": {**GOOD_CONFIG, "User": "app"}}, "non-root", "not a numeric uid"),
    ({"layers": [*GOOD_LAYERS, ["app/.env"]]}, "no-junk", "app/.env"),
    ({"layers": [*GOOD_LAYERS, ["root/.ssh/id_rsa"]]}, "no-junk", "root/.ssh"),
    ({"layers": [*GOOD_LAYERS, ["src/.git/config", "src/.git/HEAD"]]}, "no-junk", "src/.git"),
    ({"warm_deps": "DONE 9.0s"}, "deps-cached", "re-ran"),
    ({"health": "unhealthy"}, "healthcheck", "unhealthy"),
    ({"id_u": "0"}, "id", "says 0"),
])
def test_failed_check_exits_1(fake, scenario, check, detail):
    p = fake.run(scenario)
    assert p.returncode == 1, p.stdout + p.stderr
    line = next((ln for ln in p.stdout.splitlines() if f"FAIL {check}" in ln), None)
    assert line and detail in line, p.stdout
    assert "result: FAIL" in p.stdout
    assert p.stderr.strip().splitlines()[-1].startswith("dockgen: error:")
    fake.assert_cleaned()


def test_shell_in_distroless_fails(fake):
    (fake.project_dir / "Dockerfile").write_text(DOCKERFILE.replace("FROM python:3.11-slim-bookworm\n",
                                                                "FROM gcr.io/distroless/python3-debian12:nonroot\n"))
    p = fake.run({})
    assert p.returncode == 1
    assert "FAIL no-shell" in p.stdout and "bin/sh" in p.stdout
    p = fake.run({"layers": [["usr/bin/python3.11"], ["app/app.py"]], "shell": False})
    assert p.returncode == 0, p.stdout
    assert "no shell (gcr.io/distroless/python3-debian12:nonroot)" in p.stdout


def test_stage_alias_resolves_to_base(fake):
    (fake.project_dir / "Dockerfile").write_text(
        "ARG RUNNER=gcr.io/distroless/static-debian12:nonroot\nFROM ${RUNNER} AS runtime\n"
        "FROM golang:1.22 AS build\nRUN go mod download\nFROM runtime\nUSER 65532\n")
    p = fake.run({"layers": [["etc/passwd"], ["server"]], "shell": False}, "--json")
    assert json.loads(p.stdout)["base"] == "gcr.io/distroless/static-debian12:nonroot"


def test_http_probe_without_healthcheck(fake):
    hits: list[str] = []
    srv = _server(200, hits)
    try:
        p = fake.run({"config": {"User": "10001", "ExposedPorts": {"8080/tcp": {}}},
                      "http_port": srv.server_address[1], "health": None})
    finally:
        srv.shutdown()
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok   outside" in p.stdout and "GET / from outside the container" in p.stdout
    assert "→ HTTP 200, first answer" in p.stdout
    assert hits == ["/"]
    run = next(c for c in fake.calls() if c[0] == "run" and "-d" in c)
    published = run[run.index("-p") + 1]
    assert re.fullmatch(r"127\.0\.0\.1:\d+:8080", published), published
    assert "--network" not in run  # the default bridge


@pytest.mark.parametrize("status", [404, 401])
def test_any_status_below_500_passes_from_outside(fake, status):
    p = fake.run({"http_status": status}, "--no-rebuild", "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(p.stdout)
    assert data["http_status"] == status and data["first_answer_seconds"] is not None
    outside = next(f for f in data["findings"] if f["check"] == "outside")
    assert outside["ok"] and f"HTTP {status}" in outside["detail"]


def test_5xx_from_outside_fails(fake):
    p = fake.run({"http_status": 503}, "--no-rebuild")
    assert p.returncode == 1
    assert "FAIL outside" in p.stdout and "HTTP 503" in p.stdout


def test_loopback_only_app_fails_from_outside(fake):
    """Healthy inside (the HEALTHCHECK runs in the container) but nothing answers on the published
    port: what an app bound to 127.0.0.1 looks like from outside."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    p = fake.run({"http_port": closed}, "--no-rebuild", "--timeout", "3")
    assert p.returncode == 1, p.stdout
    assert "ok   healthcheck" in p.stdout
    line = next(ln for ln in p.stdout.splitlines() if "FAIL outside" in ln)
    assert "no HTTP answer" in line and "bind 0.0.0.0" in line
    fake.assert_cleaned()


def test_host_network_cannot_check_from_outside(fake):
    p = fake.run({}, "--no-rebuild", "--run-network", "host", "--json")
    data = json.loads(p.stdout)
    outside = next(f for f in data["findings"] if f["check"] == "outside")
    assert outside["ok"] is False and outside["level"] == "warn" and "not made" in outside["detail"]
    run = next(c for c in fake.calls() if c[0] == "run" and "-d" in c)
    assert "-p" not in run and run[run.index("--network") + 1] == "host"


def test_progress_is_short_and_full_log_only_on_failure(fake):
    p = fake.run({}, "--no-rebuild")
    assert p.returncode == 0
    assert "==> building" in p.stderr and "#1 [internal]" not in p.stderr, p.stderr
    p = fake.run({}, "--no-rebuild", "--verbose")
    assert "#1 [internal] load build definition" in p.stderr
    p = fake.run({"build_fails": True})
    assert p.returncode == 1
    assert "---- full log ----" in p.stderr and "exit code: 2" in p.stderr


def test_stays_up_without_port_or_healthcheck(fake):
    p = fake.run({"config": {"User": "10001"}, "health": None}, "--no-rebuild")
    assert p.returncode == 0, p.stdout
    assert "stayed up" in p.stdout
    p = fake.run({"config": {"User": "10001"}, "health": None, "running": False}, "--no-rebuild")
    assert p.returncode == 1 and "FAIL stays-up" in p.stdout


def test_build_failure(fake):
    p = fake.run({"build_fails": True})
    assert p.returncode == 1
    assert "FAIL build" in p.stdout and "exit code: 2" in p.stdout
    assert not [c for c in fake.calls() if c[0] == "run"], "ran a container after a failed build"
    fake.assert_cleaned()


def test_no_engine_is_one_line_error(fake):
    p = fake.run({"no_engine": True})
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "no container engine answers `docker info`" in lines[0], p.stderr
    assert not [c for c in fake.calls() if c[0] == "build"]


def test_new_client_without_buildx_refuses_legacy_builder(fake):
    p = fake.run({"client_version": "28.2.2"})
    assert p.returncode == 1
    assert "no buildx plugin" in p.stderr and "legacy builder is never used" in p.stderr
    assert not [c for c in fake.calls() if c[0] == "build"]
    p = fake.run({"client_version": "28.2.2", "buildx": True})
    assert p.returncode == 0, p.stdout + p.stderr


def test_ctrl_c_still_cleans_up(fake):
    env = fake.env(dict(layers=GOOD_LAYERS, config=GOOD_CONFIG, health="healthy", shell=True, interrupt_on="inspect"))
    p = subprocess.run([sys.executable, "-m", "dockgen", "verify", str(fake.project_dir)], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 130, p.stdout + p.stderr
    assert "interrupted" in p.stderr
    fake.assert_cleaned()


def test_sigterm_still_cleans_up(fake):
    env = fake.env(dict(layers=GOOD_LAYERS, config=GOOD_CONFIG, health="starting", shell=True))
    proc = subprocess.Popen([sys.executable, "-m", "dockgen", "verify", str(fake.project_dir), "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(c[0] == "container" for c in fake.calls()):
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    fake.assert_cleaned()


def test_missing_file_is_usage_error(fake):
    p = fake.run({}, "--file", "Nope.Dockerfile")
    assert p.returncode == 2 and "does not exist" in p.stderr


def test_generated_dockerfile_stays_out_of_the_project(fake, tmp_path):
    proj = tmp_path / "goproj"
    proj.mkdir()
    (proj / "go.mod").write_text("module example.com/hello\n\ngo 1.22\n")
    (proj / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() {\n'
                                  '\thttp.ListenAndServe(":8080", nil)\n}\n')
    p = fake.run({"layers": [["usr/local/bin/hello"]], "shell": False, "health": None,
                  "config": {"User": "65532:65532"}}, "--no-rebuild", project_dir=proj)
    assert "generated by dockgen" in p.stdout, p.stdout + p.stderr
    assert not (proj / "Dockerfile").exists() and not (proj / ".dockerignore").exists()


def test_maven_module_builds_from_the_aggregator_root(fake, tmp_path):
    """A module's generated Dockerfile lands in the module inside a copy of the aggregator root, with
    its Dockerfile.dockerignore beside it; the build context is the root."""
    root = tmp_path / "reactor"
    ns = 'xmlns="http://maven.apache.org/POM/4.0.0"'
    gav = "<groupId>g</groupId><artifactId>parent</artifactId><version>1</version>"
    (root / "app").mkdir(parents=True)
    (root / "pom.xml").write_text(f"<project {ns}>{gav}<packaging>pom</packaging>"
                                  "<modules><module>app</module></modules></project>", "utf-8")
    (root / "app" / "pom.xml").write_text(
        f"<project {ns}><parent>{gav}</parent><artifactId>app</artifactId><build><plugins><plugin>"
        "<artifactId>maven-jar-plugin</artifactId><version>3.4.2</version><configuration><archive><manifest>"
        "<mainClass>g.Main</mainClass></manifest></archive></configuration></plugin></plugins></build>"
        "</project>", "utf-8")
    fake.run({}, "--no-rebuild", project_dir=root / "app")
    (build,) = [json.loads(x) for x in fake.log.read_text().splitlines() if json.loads(x)["args"][0] == "build"]
    args = build["args"]
    context, dockerfile = Path(args[-1]), Path(args[args.index("-f") + 1])
    assert dockerfile == context / "app" / "Dockerfile"
    assert {"Dockerfile", "Dockerfile.dockerignore", "pom.xml"} <= set(build["beside"])
    assert not (root / "app" / "Dockerfile").exists()  # generated in the temp copy only

#!/usr/bin/env python3
"""A fake ``docker`` CLI for the verify unit tests (tests/test_verify_*.py).

Behaviour comes from the JSON file named by FAKE_DOCKER_SCENARIO; every call is appended as a JSON
line to FAKE_DOCKER_LOG. Only what ``dockgen.engine`` uses is implemented.
"""

import io
import json
import os
import signal
import sys
import tarfile
import time

SC = json.load(open(os.environ["FAKE_DOCKER_SCENARIO"]))
ARGS = sys.argv[1:]
with open(os.environ["FAKE_DOCKER_LOG"], "a") as fh:
    # For a build: the files BuildKit would read next to the Dockerfile (its own ignore file).
    df = ARGS[ARGS.index("-f") + 1] if ARGS[:1] == ["build"] and "-f" in ARGS else None
    beside = sorted(os.listdir(os.path.dirname(df))) if df else None
    fh.write(json.dumps({"args": ARGS, "buildkit": os.environ.get("DOCKER_BUILDKIT"), "beside": beside}) + "\n")


def out(text="", rc=0, err=""):
    sys.stdout.write(text)
    sys.stderr.write(err)
    sys.exit(rc)


def interrupt_if(stage):
    if SC.get("interrupt_on") == stage:
        os.kill(os.getppid(), signal.SIGINT)
        time.sleep(2)


def opt(name, default=None):
    return ARGS[ARGS.index(name) + 1] if name in ARGS else default


cmd = ARGS[0] if ARGS else ""
sub = ARGS[1] if len(ARGS) > 1 else ""

if cmd == "version":
    out(SC.get("client_version", "20.10.24") + "\n")
if cmd == "buildx":
    out("", 1, "docker: 'buildx' is not a docker command.\n") if not SC.get("buildx") else out("v0.12\n")
if cmd == "info":
    if SC.get("no_engine"):
        out("", 1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n")
    out("20.10.24\n")
if cmd == "build":
    warm = "--no-cache" not in ARGS
    dockerfile = opt("-f")
    text = open(dockerfile).read().replace("\\\n", " ")
    runs = [ln for ln in text.splitlines() if ln.startswith("RUN ")]
    print("#1 [internal] load build definition from Dockerfile")
    print("#1 DONE 0.0s")
    n = 2
    for i, run in enumerate(runs, 1):
        print(f"#{n} [build {i}/{len(runs)}] {run}")
        is_deps = any(w in run for w in ("pip install", "npm ci", "go mod download"))
        status = SC.get("warm_deps", "CACHED") if (warm and is_deps) else "DONE 0.4s"
        print(f"#{n} {status}")
        n += 1
    if SC.get("build_fails") and not warm:
        print(f"#{n} [build 9/9] RUN make")
        print(f"#{n} ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2")
        out("", 1)
    time.sleep(SC.get("build_sleep", 0.05) if not warm else 0.01)
    out()
if cmd == "image" and sub == "inspect":
    out(json.dumps([{
        "Size": SC.get("size", 52_000_000),
        "RootFS": {"Layers": [f"sha256:{i:064x}" for i in range(
            len(SC.get("layers", [[]])) if ARGS[2].startswith("dockgen-verify-") else SC.get("base_layers", 1))]},
        "Config": SC.get("config", {}),
    }]))
if cmd == "save":
    dest = opt("-o")
    with tarfile.open(dest, "w") as outer:
        names = []
        for i, files in enumerate(SC.get("layers", [[]])):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w") as layer:
                for path in files:
                    data = b"x"
                    ti = tarfile.TarInfo(path)
                    ti.size = len(data)
                    layer.addfile(ti, io.BytesIO(data))
            name = f"{i:04d}/layer.tar"
            ti = tarfile.TarInfo(name)
            ti.size = len(buf.getvalue())
            outer.addfile(ti, io.BytesIO(buf.getvalue()))
            names.append(name)
        man = json.dumps([{"Config": "c.json", "RepoTags": [], "Layers": names}]).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(man)
        outer.addfile(ti, io.BytesIO(man))
    out()
if cmd == "run" and "-d" in ARGS:
    out("f00dcafe1234\n")
if cmd == "run":
    entry = opt("--entrypoint")
    if SC.get("shell"):
        out(SC.get("id_u", "10001") + "\n")
    out("", 127, f"docker: Error response from daemon: exec: \"{entry}\": stat {entry}: no such file or directory\n")
if cmd == "container" and sub == "inspect":
    interrupt_if("inspect")
    state = {"Running": SC.get("running", True), "ExitCode": 0 if SC.get("running", True) else 3}
    if SC.get("health"):
        state["Health"] = {"Status": SC["health"], "Log": []}
    out(json.dumps([{"State": state}]))
if cmd == "port":
    out(f"127.0.0.1:{SC.get('http_port', 1)}\n")
if cmd == "logs":
    out("app log line\n")
if cmd in ("rm", "rmi"):
    out()
out("", 1, f"fake docker: unsupported call {ARGS}\n")

"""`dockgen verify` on a real example in the lab: every check passes, and it leaves nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from support import examples as ex

from . import harness as h

# node-fastify-loopback first: it listens on 127.0.0.1 unless LISTEN_HOST is set, so passing the probe
# from outside the container shows the generated ENV took effect.
PREFERRED = ("node-fastify-loopback", "python-flask-pip", "node-express-npm", "go-static")


def _example() -> str:
    names = ex.example_names()
    for n in PREFERRED:
        if n in names and not h.declared_skip(n, ex.expect(n)["runners"][0]):
            return n
    return next(n for n in names if not h.declared_skip(n, ex.expect(n)["runners"][0]))


def test_verify_generated_example(engine, workdir):
    name = _example()
    proj = workdir / f"verify-{name}"
    shutil.copytree(ex.EXAMPLES / name, proj)
    h.plant_junk(proj)
    opts = ex.expect(name).get("options", {})
    args = [sys.executable, "-m", "dockgen", "verify", str(proj), "--json", "--timeout", "150",
            "--docker", engine.binary, "--build-network", engine.build_network or "default"]
    if "main" in opts:  # verify generates with the detected default; options it can't take → init first
        subprocess.run([sys.executable, "-m", "dockgen", "init", str(proj), *h.init_args(name, ex.expect(name)["runners"][0])],
                       check=True, capture_output=True, timeout=120)
    before = set(engine.images("dockgen-verify-*"))
    p = subprocess.run(args, capture_output=True, text=True, timeout=1800, env=dict(os.environ))
    report = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
    assert p.returncode == 0, (f"verify on {name} exited {p.returncode}:\n{p.stdout}\n"
                               + "\n".join(p.stderr.splitlines()[-20:]))
    checks = {f["check"]: f for f in report["findings"]}
    for c in ("build", "non-root", "no-junk"):
        assert checks[c]["ok"], checks[c]
    assert "healthcheck" in checks or "http" in checks or "outside" in checks
    if report.get("http_status") is not None:  # probed from outside through -p 127.0.0.1:HOSTPORT:PORT
        assert checks["outside"]["ok"], checks["outside"]
        assert report["http_status"] < 500 and report["first_answer_seconds"] > 0
    assert "---- full log ----" not in p.stderr, "the full BuildKit log is printed only on failure or --verbose"
    assert report["size_bytes"] > 0 and report["layers"] > 0
    assert report["cold_seconds"] > 0 and report["warm_seconds"] is not None
    if report["deps_steps"]:
        assert all(s["status"] == "CACHED" for s in report["deps_steps"]), report["deps_steps"]
    # Nothing left behind: no verify containers or images, the project untouched.
    assert set(engine.images("dockgen-verify-*")) <= before
    assert not engine.containers("dockgen-verify-")
    if "main" not in opts:
        assert not (proj / "Dockerfile").exists()

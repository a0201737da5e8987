"""Same input, byte-identical output: across processes and PYTHONHASHSEED values, and on re-run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from support import examples as ex

SEEDS = ("0", "1", "4242")


def _run(args, seed, cwd=None):
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "dockgen", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


_RENDER_ALL = """
import json, sys
import dockgen
out = {}
for arg in sys.argv[1:]:
    name, _, member = arg.partition(":")
    p = dockgen.plan(f"examples/{name}/{member}")
    out[name] = [p.dockerfile, p.dockerignore, json.dumps(p.to_json_dict(), sort_keys=True)]
print(json.dumps(out, sort_keys=True))
"""


def test_output_is_identical_under_different_hash_seeds():
    """One process per seed renders every example (Dockerfile, .dockerignore, plan JSON)."""
    names = ex.example_names()
    assert names
    results = []
    for seed in SEEDS:
        r = subprocess.run([sys.executable, "-c", _RENDER_ALL, *(f"{n}:{ex.member(n)}" for n in names)],
                           capture_output=True, text=True,
                           cwd=ex.ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert r.returncode == 0, r.stderr
        results.append(r.stdout)
    assert results[0] == results[1] == results[2]
    # and the CLI prints exactly what the API renders
    cli = _run(["init", "--stdout", str(ex.project(names[0]))], "7")
    assert cli.returncode == 0, cli.stderr
    import json

    assert cli.stdout == json.loads(results[0])[names[0]][0]


def _snapshot(proj, ignore=".dockerignore"):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in (proj / "Dockerfile", proj / ignore, proj / "compose.yaml") if p.exists()}


@pytest.mark.parametrize("name", ex.example_names())
def test_rerun_is_identical_and_writes_nothing(name, tmp_path):
    import dockgen

    shutil.copytree(ex.EXAMPLES / name, tmp_path / name)
    proj = tmp_path / name / ex.member(name)
    # A workspace member's ignore file sits next to its Dockerfile, where BuildKit reads it.
    ignore = "Dockerfile.dockerignore" if ex.member(name) else ".dockerignore"
    opts = ex.expect(name).get("options", {})
    # .env.example is written when compose.yaml reads secrets, unless the project has its own.
    env = [".env.example"] if ":?" in (ex.GOLDEN / name / "compose.yaml").read_text("utf-8") \
        and not (proj / ".env.example").exists() else []
    first = dockgen.generate(proj, **opts)
    assert {f.path: f.status for f in first.files} == {p: "create" for p in ["Dockerfile", ignore, "compose.yaml", *env]}
    before = _snapshot(proj, ignore)
    second = dockgen.generate(proj)  # a plain re-run reproduces the recorded options
    assert {f.path: f.status for f in second.files} == {p: "identical" for p in ["Dockerfile", ignore, "compose.yaml", *env]}
    assert _snapshot(proj, ignore) == before


def test_cli_rerun_is_identical(tmp_path):
    name = ex.example_names()[0]
    proj = tmp_path / name
    shutil.copytree(ex.EXAMPLES / name, proj)
    assert _run(["init", str(proj)], "0").returncode == 0
    before = _snapshot(proj)
    second = _run(["init", str(proj)], "1")
    assert second.returncode == 0, second.stderr
    words = [ln.split()[0] for ln in second.stdout.splitlines() if ln.strip()]
    assert words and set(words) == {"identical"}, second.stdout
    assert _snapshot(proj) == before

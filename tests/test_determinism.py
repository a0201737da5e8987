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


@pytest.mark.parametrize("name", ex.example_names())
def test_output_is_identical_under_different_hash_seeds(name):
    outs = set()
    plans = set()
    for seed in SEEDS:
        r = _run(["init", "--stdout", str(ex.EXAMPLES / name)], seed)
        assert r.returncode == 0, r.stderr
        outs.add(r.stdout)
        p = _run(["plan", "--json", str(ex.EXAMPLES / name)], seed)
        assert p.returncode == 0, p.stderr
        plans.add(p.stdout)
    assert len(outs) == 1 and len(plans) == 1


@pytest.mark.parametrize("name", ex.example_names())
def test_rerun_is_identical_and_writes_nothing(name, tmp_path):
    proj = tmp_path / name
    shutil.copytree(ex.EXAMPLES / name, proj)
    first = _run(["init", str(proj)], "0")
    assert first.returncode == 0, first.stderr
    assert "create" in first.stdout
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (proj / "Dockerfile", proj / ".dockerignore")}
    second = _run(["init", str(proj)], "1")
    assert second.returncode == 0, second.stderr
    assert [ln.split()[0] for ln in second.stdout.splitlines() if ln.strip()] == ["identical", "identical"]
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (proj / "Dockerfile", proj / ".dockerignore")}
    assert before == after

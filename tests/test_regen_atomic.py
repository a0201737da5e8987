"""Writes are atomic: kill dockgen at every file-system step (and at random times), or make the
file system fail, and every output is either the old file or the new one, never a mix; the next
plain run recovers and leaves no temp files behind."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import regen as rg

import dockgen
from dockgen.generator import writer

FAULTY = Path(__file__).parent / "support" / "faulty_dockgen.py"
TRACKED = ("Dockerfile", ".dockerignore", ".dockgen/base/Dockerfile.body", ".dockgen/base/dockerignore.body",
           ".dockgen/state.json")
CONFIG = 'ignore = ["data/"]\n\n[env]\nAPP_ENV = "production"\n'


def _tracked(root: Path) -> dict[str, bytes | None]:
    return {rel: (root / rel).read_bytes() if (root / rel).exists() else None for rel in TRACKED}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """(pristine project before the change, old tracked files, new tracked files, init argv)."""
    name = rg.EXAMPLE
    base = tmp_path_factory.mktemp("atomic")
    pristine = rg.copy_example(name, base / "pristine")
    args = [f"--{k.replace('_', '-')}={v}" for k, v in rg.example_options(name).items()]
    assert rg.run("init", str(pristine), *args).returncode == 0
    (pristine / "dockgen.toml").write_text(CONFIG)
    old = _tracked(pristine)
    done = base / "done"
    shutil.copytree(pristine, done)
    r = rg.run("init", str(done))
    assert r.returncode == 0, r.stderr
    new = _tracked(done)
    for rel in ("Dockerfile", ".dockerignore", ".dockgen/state.json"):
        assert old[rel] != new[rel], f"the change must rewrite {rel}"
    return pristine, old, new


def _assert_old_or_new(root: Path, old, new) -> None:
    now = _tracked(root)
    for rel in TRACKED:
        assert now[rel] in (old[rel], new[rel]), f"{rel} is neither the old nor the new file"
    json.loads(now[".dockgen/state.json"])


def _recovers(root: Path, new) -> None:
    """A plain re-run (in process: fast) completes the interrupted one; check then passes."""
    from dockgen import drift_check

    res = dockgen.generate(root)
    assert {f.status for f in res.files} <= {"updated", "identical"}
    assert _tracked(root) == new
    assert not list(root.rglob("*.dockgen-tmp")), "temp files left behind"
    assert drift_check.check_files(root).ok


def _faulty(root: Path, kill_at: int, count_file: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DOCKGEN_KILL_AT": str(kill_at), "PYTHONHASHSEED": "0"}
    if count_file:
        env["DOCKGEN_FAULT_COUNT_FILE"] = str(count_file)
    return subprocess.run([sys.executable, str(FAULTY), "init", str(root)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_kill_at_every_write_step_leaves_old_or_new(scenario, tmp_path):
    pristine, old, new = scenario
    probe = tmp_path / "probe"
    shutil.copytree(pristine, probe)
    count_file = tmp_path / "count"
    r = _faulty(probe, 0, count_file)
    assert r.returncode == 0, r.stderr
    assert _tracked(probe) == new
    events = int(count_file.read_text())
    # Dockerfile, .dockerignore, two bases and the state: 6 events each (created, half written,
    # fsync, before rename, after rename, directory fsync).
    assert events >= 5 * 6, events
    for n in range(1, events + 1):
        root = tmp_path / f"k{n}"
        shutil.copytree(pristine, root)
        r = _faulty(root, n)
        assert r.returncode == -signal.SIGKILL, (n, r.returncode, r.stderr)
        _assert_old_or_new(root, old, new)
        _recovers(root, new)
        shutil.rmtree(root)


def test_kill_at_random_times_leaves_old_or_new(scenario, tmp_path):
    pristine, old, new = scenario
    timing = tmp_path / "timing"
    shutil.copytree(pristine, timing)
    t0 = time.monotonic()
    assert rg.run("init", str(timing)).returncode == 0
    duration = time.monotonic() - t0
    rnd = random.Random(20261129)
    for i in range(12):
        root = tmp_path / f"r{i}"
        shutil.copytree(pristine, root)
        proc = subprocess.Popen([sys.executable, "-m", "dockgen", "init", str(root)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        _assert_old_or_new(root, old, new)
        _recovers(root, new)
        shutil.rmtree(root)


@pytest.mark.parametrize("failing", ["replace", "fsync", "mkstemp"])
def test_file_system_errors_keep_the_old_file(scenario, tmp_path, monkeypatch, failing):
    pristine, old, new = scenario
    root = tmp_path / "p"
    shutil.copytree(pristine, root)

    def boom(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    target = writer.tempfile if failing == "mkstemp" else os
    monkeypatch.setattr(target, failing, boom)
    with pytest.raises(writer.WriteError) as info:
        dockgen.generate(root)
    monkeypatch.undo()
    assert "No space left on device" in str(info.value) and info.value.exit_code == 1
    assert _tracked(root) == old
    assert not list(root.rglob("*.dockgen-tmp"))
    _recovers(root, new)

"""The hostile-repository corpus, end to end through the real CLI (issue 6).

Every case must: exit 5, print exactly one line on stderr (``dockgen: error: <file>: ...``) and
nothing on stdout, show no traceback, write nothing (no Dockerfile, no .dockerignore, no .dockgen/,
nothing outside the repo either) and finish within a few seconds (a hang is killed by the timeout).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from dockgen import api
from dockgen.detectors.errors import DockgenError
from support.hostile import SECRET, cases, lay_out, snapshot

CASES = cases()
#: Wall-clock limit for one CLI run (interpreter start-up included); the kill timeout is larger so
#: that a hang shows up as a clear failure rather than a stuck test run.
MAX_SECONDS = 10.0


def run_cli(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "dockgen", *args], capture_output=True, text=True,
                              timeout=20, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this guards against
        pytest.fail(f"dockgen {' '.join(args)} hung for 20 s")
    return proc, time.monotonic() - start


def test_corpus_covers_every_attack_class():
    names = {c.name for c in CASES}
    for prefix in ("xxe-", "billion-laughs", "symlink-escape-file", "symlink-escape-dir", "fifo-",
                   "symlink-dev-zero", "huge-", "non-utf8-", "duplicate-keys-", "inject-newline-",
                   "inject-backslash-", "inject-quote-", "inject-dollar-", "escape-directive-"):
        assert any(n.startswith(prefix) for n in names), f"no hostile case for {prefix}"
    # inject-<char>-<field>: every character class and every kind of field has a case.
    fields = {n.rsplit("-", 1)[-1] for n in names if n.startswith("inject-")}
    chars = {n.split("-")[1] for n in names if n.startswith("inject-")}
    assert {"name", "script", "path"} <= fields
    assert {"newline", "backslash", "quote", "dollar"} <= chars


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_repo_is_refused_by_the_cli(case, tmp_path):
    repo = lay_out(case, tmp_path)
    before = snapshot(tmp_path)
    proc, seconds = run_cli("init", str(repo))
    err_lines = proc.stderr.splitlines()
    assert proc.returncode == 5, f"{case.description}: exit {proc.returncode}\n{proc.stderr}{proc.stdout}"
    assert len(err_lines) == 1, f"expected one stderr line, got:\n{proc.stderr}"
    assert err_lines[0].startswith("dockgen: error: "), err_lines[0]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert case.expect.lower() in err_lines[0].lower(), f"{err_lines[0]!r} does not say {case.expect!r}"
    assert proc.stdout == ""
    assert SECRET.strip() not in proc.stderr  # nothing read outside the repo is echoed
    assert snapshot(tmp_path) == before, "a refused run changed files"
    assert not (repo / "Dockerfile").exists() or (repo / "Dockerfile").is_symlink() or \
        not (repo / "Dockerfile").is_file()
    assert seconds < MAX_SECONDS, f"took {seconds:.1f}s"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_repo_is_refused_by_the_api(case, tmp_path):
    """In-process too: a ``DockgenError`` with exit code 5 and a one-line message, nothing else."""
    repo = lay_out(case, tmp_path)
    before = snapshot(tmp_path)
    start = time.monotonic()
    with pytest.raises(DockgenError) as info:
        api.generate(repo)
    assert info.value.exit_code == 5, str(info.value)
    assert "\n" not in str(info.value)
    assert snapshot(tmp_path) == before
    assert time.monotonic() - start < 5


def test_stdout_and_plan_refuse_too(tmp_path):
    """`init --stdout` and `plan --json` read the same way: the same one-line refusal; `init` prints
    no Dockerfile, and `plan --json` prints only the refusal as JSON (no facts exist yet)."""
    case = next(c for c in CASES if c.name == "fifo-manifest")
    repo = lay_out(case, tmp_path)
    for args in (("init", "--stdout", str(repo)), ("plan", "--json", str(repo))):
        proc, seconds = run_cli(*args)
        assert proc.returncode == 5 and len(proc.stderr.splitlines()) == 1, proc.stderr
        assert seconds < MAX_SECONDS
        if args[0] == "init":
            assert proc.stdout == ""
        else:
            report = json.loads(proc.stdout)
            assert report["facts"] is None and report["refusal"]["exit_code"] == 5
            assert report["refusal"]["file"] == "requirements.txt" and "FIFO" in report["refusal"]["message"]

"""`.pre-commit-hooks.yaml` works with the real pre-commit: `pre-commit try-repo` installs this
checkout (committed into a temp git repo) as a hook repository and runs `dockgen check` in a
project repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import gitrepo
from support import regen as rg

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _pre_commit() -> list[str]:
    exe = Path(sys.executable).parent / "pre-commit"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("pre-commit")
    assert found, "pre-commit is not installed: pip install -e '.[test]'"
    return [found]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    return gitrepo.clone_of_checkout(tmp_path_factory.mktemp("hookrepo") / "dockgen")


@pytest.fixture(scope="module")
def pc_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(hook_repo: Path, project: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **gitrepo.GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*_pre_commit(), "try-repo", str(hook_repo), hook, "--all-files", "--verbose"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture
def project(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "project")
    gitrepo.init_repo(root)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in rg.example_options(name).items()]
    assert rg.run("init", str(root), *args).returncode == 0
    gitrepo.commit_all(root, "project with its Dockerfile")
    return root


def test_hook_passes_then_catches_a_hand_edit(hook_repo, pc_home, project):
    ok = _try_repo(hook_repo, project, "dockgen-check-drift", pc_home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "dockgen check (drift only)" in ok.stdout and "Passed" in ok.stdout

    df = project / "Dockerfile"
    df.write_text(df.read_text() + "RUN echo by-hand\n")
    gitrepo.git(project, "add", "Dockerfile")
    bad = _try_repo(hook_repo, project, "dockgen-check-drift", pc_home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "reason: Dockerfile edited by hand" in bad.stdout
    assert "-RUN echo by-hand" in bad.stdout


def test_full_hook_also_checks_pins(hook_repo, pc_home, project):
    r = _try_repo(hook_repo, project, "dockgen-check", pc_home)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "has no digest" in r.stdout and "ok         Dockerfile" in r.stdout

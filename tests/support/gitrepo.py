"""Throw-away git repositories for tests that drive real tools (pre-commit needs committed repos)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What an install of dockgen needs (pyproject's package-dir folders, its readme, the hook manifest).
PACKAGE_PARTS = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "dockgen", "detectors", "generator", "templates")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "dockgen tests", "GIT_AUTHOR_EMAIL": "tests@dockgen.invalid",
    "GIT_COMMITTER_NAME": "dockgen tests", "GIT_COMMITTER_EMAIL": "tests@dockgen.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], env={**os.environ, **GIT_ENV},
                          capture_output=True, text=True, check=True, timeout=120)


def commit_all(repo: Path, message: str = "commit") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def clone_of_checkout(dest: Path) -> Path:
    """A committed git repository holding this checkout's working-tree dockgen sources."""
    init_repo(dest)
    for part in PACKAGE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dest / part)
    commit_all(dest, "dockgen checkout")
    return dest

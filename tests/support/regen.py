"""Helpers for the regeneration, config and check tests (tests/test_regen_*.py, test_config_*.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support import examples as ex

#: The example a test uses when it only needs "some project dockgen supports".
EXAMPLE = "go-static"


def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """``dockgen ARGS`` in a subprocess (the real CLI, exit codes and all)."""
    full_env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", "dockgen", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def example_options(name: str) -> dict:
    return dict(ex.expect(name).get("options", {}))


def copy_example(name: str, dest: Path) -> Path:
    shutil.copytree(ex.EXAMPLES / name, dest)
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` → its bytes (to prove a run wrote nothing)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

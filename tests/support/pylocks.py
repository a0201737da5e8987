"""Lockfiles the examples need but the repository cannot hold (they name registry hosts).

uv.lock records each package's registry and file URLs, so examples/python-fastapi-uv keeps it out of
git (its .gitignore) and the test session makes it with the pinned uv from the test extras when it
is missing. ``UV_NATIVE_TLS=1``: verify TLS with the system trust store, so a CA installed there
(a corporate or intercepting proxy) is honoured, as in the generated Dockerfile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.examples import EXAMPLES

#: example → (lockfile, command that writes it)
GENERATED = {"python-fastapi-uv": ("uv.lock", ["uv", "lock"]),
             # a uv workspace: one lock at its root for every member
             "python-uv-workspace": ("uv.lock", ["uv", "lock"])}


def _uv() -> str | None:
    here = Path(sys.executable).parent / "uv"
    return str(here) if here.is_file() else shutil.which("uv")


def ensure_generated_locks() -> list[str]:
    """Create the missing lockfiles; returns what was made. Failure is an error, never a skip."""
    made = []
    for example, (lock, cmd) in GENERATED.items():
        root = EXAMPLES / example
        if not root.is_dir() or (root / lock).is_file():
            continue
        exe = _uv()
        if exe is None:
            raise RuntimeError(f"{example}/{lock} is missing and uv is not installed: pip install -e '.[test]'")
        # Without PYENV_VERSION: pytest started through a pyenv shim inherits the shim's version, and
        # pyenv's python3.13 shim then fails for the example's own .python-version (uv aborts on it).
        env = {k: v for k, v in os.environ.items() if k != "PYENV_VERSION"}
        env.update(UV_NATIVE_TLS="1", UV_PYTHON_DOWNLOADS="never")
        proc = subprocess.run([exe, *cmd[1:]], cwd=root, env=env, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"`uv lock` failed in examples/{example}:\n{proc.stderr[-2000:]}")
        made.append(f"{example}/{lock}")
    return made

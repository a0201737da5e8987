"""No dead code in the product packages: vulture finds nothing beyond tests/vulture_allowlist.py.

The same command runs as its own step in ``.ci/run``. Only the product folders and the allowlist are
scanned, so a function that only tests call counts as dead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dockgen", "detectors", "generator")
ALLOWLIST = "tests/vulture_allowlist.py"
#: vulture's exit status when it reports unused code (0: nothing found).
FOUND_DEAD_CODE = 3


def _vulture(root: Path) -> subprocess.CompletedProcess:
    if subprocess.run([sys.executable, "-m", "vulture", "--version"], capture_output=True).returncode != 0:
        pytest.fail("vulture is not installed: pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", "vulture", *PACKAGES, ALLOWLIST, "--min-confidence", "60"],
                          cwd=root, capture_output=True, text=True, timeout=300)


def test_no_dead_code():
    r = _vulture(ROOT)
    assert r.returncode == 0, (f"vulture found unused code (remove it; if something vulture cannot see uses it, "
                               f"add it to {ALLOWLIST} and say what):\n{r.stdout}{r.stderr}")


def test_the_check_reports_a_planted_unused_function(tmp_path):
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / ALLOWLIST, tmp_path / ALLOWLIST)
    assert _vulture(tmp_path).returncode == 0, "the copy is clean before planting"
    writer = tmp_path / "generator" / "writer.py"
    writer.write_text(writer.read_text() + "\n\ndef planted_unused_helper() -> int:\n    return 1\n")
    r = _vulture(tmp_path)
    assert r.returncode == FOUND_DEAD_CODE, r.stdout + r.stderr
    assert "generator/writer.py" in r.stdout and "unused function 'planted_unused_helper'" in r.stdout

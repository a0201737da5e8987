"""Regenerate generator/python_wheel_floors.toml: for each package of python_native.toml that
publishes Linux wheels, the first release with manylinux wheels for both x86_64 and aarch64, per
Python minor of the catalog.

Run by hand (it reads pip's default package index over the network); never run by the tests or by
dockgen, which only read the committed file: generation stays deterministic.

    python tests/support/wheel_floors.py > generator/python_wheel_floors.toml
"""

from __future__ import annotations

import json
import sys
import tomllib
import urllib.request
from datetime import date
from pathlib import Path

from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version
from pip._internal.models.index import PyPI  # the index pip uses by default, without naming it here

ROOT = Path(__file__).resolve().parents[2]
ARCHES = ("x86_64", "aarch64")


def _minors() -> list[str]:
    cat = tomllib.loads((ROOT / "generator" / "catalog.toml").read_text())
    return sorted(cat["python"]["versions"], key=lambda v: tuple(map(int, v.split("."))))


def _files(name: str) -> list[dict]:
    req = urllib.request.Request(f"{PyPI.simple_url}/{name}/",
                                 headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["files"]


def _covers(filename: str, minor: str) -> set[str]:
    """The architectures this wheel serves on CPython ``minor`` (manylinux only)."""
    try:
        _, _, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return set()
    want = int(minor.split(".")[1])
    out = set()
    for t in tags:
        arch = next((a for a in ARCHES if t.platform.startswith("manylinux") and t.platform.endswith(a)), None)
        if arch is None:
            continue
        interp = t.interpreter
        if interp.startswith("cp3") and (t.abi == f"cp3{want}" or (t.abi == "abi3" and int(interp[3:]) <= want)):
            out.add(arch)
        elif interp in ("py3", f"py3{want}") and t.abi == "none":
            out.add(arch)
    return out


def floors(name: str, minors: list[str]) -> dict[str, str]:
    by_version: dict[Version, dict[str, set[str]]] = {}
    for f in _files(name):
        fn = f["filename"]
        if f.get("yanked") or not fn.endswith(".whl"):
            continue
        try:
            version = Version(parse_wheel_filename(fn)[1].public)
        except (InvalidWheelFilename, InvalidVersion):
            continue
        if version.is_prerelease:
            continue
        per = by_version.setdefault(version, {m: set() for m in minors})
        for m in minors:
            per[m] |= _covers(fn, m)
    out = {}
    for m in minors:
        first = next((v for v in sorted(by_version) if by_version[v][m] >= set(ARCHES)), None)
        if first is not None:
            out[m] = str(first)
    return out


def main() -> None:
    table = tomllib.loads((ROOT / "generator" / "python_native.toml").read_text())["packages"]
    minors = _minors()
    print("# The first release of each package with manylinux wheels for x86_64 and aarch64, per CPython")
    print("# minor: a requirements file's `==` pin at or above it has wheels for that minor. Made by")
    print(f"# tests/support/wheel_floors.py from pip's default index on {date.today()}; dockgen only reads it.")
    for name in sorted(n for n, e in table.items() if e.get("linux_wheels", True)):
        got = floors(name, minors)
        if not got:  # pure-Python wheels only (psycopg 3): nothing to compile, nothing to check
            continue
        print(f"\n[{name}]")
        for m in minors:
            if m in got:
                print(f'"{m}" = "{got[m]}"')
        print(f"# {name}: {len(got)} minors", file=sys.stderr)


if __name__ == "__main__":
    main()

"""The bundled examples and what each expects (tests/golden/<example>/expect.toml).

expect.toml keys (all optional except ``runners``):
    runners = ["distroless", "slim"]   # every runner the example supports; the first is the default
    member = "web-app"                 # dockgen runs in this directory of the example (a workspace
                                       # member); the example's root is the build context
    options = { main = "cmd/api" }     # init options for every render of this example
    [http]   path = "/", status = 200, body = "substring of the response"
             deep_links = ["/settings/profile"]   # more paths that must answer the same (a single-page
                                                  # app's fallback to index.html)
    [budget_mb]  distroless = 90, slim = 200   # image size budgets (MB) per runner
    [cache]  source = "app.py", lockfile = "requirements.txt"   # files changed by the cache test
    [e2e]    skip = "reason the lab cannot build this (listed in the README)"
    [versions."3.15"]  # an extra runtime version: golden Dockerfile.version-3.15 (default runner, the
                       # --<stack>-version option), one e2e build-and-probe; optional keys:
        skip = "the lab has no python:3.15-slim-trixie"   # a declared e2e skip naming the missing tag
        budget_mb = 260                                    # the image size budget of that build
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and (GOLDEN / p.name / "expect.toml").is_file())


def expect(name: str) -> dict:
    return tomllib.loads((GOLDEN / name / "expect.toml").read_text("utf-8"))


def member(name: str) -> str:
    """The directory dockgen runs in, inside the example ("" for the example itself)."""
    return expect(name).get("member", "")


def project(name: str) -> Path:
    """What dockgen is pointed at: the example, or its member directory."""
    return EXAMPLES / name / member(name) if member(name) else EXAMPLES / name


def golden_dockerfile(name: str, runner: str, default_runner: str) -> Path:
    return GOLDEN / name / ("Dockerfile" if runner == default_runner else f"Dockerfile.{runner}")


def stack_of(name: str) -> str:
    """The example's stack (its golden facts.json ``ecosystem``)."""
    import json

    return json.loads((GOLDEN / name / "facts.json").read_text("utf-8"))["ecosystem"]


def version_cases() -> list[tuple[str, str]]:
    """(example, extra version) for every [versions."X"] table of every example."""
    return [(n, v) for n in example_names() for v in expect(n).get("versions", {})]


def version_options(name: str, version: str) -> dict:
    """``dockgen.plan`` keyword options for an extra-version render of an example."""
    return {**expect(name).get("options", {}), f"{stack_of(name)}_version": version}


def golden_version_dockerfile(name: str, version: str) -> Path:
    return GOLDEN / name / f"Dockerfile.version-{version}"


def cases() -> list[tuple[str, str]]:
    """(example, runner) for every runner each example supports."""
    return [(n, r) for n in example_names() for r in expect(n)["runners"]]


def representatives(key) -> list[str]:
    """The first example (by name) for each distinct ``key(example)``.

    The cache and buildah checks prove a property of a build *path* (an installer's layer order, a
    runner family); several read-the-app fixtures share one path, and building each again would
    only cost CI time on a 2-core machine.
    """
    first: dict = {}
    for name in example_names():
        first.setdefault(key(name), name)
    return sorted(first.values())

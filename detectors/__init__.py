"""Detectors: pure functions of a read-only repo view, returning facts with their sources.

One module per ecosystem, each with ``detect(repo) -> <Eco>Facts | None`` (None: not this stack).
``detect_all`` runs them all; ``detect`` picks the one stack (or the one asked for).
"""

from __future__ import annotations

from . import go, java, node, python
from .errors import NoStackError, UsageError
from .facts import ProjectFacts
from .repo import RepoView

#: Order only matters for messages; every detector runs.
DETECTORS = {"python": python.detect, "node": node.detect, "java": java.detect, "go": go.detect}


def detect_all(repo: RepoView) -> dict[str, ProjectFacts]:
    found: dict[str, ProjectFacts] = {}
    for eco, fn in DETECTORS.items():
        facts = fn(repo)
        if facts is not None:
            found[eco] = facts
    return found


def detect(repo: RepoView, stack: str | None = None) -> ProjectFacts:
    if stack is not None:
        if stack not in DETECTORS:
            raise UsageError(f"unknown stack {stack!r}", hint=f"use one of {', '.join(DETECTORS)}")
        facts = DETECTORS[stack](repo)
        if facts is None:
            raise NoStackError(f"no {stack} project found in {repo.root}",
                               hint="run dockgen in the project's root or drop --stack")
        return facts
    found = detect_all(repo)
    if not found:
        raise NoStackError(
            f"no supported stack found in {repo.root} (looked for requirements.txt, pyproject.toml, "
            "package.json, pom.xml, go.mod)",
            hint="run dockgen in the project's root directory")
    if len(found) > 1:
        names = ", ".join(f"{eco} ({', '.join(f.manifests[:1]) or eco})" for eco, f in found.items())
        raise UsageError(f"several stacks found: {names}", hint="choose one with --stack")
    return next(iter(found.values()))

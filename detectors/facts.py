"""Facts: what the detectors learned about a project, each value with its source.

A source is the file and field it came from (``"pyproject.toml [project] requires-python"``) or
``DEFAULT`` when dockgen chose it. Facts are plain data: the planner decides, detectors only report.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")

DEFAULT = "dockgen default"




class Fact(BaseModel, Generic[T]):
    model_config = ConfigDict(frozen=True)

    value: T
    source: str


def fact(value: T, source: str) -> Fact[T]:
    return Fact(value=value, source=source)


def default(value: T) -> Fact[T]:
    return Fact(value=value, source=DEFAULT)


class ProjectFacts(BaseModel):
    """Common part of every ecosystem's facts. Subclasses live next to their detector."""

    model_config = ConfigDict(frozen=True)

    #: The stack's registry name; each stack's facts narrow it to its own Literal.
    ecosystem: str
    #: Dependency manifests and lockfiles, copied before the sources (sorted, repo-relative).
    manifests: tuple[str, ...] = ()
    #: Warnings to show the user (unpinned dependencies, missing lockfile, …).
    warnings: tuple[str, ...] = ()

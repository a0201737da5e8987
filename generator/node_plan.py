"""node planner (being written)."""

from __future__ import annotations


def plan(facts, options, catalog):
    raise NotImplementedError

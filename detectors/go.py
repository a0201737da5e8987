"""go detector (being written)."""

from __future__ import annotations

from .repo import RepoView


def detect(repo: RepoView):
    return None

"""Small readings of an app's own source text that every stack's app detector shares."""

from __future__ import annotations

#: Listen addresses that only the container itself can reach.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def line_of(text: str, pos: int) -> int:
    """The 1-based line number of character ``pos`` (for file:line evidence)."""
    return text.count("\n", 0, pos) + 1

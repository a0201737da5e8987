"""Small readings of an app's own source text that every stack's app detector shares."""

from __future__ import annotations

import re

#: The marker line of a file dockgen wrote (generator/render.py): such a file is never read back as
#: the app's own evidence.
GENERATED_MARKER = re.compile(r"^# dockgen: sha256=[0-9a-f]{64}$", re.M)

#: Listen addresses that only the container itself can reach.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def line_of(text: str, pos: int) -> int:
    """The 1-based line number of character ``pos`` (for file:line evidence)."""
    return text.count("\n", 0, pos) + 1

"""Three-way merge of a person's edits onto a new render (``dockgen init --merge``).

base = the body dockgen generated last time (kept in ``.dockgen/base/``), ours = the file as the
person left it, theirs = the new render. Lines only one side changed are taken from that side; lines
both changed differently are kept in diff3-style conflict blocks (``<<<<<<<``, ``|||||||``,
``=======``, ``>>>>>>>``) for the person to resolve. The line matching is PyPI ``merge3`` (the
algorithm from bzr/breezy).
"""

from __future__ import annotations

import merge3

START, BASE, MID, END = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


def _lines(text: str) -> list[str]:
    if text and not text.endswith("\n"):
        text += "\n"
    return text.splitlines(True)


def merge_text(base: str, ours: str, theirs: str, *, name: str = "Dockerfile") -> tuple[str, int]:
    """(merged text, number of conflict blocks)."""
    m = merge3.Merge3(_lines(base), _lines(ours), _lines(theirs))
    conflicts = sum(1 for region in m.merge_regions() if region[0] == "conflict")
    text = "".join(m.merge_lines(
        name_a=f"{name} (your edits)", name_b=f"{name} (dockgen's new render)",
        name_base=f"{name} (dockgen's last render)",
        start_marker=START, mid_marker=MID, end_marker=END, base_marker=BASE))
    return text, conflicts


def has_conflict_markers(text: str) -> bool:
    """True when ``text`` still holds an unresolved conflict block written by ``merge_text``."""
    lines = text.splitlines()
    return any(ln.startswith(START + " ") for ln in lines) and any(ln.startswith(END + " ") for ln in lines)

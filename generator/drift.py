"""Why the output changed: compare the state recorded by the last ``init`` with the current one.

Used by ``dockgen check`` (and ``init --diff``) to say "uv.lock appeared" or "python_version
3.11 → 3.13 (.python-version)" next to the diff, instead of leaving the reader to guess.
"""

from __future__ import annotations

from typing import Any

from .state import State


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        return value if value and " " not in value else repr(value)
    return repr(value) if value is not None else "none"


def reasons(recorded: State, current: State) -> list[str]:
    """One line per difference between two snapshots (empty when nothing changed)."""
    out: list[str] = []
    if recorded.ecosystem != current.ecosystem:
        out.append(f"stack changed: {recorded.ecosystem} → {current.ecosystem}")
    for rel in sorted(set(current.manifests) - set(recorded.manifests)):
        out.append(f"{rel} appeared")
    for rel in sorted(set(recorded.manifests) - set(current.manifests)):
        out.append(f"{rel} disappeared")
    for rel in sorted(set(recorded.manifests) & set(current.manifests)):
        if recorded.manifests[rel] != current.manifests[rel]:
            out.append(f"{rel} changed")
    for key in sorted(set(recorded.facts) | set(current.facts)):
        old, new = recorded.facts.get(key), current.facts.get(key)
        if old is None:
            out.append(f"{key} is now {_show(new[0])} (from {new[1]})")
        elif new is None:
            out.append(f"{key} no longer detected (was {_show(old[0])} from {old[1]})")
        elif old[0] != new[0]:
            out.append(f"{key} changed: {_show(old[0])} → {_show(new[0])} (from {new[1]})")
    for key in sorted(set(recorded.effective_options) | set(current.effective_options)):
        old, new = recorded.effective_options.get(key), current.effective_options.get(key)
        if old is None:
            out.append(f"option {key} = {_show(new[0])} set in {new[1]}")
        elif new is None:
            out.append(f"option {key} = {_show(old[0])} is no longer set (was from {old[1]})")
        elif old[0] != new[0]:
            out.append(f"option {key} changed: {_show(old[0])} → {_show(new[0])} (from {new[1]})")
    return out

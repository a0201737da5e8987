"""Go: the folders a module embeds (``//go:embed``), for the frontend build that has to write them first.

``//go:embed build/*`` in ``ui/serve.go`` embeds ``ui/build``: a pattern is relative to its file's
folder; its path up to the first glob character is the folder (``all:`` and quotes dropped). A
pattern that names an existing file (``spec.json``) is not a folder and is skipped; one that is
missing counts when it ends in a glob or has no file extension — a build has to produce it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from .facts import Fact, fact
from .repo import RepoView

_EMBED = re.compile(r"^//go:embed\s+(.+?)\s*$", re.M)
_WORD = re.compile(r'"([^"]*)"|`([^`]*)`|(\S+)')
_SAFE = re.compile(r"[A-Za-z0-9_./@-]+")


def _folder(base: str, pattern: str) -> tuple[str, bool] | None:
    """(repository folder, whether the pattern globbed) of one pattern, or None when it is unusable."""
    pattern = pattern.removeprefix("all:")
    parts: list[str] = []
    for part in pattern.split("/"):
        if any(c in part for c in "*?["):
            break
        parts.append(part)
    globbed = len(parts) < len(pattern.split("/"))
    path = posixpath.normpath(posixpath.join(base, *parts)) if parts else ""
    if not path or path == "." or path.startswith("..") or not _SAFE.fullmatch(path):
        return None
    return path, globbed


def embedded_dirs(repo: RepoView, sources: dict[str, list[str]], read: Callable[[str], str]) -> tuple[Fact[str], ...]:
    """Every folder the module's (non-test, Linux) sources embed, in file order, each once."""
    out: dict[str, Fact[str]] = {}
    for d, files in sources.items():
        for rel in files:
            text = read(rel)
            if "//go:embed" not in text:
                continue
            for m in _EMBED.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                for w in _WORD.finditer(m.group(1)):
                    found = _folder("" if d == "." else d, next(g for g in w.groups() if g is not None))
                    if found is None or found[0] in out or repo.is_file(found[0]):
                        continue
                    path, globbed = found
                    if repo.is_dir(path) or globbed or "." not in posixpath.basename(path):
                        out[path] = fact(path, rel, f"line {line} (//go:embed {m.group(1)})")
    return tuple(out.values())

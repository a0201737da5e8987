"""The hostile-repository corpus (``tests/hostile/<attack>/``): lay a case out in a temp dir.

Each case is ``repo/`` (copied as is) plus ``case.toml``:

    description = "..."          # the attack, one line
    expect = "..."               # a substring of the one-line error
    [[setup]]                    # what git cannot store, made at test time
    kind = "symlink" | "fifo" | "huge"
    path = "requirements.txt"    # inside the repo
    target = "{outside}/secret.txt"   # symlink: {outside} is a directory beside the repo copy
    bytes = 4194304              # huge: the size; `line` repeated, between `prefix` and `suffix`

Beside the repo copy, ``outside/`` holds ``secret.txt`` and ``dir/main.go`` so that a link leaving
the repository has something real to reach.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "hostile"
SECRET = "root:x:0:0:dockgen-hostile-test-secret:/root:/bin/sh\n"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    expect: str
    setup: tuple[dict, ...]


def cases() -> list[Case]:
    out = []
    for d in sorted(CORPUS.iterdir()):
        if not (d / "case.toml").is_file():
            continue
        data = tomllib.loads((d / "case.toml").read_text("utf-8"))
        out.append(Case(d.name, data["description"], data["expect"], tuple(data.get("setup", ()))))
    return out


def lay_out(case: Case, tmp: Path) -> Path:
    """Copy the case's repo to ``tmp/repo``, make ``tmp/outside``, run the setup; return the repo."""
    repo = tmp / "repo"
    shutil.copytree(CORPUS / case.name / "repo", repo, symlinks=True)
    outside = tmp / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "dir" / "main.go").write_text('package main\n\nfunc main() {}\n')
    for step in case.setup:
        path = repo / step["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if step["kind"] == "symlink":
            os.symlink(step["target"].replace("{outside}", str(outside)), path)
        elif step["kind"] == "fifo":
            os.mkfifo(path)
        elif step["kind"] == "huge":
            body = step["line"] * (step["bytes"] // len(step["line"]) + 1)
            path.write_text(step.get("prefix", "") + body + step.get("suffix", ""))
        else:  # pragma: no cover - a typo in a case.toml
            raise ValueError(f"unknown setup kind {step['kind']!r} in {case.name}")
    return repo


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (not following links) with its type, size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            st = os.lstat(p)
            out[str(p.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out

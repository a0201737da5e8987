"""Run the dockgen CLI with fault injection at the file-system calls the writer makes.

    DOCKGEN_KILL_AT=N python faulty_dockgen.py init PATH ...

Right after tempfile.mkstemp, before each os.fsync, before and after each os.replace, and in the
middle of every write to a file opened with os.fdopen: each is an "event". At event N the process SIGKILLs itself (no
cleanup, no finally blocks: like `kill -9` or a power cut for this process). With N=0 nothing is
killed and the number of events is written to DOCKGEN_FAULT_COUNT_FILE.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile

KILL_AT = int(os.environ.get("DOCKGEN_KILL_AT", "0"))
COUNT_FILE = os.environ.get("DOCKGEN_FAULT_COUNT_FILE")
_count = 0


def _tick() -> None:
    global _count
    _count += 1
    if _count == KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def _wrap(mod, name: str, before: bool, after: bool) -> None:
    orig = getattr(mod, name)

    def wrapped(*args, **kwargs):
        if before:
            _tick()
        result = orig(*args, **kwargs)
        if after:
            _tick()
        return result

    setattr(mod, name, wrapped)


class _HalfWriter:
    """A file object whose write() stops (with an event) after the first half has reached the disk."""

    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        half = len(data) // 2
        self._fh.write(data[:half])
        self._fh.flush()
        _tick()
        return half + self._fh.write(data[half:])

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._fh.__exit__(*exc)


_orig_fdopen = os.fdopen


def _fdopen(*args, **kwargs):
    return _HalfWriter(_orig_fdopen(*args, **kwargs))


# The distinct states of a write: temp file created, half written, written (before fsync),
# about to be renamed, renamed.
_wrap(tempfile, "mkstemp", before=False, after=True)
_wrap(os, "fsync", before=True, after=False)
_wrap(os, "replace", before=True, after=True)
os.fdopen = _fdopen


def main() -> None:
    from dockgen.cli import main as cli_main

    try:
        cli_main()
    finally:
        if COUNT_FILE:
            with open(COUNT_FILE, "w") as fh:
                fh.write(str(_count))


if __name__ == "__main__":
    sys.argv[0] = "dockgen"
    main()

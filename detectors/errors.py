"""The user-facing error hierarchy.

Every error dockgen raises on purpose is a ``DockgenError``: one line naming the file and the fix,
and a documented exit code. The CLI prints ``str(err)`` and exits with ``err.exit_code``; anything
else reaching the CLI is a bug.
"""

from __future__ import annotations


class DockgenError(Exception):
    """Base class. ``exit_code`` is part of the CLI contract (see README, "Exit codes")."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None):
        # Multi-line messages would break the one-line contract: fold them.
        self.message = " ".join(str(message).split())
        # A file name comes from the repository too: show odd characters escaped, never raw.
        self.file = file if file is None or str(file).isprintable() else repr(str(file))[1:-1]
        self.hint = " ".join(hint.split()) if hint else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}{self.message}{fix}"


class CheckFailed(DockgenError):
    """A check found something (drift, missing pins, a failed verify)."""

    exit_code = 1


class UsageError(DockgenError):
    """The command line itself is wrong."""

    exit_code = 2


class NoStackError(DockgenError):
    """No supported stack was found in the repository."""

    exit_code = 3


class RefusedError(DockgenError):
    """dockgen refused to overwrite a file it did not write, or one edited by hand.

    ``result`` is the refused run's full result (every file's status and diff), for the CLI to show.
    """

    exit_code = 4

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None, result: object = None):
        super().__init__(message, file=file, hint=hint)
        self.result = result


#: Appended to every workspace-root refusal's hint: ``--all`` finds the members of every stack at once
#: (full-stack-fastapi's root is an npm and a uv workspace; only the uv member serves).
ALL_MEMBERS = ", or `dockgen init --all` for every member that serves (of every stack)"


class InvalidInputError(DockgenError):
    """A project file is unreadable, unsafe, malformed or asks for something unsupported."""

    exit_code = 5


class EngineError(DockgenError):
    """The container engine or registry failed (verify, pin)."""

    exit_code = 1

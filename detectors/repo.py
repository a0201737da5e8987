"""The read-only repository view: the only place dockgen touches the project's files.

Rules (README, "Reading hostile repositories"):
- only regular files are read; FIFOs, devices and sockets are never opened;
- a symlink is followed only when its target stays inside the repository, otherwise it is refused;
- every read has a size cap, and a file must be UTF-8 (a BOM is allowed);
- paths handed in are relative POSIX paths without ``..``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from .errors import InvalidInputError, NoStackError

#: Default cap for a manifest (package.json, pom.xml, …). Lockfiles get ``LOCKFILE_MAX_BYTES``.
MANIFEST_MAX_BYTES = 1 * 1024 * 1024
LOCKFILE_MAX_BYTES = 16 * 1024 * 1024
#: How many directory entries a listing returns before it is refused (a repo root with a million files).
MAX_DIR_ENTRIES = 20_000


class RepoView:
    """Read-only access to one repository root."""

    def __init__(self, root: str | os.PathLike[str]):
        path = Path(root)
        if not path.is_dir():
            raise NoStackError(f"{path} is not a directory", hint="pass the project's root directory")
        self.root = path.resolve()

    # -- path handling -------------------------------------------------------------------------
    def _rel(self, rel: str) -> PurePosixPath:
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts or "\x00" in rel:
            raise InvalidInputError(f"path {rel!r} leaves the repository", file=rel)
        return p

    def _resolve_inside(self, rel: str) -> Path | None:
        """The real path of ``rel`` if it exists, refusing links that leave the repo."""
        p = self._rel(rel)
        full = self.root.joinpath(*p.parts)
        try:
            os.lstat(full)
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            return None
        real = Path(os.path.realpath(full))
        if real != self.root and self.root not in real.parents:
            raise InvalidInputError(
                f"symlink points outside the repository ({os.readlink(full) if full.is_symlink() else real})",
                file=str(p),
                hint="replace the link with a regular file inside the repository",
            )
        return real

    # -- queries -------------------------------------------------------------------------------
    def exists(self, rel: str) -> bool:
        return self._resolve_inside(rel) is not None

    def is_file(self, rel: str) -> bool:
        real = self._resolve_inside(rel)
        if real is None:
            return False
        try:
            return stat.S_ISREG(os.stat(real).st_mode)
        except OSError:
            return False

    def is_dir(self, rel: str) -> bool:
        real = self._resolve_inside(rel)
        if real is None:
            return False
        try:
            return stat.S_ISDIR(os.stat(real).st_mode)
        except OSError:
            return False

    def listdir(self, rel: str = ".") -> list[str]:
        """Sorted entry names of a directory inside the repo ([] when it does not exist)."""
        real = self._resolve_inside(rel) if rel not in ("", ".") else self.root
        if real is None or not real.is_dir():
            return []
        names = []
        with os.scandir(real) as it:
            for entry in it:
                names.append(entry.name)
                if len(names) > MAX_DIR_ENTRIES:
                    raise InvalidInputError(
                        f"directory has more than {MAX_DIR_ENTRIES} entries", file=rel,
                        hint="run dockgen on the project's own root")
        return sorted(names)

    def read_bytes(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> bytes:
        real = self._resolve_inside(rel)
        if real is None:
            raise InvalidInputError("file not found", file=rel)
        try:
            st = os.stat(real)
        except OSError as exc:
            raise InvalidInputError(f"cannot read ({exc.strerror})", file=rel) from None
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError("not a regular file (FIFO, device, socket or directory)", file=rel,
                                    hint="dockgen reads regular files only")
        if st.st_size > max_bytes:
            raise InvalidInputError(f"file is larger than the {max_bytes} byte limit", file=rel,
                                    hint="dockgen reads manifests up to that size")
        # O_NONBLOCK: if the file was swapped for a FIFO between stat and open, open must not hang.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(real, flags)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InvalidInputError("symlink changed while reading", file=rel) from None
            raise InvalidInputError(f"cannot read ({exc.strerror})", file=rel) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InvalidInputError("not a regular file", file=rel)
            chunks, total = [], 0
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise InvalidInputError(f"file is larger than the {max_bytes} byte limit", file=rel)
                chunks.append(chunk)
        finally:
            os.close(fd)
        return b"".join(chunks)

    def read_text(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> str:
        data = self.read_bytes(rel, max_bytes)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"is not UTF-8 text (byte {exc.start})", file=rel,
                                    hint="save the file as UTF-8") from None

    def read_text_if_exists(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> str | None:
        return self.read_text(rel, max_bytes) if self.is_file(rel) else None

    def glob_files(self, pattern: str) -> list[str]:
        """Regular files directly in the root matching a shell pattern, sorted."""
        import fnmatch

        return [n for n in self.listdir(".") if fnmatch.fnmatchcase(n, pattern) and self.is_file(n)]

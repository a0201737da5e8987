"""The read-only repository view: the only place dockgen touches the project's files.

Rules (README, "Reading hostile repositories"):

- only regular files are read; FIFOs, devices and sockets are never opened: asking whether such a
  path "is a file" already refuses it (exit 5), so a FIFO named ``requirements.txt`` cannot hang a run;
- a symlink is followed only when its real target stays inside the repository, otherwise it is
  refused (a link to a file outside, a link to a directory outside, a link to ``/dev/zero``);
- every read has a size cap (below) and a file must be UTF-8 (a byte-order mark is allowed);
- a whole run reads at most ``TOTAL_READ_MAX_BYTES`` and spends at most ``READ_DEADLINE_SECONDS``
  reading the repository; past either it stops with an error instead of hanging;
- paths handed in are relative POSIX paths without ``..``, NUL or backslashes.

Size caps (bytes):

======================================================  =============
manifests, version files, sources a detector scans      1 MiB  (``MANIFEST_MAX_BYTES``)
lockfiles (package-lock.json, poetry.lock, go.sum, …)   16 MiB (``LOCKFILE_MAX_BYTES``)
all reads of one run together                           64 MiB (``TOTAL_READ_MAX_BYTES``)
entries in one directory listing                        20,000 (``MAX_DIR_ENTRIES``)
======================================================  =============
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path, PurePosixPath

from .errors import InvalidInputError, NoStackError

#: Cap for a manifest (package.json, pom.xml, pyproject.toml, go.mod, a version file, a source file).
MANIFEST_MAX_BYTES = 1 * 1024 * 1024
#: Cap for a lockfile (package-lock.json, pnpm-lock.yaml, poetry.lock, uv.lock, go.sum).
LOCKFILE_MAX_BYTES = 16 * 1024 * 1024
#: Everything one ``RepoView`` reads, added up.
TOTAL_READ_MAX_BYTES = 64 * 1024 * 1024
#: How many directory entries a listing returns before it is refused (a repo root with a million files).
MAX_DIR_ENTRIES = 20_000
#: Wall-clock budget for all file access through one ``RepoView``.
READ_DEADLINE_SECONDS = 20.0

_KIND = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def _kind(mode: int) -> str:
    return _KIND.get(stat.S_IFMT(mode), "not a regular file")


def read_regular_file(path: str | os.PathLike[str], max_bytes: int, *, shown: str | None = None) -> bytes | None:
    """Bytes of ``path`` if it is a regular file (``None`` if it does not exist), never following a
    symlink and never opening a FIFO, device or socket. For dockgen's own output files (an existing
    Dockerfile), which are not read through a ``RepoView``."""
    shown = shown or str(path)
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise InvalidInputError(f"cannot read ({exc.strerror})", file=shown) from None
    if stat.S_ISLNK(st.st_mode):
        raise InvalidInputError("is a symlink; dockgen only reads and replaces regular files", file=shown,
                                hint="replace the link with a regular file or remove it")
    if not stat.S_ISREG(st.st_mode):
        raise InvalidInputError(f"is {_kind(st.st_mode)}, not a regular file", file=shown,
                                hint="remove it; dockgen only reads and replaces regular files")
    return _read_fd(path, max_bytes, shown)


def _read_fd(path: str | os.PathLike[str], max_bytes: int, shown: str) -> bytes:
    # O_NONBLOCK: if the file was swapped for a FIFO after the stat, open must not hang.
    # O_NOFOLLOW: if it was swapped for a symlink, open fails instead of following it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InvalidInputError("changed into a symlink while being read", file=shown) from None
        raise InvalidInputError(f"cannot read ({exc.strerror})", file=shown) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError(f"is {_kind(st.st_mode)}, not a regular file", file=shown,
                                    hint="dockgen reads regular files only")
        if st.st_size > max_bytes:
            raise InvalidInputError(f"is larger than the {max_bytes} byte limit ({st.st_size} bytes)", file=shown,
                                    hint="dockgen reads files up to that size; trim it")
        chunks, total = [], 0
        while True:
            # Read one byte past the cap so a file that grows while being read is caught too.
            chunk = os.read(fd, min(65536, max_bytes + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise InvalidInputError(f"is larger than the {max_bytes} byte limit", file=shown,
                                        hint="dockgen reads files up to that size; trim it")
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_utf8(data: bytes, shown: str) -> str:
    """UTF-8 text (a leading BOM is dropped); anything else is refused naming the file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInputError("is UTF-16 text, not UTF-8", file=shown, hint="save the file as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"is not UTF-8 text (invalid byte at offset {exc.start})", file=shown,
                                hint="save the file as UTF-8") from None


class RepoView:
    """Read-only access to one repository root. All detectors read through one of these.

    ``context`` is the view of a directory above this one when the project is a member of a
    workspace built from there (a Maven module of an aggregator): ``member`` is this directory's
    path inside it. Without one, ``context`` is the view itself and ``member`` is "".
    """

    def __init__(self, root: str | os.PathLike[str], *, deadline_seconds: float = READ_DEADLINE_SECONDS,
                 total_max_bytes: int = TOTAL_READ_MAX_BYTES, context: RepoView | None = None):
        path = Path(root)
        if not path.is_dir():
            raise NoStackError(f"{path} is not a directory", hint="pass the project's root directory")
        self.root = path.resolve()
        self.context: RepoView = self if context is None else context
        self.member = "" if context is None else self.root.relative_to(context.root).as_posix()
        self._deadline = time.monotonic() + deadline_seconds
        self._deadline_seconds = deadline_seconds
        self._budget = total_max_bytes
        self._total_max = total_max_bytes
        #: Files already read (the budget counts distinct bytes read, not how often a file is asked for).
        self._read_cache: dict[Path, bytes] = {}

    # -- limits --------------------------------------------------------------------------------
    def _tick(self, rel: str) -> None:
        if time.monotonic() > self._deadline:
            raise InvalidInputError(f"reading the repository took longer than {self._deadline_seconds:g} s",
                                    file=rel, hint="run dockgen on the project's own root, not a huge tree")

    def _spend(self, n: int, rel: str) -> None:
        self._budget -= n
        if self._budget < 0:
            raise InvalidInputError(f"the project's files add up to more than the {self._total_max} byte read limit",
                                    file=rel, hint="run dockgen on the project's own root")

    # -- path handling -------------------------------------------------------------------------
    def _rel(self, rel: str) -> PurePosixPath:
        if not isinstance(rel, str) or "\x00" in rel or "\\" in rel:
            raise InvalidInputError(f"path {rel!r} is not a plain relative path", file=str(rel))
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts:
            raise InvalidInputError(f"path {rel!r} leaves the repository", file=rel)
        return p

    def _inside(self, real: Path) -> bool:
        return real == self.root or self.root in real.parents

    def _resolve_inside(self, rel: str) -> tuple[Path, os.stat_result] | None:
        """(real path, its stat) if ``rel`` exists; links that leave the repo are refused even when
        their target does not exist (so nothing is ever written through them either)."""
        self._tick(rel)
        p = self._rel(rel)
        full = self.root.joinpath(*p.parts)
        real = Path(os.path.realpath(full))
        if not self._inside(real):
            link = next((q for q in [full, *full.parents] if q != self.root and self.root in q.parents
                         and q.is_symlink()), None)
            target = os.readlink(link) if link is not None else str(real)
            raise InvalidInputError(
                f"symlink points outside the repository (to {target})",
                file=str(link.relative_to(self.root)) if link is not None else str(p),
                hint="replace the link with a regular file inside the repository",
            )
        try:
            st = os.stat(real)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InvalidInputError("symlink loop", file=str(p), hint="remove the looping link") from None
            raise InvalidInputError(f"cannot read ({exc.strerror})", file=str(p)) from None
        return real, st

    def _links_to_outside_file(self, rel: str) -> bool:
        full = self.root.joinpath(*self._rel(rel).parts)
        if not full.is_symlink():
            return False
        real = Path(os.path.realpath(full))
        return not self._inside(real) and not real.is_dir()

    def _refuse_special(self, rel: str, st: os.stat_result) -> None:
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            raise InvalidInputError(f"is {_kind(st.st_mode)}, not a regular file", file=rel,
                                    hint="dockgen reads regular files only; remove it from the project")

    # -- queries -------------------------------------------------------------------------------
    def exists(self, rel: str) -> bool:
        return self._resolve_inside(rel) is not None

    def is_file(self, rel: str) -> bool:
        """True for a regular file; False when missing or a directory; a FIFO, device or socket is
        refused (it is never opened)."""
        found = self._resolve_inside(rel)
        if found is None:
            return False
        self._refuse_special(rel, found[1])
        return stat.S_ISREG(found[1].st_mode)

    def is_dir(self, rel: str) -> bool:
        """True for a directory. A link to a file outside the repository is not one: walks that ask
        this of every entry (a README linked to the docs one level up) go past it unread, while a
        link to an outside directory is refused, as is reading any outside link."""
        if self._links_to_outside_file(rel):
            return False
        found = self._resolve_inside(rel)
        return found is not None and stat.S_ISDIR(found[1].st_mode)

    def listdir(self, rel: str = ".") -> list[str]:
        """Sorted entry names of a directory inside the repo ([] when it does not exist)."""
        if rel in ("", "."):
            self._tick(".")
            real = self.root
        else:
            found = self._resolve_inside(rel)
            if found is None or not stat.S_ISDIR(found[1].st_mode):
                return []
            real = found[0]
        names = []
        try:
            with os.scandir(real) as it:
                for entry in it:
                    names.append(entry.name)
                    if len(names) > MAX_DIR_ENTRIES:
                        raise InvalidInputError(
                            f"directory has more than {MAX_DIR_ENTRIES} entries", file=rel,
                            hint="run dockgen on the project's own root")
        except OSError as exc:
            raise InvalidInputError(f"cannot list ({exc.strerror})", file=rel) from None
        self._tick(rel)
        return sorted(names)

    def read_bytes(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> bytes:
        found = self._resolve_inside(rel)
        if found is None:
            raise InvalidInputError("file not found", file=rel)
        real, st = found
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError(f"is {_kind(st.st_mode)}, not a regular file", file=rel,
                                    hint="dockgen reads regular files only")
        if st.st_size > max_bytes:
            raise InvalidInputError(f"is larger than the {max_bytes} byte limit ({st.st_size} bytes)", file=rel,
                                    hint="dockgen reads files up to that size; trim it")
        cached = self._read_cache.get(real)
        if cached is not None and len(cached) == st.st_size:
            return cached  # already counted: a workspace root's detectors read one lockfile per member
        data = _read_fd(real, max_bytes, rel)
        self._spend(len(data), rel)
        self._tick(rel)
        self._read_cache[real] = data
        return data

    def read_text(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> str:
        return decode_utf8(self.read_bytes(rel, max_bytes), rel)

    def read_text_if_exists(self, rel: str, max_bytes: int = MANIFEST_MAX_BYTES) -> str | None:
        return self.read_text(rel, max_bytes) if self.is_file(rel) else None

    def glob_files(self, pattern: str) -> list[str]:
        """Regular files directly in the root matching a shell pattern, sorted."""
        import fnmatch

        return [n for n in self.listdir(".") if fnmatch.fnmatchcase(n, pattern) and self.is_file(n)]

"""A strict reader for go.mod: the directives dockgen needs, each checked through ``safe``.

Only what shapes the Dockerfile is kept: the module path, the ``go`` and ``toolchain`` versions, the
required module paths (for cgo detection and the go.sum check) and local ``replace`` targets (their
go.mod must be in the build context before ``go mod download``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import safe
from .errors import InvalidInputError

FILE = "go.mod"

#: ``1.22``, ``1.22.3``, ``1.23rc1``, ``1.21beta2``: Go's own release version syntax.
GO_VERSION = re.compile(r"^1\.(\d{1,3})(?:\.(\d{1,3})|(?:rc|beta)\d{1,3})?$")
_COMMENT = re.compile(r"//.*$")


@dataclass
class GoMod:
    module: str | None = None
    go: str | None = None
    toolchain: str | None = None
    requires: list[str] = field(default_factory=list)
    #: Directories of ``replace old => ./dir`` lines (repo-relative, no ``..``).
    local_replaces: list[str] = field(default_factory=list)
    #: ``replace old => ../dir`` lines as (line number, target): outside the module, so only a
    #: workspace that uses that directory can build it (``go.detect`` decides).
    parent_replaces: list[tuple[int, str]] = field(default_factory=list)


def version_tuple(v: str) -> tuple[int, int, int]:
    """``1.22`` → (1, 22, 0); ``1.23rc1`` → (1, 23, 0); ``1.25.1`` → (1, 25, 1)."""
    m = GO_VERSION.fullmatch(v)
    if not m:
        raise ValueError(v)
    return (1, int(m.group(1)), int(m.group(2) or 0))


def _unquote(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"`":
        return word[1:-1]
    return word


def _check_version(value: str, field_name: str) -> str:
    v = safe.version(value, FILE, field_name)
    if not GO_VERSION.fullmatch(v):
        raise InvalidInputError(f"{field_name}: {value!r} is not a Go release version (like 1.22 or 1.22.3)",
                                file=FILE, hint="write the directive as `go 1.N` or `go 1.N.P`")
    return v


def parse(text: str) -> GoMod:
    mod = GoMod()
    block: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        if block is not None:
            if line == ")":
                block = None
                continue
            _entry(mod, block, line.split(), lineno)
            continue
        words = line.split()
        verb, rest = words[0], words[1:]
        if rest == ["("]:
            block = verb
            continue
        if len(rest) >= 2 and rest[0] == "(" and rest[-1] == ")":  # `require ( x v1 )` on one line
            rest = rest[1:-1]
        if verb == "module":
            if len(rest) != 1:
                raise InvalidInputError(f"line {lineno}: `module` needs exactly one path", file=FILE,
                                        hint="write `module example.com/app`")
            mod.module = safe.go_import_path(_unquote(rest[0]), FILE, "module")
        elif verb == "go":
            if len(rest) != 1:
                raise InvalidInputError(f"line {lineno}: `go` needs exactly one version", file=FILE,
                                        hint="write `go 1.N`")
            mod.go = _check_version(rest[0], "go")
        elif verb == "toolchain":
            if len(rest) != 1:
                raise InvalidInputError(f"line {lineno}: `toolchain` needs exactly one name", file=FILE,
                                        hint="write `toolchain go1.N.P`")
            if rest[0] != "default":
                if not rest[0].startswith("go"):
                    raise InvalidInputError(f"line {lineno}: toolchain {rest[0]!r} is not goVERSION",
                                            file=FILE, hint="write `toolchain go1.N.P`")
                mod.toolchain = _check_version(rest[0][2:], "toolchain")
        else:
            _entry(mod, verb, rest, lineno)
    if block is not None:
        raise InvalidInputError(f"`{block} (` block is not closed", file=FILE, hint="add the closing `)`")
    return mod


def _entry(mod: GoMod, verb: str, words: list[str], lineno: int) -> None:
    if verb == "require":
        if len(words) < 2:
            raise InvalidInputError(f"line {lineno}: require needs a module path and a version", file=FILE,
                                    hint="run `go mod tidy`")
        mod.requires.append(safe.go_import_path(_unquote(words[0]), FILE, "require"))
    elif verb == "replace":
        if "=>" not in words:
            raise InvalidInputError(f"line {lineno}: replace without `=>`", file=FILE, hint="run `go mod tidy`")
        target = words[words.index("=>") + 1:]
        if len(target) == 1 and (target[0].startswith("./") or target[0].startswith("../")):
            if target[0].startswith("../"):
                mod.parent_replaces.append((lineno, _unquote(target[0])))
            else:
                mod.local_replaces.append(safe.rel_path(_unquote(target[0]), FILE, "replace"))
    # exclude, retract, godebug, tool, ignore: nothing in the Dockerfile depends on them.

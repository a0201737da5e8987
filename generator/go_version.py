"""Go: the release a module asks for (go.mod `go`/`toolchain`, or --go-version) → a catalog line.

`go 1.22.3` resolves to the 1.22 line. A release newer than the catalog's image (a newer line, or a
newer patch than the image's Go) is an error: the images run with GOTOOLCHAIN=local and would refuse
it. An older line than any in the catalog resolves to the oldest newer line, with a warning (Go builds
modules that declare older versions).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..detectors import go_mod
from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from .catalog import Runtime


@dataclass(frozen=True)
class GoRelease:
    line: str  # catalog key, "1.22"
    requested: Fact[str]
    warning: str | None = None


def resolve(requested: Fact[str] | None, runtime: Runtime) -> GoRelease:
    supported = ", ".join(runtime.ordered())
    if requested is None:
        raise InvalidInputError("no `go` directive", file="go.mod",
                                hint=f"add a `go 1.N` line (dockgen supports {supported})")
    try:
        want = go_mod.version_tuple(requested.value)
    except ValueError:
        raise InvalidInputError(f"{requested.value!r} is not a Go release version", file=requested.source.where,
                                hint=f"use one of {supported}") from None
    line = f"{want[0]}.{want[1]}"
    entry = runtime.versions.get(line)
    if entry is not None:
        if entry.full and want > go_mod.version_tuple(entry.full):
            raise InvalidInputError(
                f"Go {requested.value} (from {requested.source}) is newer than dockgen's golang:{line} image "
                f"(Go {entry.full}); with GOTOOLCHAIN=local the build would refuse it",
                file=requested.source.where, hint=f"require Go {entry.full} or older, or one of {supported}")
        return GoRelease(line=line, requested=requested)
    newer = [v for v in reversed(runtime.ordered()) if go_mod.version_tuple(v) > want]
    if not newer:
        raise InvalidInputError(
            f"Go {requested.value} (from {requested.source}) is newer than every Go in dockgen's catalog "
            f"(supported: {supported})", file=requested.source.where, hint=f"require one of {supported}")
    return GoRelease(line=newer[0], requested=requested,
                     warning=f"{requested.source} asks for Go {requested.value}; dockgen's catalog has no {line} "
                             f"line, building with Go {newer[0]} (the oldest newer one)")

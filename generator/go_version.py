"""Go: the release a module asks for (go.mod `go`/`toolchain`, a version manager's pin, or
--go-version) → a catalog line.

- go.mod's `go 1.26` (or `1.26.1`) selects the 1.26 line; a newer `toolchain` line wins (the detector
  picks it, and a `.tool-versions`/`mise.toml` pin likewise);
- a module whose `go` line is older than every catalog line (`go 1.16`) gets the oldest line still
  supported, assumed (``Runtime.assume``): the `go` line is a minimum and Go builds modules that declare
  older versions, but the release is dockgen's choice, so a loud warning names go.mod and
  --go-version, and ``--strict`` refuses it. Any other line the catalog lacks (newer, or an older
  --go-version) is an error naming the file, with the supported lines;
- a release newer than the catalog's image (a newer patch than the image's Go) is an error: the
  images run with GOTOOLCHAIN=local and would refuse it;
- --go-version always wins; one older than the module's `go` line is a warning (the go command will
  refuse to build it with GOTOOLCHAIN=local), not an error;
- a line past its end of life (two newer minors exist) is built with a loud warning.
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
    warnings: tuple[str, ...] = ()
    #: "" or "; END OF LIFE since …" for the header line.
    eol_note: str = ""
    #: Set when the line was assumed (the module's `go` line is older than the catalog): the header's text.
    assumed: str = ""


def _tuple(requested: Fact[str], supported: str) -> tuple[int, int, int]:
    try:
        return go_mod.version_tuple(requested.value)
    except ValueError:
        raise InvalidInputError(f"{requested.value!r} is not a Go release version", file=requested.source.where,
                                hint=f"use one of {supported}") from None


def resolve(override: Fact[str] | None, module: Fact[str] | None, runtime: Runtime,
            strict: bool = False) -> GoRelease:
    """``override``: the --go-version option with its source; ``module``: what the module asks for."""
    supported = ", ".join(runtime.ordered())
    requested = override or module
    if requested is None:
        raise InvalidInputError("no `go` directive", file="go.mod",
                                hint=f"add a `go 1.N` line (dockgen supports {supported})")
    want = _tuple(requested, supported)
    line = f"{want[0]}.{want[1]}"
    entry = runtime.versions.get(line)
    assumed = None
    if entry is None and override is None and want < go_mod.version_tuple(runtime.ordered()[-1]):
        assumed = runtime.assume(requested, what="Go", flag="--go-version", strict=strict)
        line = assumed.version
        entry = runtime.versions[line]
    if entry is None:
        oldest = runtime.ordered()[-1]
        if want < go_mod.version_tuple(oldest):
            # Only an option the user set gets here: a release they chose is never replaced.
            raise InvalidInputError(
                f"Go {requested.value} (from {requested.source}) is older than every Go in dockgen's catalog "
                f"(supported: {supported})",
                file=requested.source.where, hint=f"pass --go-version {oldest} or newer")
        raise InvalidInputError(
            f"Go {requested.value} (from {requested.source}) is not in dockgen's catalog (supported: {supported})",
            file=requested.source.where, hint=f"require one of {supported}, or pass --go-version")
    if entry.full and want > go_mod.version_tuple(entry.full):
        raise InvalidInputError(
            f"Go {requested.value} (from {requested.source}) is newer than dockgen's golang:{line} image "
            f"(Go {entry.full}); with GOTOOLCHAIN=local the build would refuse it",
            file=requested.source.where, hint=f"require Go {entry.full} or older, or one of {supported}")
    warnings: list[str] = [assumed.warning] if assumed and assumed.warning else []
    if override is not None and module is not None:
        try:
            needs = go_mod.version_tuple(module.value)
        except ValueError:
            needs = None
        if needs is not None and entry.full and needs > go_mod.version_tuple(entry.full):
            warnings.append(f"{override.source} {override.value} is older than the module's Go {module.value} "
                            f"(from {module.source}): with GOTOOLCHAIN=local `go build` refuses it")
    eol = runtime.eol_warning(line, "Go")
    if eol:
        warnings.append(eol)
    return GoRelease(line=line, requested=requested, warnings=tuple(warnings), eol_note=runtime.eol_note(line),
                     assumed=assumed.note or "" if assumed else "")

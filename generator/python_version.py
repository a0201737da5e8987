"""Python version: the project's request (``detectors/python_version``) or the option → a catalog minor.

- an exact version (``3.12``, ``3.12.4``, ``python-3.12.4``) or a single ``==3.12.4`` specifier →
  that minor line, if the catalog has it; a patch level is not reproduced (the image carries its own
  patch release of the line) and the header says so;
- a PEP 440 range → the newest catalog minor inside it (the default when it qualifies);
- nothing → the catalog default.
The ``--python-version`` option always wins: outside the project's declared range it is a warning,
not an error. A minor past its end of life is built with a loud warning; a minor without an image
(not in the catalog) is an error naming the file or option.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from ..detectors.python import PythonFacts
from .catalog import Runtime
from .options import Options

_EXACT = re.compile(r"^(?:==)?\s*(\d+)\.(\d+)(?:\.(\d+))?$")


def _matches(spec: str):
    s = SpecifierSet(spec)
    # A minor line satisfies a range when one of its releases does (x.y.0 or a late patch).
    return lambda v: s.contains(f"{v}.0", prereleases=False) or s.contains(f"{v}.99", prereleases=False)


def _exact(value: str) -> tuple[str, str | None] | None:
    """(minor, patch or None) for ``3.12`` / ``3.12.4`` / ``==3.12.4``; None for a range."""
    m = _EXACT.fullmatch(value.strip())
    if m is None:
        return None
    return f"{m.group(1)}.{m.group(2)}", m.group(3)


def select_version(facts: PythonFacts, options: Options, rt: Runtime) -> tuple[str, str, list[str]]:
    """(catalog minor, header reason, warnings)."""
    override: Fact[str] | None = options.fact("versions.python")
    req: Fact[str] | None = override or facts.python_version
    if req is None:
        return rt.default, f"python {rt.default} (dockgen catalog default; the project names no version)", []
    value = req.value
    warnings: list[str] = []
    exact = _exact(value)
    if exact is not None:
        minor, patch = exact
        chosen = rt.select(req, lambda v: v == minor, what="Python version")
        rng = facts.python_range
        if rng is not None and rng != req and not _matches(rng.value)(chosen):
            if override is None:
                raise InvalidInputError(
                    f"Python {value} (from {req.source}) does not satisfy {rng.value} (from {rng.source})",
                    file=req.source.where, hint="make the version files agree")
            warnings.append(f"{req.source} {value} is outside the project's {rng.value} (from {rng.source}): "
                            f"building with python {chosen} as asked")
        reason = f"python {chosen} (from {req.source}: {value})"
        if patch is not None:
            reason += (f"; the {chosen} image carries its own patch release: {minor}.{patch} is not reproduced, "
                       "only its minor line")
    else:
        try:
            matcher = _matches(value)
        except InvalidSpecifier:
            raise InvalidInputError(f"Python version {value!r} (from {req.source}) is neither a version nor a range",
                                    file=req.source.where, hint="write a version such as 3.12") from None
        chosen = rt.select(req, matcher, what="Python version")
        reason = f"python {chosen} (newest catalog version in {value}, from {req.source})"
    eol = rt.eol_warning(chosen, "python")
    if eol:
        warnings.append(eol)
    return chosen, reason + rt.eol_note(chosen), warnings

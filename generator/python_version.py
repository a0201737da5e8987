"""Python version: the project's request (``detectors/python_version``) or the option → a catalog minor.

- an exact version (``3.12``, ``3.12.4``, ``python-3.12.4``) or a single ``==3.12.4`` specifier →
  that minor line, if the catalog has it; a patch level is not reproduced (the image carries its own
  patch release of the line) and the header says so;
- a PEP 440 range → the newest catalog minor inside it (the default when it qualifies);
- nothing → the catalog default;
- for a range or nothing, a lock that names its files narrows the choice (``python_native``): the
  newest catalog minor (the default when it qualifies) for which every binary package the lock
  installs has a wheel; when none has them all, the one with the fewest to build from source. The
  header names what the newer minor lacks. An exact request is never moved.
The ``--python-version`` option always wins: outside the project's declared range it is a warning,
not an error. A minor past its end of life is built with a loud warning. A project file asking for a
Python 3 older than every catalog minor (``3.8``, ``~3.8`` / ``>=3.7,<3.9``) gets the oldest minor
still supported, assumed: a loud warning naming the file and ``--python-version`` (``--strict``
refuses it). Any other minor without an image (newer, Python 2, or an option the user set) is an
error naming the file or option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from ..detectors.python import PythonFacts
from . import python_native as native
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


@dataclass(frozen=True)
class Version:
    minor: str
    reason: str
    warnings: tuple[str, ...] = ()
    #: dockgen chose among several minors (a range or nothing was asked for), not the project.
    by_rule: bool = False


def _by_wheels(facts: PythonFacts, rt: Runtime, candidates: list[str], chosen: str) -> tuple[str, str]:
    """(minor, "" or the header's note) — the lock's wheels decide among the allowed minors.

    Packages with no fitting wheel on any candidate (sdist-only ones, an architecture never built
    for) cannot decide anything and are left out of the count."""
    dists = facts.binary_dists.value if facts.binary_dists else ()
    if not dists or len(candidates) < 2:
        return chosen, ""
    lacking = {v: native.missing(dists, rt, v) for v in candidates}
    gaps = {v: native.gaps(dists, rt, v) for v in candidates}  # (package, architecture) pairs
    always = set.intersection(*gaps.values())
    count = {v: len(g - always) for v, g in gaps.items()}
    fewest = min(count.values())
    best = [v for v in candidates if count[v] == fewest]
    pick = rt.default if rt.default in best else best[0]
    if pick == chosen:
        return chosen, ""
    newer = [v for v in candidates if v not in best and candidates.index(v) < candidates.index(pick)]
    above = newer[-1] if newer else chosen
    extra = [str(d) for d in lacking[above] if {(d.name, a) for a in native.ARCHES} & (gaps[above] - gaps[pick])]
    lacks = ", ".join(extra[:4]) + (", …" if len(extra) > 4 else "")
    lock = native.named_by(facts.binary_dists)
    what = f"the newest catalog version {lock} has wheels for" if fewest == 0 else \
        f"the newest catalog version with the fewest packages to build from source in {lock}"
    return pick, f"{what}; python {above} has none for {lacks}"


def _older(rt: Runtime, matches) -> bool:
    """Only Python 3 minors older than the catalog's oldest one satisfy ``matches`` (Python 2 code does
    not run on Python 3: never a substitute)."""
    oldest = int(rt.ordered()[-1].split(".")[1])
    return any(matches(f"3.{m}") for m in range(oldest))


def select_version(facts: PythonFacts, options: Options, rt: Runtime) -> Version:
    """The catalog minor, the header reason and warnings."""
    override: Fact[str] | None = options.fact("versions.python")
    req: Fact[str] | None = override or facts.python_version
    if req is None:
        pick, note = _by_wheels(facts, rt, rt.ordered(), rt.default)
        if note:
            reason = f"python {pick} (the project names no version: {note})"
            eol = rt.eol_warning(pick, "python")
            return Version(pick, reason + rt.eol_note(pick), (eol,) if eol else (), by_rule=True)
        return Version(rt.default, f"python {rt.default} (dockgen catalog default; the project names no version)",
                       by_rule=True)
    value = req.value
    warnings: list[str] = []
    exact = _exact(value)
    if exact is not None:
        minor, patch = exact
        sel = rt.select(req, lambda v: v == minor, what="Python version", flag="--python-version",
                        older=minor.startswith("3.") and _older(rt, lambda v: v == minor),
                        project=override is None, strict=options.strict)
        chosen = sel.version
        rng = facts.python_range
        # An assumed minor for an old pin leaves a range as old (``>=3.7,<3.9``) unmet too: the one warning
        # says it. A range some catalog minor satisfies still has to agree with the pin.
        old_range = sel.assumed and rng is not None and _older(rt, _matches(rng.value)) and not any(
            _matches(rng.value)(v) for v in rt.ordered())
        if rng is not None and rng != req and not old_range and not _matches(rng.value)(chosen):
            if override is None:
                raise InvalidInputError(
                    f"Python {value} (from {req.source}) does not satisfy {rng.value} (from {rng.source})",
                    file=req.source.where, hint="make the version files agree")
            warnings.append(f"{req.source} {value} is outside the project's {rng.value} (from {rng.source}): "
                            f"building with python {chosen} as asked")
        reason = f"python {chosen} ({sel.note or f'from {req.source}: {value}'})"
        if sel.warning:
            warnings.append(sel.warning)
        elif patch is not None:
            reason += (f"; the {chosen} image carries its own patch release: {minor}.{patch} is not reproduced, "
                       "only its minor line")
    else:
        try:
            matcher = _matches(value)
        except InvalidSpecifier:
            raise InvalidInputError(f"Python version {value!r} (from {req.source}) is neither a version nor a range",
                                    file=req.source.where, hint="write a version such as 3.12") from None
        sel = rt.select(req, matcher, what="Python version", flag="--python-version", older=_older(rt, matcher),
                        project=override is None, strict=options.strict)
        chosen, note = _by_wheels(facts, rt, [v for v in rt.ordered() if matcher(v)], sel.version)
        reason = (f"python {chosen} ({sel.note})" if sel.note else
                  f"python {chosen} ({value} from {req.source}: {note})" if note else
                  f"python {chosen} (newest catalog version in {value}, from {req.source})")
        if sel.warning:
            warnings.append(sel.warning)
    eol = rt.eol_warning(chosen, "python")
    if eol:
        warnings.append(eol)
    return Version(chosen, reason + rt.eol_note(chosen), tuple(warnings), by_rule=exact is None or sel.assumed)

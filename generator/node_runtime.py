"""Node.js version: the project's requests (``detectors/node_version``) → a catalog major line.

- an exact version or major (``22``, ``v22.20.0``) → that major line, if the catalog has it;
- ``lts/*``, ``node``, ``latest`` → the catalog default (the newest LTS);
- ``lts/<codename>`` → that LTS major;
- a range (``>=20 <23``, ``^22``, ``20.x || 22.x``) → the newest catalog LTS whose full version
  satisfies it (npm semver rules, PyPI ``node-semver``).
A version older than every catalog line (``.nvmrc`` 16, ``engines.node`` "4.0.0", ``>=4 <5``) is built
with the oldest line still supported, assumed: a loud warning naming the file and ``--node-version``
(``--strict`` refuses it). Any other version the catalog lacks (newer, between lines, or an option the
user set) is an error naming the file; an end-of-life line is built with a loud warning. A patch-level pin (``v22.11.0``) selects its major line: the header says the patch is not
reproduced. ``--node-version`` always wins; a project file it contradicts is a warning.
"""

from __future__ import annotations

import re

import nodesemver

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from ..detectors.node_version import LTS_CODENAMES
from .catalog import Runtime

_EXACT = re.compile(r"^v?([0-9]+)(?:\.([0-9]+|x|\*))?(?:\.([0-9]+|x|\*))?$")


def _full(runtime: Runtime, major: str) -> str:
    return runtime.versions[major].full or f"{major}.0.0"


def _matcher(runtime: Runtime, request: Fact[str]):
    """(exact catalog key or None, matches-callable or None) for ``Runtime.select``."""
    v = request.value
    if v in ("lts/*", "node", "stable", "latest", "current"):
        return runtime.default, None
    if v.startswith("lts/"):
        major = LTS_CODENAMES.get(v[4:])
        if major is None:
            raise InvalidInputError(f"unknown LTS codename {v!r}", file=request.source.where,
                                    hint="use a major version such as 22")
        return major, None
    m = _EXACT.fullmatch(v)
    if m:
        return m.group(1), None
    try:
        rng = nodesemver.make_range(v, loose=True)
    except Exception:
        raise InvalidInputError(f"{v!r} is not a valid semver range", file=request.source.where,
                                hint="use a range such as >=22 or ^22.0.0") from None
    return None, lambda major: nodesemver.satisfies(_full(runtime, major), rng.range, loose=True)


def _below(runtime: Runtime, request: Fact[str]) -> bool:
    """A range every version of which is older than the catalog's oldest line (``>=4 <5``, ``~16.2``)."""
    floor = nodesemver.make_semver(f"{runtime.ordered()[-1]}.0.0", loose=True)
    try:
        rng = nodesemver.make_range(request.value, loose=True)
    except Exception:
        return False
    for comparators in rng.set:  # ||-alternatives: each must end below the floor
        if not any(isinstance(c.semver, nodesemver.SemVer) and (
                (c.operator == "<" and c.semver.compare(floor) <= 0)
                or (c.operator in ("<=", "", "=") and c.semver.compare(floor) < 0)) for c in comparators):
            return False
    return True


def satisfied_by(runtime: Runtime, major: str, request: Fact[str]) -> bool:
    key, matches = _matcher(runtime, request)
    return matches(major) if matches else key == major


def resolve(requests: tuple[Fact[str], ...], override: Fact[str] | None, runtime: Runtime,
            strict: bool = False) -> tuple[str, str, list[str]]:
    """(major, reason line, warnings); ``override`` is the version option with its source."""
    warnings: list[str] = []
    if override:
        request: Fact[str] | None = Fact(value=override.value.strip().lower(), source=override.source)
    else:
        request = requests[0] if requests else None
    if request is None:
        major = runtime.default
        reason = f"node {major} (dockgen default: the newest LTS in the catalog; pin one in .nvmrc)"
    else:
        key, matches = _matcher(runtime, request)
        wanted = Fact(value=key if key is not None else request.value, source=request.source)
        sel = runtime.select(wanted, matches, what="Node.js version", flag="--node-version",
                             older=_below(runtime, request) if matches else None, project=not override, strict=strict,
                             asked=request.value)
        major = sel.version
        shown = "" if request.value == major else f" {request.value!r} →"
        reason = f"node{shown} {major} ({sel.note or f'from {request.source}'}; image node {_full(runtime, major)})"
        if sel.warning:
            warnings.append(sel.warning)
        ex = _EXACT.fullmatch(request.value)
        if not sel.assumed and ex and ex.group(2) not in (None, "x", "*") and ex.group(3) not in (None, "x", "*"):
            exact = request.value.lstrip("v")
            if exact != _full(runtime, major):
                reason = (f"node{shown} {major} (from {request.source}; image node {_full(runtime, major)}: "
                          f"the patch release {exact} is not reproduced, only its major line)")
        for other in requests:
            if other is request:
                continue
            try:
                ok = satisfied_by(runtime, major, other)
            except InvalidInputError:
                ok = False
            if not ok:
                warnings.append(f"{other.source} ({other.value}) does not match node {major} chosen from "
                                f"{request.source}")
    eol = runtime.eol_warning(major, "node")
    if eol:
        warnings.append(eol)
    return major, reason + runtime.eol_note(major), warnings

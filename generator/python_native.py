"""Native code in a Python install: which interpreters the locked wheels cover, what builds from source
for the chosen one, and the Debian packages that takes (``python_native.toml``).

- A locked binary package (``PythonFacts.binary_dists``) is covered on an interpreter when the lock
  names a wheel for it on every architecture images are built for (x86_64 and aarch64): the
  interpreter's own ``cpXY`` ABI, a stable-ABI ``abi3`` wheel built for an older minor, or a
  ``py3-none`` platform wheel, on a manylinux glibc no newer than the builder's Debian release.
  Packages whose marker excludes them on that interpreter do not count.
- What is not covered builds from source: the compiler and the table's build packages go into
  the build stage, the runtime libraries into the runner (which must then be slim).
- Requirements files name no files. Their exact ``==`` pins of packages in the catalog's wheel
  floors (``python_wheel_floors.toml``: the first release with wheels for both architectures, per
  minor) stand in for a lock's file names (``with_floors``): a pin at or above a minor's floor has
  wheels there. Packages that never publish a Linux wheel (``linux_wheels = false``) always build;
  other binary packages are a warning when dockgen chose the interpreter itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.version import InvalidVersion, Version

from ..detectors.facts import Fact, Source
from ..detectors.python import PythonFacts
from ..detectors.python_wheels import ARCHES, LockedDist
from .catalog import NativeTable, Runtime, native_table, wheel_floors

#: The source field of binary packages read from ``==`` pins and the wheel floors, not from a lock.
FLOORS = "== pins, by the catalog's wheel floors"

_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


def _floor_dist(name: str, version: str, floors: dict[str, str]) -> LockedDist | None:
    try:
        pinned = Version(version)
        covered = [m for m, first in floors.items() if pinned >= Version(first)]
    except InvalidVersion:
        return None
    tags = tuple(f"cp{m.replace('.', '')}-cp{m.replace('.', '')}-manylinux_2_17_{arch}"
                 for arch in ARCHES for m in covered)
    return LockedDist(name=name, version=version, wheels=tags, sdist=True)


def with_floors(facts: PythonFacts) -> PythonFacts:
    """Facts whose ``binary_dists`` come from the requirements' ``==`` pins and the wheel floors,
    when no lock or direct reference names files (unchanged otherwise)."""
    if facts.binary_dists is not None or facts.pins is None:
        return facts
    table = wheel_floors()
    dists = tuple(d for name, version in facts.pins.value if table.get(name)
                  if (d := _floor_dist(name, version, table[name])) is not None)
    if not dists:
        return facts
    return facts.model_copy(update={"binary_dists": Fact(value=dists, source=Source.of(facts.pins.source.file, FLOORS))})


def named_by(dists: Fact[tuple[LockedDist, ...]]) -> str:
    """Who says which wheels exist: the lock (``uv.lock``) or the pins and the floors."""
    src = dists.source
    return f"{src.file} ({FLOORS})" if src.field == FLOORS else src.file


def release_of(builder_tag: str) -> str | None:
    """The Debian release of a python image tag ("3.14-slim-trixie" → "trixie"); None for alpine."""
    last = builder_tag.rsplit("-", 1)[-1]
    return last if last in native_table().releases else None


def _env(minor: str, arch: str) -> dict[str, str]:
    return {"python_version": minor, "python_full_version": f"{minor}.0", "sys_platform": "linux",
            "platform_system": "Linux", "os_name": "posix", "platform_machine": arch,
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "platform_release": "", "platform_version": "", "implementation_version": f"{minor}.0"}


def active(dist: LockedDist, minor: str) -> bool:
    """Does the production install include ``dist`` on this interpreter? An ``extra == …`` clause
    counts as met: the package is in the production set because something asked for that extra."""
    if dist.marker is None:
        return True
    try:
        marker = Marker(dist.marker)
    except InvalidMarker:
        return True
    extras = _EXTRA.findall(dist.marker) or [""]
    for arch in ARCHES:
        for extra in extras:
            try:
                if marker.evaluate({**_env(minor, arch), "extra": extra}):
                    return True
            except (UndefinedComparison, UndefinedEnvironmentName, ValueError):
                return True
    return False


def _cp(minor: str) -> int:
    major, _, rest = minor.partition(".")
    return int(major) * 100 + int(rest)


def _tag_fits(tag: str, minor: str, glibc: tuple[int, int], arch: str) -> bool:
    interp, abi, plat = tag.split("-", 2)
    m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", plat)
    if m is None or m.group(3) != arch or (int(m.group(1)), int(m.group(2))) > glibc:
        return False
    want = "cp" + minor.replace(".", "")
    if abi in (want, want + "m"):
        return interp == want
    if abi == "abi3" and interp.startswith("cp") and interp[2:].isdigit():
        n = interp[2:]
        return _cp(f"{n[0]}.{n[1:]}") <= _cp(minor)
    if abi == "none":
        return interp in (want, "py3", f"py{minor.replace('.', '')}") or interp.startswith("py3")
    return False


def lacking_arches(dist: LockedDist, minor: str, glibc: tuple[int, int]) -> list[str]:
    """The architectures the lock names no fitting wheel of ``dist`` for."""
    return [arch for arch in ARCHES if not any(_tag_fits(t, minor, glibc, arch) for t in dist.wheels)]


def covered(dist: LockedDist, minor: str, glibc: tuple[int, int]) -> bool:
    return not lacking_arches(dist, minor, glibc)


def glibc_of(rt: Runtime, minor: str) -> tuple[int, int] | None:
    release = release_of(rt.versions[minor].builder)
    if release is None:
        return None
    major, _, low = native_table().releases[release].glibc.partition(".")
    return int(major), int(low)


def missing(dists: tuple[LockedDist, ...], rt: Runtime, minor: str) -> list[LockedDist]:
    """The binary packages that build from source on this catalog interpreter."""
    glibc = glibc_of(rt, minor) or (2, 17)
    return [d for d in dists if active(d, minor) and not covered(d, minor, glibc)]


def gaps(dists: tuple[LockedDist, ...], rt: Runtime, minor: str) -> set[tuple[str, str]]:
    """(package, architecture) pairs the lock has no fitting wheel for on this interpreter."""
    glibc = glibc_of(rt, minor) or (2, 17)
    return {(d.name, a) for d in dists if active(d, minor) for a in lacking_arches(d, minor, glibc)}


@dataclass(frozen=True)
class Native:
    """Debian packages for the build stage and the runner, and what the header and stderr say."""

    build: tuple[str, ...] = ()
    runtime: tuple[str, ...] = ()
    #: For the runner's reason: "psycopg2 2.9.9 (built here) links libpq5".
    runtime_why: str = ""
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _names(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def _to_build(facts: PythonFacts, rt: Runtime, minor: str, table: NativeTable) -> tuple[list[LockedDist], str]:
    """(packages that build from source, why) for the chosen interpreter."""
    named = facts.binary_dists.value if facts.binary_dists else ()
    installed = facts.installed.value if facts.installed else ()
    never = [LockedDist(name=n, version="") for n in installed if n in table.packages
             and not table.packages[n].linux_wheels and n not in {d.name for d in named}]
    if facts.binary_dists is None:
        return never, "no Linux wheel is published"
    lacking = missing(named, rt, minor)
    if facts.lockfile is not None or not never:
        return lacking, f"{named_by(facts.binary_dists)} names no cp{minor.replace('.', '')} Linux wheel"
    return lacking + never, "no fitting Linux wheel"  # requirements: direct references and the table


def _label(d: LockedDist, minor: str, glibc: tuple[int, int]) -> str:
    """"psycopg2 2.9.9", or "asyncpg 0.26.0 (on aarch64)" when one architecture has a wheel."""
    arches = lacking_arches(d, minor, glibc) if d.wheels else list(ARCHES)
    return str(d).strip() + (f" (on {arches[0]})" if len(arches) == 1 else "")


@dataclass
class _Needs:
    build: list[str] = field(default_factory=list)  # logical names
    runtime: list[str] = field(default_factory=list)
    compiled: list[str] = field(default_factory=list)  # "psycopg2 2.9.9"
    linking: list[str] = field(default_factory=list)  # packages that need a runtime library
    sdists: list[str] = field(default_factory=list)  # unknown packages the lock has only an sdist of
    warnings: list[str] = field(default_factory=list)


def _add(needs: _Needs, d: LockedDist, table: NativeTable, minor: str, why: str, glibc: tuple[int, int]) -> None:
    entry = table.packages.get(d.name)
    if entry is None and not d.wheels:
        needs.sdists.append(str(d))
        return
    label = _label(d, minor, glibc)
    needs.compiled.append(label)
    needs.build.append("compiler")
    if entry is None:
        needs.warnings.append(f"{label} builds from source for python {minor} ({why}): dockgen installs the "
                              "compiler; if it needs a system library, add its -dev package with build_packages "
                              "(dockgen.toml) and the library with packages")
        return
    needs.build += [*entry.build, *(["rust"] if entry.rust else [])]
    needs.runtime += entry.runtime
    if entry.runtime:
        needs.linking.append(d.name)
    if entry.rust:
        needs.warnings.append(f"{label} is a Rust extension built from source for python {minor}: Debian's cargo "
                              "and rustc may be older than it needs; a Python the lock has wheels for avoids the build")


def plan_native(facts: PythonFacts, rt: Runtime, minor: str, builder_tag: str, chosen_by_rule: bool) -> Native:
    """What builds from source on ``minor`` and the Debian packages it takes (``chosen_by_rule``:
    dockgen chose the interpreter, so unverifiable wheels are worth a warning)."""
    table = native_table()
    installed = set(facts.installed.value if facts.installed else ())
    builds, why = _to_build(facts, rt, minor, table)
    needs = _Needs()
    glibc = glibc_of(rt, minor) or (2, 17)
    for d in builds:
        _add(needs, d, table, minor, why, glibc)
    if needs.sdists:
        lock = named_by(facts.binary_dists) if facts.binary_dists else "the lock"
        many = len(needs.sdists) > 1
        needs.warnings.append(f"{_names(needs.sdists)} {'have' if many else 'has'} no wheel in {lock}: pip builds "
                              f"{'them from their sdists' if many else 'it from its sdist'}; dockgen does not know "
                              "whether that compiles anything (if it does, add the compiler and -dev packages with "
                              "build_packages in dockgen.toml, and the libraries with packages)")
    loaded = [n for n in sorted(installed) if n in table.packages and table.packages[n].loads
              and not any(u in installed for u in table.packages[n].unless)]
    for n in loaded:
        needs.runtime += table.packages[n].runtime
        needs.linking.append(n)
    if facts.binary_dists is None and chosen_by_rule:
        needs.warnings += _unknown_wheels(facts, table, minor)
    release = release_of(builder_tag)
    if not (needs.build or needs.runtime):
        return Native(reasons=tuple(_all_wheels(facts, minor) if release else ()), warnings=tuple(needs.warnings))
    if release is None:
        needs.warnings.append(f"{_names(needs.compiled + loaded)} need native libraries, which dockgen maps for "
                              "the Debian images only: on alpine add them with build_packages and packages "
                              "(dockgen.toml)")
        return Native(warnings=tuple(needs.warnings))
    return _result(needs, table, release, minor, why, loaded)


def _result(needs: _Needs, table: NativeTable, release: str, minor: str, why: str, loaded: list[str]) -> Native:
    build, runtime = table.pins(release, needs.build), table.pins(release, needs.runtime)
    reasons = []
    if needs.compiled:
        reasons.append(f"native code: {_names(needs.compiled)} build{'s' if len(needs.compiled) == 1 else ''} from "
                       f"source for python {minor} ({why}): {', '.join(build)} in the build stage only")
    for n in loaded:
        libs = ", ".join(table.pins(release, list(table.packages[n].runtime)))
        reasons.append(f"native code: {n} loads {libs} at run time (neither "
                       f"{' nor '.join(table.packages[n].unless)} is installed)")
    if runtime:
        reasons.append(f"runtime libraries in the runner: {', '.join(runtime)} (for {_names(needs.linking)})")
    names = ", ".join(spec.split("=", 1)[0] for spec in runtime)
    return Native(build=build, runtime=runtime, runtime_why=f"{_names(needs.linking)} need{'s' if len(needs.linking) == 1 else ''} {names}",
                  reasons=tuple(reasons), warnings=tuple(needs.warnings))


def _all_wheels(facts: PythonFacts, minor: str) -> list[str]:
    if facts.binary_dists is None or not facts.binary_dists.value:
        return []
    names = [d.name for d in facts.binary_dists.value if active(d, minor)]
    which = _names(names) if len(names) <= 4 else f"{len(names)} of them"
    return [f"native code: {named_by(facts.binary_dists)} names python {minor} wheels (x86_64 and aarch64) for "
            f"every binary package ({which}): no compiler"]


def _unknown_wheels(facts: PythonFacts, table: NativeTable, minor: str) -> list[str]:
    installed = facts.installed.value if facts.installed else ()
    known = [n for n in installed if n in table.packages and table.packages[n].linux_wheels
             and not table.packages[n].loads]
    if not known:
        return []
    named = facts.requirements or facts.lockfile  # Pipfile.lock: hashes only
    where = named.value if named else "pyproject.toml"
    return [f"{where} names no wheel files: dockgen cannot check that {_names(known[:6])} "
            f"{'have wheels' if len(known) > 1 else 'has a wheel'} for python {minor}; if pip builds "
            f"{'them' if len(known) > 1 else 'it'} from source, pin the Python the requirements were made with "
            "(.python-version) or lock them with uv, poetry or pdm"]

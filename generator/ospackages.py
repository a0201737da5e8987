"""OS packages in the output: one policy, shared by every ecosystem planner (issue 4).

The policy (README, "OS packages"):
- every package is pinned: ``NAME=VERSION``. A version may end in ``*`` (``libpq5=15.*``) to accept
  the distribution's point and security releases of that line; an exact version is the strictest
  pin. An unpinned name is refused with an error naming where it came from (exit 2), so the output
  never needs a hadolint exception (DL3008/DL3018);
- Debian (slim runners, every builder): ``apt-get update && apt-get install -y
  --no-install-recommends … && rm -rf /var/lib/apt/lists/*`` in one RUN, downloaded packages kept
  in a BuildKit cache mount (``/var/cache/dockgen-apt``, outside the image; a separate directory
  because the images' docker-clean hook empties ``/var/cache/apt/archives`` after every install);
- Alpine runners: ``apk add --no-cache …``;
- distroless and scratch runners have no package manager: asking for runtime packages there is an
  error that says to choose the slim runner;
- packages are de-duplicated and sorted by name, so the same request always renders the same text;
  one name with two versions is an error.
Versions are the distribution's own (``apt-cache policy NAME`` / ``apk policy NAME`` in the image).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..detectors.errors import UsageError
from . import models as m

APT_CACHE = "/var/cache/dockgen-apt"

_DEB_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]{1,99}$")
_APK_NAME = re.compile(r"^[a-z0-9][a-z0-9+._-]{0,99}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~:_-]{0,99}\*?$|^\*$")
#: apk also takes ``=~1.2`` ("any 1.2.x").
_APK_VERSION = re.compile(r"^~?[A-Za-z0-9][A-Za-z0-9.+~:_-]{0,99}\*?$")


def _refuse(spec: str, why: str, source: str, example: str) -> UsageError:
    return UsageError(f"{source} {spec!r}: {why}", hint=f"write NAME=VERSION, e.g. {example} "
                                                          "(a trailing * accepts point and security releases)")


def parse(specs: Iterable[str], *, family: str = "debian", source: str = "--package") -> list[tuple[str, str]]:
    """``[(name, version)]`` sorted by name; every unpinned or invalid spec is an error."""
    name_re = _DEB_NAME if family == "debian" else _APK_NAME
    example = "libpq5=15.*" if family == "debian" else "libpq=17.5-r0"
    chosen: dict[str, str] = {}
    for spec in specs:
        spec = spec.strip()
        name, sep, version = spec.partition("=")
        if not sep:
            raise _refuse(spec, "not pinned to a version", source, example)
        if not name_re.match(name):
            raise _refuse(spec, f"{name!r} is not a valid {family} package name", source, example)
        version_re = _VERSION if family == "debian" else _APK_VERSION
        if not version_re.fullmatch(version) or version == "*":
            raise _refuse(spec, f"{version!r} is not a version", source, example)
        if chosen.get(name, version) != version:
            raise _refuse(spec, f"{name} is asked for at two versions ({chosen[name]} and {version})", source,
                          example)
        chosen[name] = version
    return sorted(chosen.items())


def _word(name: str, version: str) -> str:
    # Quote globbing versions so the shell never expands them against the working directory.
    text = f"{name}={version}"
    return f"'{text}'" if "*" in text or "~" in text else text


def apt_install(specs: Iterable[str], *, source: str = "--package") -> tuple[m.Run, ...]:
    pkgs = parse(specs, family="debian", source=source)
    if not pkgs:
        return ()
    words = " ".join(_word(n, v) for n, v in pkgs)
    return (m.Run(
        command=("apt-get update && apt-get install -y --no-install-recommends "
                 f"-o Dir::Cache::Archives={APT_CACHE}/ {words} && rm -rf /var/lib/apt/lists/*"),
        mounts=(m.cache_mount(APT_CACHE, sharing="locked"),),
        step="setup",
    ),)


def apk_install(specs: Iterable[str], *, source: str = "--package") -> tuple[m.Run, ...]:
    pkgs = parse(specs, family="alpine", source=source)
    if not pkgs:
        return ()
    return (m.Run(command="apk add --no-cache " + " ".join(_word(n, v) for n, v in pkgs), step="setup"),)


def runner_install(specs: Iterable[str], runner: str, *, source: str = "--package") -> tuple[m.Run, ...]:
    """RUN steps installing extra packages in the final image (``Options.packages``)."""
    specs = tuple(specs)
    if not specs:
        return ()
    if runner in ("slim", "nginx"):  # nginx: Debian's, on debian:trixie-slim
        return apt_install(specs, source=source)
    if runner == "alpine":
        return apk_install(specs, source=source)
    raise UsageError(f"{source}: the {runner} runner has no package manager, so it cannot install "
                     f"{', '.join(specs[:3])}", hint="use --runner slim (or alpine) for extra OS packages")


def builder_install(specs: Iterable[str], *, family: str = "debian",
                    source: str = "--build-package") -> tuple[m.Run, ...]:
    """RUN steps installing extra packages in the build stage (``Options.build_packages``)."""
    return apt_install(specs, source=source) if family == "debian" else apk_install(specs, source=source)

"""The version catalog (``catalog.toml``): runtime versions → builder and runner images, tool pins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, RootModel

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Fact
from ..detectors.parsing import load_toml
from .models import ImageRef


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuntimeVersion(_M):
    builder: str
    slim: str | None = None
    distroless: str | None = None
    alpine: str | None = None
    full: str | None = None
    site_packages: str | None = None
    #: A JDK image without a build tool (Java: builds that use the project's Maven wrapper).
    jdk: str | None = None
    #: Upstream end-of-life date of this line (ISO date, the published one).
    eol: str
    #: Why this version has no distroless image (shown in the header when slim replaces it).
    no_distroless: str | None = None
    #: Tools the builder image carries (Node: npm, corepack, yarn); None: not tracked.
    ships: tuple[str, ...] | None = None


class ServerPin(_M):
    """A server dockgen may add when the start runs it but the dependencies do not install it
    (``catalog.toml [python.servers.<command>]``)."""

    package: str
    version: str
    #: The oldest Python minor the pinned release installs on.
    python: str
    #: Its run-time dependencies, ``name==version`` (an environment marker after ``;``).
    deps: tuple[str, ...] = ()
    #: Minors with Linux wheels (x86_64 and aarch64); empty: a pure-Python wheel for every minor.
    wheels: tuple[str, ...] = ()


class Runtime(_M):
    default: str
    versions: dict[str, RuntimeVersion]
    tools: dict[str, str] = {}
    runners: dict[str, str] = {}
    #: Node: node-gyp's toolchain (pinned OS packages) per builder distribution ("bookworm", "alpine3.22").
    gyp_toolchain: dict[str, tuple[str, ...]] = {}
    #: Node: dependency names by how their install script behaves ("compile", "no_compile").
    gyp_packages: dict[str, tuple[str, ...]] = {}
    #: Python: servers dockgen may add, by command (``uwsgi`` → pyuwsgi).
    servers: dict[str, ServerPin] = {}
    #: Node: the pinned OS packages of the static-frontend runner (``runners.nginx``): nginx.
    static_packages: tuple[str, ...] = ()
    #: The day the catalog was checked against upstream (catalog.toml ``reviewed``): end of life is
    #: judged against it, never the host's clock.
    reviewed: str

    def ordered(self) -> list[str]:
        """Supported versions, newest first."""
        return sorted(self.versions, key=version_key, reverse=True)

    def is_eol(self, version: str) -> bool:
        return date.fromisoformat(self.versions[version].eol) <= date.fromisoformat(self.reviewed)

    def status(self, version: str) -> str:
        """``default``, ``supported`` or ``eol`` (as of ``reviewed``)."""
        if self.is_eol(version):
            return "eol"
        return "default" if version == self.default else "supported"

    def eol_note(self, version: str) -> str:
        """For the header's version line: "" or "; END OF LIFE since <date>"."""
        return f"; END OF LIFE since {self.versions[version].eol}" if self.is_eol(version) else ""

    def eol_warning(self, version: str, what: str) -> str | None:
        """The loud warning for a line past its end of life (None when it is supported)."""
        if not self.is_eol(version):
            return None
        return (f"{what} {version} reached end of life on {self.versions[version].eol}: it gets no security "
                f"fixes any more; the image is still built, but move to {what} {self.default}")

    def oldest_supported(self) -> str:
        """The oldest line not past its end of life (as of ``reviewed``); the default when all are."""
        return next((v for v in reversed(self.ordered()) if not self.is_eol(v)), self.default)

    def older_than_all(self, value: str) -> bool:
        """``value`` (a dotted number: ``16``, ``1.8``, ``3.8.10``) is older than every catalog line."""
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", value.strip()):
            return False
        oldest = version_key(self.ordered()[-1])
        return version_key(value.strip())[:len(oldest)] < oldest

    def assume(self, requested: Fact[str], *, what: str, flag: str, strict: bool, asked: str | None = None) -> Selected:
        """A project file asks for a line older than every catalog line (one dockgen has no image for):
        the oldest line still supported, assumed — with a loud warning naming the file and how to set
        the version; ``--strict`` refuses assumed values (exit 5). ``asked``: the request as the file
        wrote it, when ``requested`` holds its catalog key (``v16.20.2`` → ``16``)."""
        line = self.oldest_supported()
        supported = ", ".join(self.ordered())
        file = requested.source.where
        fix = f"pass {flag} {line} (or another of {supported})" + (f", or update {file}" if file else "")
        value = asked or requested.value
        asked = f"{what} {value!r} (from {requested.source})"
        if strict:
            raise InvalidInputError(
                f"{asked} is older than every line in dockgen's catalog ({supported}); dockgen would assume "
                f"{what} {line} (the oldest line still supported), and --strict refuses assumed values",
                file=file, hint=fix)
        warning = (f"{asked} is older than every line in dockgen's catalog ({supported}), which has no image "
                   f"for it: building with {what} {line} instead (assumed: the oldest line still supported); "
                   f"check that the app works on {what} {line}, then {fix}")
        note = (f"assumed: {requested.source} asks for {value}, older than every catalog line; "
                f"the oldest line still supported")
        return Selected(version=line, warning=warning, note=note)

    def select(self, requested: Fact[str] | None, matches: Callable[[str], bool] | None = None,
               *, what: str, flag: str, older: bool | None = None, project: bool = True,
               strict: bool = False, asked: str | None = None) -> Selected:
        """The catalog version for a request.

        ``requested.value`` is an exact catalog key; otherwise ``matches`` filters the versions and
        the newest match wins; with neither, the default. A request from the project's files
        (``project``) that is older than every line (``older``; for an exact request it is worked out
        here) gets the oldest supported line, assumed (``assume``). Any other miss — newer than the
        catalog, between lines, an option the user set — is an error naming the source.
        """
        if requested is None:
            return Selected(version=self.default)
        if matches is None:
            if requested.value in self.versions:
                return Selected(version=requested.value)
            candidates = []
            if older is None:
                older = self.older_than_all(requested.value)
        else:
            candidates = [v for v in self.ordered() if matches(v)]
            if candidates:
                # The default is the newest stable/LTS line: prefer it over newer non-default entries.
                return Selected(version=self.default if self.default in candidates else candidates[0])
        if older and project:
            return self.assume(requested, what=what, flag=flag, strict=strict, asked=asked)
        supported = ", ".join(self.ordered())
        raise InvalidInputError(
            f"{what} {requested.value!r} is not in dockgen's catalog (supported: {supported})",
            file=requested.source.where,
            hint=f"require one of {supported}, or pass {flag} {self.default} (or another of them)",
        )


@dataclass(frozen=True)
class Selected:
    """A catalog line for a request; ``warning``/``note`` are set when it was assumed (``Runtime.assume``)."""

    version: str
    #: The loud warning (stderr) and the header's "(…)" text when the line was assumed.
    warning: str | None = None
    note: str | None = None

    @property
    def assumed(self) -> bool:
        return self.warning is not None


class Catalog(RootModel[dict[str, Runtime]]):
    """One section per stack, keyed by the stack's registry name (``generator/stacks.py`` checks
    that every registered stack has one and every section belongs to a stack)."""

    model_config = ConfigDict(frozen=True)

    def sections(self) -> tuple[str, ...]:
        return tuple(self.root)

    def section(self, name: str) -> Runtime:
        return self.root[name]


def version_key(v: str) -> tuple[int, ...]:
    """``3.9`` < ``3.10``: a dotted version as numbers, for ordering catalog lines and pins."""
    return tuple(int(p) if p.isdigit() else 0 for p in v.split("."))


def image(ref: str) -> ImageRef:
    """Split a catalog image string into an ``ImageRef`` ("scratch" has no tag)."""
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        raise ValueError(f"catalog image {ref!r} has no explicit tag")
    return ImageRef(name=name, tag=tag)


def parse_catalog(text: str) -> Catalog:
    """catalog.toml's text → a Catalog: the top-level ``reviewed`` date goes into every section."""
    data = dict(load_toml(text, "catalog.toml"))
    data.pop("services", None)  # not a stack: ``service_catalog`` reads it
    reviewed = data.pop("reviewed", None)
    if not isinstance(reviewed, str):
        raise ValueError("catalog.toml needs a top-level `reviewed = \"YYYY-MM-DD\"`")
    date.fromisoformat(reviewed)
    return Catalog.model_validate({name: {**section, "reviewed": reviewed} for name, section in data.items()})


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    text = resources.files("dockgen.generator").joinpath("catalog.toml").read_text("utf-8")
    return parse_catalog(text)


class NativeEntry(_M):
    """One Python package with native code (``python_native.toml [packages.<name>]``)."""

    build: tuple[str, ...] = ()
    runtime: tuple[str, ...] = ()
    rust: bool = False
    #: False: no Linux wheel is ever published, so it always builds from source.
    linux_wheels: bool = True
    #: Loads ``runtime`` even when installed from a pure-Python wheel (unless one of ``unless`` is installed).
    loads: bool = False
    unless: tuple[str, ...] = ()


class Release(_M):
    glibc: str


class NativeTable(_M):
    """``python_native.toml``: Debian packages per logical name and release, and the package table."""

    releases: dict[str, Release]
    debian: dict[str, dict[str, tuple[str, ...]]]
    packages: dict[str, NativeEntry]

    def pins(self, release: str, names: list[str]) -> tuple[str, ...]:
        """``NAME=VERSION`` specs of logical names for one Debian release, sorted and unique."""
        table = self.debian[release]
        return tuple(sorted({spec for n in names for spec in table[n]}))


@lru_cache(maxsize=1)
def wheel_floors() -> dict[str, dict[str, str]]:
    """``python_wheel_floors.toml``: per package, per CPython minor, the first release with manylinux
    wheels for x86_64 and aarch64 (made from the package index by tests/support/wheel_floors.py)."""
    text = resources.files("dockgen.generator").joinpath("python_wheel_floors.toml").read_text("utf-8")
    data = load_toml(text, "python_wheel_floors.toml")
    return {name: {str(m): str(v) for m, v in floors.items()} for name, floors in data.items()}


@lru_cache(maxsize=1)
def native_table() -> NativeTable:
    text = resources.files("dockgen.generator").joinpath("python_native.toml").read_text("utf-8")
    return NativeTable.model_validate(load_toml(text, "python_native.toml"))


class ServiceImage(_M):
    """One backing service compose.yaml can start (``catalog.toml [services.<kind>]``)."""

    image: str
    port: int
    #: The image's data directory: a named volume.
    data: str
    #: The probe (exec form) the image ships a client for.
    health: tuple[str, ...]
    #: The URL scheme when the app's code shows none.
    scheme: str
    #: The image's own variables for the user, the password and the database ("" when it has none).
    user_env: str = ""
    password_env: str = ""
    database_env: str = ""
    #: Fixed values the image needs besides (a random root password).
    extra_env: dict[str, str] = {}
    #: The database in a URL when the image has no variable for it (Redis "0", RabbitMQ's vhost "").
    database: str = "app"
    url_query: str = ""
    #: The server command when a password must be passed as a flag (Redis, Valkey), and the
    #: variable its client reads the password from for the probe.
    server: tuple[str, ...] = ()
    auth_env: str = ""


def parse_services(text: str) -> dict[str, ServiceImage]:
    data = load_toml(text, "catalog.toml").get("services", {})
    return {kind: ServiceImage.model_validate(entry) for kind, entry in data.items()}


@lru_cache(maxsize=1)
def service_catalog() -> dict[str, ServiceImage]:
    """``catalog.toml [services]``: kind → the image and how to run it."""
    text = resources.files("dockgen.generator").joinpath("catalog.toml").read_text("utf-8")
    return parse_services(text)

"""The version catalog (``catalog.toml``): runtime versions → builder and runner images, tool pins."""

from __future__ import annotations

from collections.abc import Callable
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


class Runtime(_M):
    default: str
    eol: tuple[str, ...] = ()
    versions: dict[str, RuntimeVersion]
    tools: dict[str, str] = {}
    runners: dict[str, str] = {}

    def ordered(self) -> list[str]:
        """Supported versions, newest first."""
        return sorted(self.versions, key=_version_key, reverse=True)

    def select(self, requested: Fact[str] | None, matches: Callable[[str], bool] | None = None,
               *, what: str) -> str:
        """The catalog version for a request.

        ``requested.value`` is an exact catalog key; otherwise ``matches`` filters the versions and
        the newest match wins; with neither, the default. No match → an error naming the source.
        """
        if requested is None:
            return self.default
        if matches is None:
            if requested.value in self.versions:
                return requested.value
            candidates = []
        else:
            candidates = [v for v in self.ordered() if matches(v)]
            if candidates:
                # The default is the newest stable/LTS line: prefer it over newer non-default entries.
                return self.default if self.default in candidates else candidates[0]
        supported = ", ".join(self.ordered())
        raise InvalidInputError(
            f"{what} {requested.value!r} is not in dockgen's catalog (supported: {supported})",
            file=requested.source.where,
            hint=f"require one of {supported}, or pass a --*-version override",
        )


class Catalog(RootModel[dict[str, Runtime]]):
    """One section per stack, keyed by the stack's registry name (``generator/stacks.py`` checks
    that every registered stack has one and every section belongs to a stack)."""

    model_config = ConfigDict(frozen=True)

    def sections(self) -> tuple[str, ...]:
        return tuple(self.root)

    def section(self, name: str) -> Runtime:
        return self.root[name]


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in v.split("."))


def image(ref: str) -> ImageRef:
    """Split a catalog image string into an ``ImageRef`` ("scratch" has no tag)."""
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        raise ValueError(f"catalog image {ref!r} has no explicit tag")
    return ImageRef(name=name, tag=tag)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    text = resources.files("dockgen.generator").joinpath("catalog.toml").read_text("utf-8")
    return Catalog.model_validate(load_toml(text, "catalog.toml"))

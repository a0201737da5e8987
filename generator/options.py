"""Options: what the user asks for, on the command line, in dockgen.toml / [tool.dockgen], or
recorded by an earlier ``init`` — each value together with where it came from.

``generator/config.py`` layers the sources (default < recorded < file < flag) and attaches them with
``Options.with_sources``; planners read a value with its source through ``Options.fact`` and refuse
a bad one through ``Options.refuse``, so a header line or an error always names the flag or the
file and key the value really came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator

from ..detectors.errors import DockgenError, InvalidInputError, UsageError
from ..detectors.facts import Fact, Source
from .types import Cpus, EnvPairs, LabelPairs, Memory, OneLine, OutputFile, Pids, Port, Runner, StackName, Version

SourceKind = Literal["flag", "file", "recorded", "default"]

#: The ``[tool.dockgen]`` table's display name, as it appears in ``plan --json``'s option_sources.
PYPROJECT_SECTION = "pyproject.toml [tool.dockgen]"
STATE_FILE = ".dockgen/state.json"


def flag_name(key: str) -> str:
    """The command-line flag of an option key: ``port`` → ``--port``, ``versions.node`` → ``--node-version``."""
    if key.startswith("versions."):
        return f"--{key.split('.', 1)[1]}-version"
    return "--" + key.replace("_", "-")


class OptionSource(BaseModel):
    """Where one option's value came from."""

    model_config = ConfigDict(frozen=True)

    kind: SourceKind
    #: The option key as dockgen.toml spells it: ``port``, ``versions.python``, ``env``.
    key: str
    #: dockgen.toml, pyproject.toml [tool.dockgen] or .dockgen/state.json (file and recorded kinds).
    file: str | None = None

    @property
    def label(self) -> str:
        """The short name ``plan --json`` lists: cli | dockgen.toml | pyproject.toml [tool.dockgen] | recorded | default."""
        return {"flag": "cli", "recorded": "recorded", "default": "default"}.get(self.kind) or str(self.file)

    @property
    def path(self) -> str | None:
        """The file to name in an error (``pyproject.toml`` for its [tool.dockgen] table)."""
        if self.file is None:
            return None
        return "pyproject.toml" if self.file == PYPROJECT_SECTION else self.file

    def __str__(self) -> str:
        # A recorded value is the flag an earlier init was given: the Dockerfile names that flag, so
        # a plain re-run renders byte for byte what the run with the flag rendered.
        if self.kind in ("flag", "recorded"):
            return flag_name(self.key)
        if self.kind == "default":
            return "dockgen default"
        return f"{self.file} {self.key}"

    @property
    def detail(self) -> str:
        """``__str__`` plus where a recorded value is kept (for ``dockgen plan``)."""
        return f"{self}, recorded in {STATE_FILE}" if self.kind == "recorded" else str(self)


def _source(kind: SourceKind, key: str, file: str | None = None) -> OptionSource:
    return OptionSource(kind=kind, key=key, file=file)


class Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Runner image family; None = the smallest runner that works for the project.
    runner: Runner | None = None
    #: Which stack to use when a repository has several (a name from the stack registry).
    stack: StackName | None = None
    #: Requested runtime versions, by stack name ("python" → "3.12"); the registry checks the names.
    versions: dict[StackName, Version] = {}
    #: The start command (exec form), replacing the detected one.
    command: tuple[OneLine, ...] | None = None
    port: Port | None = None
    #: Go: the main package directory (".", "cmd/api").
    main: str | None = None
    #: Extra Debian packages for the runner (slim only) and the builder.
    packages: tuple[str, ...] = ()
    build_packages: tuple[str, ...] = ()
    #: Extra .dockerignore patterns.
    ignore: tuple[str, ...] = ()
    #: HTTP path the HEALTHCHECK probes; "" disables the health check.
    healthcheck: str | None = None
    #: Node without a lockfile: allow a plain `npm install` (otherwise an error).
    allow_unlocked: bool = False
    #: Unpinned dependencies are errors instead of warnings.
    strict: bool = False
    #: Extra ENV and LABEL pairs for the final image (in order); applied by ``extras.apply``.
    env: EnvPairs = ()
    labels: LabelPairs = ()
    #: Output files dockgen leaves alone (status "skipped").
    skip: tuple[OutputFile, ...] = ()
    #: Write compose.yaml (and .env.example when a service needs a secret) next to the Dockerfile.
    compose: bool = True
    #: The app service's ``deploy.resources.limits`` (None: the documented defaults, generator/compose.py).
    compose_cpus: Cpus | None = None
    compose_memory: Memory | None = None
    compose_pids: Pids | None = None

    _sources: dict[str, OptionSource] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _version_keywords(cls, data: Any) -> Any:
        # ``python_version="3.12"`` (the API's keyword and the flag's name) is ``versions["python"]``.
        if not isinstance(data, dict) or not any(isinstance(k, str) and k.endswith("_version") for k in data):
            return data
        data = dict(data)
        versions = dict(data.get("versions") or {})
        for key in [k for k in data if isinstance(k, str) and k.endswith("_version")]:
            value = data.pop(key)
            if value is not None:
                versions[key.removesuffix("_version")] = value
        data["versions"] = versions
        return data

    # ---- sources ------------------------------------------------------------------------------

    def with_sources(self, sources: dict[str, OptionSource]) -> "Options":
        copy = self.model_copy()
        copy._sources = dict(sources)
        return copy

    def source(self, key: str) -> OptionSource:
        """Where ``key`` (``port``, ``versions.python``) came from; a value set without a recorded
        source (an ``Options`` built in code) counts as the caller's flag."""
        if key in self._sources:
            return self._sources[key]
        return _source("flag" if self.value(key) not in (None, (), False) else "default", key)

    def value(self, key: str) -> Any:
        if key.startswith("versions."):
            return self.versions.get(key.split(".", 1)[1])
        return getattr(self, key)

    def version(self, stack: str) -> str | None:
        return self.versions.get(stack)

    def fact(self, key: str) -> Fact | None:
        """The option as a fact with its source, or None when it is not set."""
        value = self.value(key)
        if value is None:
            return None
        src = self.source(key)
        if src.kind in ("flag", "recorded"):
            return Fact(value=value, source=Source.from_option(str(src)))
        if src.kind == "file":
            return Fact(value=value, source=Source.of(str(src.file), src.key))
        return Fact(value=value, source=Source.default())

    def refuse(self, key: str, message: str, hint: str | None = None) -> DockgenError:
        """The error for an option value dockgen cannot use: a usage error (exit 2) naming the flag,
        or invalid input (exit 5) naming the file and key it came from."""
        src = self.source(key)
        shown = self.value(key)
        if isinstance(shown, tuple):
            shown = list(shown)
        if src.kind == "flag":
            word = shown if isinstance(shown, (str, int)) and " " not in str(shown) else repr(shown)
            return UsageError(f"{flag_name(key)} {word}: {message}", hint=hint)
        if src.kind == "recorded":
            reset = "re-run `dockgen init --reset-options` to forget it"
            return InvalidInputError(f"{key} = {shown!r} (recorded from {flag_name(key)}): {message}",
                                     file=STATE_FILE, hint=f"{hint}, or {reset}" if hint else reset)
        return InvalidInputError(f"{key} = {shown!r}: {message}", file=src.path, hint=hint)

    @contextmanager
    def blame(self, key: str) -> Iterator[None]:
        """Inside: invalid input caused by option ``key`` (when it is set) is refused naming its source."""
        try:
            yield
        except InvalidInputError as exc:
            if self.value(key) is None:
                raise
            raise self.refuse(key, exc.message, exc.hint) from None

"""Facts: what the detectors learned about a project, each value with its source.

A source is a ``Source``: the project file and the field in it (``Source.of("pyproject.toml",
"[project] requires-python")``), a command-line option, or ``DEFAULT_SOURCE`` when dockgen chose
the value. ``str(source)`` is the text users see (``"pyproject.toml [project] requires-python"``),
and it is also how a source serialises (facts.json, ``plan --json``, state.json). Facts are plain
data: the planner decides, detectors only report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, SerializeAsAny, model_serializer

T = TypeVar("T")

#: The text of ``DEFAULT_SOURCE``.
DEFAULT = "dockgen default"


class Source(BaseModel):
    """Where a value came from. Build one with ``of``, ``option``, ``default`` or ``all``.

    - a project file: ``file`` is set, ``field`` says where in it ("[project] requires-python",
      "<version>", "line 3") or how it was read ("(Maven's default)", "(django) + manage.py");
    - a command-line option: ``option`` is the flag ("--python-version"), ``field`` the wording;
    - a default: neither ``file`` nor ``option``; ``field`` says whose ("dockgen default",
      "no lockfile: npm, the default").
    """

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    field: str | None = None
    option: str | None = None
    #: Further sources of the same value, shown after a comma ("mvnw, .mvn/wrapper/…").
    also: tuple[Source, ...] = ()

    @classmethod
    def of(cls, file: str, field: str | None = None) -> Source:
        return cls(file=file, field=field or None)

    @classmethod
    def from_option(cls, flag: str, wording: str | None = None) -> Source:
        """``--port`` shown as itself, or with a wording (``"--python-version option"``)."""
        return cls(option=flag, field=wording or flag)

    @classmethod
    def default(cls, why: str = DEFAULT) -> Source:
        return cls(field=why)

    @classmethod
    def all(cls, first: Source, *more: Source) -> Source:
        """One value read from several places: ``"mvnw, .mvn/wrapper/maven-wrapper.properties"``."""
        return first.model_copy(update={"also": first.also + more})

    def plus(self, detail: str) -> Source:
        """The same place, read a particular way: ``requirements.txt`` → ``requirements.txt (flask)``."""
        return self.model_copy(update={"field": f"{self.field} {detail}" if self.field else detail})

    @property
    def where(self) -> str | None:
        """What an error about this value names: the file, else the option (None for a default)."""
        return self.file if self.file is not None else self.option

    def __str__(self) -> str:
        head = " ".join(p for p in (self.file, self.field) if p) if self.option is None else (self.field or "")
        return ", ".join([head, *(str(s) for s in self.also)])

    @model_serializer
    def _as_text(self) -> str:
        return str(self)


DEFAULT_SOURCE = Source.default()


class Fact(BaseModel, Generic[T]):
    model_config = ConfigDict(frozen=True)

    value: T
    source: Source


def fact(value: T, source: Source | str, field: str | None = None) -> Fact[T]:
    """``fact(v, "pyproject.toml", "[project] name")``: a string is the file name, never parsed."""
    src = source if isinstance(source, Source) else Source.of(source, field)
    return Fact(value=value, source=src)


def default(value: T) -> Fact[T]:
    return Fact(value=value, source=DEFAULT_SOURCE)


class Unpinned(BaseModel):
    """A dependency the build would resolve at build time (neither ``==``-pinned nor hashed).

    Shown as ``"requirements.txt line 3: flask>=2"`` (``str()`` and serialisation)."""

    model_config = ConfigDict(frozen=True)

    #: The file and line or field ("requirements.txt line 3", "pyproject.toml [project] dependencies").
    source: Source
    #: The requirement as written ("flask>=2", "-e ./lib").
    spec: str
    #: Canonical package name, when the requirement names one.
    name: str | None = None
    kind: Literal["version", "editable", "local"] = "version"

    @property
    def item(self) -> str:
        note = {"version": "", "editable": " (editable install)", "local": " (a local path or archive)"}
        return self.spec + note[self.kind]

    def __str__(self) -> str:
        return f"{self.source}: {self.item}"

    @model_serializer
    def _as_text(self) -> str:
        return str(self)


#: How dockgen knows an app fact: read from the app's own code or config, derived from a convention
#: the app demonstrably follows (its framework's default), or assumed (nothing in the repo says it).
Confidence = Literal["read", "derived", "assumed"]


class Candidate(BaseModel, Generic[T]):
    """One candidate value for an app fact, with the evidence for it (file:line or a convention)."""

    model_config = ConfigDict(frozen=True)

    value: T
    evidence: Source
    confidence: Confidence

    @property
    def fact(self) -> Fact[T]:
        return Fact(value=self.value, source=self.evidence)


def unique_values(candidates: Iterable[Candidate[T]]) -> list[Candidate[T]]:
    """The candidates in rank order, each value once (its best-ranked evidence kept)."""
    seen: set = set()
    out: list[Candidate[T]] = []
    for c in candidates:
        if c.value not in seen:
            seen.add(c.value)
            out.append(c)
    return out


#: Backing services a compose file can start next to the app (``ServiceNeed.kind``).
ServiceKind = Literal["postgres", "mysql", "mariadb", "redis", "valkey", "mongodb", "rabbitmq"]
#: What a variable the app reads holds about a service.
ServiceRole = Literal["url", "host", "port", "user", "password", "database"]


class ServiceVar(BaseModel):
    """An environment variable the app reads to reach a service (its settings code, .env.example,
    Spring properties): the compose file sets exactly these, never invented names."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: ServiceRole
    source: Source
    #: For a URL: the scheme the app's code or example shows ("postgresql+psycopg", "redis"), else "".
    scheme: str = ""


class ServiceNeed(BaseModel):
    """A service the app needs at run time, shown by a driver among its dependencies."""

    model_config = ConfigDict(frozen=True)

    kind: ServiceKind
    #: The driver that shows it ("psycopg", "redis", "spring-boot-starter-data-redis", "github.com/lib/pq").
    driver: Fact[str]
    #: The variables the app reads to reach it; empty when none was found (then a warning).
    env: tuple[ServiceVar, ...] = ()


class AppFacts(BaseModel):
    """What the app itself says about running it: ranked candidates, best first.

    Detectors fill what they can read; an empty tuple means "nothing found" and the planner falls
    back to an *assumed* value, which ``init`` names on stderr (and ``--strict`` refuses).
    """

    model_config = ConfigDict(frozen=True)

    #: Start command as exec-form words.
    start: tuple[Candidate[tuple[str, ...]], ...] = ()
    port: tuple[Candidate[int], ...] = ()
    #: The environment variable the app reads its port from ("PORT", "APP_PORT").
    port_env: tuple[Candidate[str], ...] = ()
    #: The listen address the app binds by default ("127.0.0.1", "0.0.0.0").
    bind: tuple[Candidate[str], ...] = ()
    #: How to make it listen on all addresses: ("HOST", "0.0.0.0") — an env variable and its value.
    bind_env: tuple[Candidate[tuple[str, str]], ...] = ()
    health_path: tuple[Candidate[str], ...] = ()
    #: Relative directories the app writes at run time (created owned by the runtime user).
    writable: tuple[Candidate[str], ...] = ()
    #: Backing services its drivers show (compose.yaml starts them and wires ``env``).
    services: tuple[ServiceNeed, ...] = ()


class ProjectFacts(BaseModel):
    """Common part of every ecosystem's facts. Subclasses live next to their detector and narrow
    ``ecosystem`` to their own name (the stacks are listed in one place, not here)."""

    model_config = ConfigDict(frozen=True)

    ecosystem: str
    #: Dependency manifests and lockfiles, copied before the sources (sorted, repo-relative).
    manifests: tuple[str, ...] = ()
    #: Warnings to show the user (unpinned dependencies, missing lockfile, …).
    warnings: tuple[str, ...] = ()
    #: What the app's code and config say about running it (ranked candidates with evidence).
    app: AppFacts = AppFacts()
    #: The repository's other manifests and why they are not the runtime (dev tooling), set when
    #: the registry picks this stack among several; the header and ``plan`` list them.
    others: tuple[str, ...] = ()
    #: Another stack's manifest whose build writes files this app serves (a frontend beside a Python
    #: or Go server): built in its own stage before this app's, set by the registry like ``others``.
    assets: SerializeAsAny[ProjectFacts] | None = None
    #: Repository folders the runtime embeds or serves (``//go:embed``, a static folder), with the
    #: line that says so: a subfolder frontend whose build writes one is built in the ``assets`` stage.
    served_dirs: tuple[Fact[str], ...] = ()
    #: When ``assets`` is a subfolder's frontend: that folder, and the script it runs with the
    #: repository folder it writes (copied there wherever the runtime's plan copies the sources).
    assets_folder: str = ""
    assets_build: Fact[tuple[str, str]] | None = None
    #: When that frontend is a sibling of the project (``../ui`` writing ``../server/web/dist``): the
    #: project's folder in their common parent, which is the build context; ``assets_folder`` and the
    #: folder ``assets_build`` writes are then relative to that parent. Empty otherwise.
    assets_context: str = ""

    @model_serializer(mode="wrap")
    def _without_empty_context(self, handler):
        # Shown only when set, so the facts of every other project read as before.
        out = handler(self)
        if isinstance(out, dict) and not out.get("assets_context"):
            out.pop("assets_context", None)
        return out

    def tooling_reason(self) -> str | None:
        """Why this manifest is dev tooling only (it can start nothing), or None when it may be the app."""
        return None

    def assets_reason(self) -> str | None:
        """Why this manifest only builds files (it starts no server), or None."""
        return None

    def library_reason(self) -> str | None:
        """Why this workspace member is a library its siblings import (``init --all`` skips it), or None."""
        return None

    def static_output(self) -> Fact[str] | None:
        """The folder its build writes (relative to its manifest's folder) when the project is a static
        frontend that its stack serves with a web server of its own (the Node stack's nginx runner): no
        server of its own, and the output folder is known; None otherwise."""
        return None

    def asset_outputs(self) -> tuple[Fact[tuple[str, str]], ...]:
        """(script, folder it writes, relative to this manifest's folder) for each build that writes
        files another stack could serve; empty when unknown or not a stack that builds assets."""
        return ()

    def asset_problem(self) -> str | None:
        """Why this manifest's build cannot be reproduced in an image (no lockfile), or None."""
        return None

    def own_frontend_build(self) -> Fact[str] | None:
        """The folder ("." for the root) whose frontend this stack's own build already runs (Maven's
        frontend-maven-plugin), with where that is declared; None when it runs none."""
        return None

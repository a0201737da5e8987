"""dockgen.toml / pyproject.toml [tool.dockgen]: the project's own dockgen options.

The file is a repository value like any manifest: it is read through ``RepoView``, parsed with the
strict ``load_toml``, validated by pydantic with unknown keys refused, and every value that can
reach the Dockerfile goes through the ``safe`` allow-lists. Any problem is one
``InvalidInputError`` naming the file and the key.

Schema (snake_case or kebab-case keys)::

    runner = "distroless"             # slim | distroless | scratch | alpine
    stack = "python"                  # python | node | java | go
    command = ["gunicorn", "app:app"] # exec form
    port = 8000
    main = "cmd/api"                  # Go main package
    packages = ["libpq5=15.*"]        # extra Debian packages (pinned), runner (slim)
    build_packages = ["libpq-dev=15.*"]  # extra Debian packages (pinned), builder
    ignore = ["data/", "*.csv"]       # extra .dockerignore patterns
    healthcheck = "/healthz"          # or false: no HEALTHCHECK
    allow_unlocked = false
    strict = true
    skip = [".dockerignore"]          # files dockgen leaves alone

    [versions]
    python = "3.12"                   # also node, go, java

    [env]                             # ENV in the final image
    APP_ENV = "production"

    [labels]                          # LABEL in the final image
    "org.example.team" = "platform"
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import AliasGenerator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..detectors import safe
from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.parsing import load_toml
from ..detectors.repo import RepoView
from . import ospackages
from .options import Options

CONFIG_FILE = "dockgen.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_SECTION = "pyproject.toml [tool.dockgen]"

#: Where an option's value came from (``dockgen plan --json`` → ``option_sources``).
SOURCE_CLI = "cli"
SOURCE_RECORDED = "recorded"
SOURCE_DEFAULT = "default"

OUTPUT_FILES = ("Dockerfile", ".dockerignore")

_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Docker's label-key rules as hadolint (DL3048) checks them: lowercase, digits, single . or -.
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9]*([.-][a-z0-9]+)*$")
_RESERVED_LABELS = ("com.docker.", "io.docker.", "org.dockerproject.")
_HTTP_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,200}$")
_IGNORE = re.compile(r"^[^\x00-\x1f\x7f]{1,255}$")
_VALUE_MAX = 1000


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              alias_generator=AliasGenerator(validation_alias=_kebab),
                              validate_by_name=True, validate_by_alias=True)


class Versions(_Strict):
    python: str | None = None
    node: str | None = None
    go: str | None = None
    java: str | None = None


class ConfigFile(_Strict):
    """The validated file. Field names mirror ``Options`` (versions live in a table)."""

    runner: Literal["slim", "distroless", "scratch", "alpine"] | None = None
    stack: Literal["python", "node", "java", "go"] | None = None
    command: list[str] | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    main: str | None = None
    packages: list[str] = []
    build_packages: list[str] = []
    ignore: list[str] = []
    healthcheck: str | bool | None = None
    allow_unlocked: bool | None = None
    strict: bool | None = None
    skip: list[Literal["Dockerfile", ".dockerignore"]] = []
    versions: Versions = Versions()
    env: dict[str, str] = {}
    labels: dict[str, str] = {}

    @field_validator("healthcheck")
    @classmethod
    def _health(cls, v: str | bool | None) -> str | bool | None:
        if v is True:
            raise ValueError("use an HTTP path such as \"/healthz\", or false to disable the health check")
        if isinstance(v, str) and not _HTTP_PATH.fullmatch(v):
            raise ValueError(f"{v!r} is not an HTTP path starting with /")
        return v

    @field_validator("env")
    @classmethod
    def _env(cls, v: dict[str, str]) -> dict[str, str]:
        for key, value in v.items():
            if not _ENV_KEY.fullmatch(key):
                raise ValueError(f"{key!r} is not an environment variable name")
            _one_line(value, key)
        return v

    @field_validator("labels")
    @classmethod
    def _labels(cls, v: dict[str, str]) -> dict[str, str]:
        for key, value in v.items():
            if not _LABEL_KEY.fullmatch(key) or len(key) > 128 or key.startswith(_RESERVED_LABELS):
                raise ValueError(f"{key!r} is not a label key (lowercase letters, digits, single dots "
                                 "and dashes; not com.docker.*, io.docker.*, org.dockerproject.*)")
            _one_line(value, key)
        return v

    @field_validator("ignore")
    @classmethod
    def _ignore(cls, v: list[str]) -> list[str]:
        for p in v:
            if not _IGNORE.fullmatch(p) or p != p.strip():
                raise ValueError(f"{p!r} is not a one-line ignore pattern")
        return v


def _one_line(value: str, key: str) -> None:
    if len(value) > _VALUE_MAX or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"value of {key!r} must be one line of at most {_VALUE_MAX} characters")
    if value.endswith("\\"):  # a trailing backslash reads as a line continuation to hadolint
        raise ValueError(f"value of {key!r} must not end with a backslash")


class LoadedConfig(BaseModel):
    """The options a config file sets (only those it sets) and the file's display name."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    options: dict[str, Any] = {}


def _error_key(err: dict[str, Any]) -> str:
    loc = [str(x) for x in err.get("loc", ()) if not isinstance(x, int)]
    return ".".join(loc) or "(file)"


def validate(raw: dict[str, Any], file: str) -> LoadedConfig:
    """Validate the TOML table ``raw`` (from ``file``) and map it onto ``Options`` field names."""
    if not isinstance(raw, dict):
        raise InvalidInputError("[tool.dockgen] must be a table", file=file)
    try:
        cfg = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _error_key(err)
        if err["type"] == "extra_forbidden":
            model = Versions if key.startswith("versions.") else ConfigFile
            known = ", ".join(sorted(_kebab(n) for n in model.model_fields))
            raise InvalidInputError(f"unknown key {key!r}", file=file, hint=f"valid keys: {known}") from None
        msg = err["msg"].removeprefix("Value error, ")
        raise InvalidInputError(f"{key}: {msg}", file=file, hint="see docs/configuration.md") from None
    return LoadedConfig(file=file, options=_to_options(cfg, file))


def _to_options(cfg: ConfigFile, file: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("runner", "stack", "port", "allow_unlocked", "strict"):
        value = getattr(cfg, name)
        if value is not None:
            out[name] = value
    if cfg.command is not None:
        out["command"] = safe.command_words(cfg.command, file, "command")
    if cfg.main is not None:
        out["main"] = "." if cfg.main in (".", "./") else safe.rel_path(cfg.main, file, "main")
    for name in ("packages", "build_packages"):
        values = getattr(cfg, name)
        if values:
            try:  # one policy for the CLI and the file: NAME=VERSION pins (generator/ospackages.py)
                ospackages.parse(values, source=name)
            except UsageError as exc:
                raise InvalidInputError(exc.message, file=file, hint=exc.hint) from None
            out[name] = tuple(values)
    if cfg.ignore:
        out["ignore"] = tuple(cfg.ignore)
    if cfg.healthcheck is not None:
        out["healthcheck"] = "" if cfg.healthcheck is False else cfg.healthcheck
    for eco in ("python", "node", "go", "java"):
        v = getattr(cfg.versions, eco)
        if v is not None:
            out[f"{eco}_version"] = safe.version(v, file, f"versions.{eco}")
    if cfg.env:
        out["env"] = tuple(cfg.env.items())
    if cfg.labels:
        out["labels"] = tuple(cfg.labels.items())
    if cfg.skip:
        out["skip"] = tuple(dict.fromkeys(cfg.skip))
    # The result must also be valid Options (same ranges and literals as the CLI).
    try:
        Options.model_validate(out)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInputError(f"{_error_key(err)}: {err['msg']}", file=file) from None
    return out


def load(repo: RepoView) -> LoadedConfig:
    """The project's dockgen configuration (empty when it has none)."""
    from_file = repo.read_text(CONFIG_FILE) if repo.is_file(CONFIG_FILE) else None
    section = None
    if repo.is_file(PYPROJECT):
        tool = load_toml(repo.read_text(PYPROJECT), PYPROJECT).get("tool")
        if isinstance(tool, dict) and "dockgen" in tool:
            section = tool["dockgen"]
    if from_file is not None and section is not None:
        raise InvalidInputError("dockgen is configured twice: in dockgen.toml and in [tool.dockgen]",
                                file=PYPROJECT, hint="keep one of the two")
    if from_file is not None:
        return validate(load_toml(from_file, CONFIG_FILE), CONFIG_FILE)
    if section is not None:
        return validate(section, PYPROJECT_SECTION)
    return LoadedConfig()


class Resolved(BaseModel):
    """Options after layering default < recorded < config file < cli, with each one's source."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    options: Options
    #: Every Options field → "cli" | "dockgen.toml" | "pyproject.toml [tool.dockgen]" | "recorded" | "default".
    sources: dict[str, str]
    config: LoadedConfig
    #: Recorded options a config file now overrides (they are dropped when init records again).
    shadowed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def resolve(repo: RepoView, cli: dict[str, Any], recorded: dict[str, Any] | None = None) -> Resolved:
    """Layer the option sources; ``cli`` holds only the options given on the command line / API call."""
    config = load(repo)
    recorded = dict(recorded or {})
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer, values in ((SOURCE_RECORDED, recorded), (config.file, config.options), (SOURCE_CLI, cli)):
        for key, value in values.items():
            merged[key] = value
            sources[key] = layer
    shadowed = tuple(sorted(k for k in recorded if k in config.options and k not in cli))
    warnings = tuple(
        f"{config.file} sets {k} = {_show(config.options[k])}, replacing the recorded {_show(recorded[k])}"
        for k in shadowed if config.options[k] != recorded[k])
    try:
        options = Options.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _error_key(err)
        where = sources.get(key.split(".")[0], SOURCE_CLI)
        file = ".dockgen/state.json" if where == SOURCE_RECORDED else (None if where == SOURCE_CLI else where)
        raise InvalidInputError(f"option {key}: {err['msg']}", file=file,
                                hint="fix the value, or re-run `dockgen init --reset-options`") from None
    all_sources = {name: sources.get(name, SOURCE_DEFAULT) for name in Options.model_fields}
    return Resolved(options=options, sources=all_sources, config=config, shadowed=shadowed, warnings=warnings)


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    return repr(value)

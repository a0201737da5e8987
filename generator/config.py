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
    compose = false                   # no compose.yaml / .env.example (default: written)
    compose_cpus = "1"                # the app service's limits in compose.yaml
    compose_memory = "512M"
    compose_pids = 512

    [versions]
    python = "3.12"                   # also node, go, java

    [env]                             # ENV in the final image
    APP_ENV = "production"

    [labels]                          # LABEL in the final image
    "org.example.team" = "platform"
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import AliasGenerator, BaseModel, ConfigDict, ValidationError, field_validator

from ..detectors import safe
from ..detectors.errors import InvalidInputError, UsageError
from ..detectors.parsing import load_toml
from ..detectors.repo import RepoView
from . import ospackages, stacks
from .options import PYPROJECT_SECTION, STATE_FILE, OptionSource, Options, flag_name
from .types import Cpus, EnvKey, LabelKey, Memory, OneLine, OutputFile, Pids, Port, Runner, StackName, Version, one_line_error

CONFIG_FILE = "dockgen.toml"
PYPROJECT = "pyproject.toml"

_HTTP_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,200}$")
_IGNORE = re.compile(r"^[^\x00-\x1f\x7f]{1,255}$")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              alias_generator=AliasGenerator(validation_alias=_kebab),
                              validate_by_name=True, validate_by_alias=True)


class ConfigFile(_Strict):
    """The validated file. Field names mirror ``Options``; ``[versions]`` keys are stack names."""

    runner: Runner | None = None
    stack: StackName | None = None
    command: list[str] | None = None
    port: Port | None = None
    main: str | None = None
    packages: list[str] = []
    build_packages: list[str] = []
    ignore: list[str] = []
    healthcheck: str | bool | None = None
    allow_unlocked: bool | None = None
    strict: bool | None = None
    skip: list[OutputFile] = []
    compose: bool | None = None
    compose_cpus: Cpus | None = None
    compose_memory: Memory | None = None
    compose_pids: Pids | None = None
    versions: dict[StackName, Version] = {}
    env: dict[EnvKey, OneLine] = {}
    labels: dict[LabelKey, OneLine] = {}

    @field_validator("healthcheck")
    @classmethod
    def _health(cls, v: str | bool | None) -> str | bool | None:
        if v is True:
            raise ValueError("use an HTTP path such as \"/healthz\", or false to disable the health check")
        if isinstance(v, str) and not _HTTP_PATH.fullmatch(v):
            raise ValueError(f"{v!r} is not an HTTP path starting with /")
        return v

    @field_validator("ignore")
    @classmethod
    def _ignore(cls, v: list[str]) -> list[str]:
        for p in v:
            if not _IGNORE.fullmatch(p) or p != p.strip():
                raise ValueError(f"{p!r} is not a one-line ignore pattern")
        return v


class LoadedConfig(BaseModel):
    """The options a config file sets (only those it sets) and the file's display name."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    options: dict[str, Any] = {}


def validate(raw: dict[str, Any], file: str) -> LoadedConfig:
    """Validate the TOML table ``raw`` (from ``file``) and map it onto ``Options`` field names."""
    if not isinstance(raw, dict):
        raise InvalidInputError("[tool.dockgen] must be a table", file=file)
    try:
        cfg = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        key, msg = one_line_error(exc)
        if exc.errors()[0]["type"] == "extra_forbidden":
            known = ", ".join(sorted(_kebab(n) for n in ConfigFile.model_fields))
            raise InvalidInputError(f"unknown key {key!r}", file=file, hint=f"valid keys: {known}") from None
        raise InvalidInputError(f"{key or '(file)'}: {msg}", file=file, hint="see docs/configuration.md") from None
    return LoadedConfig(file=file, options=_to_options(cfg, file))


def _to_options(cfg: ConfigFile, file: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("runner", "stack", "port", "allow_unlocked", "strict", "compose", "compose_cpus", "compose_memory",
                 "compose_pids"):
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
    if cfg.versions:
        out["versions"] = dict(cfg.versions)
    if cfg.env:
        out["env"] = tuple(cfg.env.items())
    if cfg.labels:
        out["labels"] = tuple(cfg.labels.items())
    if cfg.skip:
        out["skip"] = tuple(dict.fromkeys(cfg.skip))
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
    """Options after layering default < recorded < config file < call, each with its source."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    options: Options
    config: LoadedConfig
    #: Recorded options a config file now overrides (they are dropped when init records again).
    shadowed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def sources(self) -> dict[str, str]:
        """Every option key → cli | dockgen.toml | pyproject.toml [tool.dockgen] | recorded | default."""
        return {key: self.options.source(key).label for key in option_keys()}


def option_keys() -> tuple[str, ...]:
    """Every option a user can set: the Options fields, with one ``versions.<stack>`` per stack."""
    keys = [k for k in Options.model_fields if k != "versions"]
    keys += [f"versions.{name}" for name in stacks.names()]
    return tuple(sorted(keys))


def flatten(values: dict[str, Any]) -> dict[str, Any]:
    """``{"versions": {"python": "3.12"}}`` or ``{"python_version": "3.12"}`` → ``{"versions.python": "3.12"}``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "versions" and isinstance(value, dict):
            out.update({f"versions.{k}": v for k, v in value.items()})
        elif key.endswith("_version"):
            out[f"versions.{key.removesuffix('_version')}"] = value
        else:
            out[key] = value
    return out


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("versions."):
            out.setdefault("versions", {})[key.split(".", 1)[1]] = value
        else:
            out[key] = value
    return out


def resolve(repo: RepoView, cli: dict[str, Any], recorded: dict[str, Any] | None = None) -> Resolved:
    """Layer the option sources; ``cli`` holds only the options given on the command line / API call."""
    config = load(repo)
    rec, conf, given = flatten(dict(recorded or {})), flatten(config.options), flatten(cli)
    shadowed = tuple(sorted(k for k in rec if k in conf and k not in given))
    warnings = tuple(f"{config.file} sets {k} = {_show(conf[k])}, replacing the recorded {_show(rec[k])}"
                     for k in shadowed if conf[k] != rec[k])
    # A recorded option the file now sets is gone (init drops it when it records again).
    layers = ((OptionSource(kind="recorded", key="", file=STATE_FILE), {k: v for k, v in rec.items() if k not in conf}),
              (OptionSource(kind="file", key="", file=config.file), conf),
              (OptionSource(kind="flag", key=""), given))
    merged: dict[str, Any] = {}
    sources: dict[str, OptionSource] = {}
    for origin, values in layers:
        for key, value in values.items():
            # A layer repeating the value below it does not take the credit: the Dockerfile names
            # the lasting source (the file over a redundant flag), so a plain re-run is identical.
            if key not in merged or not _same(merged[key], value):
                sources[key] = origin.model_copy(update={"key": key})
            merged[key] = value
    try:
        options = Options.model_validate(unflatten(merged))
    except ValidationError as exc:
        key, msg = one_line_error(exc)
        src = sources.get(key) or sources.get(key.split(".")[0]) or OptionSource(kind="flag", key=key)
        if src.kind == "flag":
            raise UsageError(f"{flag_name(src.key)}: {msg}", hint="see `dockgen init --help`") from None
        raise InvalidInputError(f"option {key}: {msg}", file=src.path,
                                hint="fix the value, or re-run `dockgen init --reset-options`") from None
    options = options.with_sources(sources)
    stacks.check_stack_options(options)
    return Resolved(options=options, config=config, shadowed=shadowed,
                    warnings=warnings)


def _same(a: Any, b: Any) -> bool:
    """Equal once JSON-shaped (recorded values come back as lists, flags as tuples)."""
    return json.loads(json.dumps(a, default=list)) == json.loads(json.dumps(b, default=list))


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    return repr(value)

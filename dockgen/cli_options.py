"""The command-line options every command shares, in one place.

``init`` and ``plan`` take every generation option (``pin`` and ``verify`` the ones that choose what
to generate); the version flags (``--python-version``, …) come from the stack registry, so a new
stack gets its flag without an edit here. ``collect`` turns the parsed flags into ``Options`` with
one validation rule set (``generator/types.py``) and one error line per bad flag.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any, Optional

import typer
from pydantic import ValidationError

from .detectors.errors import UsageError
from .generator import stacks
from .generator.options import Options, flag_name
from .generator.types import RUNNERS, one_line_error

_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY


def _stack_names() -> str:
    return " | ".join(stacks.names())


def _generation_params(only: tuple[str, ...] | None = None) -> list[tuple[str, Any, Any]]:
    """(parameter name, annotation, typer.Option) for every generation option, in help order."""
    params: list[tuple[str, Any, Any]] = [
        ("runner", Optional[str], typer.Option(None, "--runner", help=f"{' | '.join(RUNNERS)} (default: the smallest that works).")),
        ("stack", Optional[str], typer.Option(None, "--stack", help=f"{_stack_names()}, when a repo has several.")),
        ("port", Optional[int], typer.Option(None, "--port", help="Port the app listens on.")),
        ("main", Optional[str], typer.Option(None, "--main", help=(
            "Go: main package directory, any with package main (e.g. cmd/api, examples/base); "
            "default: the only one, or the one that serves."))),
        ("command", Optional[str], typer.Option(None, "--command", help="Start command as a JSON array, e.g. '[\"gunicorn\",\"app:app\"]'.")),
    ]
    for stack in stacks.all_stacks():
        params.append((f"{stack.name}_version", Optional[str],
                       typer.Option(None, stack.version_flag, help=f"{stack.title} version (overrides the project's).")))
    params += [
        ("healthcheck", Optional[str], typer.Option(None, "--healthcheck", help="HTTP path to probe; '' disables the HEALTHCHECK.")),
        ("allow_unlocked", bool, typer.Option(False, "--allow-unlocked", help="Node without a lockfile: use a plain `npm install`.")),
        ("strict", bool, typer.Option(False, "--strict", help="Refuse what would otherwise be a warning: unpinned "
                                      "dependencies, and assumed values (a port nothing in the project states).")),
        ("env", Optional[list[str]], typer.Option(None, "--env", help="KEY=VALUE for an ENV in the final image (repeatable).")),
        ("label", Optional[list[str]], typer.Option(None, "--label", help="KEY=VALUE for a LABEL in the final image (repeatable).")),
        ("compose", Optional[bool], typer.Option(None, "--compose/--no-compose", help="Write compose.yaml (the app "
                                                 "hardened, its services) next to the Dockerfile (default: on).")),
    ]
    return [p for p in params if only is None or p[0] in only]


def generation_options(only: tuple[str, ...] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the generation flags to a command whose function takes them as ``**gen``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(func)
        own = [p for p in sig.parameters.values() if p.kind != _VAR_KEYWORD]
        added = _generation_params(only)
        func.__signature__ = sig.replace(parameters=[  # type: ignore[attr-defined]
            *own, *(inspect.Parameter(name, _KEYWORD_ONLY, default=opt, annotation=ann) for name, ann, opt in added)])
        func.__annotations__ = {**func.__annotations__, **{name: ann for name, ann, _ in added}}
        return func

    return decorate


def _command(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    try:
        argv = json.loads(raw)
    except json.JSONDecodeError:
        argv = None
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise UsageError("--command must be a JSON array of strings", hint='e.g. --command \'["node","server.js"]\'')
    return tuple(argv)


def _pairs(flag: str, raw: list[str] | None) -> tuple[tuple[str, str], ...] | None:
    if not raw:
        return None
    out = []
    for item in raw:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"{flag} {item!r} is not KEY=VALUE", hint=f"e.g. {flag} APP_ENV=production")
        out.append((key, value))
    return tuple(out)


def collect(gen: dict[str, Any]) -> Options:
    """The flags given (None, False and empty lists are "not given") as validated ``Options``."""
    given: dict[str, Any] = {}
    versions = {}
    for name, value in gen.items():
        if name == "compose" and value is not None:
            given["compose"] = value  # --no-compose: False is a choice here, not "not given"
            continue
        if value is None or value is False or value == [] or value == ():
            continue
        if name == "command":
            given["command"] = _command(value)
        elif name in ("env", "label"):
            given["env" if name == "env" else "labels"] = _pairs(f"--{name}", value)
        elif name.endswith("_version"):
            versions[name.removesuffix("_version")] = value
        else:
            given[name] = value
    if versions:
        given["versions"] = versions
    try:
        return Options.model_validate(given)
    except ValidationError as exc:
        key, msg = one_line_error(exc)
        flag = "--label" if key.startswith("labels") else flag_name(key if key.startswith("versions.") else key.split(".")[0])
        raise UsageError(f"{flag}: {msg}", hint="see `dockgen init --help`") from None

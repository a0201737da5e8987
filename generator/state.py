"""What ``init`` records in ``.dockgen/`` so a re-run, ``--merge`` and ``check`` know the last run.

- ``.dockgen/state.json``: the options ``init`` was given (a plain re-run reproduces them), the
  effective options, the facts and a hash of each manifest (``check`` turns differences into
  reasons such as "uv.lock appeared"), and the hash of each generated body.
- ``.dockgen/base/Dockerfile.body``, ``.dockgen/base/dockerignore.body``: the last generated
  bodies, the base of a 3-way ``--merge``.

Commit the folder with the Dockerfile: CI's ``dockgen check`` reads it. Reads go through
``RepoView`` like every other project file; a broken state file is an ``InvalidInputError``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..detectors.errors import InvalidInputError
from ..detectors.facts import ProjectFacts
from ..detectors.parsing import load_json
from ..detectors.repo import LOCKFILE_MAX_BYTES, RepoView
from .options import STATE_FILE, Options

BASE_FILES = {"Dockerfile": ".dockgen/base/Dockerfile.body", ".dockerignore": ".dockgen/base/dockerignore.body",
              "compose.yaml": ".dockgen/base/compose.yaml.body", ".env.example": ".dockgen/base/env.example.body"}
FORMAT = 1


class State(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = FORMAT
    #: Options given on the command line / API call (merged over earlier runs); re-applied on re-run.
    recorded_options: dict[str, Any] = {}
    #: Every non-default option in effect, with where it came from: {name: [value, source]}.
    effective_options: dict[str, tuple[Any, str]] = {}
    ecosystem: str | None = None
    #: Manifest/lockfile → sha256 of its bytes.
    manifests: dict[str, str] = {}
    #: Fact name → [value, source].
    facts: dict[str, tuple[Any, str]] = {}
    #: Output file → sha256 of the generated body.
    files: dict[str, str] = {}


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def load(repo: RepoView) -> State | None:
    if not repo.is_file(STATE_FILE):
        return None
    raw = load_json(repo.read_text(STATE_FILE), STATE_FILE)
    try:
        state = State.model_validate(raw)
    except ValidationError as exc:
        loc = ".".join(str(x) for x in exc.errors()[0]["loc"])
        raise InvalidInputError(f"unreadable dockgen state ({loc}: {exc.errors()[0]['msg']})", file=STATE_FILE,
                                hint="delete the .dockgen folder and re-run `dockgen init --force`") from None
    if state.format != FORMAT:
        raise InvalidInputError(f"state format {state.format} is not supported (this dockgen writes {FORMAT})",
                                file=STATE_FILE, hint="delete the .dockgen folder and re-run `dockgen init --force`")
    return state


def base_body(repo: RepoView, output: str, expected_hash: str | None) -> str | None:
    """The recorded last-generated body of ``output``, if it is there and matches ``expected_hash``."""
    rel = BASE_FILES[output]
    if expected_hash is None or not repo.is_file(rel):
        return None
    body = repo.read_text(rel, LOCKFILE_MAX_BYTES)
    return body if sha256(body) == expected_hash else None


def _fact_items(facts: ProjectFacts) -> dict[str, tuple[Any, str]]:
    out: dict[str, tuple[Any, str]] = {}
    for key, value in facts.model_dump(mode="json").items():
        if isinstance(value, dict) and set(value) == {"value", "source"}:
            out[key] = (value["value"], value["source"])
    return dict(sorted(out.items()))


def _manifest_hashes(repo: RepoView, facts: ProjectFacts) -> dict[str, str]:
    # Manifests are named relative to the build context (a workspace root for a member).
    ctx = repo.context
    out = {}
    for rel in sorted(set(facts.manifests)):
        if ctx.is_file(rel):
            out[rel] = sha256(ctx.read_bytes(rel, LOCKFILE_MAX_BYTES))
    return out


def snapshot(repo: RepoView, facts: ProjectFacts, options: Options, sources: dict[str, str],
             recorded_options: dict[str, Any], files: dict[str, str]) -> State:
    """The state describing the current project, options and generated bodies (hashes)."""
    effective = {key: (_jsonable(options.value(key)), src) for key, src in sources.items() if src != "default"}
    return State(
        recorded_options=json.loads(json.dumps(dict(sorted(recorded_options.items())), default=list)),
        effective_options=dict(sorted(effective.items())),
        ecosystem=facts.ecosystem,
        manifests=_manifest_hashes(repo, facts),
        facts=_fact_items(facts),
        files={k: sha256(v) for k, v in sorted(files.items())},
    )


def dumps(state: State) -> str:
    return json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=list))

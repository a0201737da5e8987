"""Version managers' files: asdf's ``.tool-versions`` and mise's ``mise.toml`` / ``.mise.toml``.

``requests(repo, names)`` returns what those files pin for a tool, each value with its file and
entry as source, in precedence order (``.tool-versions``, then ``mise.toml``, then ``.mise.toml``).
Each stack passes its own tool names (asdf says ``nodejs`` and ``golang``, mise ``node`` and ``go``)
and validates the values itself. ``system`` (use whatever is installed) pins nothing and is skipped.
"""

from __future__ import annotations

from .errors import InvalidInputError
from .facts import Fact, fact
from .parsing import load_toml
from .repo import RepoView

TOOL_VERSIONS = ".tool-versions"
MISE_FILES = ("mise.toml", ".mise.toml")
_NOT_A_PIN = ("system",)


def _asdf(repo: RepoView, names: tuple[str, ...]) -> list[Fact[str]]:
    text = repo.read_text_if_exists(TOOL_VERSIONS)
    if text is None:
        return []
    out = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if len(words) >= 2 and words[0] in names and words[1] not in _NOT_A_PIN:
            # The first version is the one asdf activates; later ones are fallbacks.
            out.append(fact(words[1], TOOL_VERSIONS, f"{words[0]} (line {lineno})"))
    return out


def _mise(repo: RepoView, path: str, names: tuple[str, ...]) -> list[Fact[str]]:
    text = repo.read_text_if_exists(path)
    if text is None:
        return []
    tools = load_toml(text, path).get("tools")
    if not isinstance(tools, dict):
        return []
    out = []
    for name in names:
        value = tools.get(name)
        if isinstance(value, list):  # several versions: the first is the active one
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("version")
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInputError(f"[tools] {name}: {str(value)[:40]!r} is not a version string", file=path,
                                    hint=f'write {name} = "<version>"')
        if value.strip() not in _NOT_A_PIN:
            out.append(fact(value.strip(), path, f"[tools] {name}"))
    return out


def requests(repo: RepoView, names: tuple[str, ...]) -> list[Fact[str]]:
    """Every pin for the tools ``names`` from the version managers' files, in precedence order."""
    out = _asdf(repo, names)
    for path in MISE_FILES:
        out += _mise(repo, path, names)
    return out

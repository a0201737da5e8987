"""Where a Python project says which interpreter it needs.

Precedence, most specific first (the first source present wins; the others are still reported):

1. ``.python-version`` (pyenv / uv): an exact ``3.11`` or ``3.11.4``;
1b. ``.tool-versions`` (asdf) ``python 3.12.4``, then ``mise.toml`` ``[tools] python = "3.12"``;
2. ``runtime.txt`` (Heroku style): ``python-3.11.4``;
3. ``Pipfile [requires] python_version`` / ``python_full_version``: an exact version;
4. ``pyproject.toml [project] requires-python``: a PEP 440 specifier range;
5. ``pyproject.toml [tool.poetry.dependencies] python``: a Poetry range (``^3.11``), converted to PEP 440;
6. none: the catalog default.

A pinned file beats a range because it names the interpreter the project is developed and tested
with; the range stays a fact so the planner can check that the pin satisfies it. Values are
validated here (a malformed one is an ``InvalidInputError`` naming the file); the planner resolves
them against the catalog.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from .errors import InvalidInputError
from . import tool_versions
from .facts import Fact, fact

_EXACT = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


def exact(value: str, file: str, field: str = "") -> str:
    """``3.11`` / ``3.11.4`` (a ``cpython-``/``python-`` prefix is dropped)."""
    v = value.strip()
    for prefix in ("cpython-", "cpython", "python-", "python"):
        if v.lower().startswith(prefix):
            v = v[len(prefix):]
            break
    if not _EXACT.fullmatch(v):
        where = f"{field}: " if field else ""
        raise InvalidInputError(f"{where}{value.strip()[:40]!r} is not a CPython version like 3.11 or 3.11.4",
                                file=file, hint="write a CPython version such as 3.13")
    return v


def specifier(value: str, file: str, field: str) -> str:
    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        raise InvalidInputError(f"{field}: {value[:60]!r} is not a valid version specifier", file=file,
                                hint="use PEP 440 syntax such as >=3.11") from None
    return str(SpecifierSet(value))


def poetry_range(value: str, file: str, field: str) -> str:
    """Poetry's ``^3.11`` / ``~3.11`` / ``3.11.*`` / PEP 440 → a PEP 440 specifier."""
    parts = []
    for clause in value.split(","):
        c = clause.strip()
        m = re.match(r"^([\^~])(\d+)(?:\.(\d+))?(?:\.(\d+))?$", c)
        if m:
            major, minor = int(m.group(2)), int(m.group(3) or 0)
            low = ".".join(x for x in m.group(2, 3, 4) if x is not None)
            high = f"{major + 1}.0" if m.group(1) == "^" else f"{major}.{minor + 1}"
            parts += [f">={low}", f"<{high}"]
        elif re.match(r"^\d+(\.\d+)*(\.\*)?$", c):
            parts.append(f"=={c}")
        else:
            parts.append(c)
    return specifier(",".join(parts), file, field)


def python_version_file(text: str) -> str | None:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return exact(line, ".python-version")
    return None


def runtime_txt(text: str) -> str | None:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return exact(line, "runtime.txt") if line else None


def tool_pin(repo) -> Fact[str] | None:
    """The first python pin of ``.tool-versions`` / ``mise.toml`` (``latest`` pins nothing)."""
    for f in tool_versions.requests(repo, ("python",)):
        if f.value != "latest":
            return fact(exact(f.value, str(f.source.file), str(f.source.field)), f.source)
    return None


def choose(candidates: list[Fact[str] | None]) -> Fact[str] | None:
    """The first present candidate, in the precedence order documented above."""
    for c in candidates:
        if c is not None:
            return c
    return None


__all__ = ["exact", "specifier", "poetry_range", "python_version_file", "runtime_txt", "tool_pin", "choose", "fact"]

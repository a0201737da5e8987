"""requirements*.txt: which file, its includes, and whether every requirement is pinned or hashed.

A requirement counts as pinned when its only version clause is ``==X`` / ``===X`` without a
wildcard, or when it carries ``--hash`` (pip then checks the exact file). Everything else (ranges,
bare names, URLs and local paths without a hash, editables) is reported as unpinned, line by line.
``-r``/``-c`` includes are followed (inside the repository only) and become manifests too, so they
are copied before the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from . import safe
from .errors import InvalidInputError
from .facts import Source, Unpinned
from .repo import RepoView
from .source_text import logical_lines

#: Preferred names for the production requirements file, best first.
PREFERRED = ("requirements.txt", "requirements-prod.txt", "requirements-production.txt",
             "requirements.lock.txt", "requirements/prod.txt", "requirements/production.txt",
             "requirements/base.txt")
#: A requirements*.txt whose name has one of these words is not the production set.
NON_PROD = re.compile(r"(dev|test|doc|lint|ci|local|type|bench)", re.IGNORECASE)
MAX_INCLUDE_DEPTH = 8
_HASH = re.compile(r"\s--hash[=\s]+\S+")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$")
#: ``name @ https://…``: a direct reference (a named file), not a local path.
_DIRECT = re.compile(r"^[A-Za-z0-9][\w.-]*\s*(?:\[[^\]]*\])?\s*@\s*[A-Za-z][\w+.-]*://")
_EDITABLE = re.compile(r"^(-e|--editable)(?:\s+|=)(\S+)$")


@dataclass
class ReqInfo:
    file: str
    files: list[str] = field(default_factory=list)  # the file and its includes, in read order
    names: list[str] = field(default_factory=list)  # canonical names of the requirements
    #: (canonical name, extras) per requirement: ``fastapi[standard]`` → ("fastapi", ("standard",)).
    extras: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    unpinned: list[Unpinned] = field(default_factory=list)  # "requirements.txt line 3: flask>=2"
    unhashed: list[str] = field(default_factory=list)  # requirements without --hash
    hashed: bool = False
    local: list[str] = field(default_factory=list)  # local paths / editables (need sources)
    #: (canonical name, URL) of direct references (``name @ https://…/file.whl``): they name a file.
    urls: list[tuple[str, str]] = field(default_factory=list)
    #: (canonical name, version) of exact ``name==version`` pins (hashed or not).
    pins: list[tuple[str, str]] = field(default_factory=list)


def find_file(repo: RepoView) -> str | None:
    """The production requirements file: a preferred name, else the one non-dev requirements*.txt."""
    for name in PREFERRED:
        if repo.is_file(name):
            return name
    candidates = [n for n in repo.glob_files("requirements*.txt") if not NON_PROD.search(n[len("requirements"):])]
    return candidates[0] if len(candidates) == 1 else None


def is_pinned(req: Requirement) -> bool:
    specs = list(req.specifier)
    return (req.url is None and len(specs) == 1 and specs[0].operator in ("==", "===")
            and "*" not in specs[0].version)


def parse(repo: RepoView, file: str) -> ReqInfo:
    info = ReqInfo(file=file)
    _read(repo, file, info, depth=0, constraint=False)
    return info


def _read(repo: RepoView, file: str, info: ReqInfo, depth: int, constraint: bool) -> None:
    if file in info.files:
        return
    if depth > MAX_INCLUDE_DEPTH:
        raise InvalidInputError(f"requirements includes nest deeper than {MAX_INCLUDE_DEPTH} files", file=file)
    if not repo.is_file(file):
        raise InvalidInputError("included requirements file not found", file=file,
                                hint="fix the -r/-c line that names it")
    info.files.append(file)
    base = file.rsplit("/", 1)[0] + "/" if "/" in file else ""
    for n, line in logical_lines(repo.read_text(file)):
        where = Source.of(file, f"line {n}")
        inc = _INCLUDE.fullmatch(line)
        if inc:
            target = safe.rel_path(base + inc.group(2), file, f"line {n} {inc.group(1)}")
            _read(repo, target, info, depth + 1, constraint or inc.group(1) in ("-c", "--constraint"))
            continue
        ed = _EDITABLE.fullmatch(line)
        if ed:
            info.unpinned.append(Unpinned(source=where, spec=line, kind="editable"))
            info.local.append(ed.group(2))
            continue
        if line.startswith("-"):
            continue  # global options: --index-url, --require-hashes, --only-binary, ...
        has_hash = bool(_HASH.search(" " + line))
        spec = _HASH.sub("", " " + line).strip()
        if (spec.startswith((".", "/")) or spec.endswith((".whl", ".tar.gz", ".zip"))) and not _DIRECT.match(spec):
            info.local.append(spec)
            if not has_hash:
                info.unpinned.append(Unpinned(source=where, spec=spec, kind="local"))
            continue
        try:
            req = Requirement(spec)
        except InvalidRequirement as exc:
            raise InvalidInputError(f"line {n}: {spec!r} is not a valid requirement ({exc})", file=file,
                                    hint="fix the line (PEP 508 syntax)") from None
        if constraint:
            continue  # constraints pin what is installed but install nothing themselves
        info.names.append(canonicalize_name(req.name))
        if req.url:
            info.urls.append((canonicalize_name(req.name), req.url))
        info.extras.append((canonicalize_name(req.name), tuple(sorted(req.extras))))
        exact = [s.version for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version]
        if len(req.specifier) == 1 and exact and not req.url:
            info.pins.append((canonicalize_name(req.name), exact[0]))
        if has_hash:
            info.hashed = True
        else:
            info.unhashed.append(req.name)
            if not is_pinned(req):
                info.unpinned.append(Unpinned(source=where, spec=spec, name=canonicalize_name(req.name)))

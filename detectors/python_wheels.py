"""Which locked packages are binary, and which interpreters and platforms their wheels cover.

uv.lock, poetry.lock (``files`` or the older ``[metadata.files]``) and pdm.lock name every file a
package may install from. A package with a pure-Python wheel (``py3-none-any``) installs anywhere
and is left out; every other production package is reported with its Linux glibc wheels (x86_64
and aarch64 only, the platforms images are built for) reduced to one tag per interpreter, ABI and
architecture, the lowest glibc kept. A package with no Linux wheel but an sdist builds from source
on every interpreter. Nothing is downloaded: the lock is the only source, so the result is
deterministic.

Each package also carries the marker under which the production install includes it (``None``:
always), read from the lock's own per-package markers where it has them, else from the dependency
edges that bring it (one level: the union of the markers on the edges from production packages and
the project itself). The planner evaluates it per candidate interpreter, so a backport needed only
on old Pythons does not hold the interpreter back.

Requirements files name no files (hashes only), except direct references
(``name @ https://…/name-1.0-cp311-cp311-manylinux_2_17_x86_64.whl``), which are read the same way.
"""

from __future__ import annotations

import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from pydantic import BaseModel, ConfigDict

from .parsing import load_toml
from .repo import LOCKFILE_MAX_BYTES, RepoView

#: Architectures dockgen's images are built for (``docker build`` on amd64 and arm64 hosts).
ARCHES = ("x86_64", "aarch64")
_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_(\w+)$")
_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_SDIST = (".tar.gz", ".zip", ".tar.bz2", ".tgz")


class LockedDist(BaseModel):
    """A locked package that has no pure-Python wheel."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    #: Linux glibc wheels as ``python-abi-platform`` tags, lowest glibc per (python, abi, arch), sorted.
    wheels: tuple[str, ...] = ()
    #: The lock names an sdist: pip builds from it when no wheel fits.
    sdist: bool = False
    #: PEP 508 marker under which the production install includes it; None: always.
    marker: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


def _platform(tag: str) -> tuple[int, int, str] | None:
    """(glibc major, minor, arch) of a manylinux platform tag; None for any other platform."""
    if tag in ("any",):
        return None
    for legacy, (a, b) in _LEGACY.items():
        if tag.startswith(legacy + "_"):
            arch = tag[len(legacy) + 1:]
            return (a, b, arch) if arch in ARCHES else None
    m = _MANYLINUX.match(tag)
    if m and m.group(3) in ARCHES:
        return int(m.group(1)), int(m.group(2)), m.group(3)
    return None


def classify(files: list[str]) -> tuple[bool, tuple[str, ...], bool]:
    """(pure, linux wheel tags, has sdist) of one package's file names."""
    best: dict[tuple[str, str, str], tuple[int, int]] = {}
    pure = sdist = False
    for f in files:
        if f.endswith(_SDIST):
            sdist = True
            continue
        if not f.endswith(".whl"):
            continue
        try:
            _, _, _, tags = parse_wheel_filename(f)
        except InvalidWheelFilename:
            continue
        for t in tags:
            if t.platform == "any" and t.abi == "none" and t.interpreter.startswith("py"):
                pure = True
            plat = _platform(t.platform)
            if plat is None or not t.interpreter.startswith(("cp", "py")):
                continue
            key = (t.interpreter, t.abi, plat[2])
            if key not in best or plat[:2] < best[key]:
                best[key] = plat[:2]
    tags_out = tuple(f"{i}-{a}-manylinux_{g[0]}_{g[1]}_{arch}" for (i, a, arch), g in sorted(best.items(), key=_order))
    return pure, tags_out, sdist


def _order(item: tuple[tuple[str, str, str], tuple[int, int]]) -> tuple:
    """Architecture, then interpreter in version order (cp39 before cp310), then ABI."""
    (interp, abi, arch), _ = item
    digits = "".join(c for c in interp if c.isdigit())
    return arch, interp.rstrip("0123456789."), int(digits[:1] or 0), int(digits[1:] or 0), abi


def _file_names(entries: Any) -> list[str]:
    out = []
    for e in entries if isinstance(entries, list) else ():
        if isinstance(e, dict):
            name = e.get("file") or e.get("url") or e.get("path")
            if isinstance(name, str):
                out.append(name.rsplit("/", 1)[-1].split("#", 1)[0])
    return out


def _uv_files(p: dict) -> list[str]:
    files = _file_names(p.get("wheels"))
    sd = p.get("sdist")
    if isinstance(sd, dict):
        files.append("sdist.tar.gz")
    return files


def _uv_roots(data: dict, at: str = ".") -> list[tuple[str, str | None]]:
    """The project's own dependency edges in uv.lock (its virtual or editable package)."""
    out: list[tuple[str, str | None]] = []
    listed = data.get("package")
    for p in listed if isinstance(listed, list) else []:
        src = p.get("source") if isinstance(p, dict) else None
        deps = p.get("dependencies") if isinstance(p, dict) else None
        if isinstance(src, dict) and at in (src.get("virtual"), src.get("editable")) and isinstance(deps, list):
            for d in deps:
                if isinstance(d, dict) and isinstance(d.get("name"), str):
                    out.append((canonicalize_name(d["name"]), d.get("marker") or None))
    return out


def any_of(markers: list[str | None]) -> str | None:
    """One marker true when any is; None (always) when one of them is None or there are none."""
    if not markers or any(m is None for m in markers):
        return None
    unique = list(dict.fromkeys(m for m in markers if m))
    return unique[0] if len(unique) == 1 else " or ".join(f"({m})" for m in unique)


def _req_edge(spec: str) -> tuple[str, str | None] | None:
    """(name, marker) of a PEP 508 string, or of poetry's ``name (>=1) ; marker`` form."""
    if re.match(r"^[A-Za-z0-9._\[\],-]+\s+\(", spec):  # poetry's ``name (>=1)``: drop the parentheses
        spec = re.sub(r"\s*\(([^)]*)\)", r" \1", spec, count=1)
    try:
        r = Requirement(spec)
        return canonicalize_name(r.name), (str(r.marker) if r.marker else None)
    except InvalidRequirement:
        m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        return (canonicalize_name(m.group(1)), None) if m else None


def poetry_markers(value: Any) -> list[str | None]:
    """The markers of one ``[package.dependencies]`` entry (a list means several constraints)."""
    out: list[str | None] = []
    for v in value if isinstance(value, list) else [value]:
        if not isinstance(v, dict):
            out.append(None)
            continue
        marks = [v["markers"]] if isinstance(v.get("markers"), str) else []
        if isinstance(v.get("python"), str):
            marks.append(python_marker(v["python"]))
        marks = [m for m in marks if m]
        out.append(marks[0] if len(marks) == 1 else " and ".join(f"({m})" for m in marks) or None)
    return out


def python_marker(constraint: str) -> str | None:
    """Poetry's ``python = "<3.11"`` (or ``^3.8``) as a PEP 508 marker on python_full_version."""
    parts = []
    for clause in constraint.split(","):
        c = clause.strip()
        m = re.match(r"^([\^~])(\d+)(?:\.(\d+))?$", c)
        if m:
            major, minor = int(m.group(2)), int(m.group(3) or 0)
            high = f"{major + 1}.0" if m.group(1) == "^" else f"{major}.{minor + 1}"
            parts += [f'python_full_version >= "{major}.{minor}"', f'python_full_version < "{high}"']
            continue
        m = re.match(r"^(>=|<=|>|<|==|!=)\s*(\d+(?:\.\d+)*)$", c)
        if m:
            parts.append(f'python_full_version {m.group(1)} "{m.group(2)}"')
        elif c not in ("*", ""):
            return None  # an "or" range or a wildcard: treated as always installed
    return " and ".join(parts) or None


def _edges(lock: str, packages: list[dict], roots: list[tuple[str, str | None]]) -> dict[str, list[tuple[str, str | None]]]:
    """parent ("" for the project) → [(child, marker)]."""
    out: dict[str, list[tuple[str, str | None]]] = {"": list(roots)}
    for p in packages:
        parent = canonicalize_name(p["name"])
        edges = out.setdefault(parent, [])
        deps = p.get("dependencies")
        if lock == "uv.lock":
            optional = p.get("optional-dependencies")
            groups = [deps] + (list(optional.values()) if isinstance(optional, dict) else [])
            for group in groups:
                for d in group if isinstance(group, list) else ():
                    if isinstance(d, dict) and isinstance(d.get("name"), str):
                        edges.append((canonicalize_name(d["name"]), d.get("marker") or None))
        elif lock == "poetry.lock" and isinstance(deps, dict):
            for name, value in deps.items():
                edges += [(canonicalize_name(name), m) for m in poetry_markers(value)]
        elif isinstance(deps, list):
            edges += [e for d in deps if isinstance(d, str) and (e := _req_edge(d))]
    return out


def _package_marker(lock: str, p: dict) -> str | None | bool:
    """The lock's own marker for a package; False when it has none."""
    key = "markers" if lock == "poetry.lock" else "marker"
    m = p.get(key)
    if isinstance(m, dict):
        m = m.get("main") or m.get("default")
    return m if isinstance(m, str) and m.strip() else False


def _files_of(lock: str, data: dict, p: dict) -> list[str]:
    if lock == "uv.lock":
        return _uv_files(p)
    files = _file_names(p.get("files"))
    if not files:  # poetry < 1.2 and pdm < 2.? keep them in [metadata.files]
        meta = data.get("metadata", {}).get("files", {}) if isinstance(data.get("metadata"), dict) else {}
        if isinstance(meta, dict):
            files = _file_names(meta.get(p["name"]) or meta.get(canonicalize_name(p["name"]))
                                or meta.get(f"{p['name']} {p.get('version', '')}"))
    return files


def from_lock(repo: RepoView, lock: str, production: frozenset[str],
              roots: list[tuple[str, str | None]], at: str = ".") -> tuple[LockedDist, ...] | None:
    """The binary production packages of a uv/poetry/pdm lock; None when the lock names no files."""
    if lock not in ("uv.lock", "poetry.lock", "pdm.lock"):
        return None
    text = repo.read_text_if_exists(lock, LOCKFILE_MAX_BYTES)
    if not text or not text.strip():
        return None
    data = load_toml(text, lock)
    listed = data.get("package")
    packages = [p for p in (listed if isinstance(listed, list) else []) if isinstance(p, dict)
                and isinstance(p.get("name"), str) and canonicalize_name(p["name"]) in production]
    if lock == "uv.lock":
        roots = _uv_roots(data, at) or roots
    edges = _edges(lock, packages, roots)
    incoming: dict[str, list[str | None]] = {}
    for parent, children in edges.items():
        for child, marker in children:
            incoming.setdefault(child, []).append(marker)
    out: dict[str, LockedDist] = {}
    named_files = False
    for p in packages:
        files = _files_of(lock, data, p)
        named_files = named_files or bool(files)
        pure, wheels, sdist = classify(files)
        if pure or not files or (not wheels and not sdist):
            continue  # pure Python, unknown, or a package with no Linux file (another platform's)
        name = canonicalize_name(p["name"])
        own = _package_marker(lock, p)
        marker = own if own is not False else any_of(incoming.get(name, [None]))
        dist = LockedDist(name=name, version=str(p.get("version", "")), wheels=wheels, sdist=sdist, marker=marker)
        out.setdefault(name, dist)
    return tuple(out[k] for k in sorted(out)) if named_files else None


def from_urls(urls: list[tuple[str, str]]) -> tuple[LockedDist, ...]:
    """Direct references in requirements files: (name, url) whose file name is a wheel or an sdist."""
    out = {}
    for name, url in urls:
        file = url.rsplit("/", 1)[-1].split("#", 1)[0]
        pure, wheels, sdist = classify([file])
        if not pure and (wheels or sdist):
            version = file.split("-")[1] if file.count("-") >= 1 and file.endswith(".whl") else ""
            out[name] = LockedDist(name=name, version=version, wheels=wheels, sdist=sdist)
    return tuple(out[k] for k in sorted(out))

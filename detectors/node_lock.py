"""Node lockfiles: which package manager a project uses, and whether its lockfile matches package.json.

Pure: reads files through the RepoView and reports facts with their sources. Which install command
runs is the planner's decision (``generator/node_pm.py``).

Sync check (what ``npm ci`` / ``--frozen-lockfile`` would refuse at build time, reported early):
every dependency named in package.json must appear in the lockfile's root entry with the same
specifier, and the root entry must not name dependencies package.json no longer has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import safe
from .facts import Fact, Source, fact
from .parsing import load_json
from .repo import LOCKFILE_MAX_BYTES, RepoView

#: Lockfiles in the order npm/yarn/pnpm/bun would win if several are present.
LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb")
PackageManager = Literal["npm", "yarn", "pnpm", "bun"]
#: yarn 1.x ("classic") or 2+ ("berry").
YarnFlavor = Literal["classic", "berry"]
MANAGER_OF: dict[str, PackageManager] = {
    "package-lock.json": "npm",
    "npm-shrinkwrap.json": "npm",
    "pnpm-lock.yaml": "pnpm",
    "yarn.lock": "yarn",
    "bun.lock": "bun",
    "bun.lockb": "bun",
}
PACKAGE_MANAGER_FIELD = Source.of("package.json", "packageManager")
DEP_KINDS = ("dependencies", "devDependencies", "optionalDependencies")
_PM_FIELD = re.compile(r"^(npm|yarn|pnpm|bun)@([0-9][A-Za-z0-9.+_~-]*?)(?:\+((?:sha1|sha224|sha256|sha384|sha512)\.[0-9a-f]{20,128}))?$")
_DEP_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~][a-z0-9._~-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class LockInfo:
    lockfile: Fact[str] | None
    manager: Fact[PackageManager]
    manager_version: Fact[str] | None
    manager_hash: Fact[str] | None
    yarn_flavor: Fact[YarnFlavor] | None
    yarn_node_linker: Fact[str] | None
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    extra_manifests: tuple[str, ...]


def declared_deps(pkg: dict) -> dict[str, str]:
    """name → specifier over dependencies, devDependencies and optionalDependencies."""
    out: dict[str, str] = {}
    for kind in DEP_KINDS:
        section = pkg.get(kind)
        if isinstance(section, dict):
            for k, v in section.items():
                if isinstance(k, str) and isinstance(v, str):
                    out[k] = v
    return out


def package_manager_field(pkg: dict) -> tuple[PackageManager, str, str | None] | None:
    """(name, version, hash) from package.json's ``packageManager``, validated."""
    raw = pkg.get("packageManager")
    if raw is None:
        return None
    m = _PM_FIELD.fullmatch(raw) if isinstance(raw, str) else None
    if m is None:
        raise safe._refuse("packageManager value (name@version[+sha512.hex])", raw, "package.json",
                           "packageManager")
    version = safe.version(m.group(2), "package.json", "packageManager")
    name: PackageManager = m.group(1)  # type: ignore[assignment]  # the regex allows only these four
    return name, version, m.group(3)


def _yarnrc(repo: RepoView) -> dict[str, str]:
    """Top-level ``key: value`` scalars of .yarnrc.yml (all dockgen needs from it)."""
    text = repo.read_text_if_exists(".yarnrc.yml")
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        m = re.match(r"^([A-Za-z][A-Za-z0-9]*):\s*(.*?)\s*$", line)
        if m and m.group(2) and not m.group(2).startswith("#"):
            out[m.group(1)] = m.group(2).strip("\"'")
    return out


def detect_lock(repo: RepoView, pkg: dict) -> LockInfo:
    present = [f for f in LOCKFILES if repo.is_file(f)]
    pm_field = package_manager_field(pkg)
    warnings: list[str] = []
    problems: list[str] = []
    extra: list[str] = []

    lockfile = None
    if present:
        chosen = present[0]
        lockfile = fact(chosen, chosen)
        if len({MANAGER_OF[f] for f in present}) > 1:
            warnings.append(f"several lockfiles ({', '.join(present)}): using {chosen}; delete the others")
        manager = fact(MANAGER_OF[chosen], chosen)
    elif pm_field is not None:
        manager = fact(pm_field[0], PACKAGE_MANAGER_FIELD)
    else:
        manager = fact("npm", Source.default("no lockfile: npm, the default"))

    if pm_field is not None and pm_field[0] != manager.value:
        warnings.append(f"package.json packageManager says {pm_field[0]} but the lockfile is "
                        f"{lockfile.value if lockfile else '-'}: using {manager.value}")
        pm_field = None
    mver = fact(pm_field[1], PACKAGE_MANAGER_FIELD) if pm_field else None
    mhash = fact(pm_field[2], PACKAGE_MANAGER_FIELD) if pm_field and pm_field[2] else None

    yarn_flavor = yarn_linker = None
    if manager.value == "yarn":
        rc = _yarnrc(repo)
        yarn_flavor = _yarn_flavor(repo, lockfile, mver, rc)
        if yarn_flavor.value == "berry":
            if repo.is_file(".yarnrc.yml"):
                extra.append(".yarnrc.yml")
            linker = rc.get("nodeLinker")
            yarn_linker = (fact(linker, ".yarnrc.yml", "nodeLinker") if linker
                           else fact("pnp", Source.default("yarn berry's default (no nodeLinker in .yarnrc.yml)")))
            if "yarnPath" in rc:
                warnings.append(".yarnrc.yml yarnPath is ignored: the image gets yarn from corepack")
    if manager.value == "pnpm" and repo.is_file("pnpm-workspace.yaml"):
        extra.append("pnpm-workspace.yaml")
    if manager.value == "pnpm" and repo.is_file(".pnpmfile.cjs"):
        extra.append(".pnpmfile.cjs")

    if lockfile is not None:
        problems.extend(lock_sync(repo, lockfile.value, declared_deps(pkg), yarn_flavor))
    return LockInfo(lockfile, manager, mver, mhash, yarn_flavor, yarn_linker, tuple(problems),
                    tuple(warnings), tuple(extra))


def _yarn_flavor(repo: RepoView, lockfile: Fact[str] | None, mver: Fact[str] | None,
                 rc: dict[str, str]) -> Fact[YarnFlavor]:
    if mver is not None:
        return fact("classic" if mver.value.startswith("1.") else "berry", PACKAGE_MANAGER_FIELD)
    if lockfile is not None:
        head = repo.read_text(lockfile.value, LOCKFILE_MAX_BYTES)
        if re.search(r"^__metadata:", head, re.MULTILINE):
            return fact("berry", "yarn.lock", "__metadata")
        if "# yarn lockfile v1" in head[:500]:
            return fact("classic", "yarn.lock", "(# yarn lockfile v1)")
    if repo.is_file(".yarnrc.yml"):
        return fact("berry", ".yarnrc.yml")
    return fact("classic", "yarn.lock", "(no berry markers)")


# ---- sync checks ----------------------------------------------------------------------------------


def lock_sync(repo: RepoView, lockfile: str, deps: dict[str, str], yarn_flavor: Fact[YarnFlavor] | None) -> list[str]:
    if lockfile == "bun.lockb":
        return []  # binary: bun itself checks it
    text = repo.read_text(lockfile, LOCKFILE_MAX_BYTES)
    if lockfile in ("package-lock.json", "npm-shrinkwrap.json"):
        return _npm_sync(text, lockfile, deps)
    if lockfile == "pnpm-lock.yaml":
        return _compare(lockfile, deps, _pnpm_root(text))
    if lockfile == "yarn.lock":
        return _yarn_sync(text, lockfile, deps, yarn_flavor is not None and yarn_flavor.value == "berry")
    if lockfile == "bun.lock":
        return _compare(lockfile, deps, _bun_root(text, lockfile))
    return []


def _show(name: str) -> str:
    """A dependency name as it may appear in a message: odd names (control characters) are repr()'d."""
    return name if _DEP_NAME.fullmatch(name) else repr(name)[:80]


def _compare(lockfile: str, deps: dict[str, str], locked: dict[str, str] | None) -> list[str]:
    if locked is None:
        return [f"{lockfile} has no root entry for the project"]
    out = []
    for name in sorted(deps):
        if name not in locked:
            out.append(f"{_show(name)} is in package.json but not in {lockfile}")
        elif locked[name] != deps[name]:
            out.append(f"{_show(name)}: package.json asks for {deps[name]!r:.60}, {lockfile} has {locked[name]!r:.60}")
    for name in sorted(set(locked) - set(deps)):
        out.append(f"{_show(name)} is in {lockfile} but no longer in package.json")
    return out


def _npm_sync(text: str, lockfile: str, deps: dict[str, str]) -> list[str]:
    data = load_json(text, lockfile)
    if not isinstance(data, dict):
        return [f"{lockfile} is not a JSON object"]
    packages = data.get("packages")
    if isinstance(packages, dict):
        root = packages.get("")
        if not isinstance(root, dict):
            return _compare(lockfile, deps, None)
        return _compare(lockfile, deps, declared_deps(root))
    # lockfileVersion 1: only names at the top level, no specifiers.
    top = data.get("dependencies")
    if not isinstance(top, dict):
        return _compare(lockfile, deps, None)
    return [f"{_show(n)} is in package.json but not in {lockfile}" for n in sorted(deps) if n not in top]


def member_sync(repo: RepoView, lockfile: str, member: str, deps: dict[str, str]) -> list[str]:
    """A workspace member's dependencies against its own entry in the root lockfile (npm's
    ``packages["apps/api"]``, pnpm's importer ``apps/api``). yarn is checked at build time only
    (berry's ``install --immutable``, classic's ``--frozen-lockfile``)."""
    if lockfile not in ("package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml"):
        return []
    text = repo.read_text(lockfile, LOCKFILE_MAX_BYTES)
    if lockfile == "pnpm-lock.yaml":
        locked = _pnpm_root(text, member)
    else:
        data = load_json(text, lockfile)
        entry = data.get("packages", {}).get(member) if isinstance(data, dict) and isinstance(
            data.get("packages"), dict) else None
        locked = declared_deps(entry) if isinstance(entry, dict) else None
    return [f"{member}: {p}" for p in _compare(lockfile, deps, locked)] if locked is not None else [
        f"{lockfile} has no entry for the workspace member {member}"]


def _pnpm_root(text: str, importer: str = ".") -> dict[str, str] | None:
    """Specifiers of an importer (the root, '.') of pnpm-lock.yaml (v6 and v9), or the v5 ``specifiers``."""
    out: dict[str, str] = {}
    block = ""  # the top-level key we are in
    root = in_section = found = seen = False
    cur: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if indent == 0:
            block = s
            found = found or s in ("importers:", "specifiers:")
            continue
        if block == "specifiers:" and indent == 2 and importer == ".":
            k, _, v = s.partition(":")
            out[_unquote(k)] = _unquote(v.strip())
        elif block != "importers:":
            continue
        elif indent == 2:
            root = s in (f"{importer}:", f"'{importer}':", f'"{importer}":')
            seen = seen or root
            in_section = False
        elif not root:
            continue
        elif indent == 4:
            in_section = s.rstrip(":") in DEP_KINDS
        elif indent == 6 and in_section:
            cur = _unquote(s.rstrip(":"))
        elif indent == 8 and in_section and cur and s.startswith("specifier:"):
            out[cur] = _unquote(s.split(":", 1)[1].strip())
    # A member's importer must be there; the root's may be implicit (v5 ``specifiers``, an empty root).
    return out if found and (seen or importer == ".") else None


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    return s


def _yarn_sync(text: str, lockfile: str, deps: dict[str, str], berry: bool) -> list[str]:
    keys: set[str] = set()
    for line in text.splitlines():
        if line and not line[0].isspace() and line.rstrip().endswith(":") and not line.startswith("#"):
            for part in line.rstrip()[:-1].split(","):
                keys.add(part.strip().strip("\"'"))
    out = []
    for name in sorted(deps):
        spec = deps[name]
        wanted = {f"{name}@{spec}"}
        if berry:
            wanted.add(f"{name}@npm:{spec}")
        if not wanted & keys:
            out.append(f"{_show(name)}@{spec!r:.60} (package.json) has no entry in {lockfile}")
    return out


def _bun_root(text: str, lockfile: str) -> dict[str, str] | None:
    # bun.lock is JSON with trailing commas.
    data = load_json(re.sub(r",(\s*[}\]])", r"\1", text), lockfile)
    ws = data.get("workspaces") if isinstance(data, dict) else None
    root = ws.get("") if isinstance(ws, dict) else None
    return declared_deps(root) if isinstance(root, dict) else None

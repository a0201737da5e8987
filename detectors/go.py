"""Go detector: go.mod, go.sum, vendor/, main packages, cgo and the listening port.

Facts only; the planner maps the Go version to an image, picks the main package and the runner.
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal

from . import go_app, go_embed, go_mod, go_services, go_work, safe, tool_versions
from .go_app import GoMain
from .errors import DockgenError, InvalidInputError
from .facts import DEFAULT, Fact, ProjectFacts, Source, default, fact
from .repo import RepoView

#: Modules that only build with cgo (they wrap a C library; most bundle its sources or need its headers).
CGO_MODULES: tuple[str, ...] = (
    "github.com/mattn/go-sqlite3",
    "github.com/confluentinc/confluent-kafka-go",
    "github.com/confluentinc/confluent-kafka-go/v2",
    "github.com/go-gl/glfw",
    "github.com/go-gl/gl",
    "github.com/h2non/bimg",
    "github.com/davidbyttow/govips/v2",
    "github.com/libgit2/git2go/v34",
    "github.com/linxGnu/grocksdb",
    "github.com/tecbot/gorocksdb",
    "github.com/ceph/go-ceph",
    "gopkg.in/gographics/imagick.v3",
    "github.com/miekg/pkcs11",
    "github.com/google/gopacket/pcap",
)

#: Directories never scanned for sources: dependencies, test data, hidden and underscore dirs.
_SKIP_DIRS = {"vendor", "testdata", "node_modules"}
#: Caps for the source scan: a repository is read, never walked without bound.
MAX_GO_FILES = 5000
MAX_DEPTH = 12
SOURCE_MAX_BYTES = 2 * 1024 * 1024

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
_IMPORT_C = re.compile(r'^import\s+"C"\s*(?://.*)?$', re.M)
_IMPORT_BLOCK = re.compile(r"^import\s*\(([^)]*)\)", re.M)
_IMPORT_C_IN_BLOCK = re.compile(r'^\s*"C"\s*(?://.*)?$', re.M)
_BUILD_IGNORE = re.compile(r"^//go:build\s+ignore\s*$", re.M)
#: Files only built for another OS (`x_darwin.go`, `x_windows_amd64.go`): not part of a Linux image.
_OTHER_OS = re.compile(r"_(aix|android|darwin|dragonfly|freebsd|illumos|ios|js|netbsd|openbsd|plan9|solaris"
                       r"|wasip1|windows)(_[a-z0-9]+)?\.go$")
#: `":8080"` or `"0.0.0.0:8080"` as a listen address, then `port := "8080"`-style defaults.
_ADDR_PORT = re.compile(r'"(?:0\.0\.0\.0|\[::\])?:(\d{2,5})"')
_VAR_PORT = re.compile(r'(?i)\bport\w*\s*(?::=|=)\s*"(\d{2,5})"')


class GoFacts(ProjectFacts):
    ecosystem: Literal["go"] = "go"
    #: go.mod `module` path.
    module: Fact[str]
    #: The Go release the build needs: the `toolchain` directive when it is newer than `go`, else `go`.
    #: None when go.mod has neither (the planner refuses that).
    go_version: Fact[str] | None
    #: go.mod `go` directive, as written.
    go_directive: Fact[str] | None
    #: go.mod `toolchain` directive without its `go` prefix.
    toolchain: Fact[str] | None = None
    #: go.mod requires at least one module.
    has_requires: Fact[bool]
    #: go.sum exists (source "go.sum") or not (source "dockgen default").
    go_sum: Fact[bool]
    #: vendor/modules.txt exists: vendor mode, no module download.
    vendored: Fact[bool]
    #: Directories of local `replace … => ./dir` targets (their go.mod is copied before the download).
    local_replaces: Fact[tuple[str, ...]]
    #: Main package directories (".", "cmd/api"), sorted.
    mains: Fact[tuple[str, ...]]
    #: cgo needed: `import "C"` in the module's sources or a require on a known cgo module.
    cgo: Fact[bool]
    port: Fact[int]
    #: Every directory of the module with a `package main` (any of them is valid for --main), sorted.
    all_mains: tuple[str, ...] = ()
    #: What each main package says about running it (port, bind, subcommand, config files), by directory.
    apps: dict[str, GoMain] = {}
    #: This module is used by a go.work above it and built from there (``go_work``).
    workspace: Fact[go_work.Work] | None = None

    def tooling_reason(self) -> str | None:
        # Beside another stack's manifest, a module with no `package main` anywhere (go.mod only pins
        # `tool` programs: searxng's shfmt) has nothing to build or run.
        if self.workspace is not None or self.all_mains or self.mains.value:
            return None
        return "go.mod is dev tooling only: no directory of the module has `package main`"

    def library_reason(self) -> str | None:
        # A go.work module without `package main` is a library its siblings import.
        if self.workspace is None or self.all_mains or self.mains.value:
            return None
        return "go.mod is a workspace library: no directory of the module has `package main`"


def _tool_pin(repo: RepoView, go_version: Fact[str] | None, warnings: list[str]) -> Fact[str] | None:
    """A Go pin in ``.tool-versions`` (``golang``) / ``mise.toml`` (``go``) acts like a toolchain line:
    it wins when its release line is newer than go.mod's; an older one is reported (the go command
    refuses a toolchain older than the go line)."""
    pins = tool_versions.requests(repo, ("golang", "go"))
    if not pins:
        return go_version
    pin = pins[0]
    value = pin.value.removeprefix("go")
    if not go_mod.GO_VERSION.fullmatch(value):
        raise InvalidInputError(f"{pin.source.field}: {pin.value[:40]!r} is not a Go release version",
                                file=pin.source.file, hint="write a Go version such as 1.26 or 1.26.1")
    tool = Fact(value=value, source=pin.source)
    if go_version is None or go_mod.version_tuple(value)[:2] > go_mod.version_tuple(go_version.value)[:2]:
        return tool
    if go_mod.version_tuple(value)[:2] < go_mod.version_tuple(go_version.value)[:2]:
        warnings.append(f"{pin.source} pins Go {value}, older than go.mod's {go_version.value} "
                        f"(from {go_version.source}): the build follows go.mod")
    return go_version


def detect(repo: RepoView) -> GoFacts | None:
    if not repo.is_file("go.mod"):
        if repo.is_file(go_work.FILE):
            go_work.refuse_root(repo, _has_main)
        return None
    mod = go_mod.parse(repo.read_text("go.mod"))
    if mod.module is None:
        raise InvalidInputError("no `module` directive", file="go.mod", hint="add `module example.com/app`")

    go_directive = fact(mod.go, "go.mod", "go") if mod.go else None
    toolchain = fact(mod.toolchain, "go.mod", "toolchain") if mod.toolchain else None
    go_version = go_directive
    if toolchain is not None and (go_directive is None or
                                  go_mod.version_tuple(toolchain.value) >= go_mod.version_tuple(go_directive.value)):
        go_version = toolchain

    warnings: list[str] = []
    go_version = _tool_pin(repo, go_version, warnings)

    has_sum = repo.is_file("go.sum")
    vendored = repo.is_file("vendor/modules.txt")
    work = go_work.member(repo)
    _check_parent_replaces(mod, work, repo.member)
    # A workspace's own modules replace what go.mod requires of them: nothing of theirs is downloaded.
    requires = list(mod.requires) if work is None else list(work.external)
    if requires and not has_sum and not vendored:
        warnings.append("go.mod requires modules but go.sum is missing: the build (-mod=readonly) fails "
                        "until you run `go mod tidy` and commit go.sum")
    for d in mod.local_replaces:
        if not repo.is_file(f"{d}/go.mod"):
            raise InvalidInputError(f"replace target ./{d} has no go.mod", file="go.mod",
                                    hint=f"add {d}/go.mod or drop the replace directive")

    sources = _go_files(repo)
    mains = _main_packages(repo, sources)
    cgo = _cgo(repo, mod, sources)
    all_mains = _all_mains(repo, sources)
    apps = {d: go_app.read_main(repo, mod.module, d, sources, lambda rel: _read(repo, rel)) for d in all_mains}
    only = default_main(mains.value, all_mains, apps)[0]
    app = apps[only].app if only in apps else None
    needs, need_warnings = go_services.detect(repo, requires, sorted(f for fs in sources.values() for f in fs),
                                              lambda rel: _read(repo, rel))
    warnings += need_warnings
    if app is not None and needs:
        app = app.model_copy(update={"services": needs})
    port = app.port[0].fact if app is not None and app.port else _port(repo, sources, mains)

    manifests = ("go.mod", "go.sum") if has_sum else ("go.mod",)
    if work is not None:  # manifests are named from the go.work directory, the build context
        manifests = go_work.manifests(work)
        go_version = _work_version(work, go_version, repo.member)
    return GoFacts(
        manifests=manifests,
        workspace=fact(work, posixpath.relpath(go_work.FILE, repo.member), "use") if work is not None else None,
        warnings=tuple(warnings),
        module=fact(mod.module, "go.mod", "module"),
        go_version=go_version,
        go_directive=go_directive,
        toolchain=toolchain,
        has_requires=fact(True, "go.mod", "require") if requires else default(False),
        go_sum=fact(True, "go.sum") if has_sum else default(False),
        vendored=fact(True, "vendor/modules.txt") if vendored else default(False),
        local_replaces=(fact(tuple(sorted(mod.local_replaces)), "go.mod", "replace") if mod.local_replaces
                        else default(())),
        mains=mains,
        cgo=cgo,
        port=port,
        all_mains=all_mains,
        apps=apps,
        served_dirs=go_embed.embedded_dirs(repo, sources, lambda rel: _read(repo, rel)),
        **({"app": app} if app is not None else {}),
    )


def _check_parent_replaces(mod: go_mod.GoMod, work: go_work.Work | None, member: str) -> None:
    """``replace … => ../lib`` builds only when the go.work the module is built with uses ``lib``
    (it is then in the build context and copied); anything else is outside what the image can see."""
    for lineno, target in mod.parent_replaces:
        where = posixpath.normpath(posixpath.join(member, target)) if work is not None else None
        if where is None or where not in work.uses:
            raise InvalidInputError(f"line {lineno}: replace points outside the module ({target})", file="go.mod",
                                    hint="vendor the module, move it inside the repository, or list it in a go.work "
                                         "above both (`use`) and run dockgen on the module")


def _has_main(repo: RepoView) -> bool:
    """A module of a go.work directory with a main package (offered by the workspace root's refusal)."""
    try:
        return repo.is_file("go.mod") and bool(_all_mains(repo, _go_files(repo)))
    except DockgenError:
        return False


def _work_version(work: go_work.Work, go_version: Fact[str] | None, member: str) -> Fact[str] | None:
    """go.work's `go` line when it is newer: the go command needs a toolchain at least that new."""
    if work.go is None or (go_version is not None and
                           go_mod.version_tuple(work.go) <= go_mod.version_tuple(go_version.value)):
        return go_version
    return fact(work.go, posixpath.relpath(go_work.FILE, member), "go")


def default_main(mains: tuple[str, ...], all_mains: tuple[str, ...],
                 apps: dict[str, GoMain]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(the main package to build, the candidates, those of them that serve).

    The candidates are the root and cmd/<name> packages, else every main package of the module (a
    library whose app lives in examples/base). One candidate is built; of several, the one package
    that serves (net/http, a router, ``.Serve(``) is preferred over CLI clients and generators, and of
    several that serve, the one package that also states a port.
    """
    candidates = mains or all_mains
    serving = tuple(d for d in candidates if d in apps and apps[d].serves is not None)
    if len(serving) > 1:
        # A generator or tool can import the module's router package too: the app also states a port.
        with_port = tuple(d for d in serving if apps[d].app.port)
        serving = with_port if len(with_port) == 1 else serving
    if len(candidates) == 1:
        return candidates[0], candidates, serving
    return (serving[0] if len(serving) == 1 else None), candidates, serving


def _go_files(repo: RepoView) -> dict[str, list[str]]:
    """Non-test .go files of this module built for Linux, by directory ("." for the root), sorted.

    The walk is bounded; vendor/, testdata/, hidden and `_` directories and nested modules are skipped.
    """
    out: dict[str, list[str]] = {}
    count = 0
    stack = [(".", 0)]
    while stack:
        d, depth = stack.pop()
        for name in repo.listdir(d):
            rel = name if d == "." else f"{d}/{name}"
            if repo.is_dir(rel):
                if depth < MAX_DEPTH and name not in _SKIP_DIRS and name[0] not in "._" \
                        and not repo.is_file(f"{rel}/go.mod"):  # a nested module is not ours
                    stack.append((rel, depth + 1))
            elif name.endswith(".go") and not name.endswith("_test.go") and not _OTHER_OS.search(name) \
                    and repo.is_file(rel):
                out.setdefault(d, []).append(rel)
                count += 1
                if count > MAX_GO_FILES:
                    raise InvalidInputError(f"more than {MAX_GO_FILES} .go files", file=".",
                                            hint="run dockgen in the Go module's root")
    return {k: sorted(v) for k, v in sorted(out.items())}


def _read(repo: RepoView, rel: str) -> str:
    return repo.read_text(rel, SOURCE_MAX_BYTES)


def _main_packages(repo: RepoView, sources: dict[str, list[str]]) -> Fact[tuple[str, ...]]:
    found: list[tuple[str, str]] = []
    for d, files in sources.items():
        if d != "." and not (d.startswith("cmd/") and d.count("/") == 1):
            continue
        for rel in files:
            text = _read(repo, rel)
            if _BUILD_IGNORE.search(text):
                continue
            m = _PACKAGE.search(text)
            if m and m.group(1) == "main":
                if d != ".":
                    safe.name(d.split("/", 1)[1], rel, "main package directory", "directory name")
                found.append((d, rel))
                break
    if not found:
        return default(())
    return fact(tuple(d for d, _ in found), Source.all(*(Source.of(rel, "package main") for _, rel in found)))


def _all_mains(repo: RepoView, sources: dict[str, list[str]]) -> tuple[str, ...]:
    out = []
    for d, files in sources.items():
        for rel in files:
            text = _read(repo, rel)
            if _BUILD_IGNORE.search(text):
                continue
            m = _PACKAGE.search(text)
            if m:
                if m.group(1) == "main":
                    try:
                        if d != ".":
                            safe.rel_path(d, rel, "main package directory")
                    except InvalidInputError:
                        break
                    out.append(d)
                break
    return tuple(sorted(out))


def _imports_c(text: str) -> bool:
    if _IMPORT_C.search(text):
        return True
    return any(_IMPORT_C_IN_BLOCK.search(block) for block in _IMPORT_BLOCK.findall(text))


def _cgo(repo: RepoView, mod: go_mod.GoMod, sources: dict[str, list[str]]) -> Fact[bool]:
    for req in mod.requires:
        if req in CGO_MODULES:
            return fact(True, "go.mod", f"require {req}")
    for files in sources.values():
        for rel in files:
            text = _read(repo, rel)
            if not _BUILD_IGNORE.search(text) and _imports_c(text):
                return fact(True, rel, 'import "C"')
    return default(False)


def _port(repo: RepoView, sources: dict[str, list[str]], mains: Fact[tuple[str, ...]]) -> Fact[int]:
    dirs = list(mains.value) or ["."]
    for d in dirs:
        for rel in sources.get(d, []):
            text = _read(repo, rel)
            for pattern in (_ADDR_PORT, _VAR_PORT):
                m = pattern.search(text)
                if m:
                    return fact(safe.port(m.group(1), rel, "listen port"), rel)
    return default(8080)


__all__ = ["GoFacts", "detect", "default_main", "CGO_MODULES", "DEFAULT"]

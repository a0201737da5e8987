"""Node: an Nx workspace's built entry, read from the project's ``project.json`` build target.

Nx apps start with ``nx serve`` (a development server that rebuilds and restarts; ``nx`` is a
devDependency the runner does not have). Their maintainers build with ``nx build`` and run the
build output with ``node``. The file node runs is derived from the build target's options (merged
with its ``defaultConfiguration``), per executor:

  - ``@nx/esbuild:esbuild``: ``<outputPath>/<outputFileName or main's name><ext>``; ext ``.js`` for
    esm, ``.cjs`` for cjs unless ``esbuildOptions.outExtension`` keeps ``.js`` (with ``bundle: false``
    Nx still writes that entry file for node/cjs builds; for esm it does not, so that case is unknown);
  - ``@nx/webpack:webpack`` (and ``@nx/node:webpack``): ``<outputPath>/<outputFileName or main.js>``;
  - ``@nx/js:tsc`` / ``@nx/js:swc``: ``<outputPath>/<main relative to the project root>.js``.
Anything else is reported as unknown (``problem``), and the planner refuses with the choices rather
than run the development server. Only the workspace root's project, or the project that ``nx serve
<name>`` names under ``apps/`` or ``packages/``, is read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from . import safe
from .errors import InvalidInputError
from .facts import Candidate, Fact, Source, fact
from .parsing import load_json
from .repo import RepoView

_SERVE = re.compile(r"\bnx\s+(?:serve(?:\s+([A-Za-z0-9_.][A-Za-z0-9_.-]*))?|run\s+([A-Za-z0-9_.][A-Za-z0-9_.-]*):serve)\b")
#: A project name that may appear in ``nx build <name>`` (run without a shell).
_PROJECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_ESBUILD = ("@nx/esbuild:esbuild", "@nrwl/esbuild:esbuild")
_WEBPACK = ("@nx/webpack:webpack", "@nrwl/webpack:webpack", "@nx/node:webpack", "@nrwl/node:webpack")
_TSC = ("@nx/js:tsc", "@nrwl/js:tsc", "@nx/js:swc", "@nrwl/js:swc")


@dataclass(frozen=True)
class NxEntry:
    #: ``("node", "<outputPath>/main.js")`` (derived from the build target), or None with ``problem`` set.
    start: Candidate[tuple[str, ...]] | None
    #: The build target's outputPath: the only folder the runner needs from the build stage.
    out_dir: Fact[str] | None
    #: The TypeScript/JavaScript source of the entry (read for the port), e.g. ``src/main.ts``.
    source_file: str | None
    #: The project name (``nx build <name>`` when package.json has no build script).
    project: str
    #: Why the built entry is unknown ("" when ``start`` is set).
    problem: str = ""


def build_words(entry: NxEntry) -> tuple[str, ...] | None:
    """``("bin", "nx", "build", <project>)`` for a workspace without a build script (None: unsafe name)."""
    return ("bin", "nx", "build", entry.project) if _PROJECT.match(entry.project) else None


def is_nx(repo: RepoView, pkg: dict) -> bool:
    deps = {**_section(pkg, "dependencies"), **_section(pkg, "devDependencies")}
    return "nx" in deps and (repo.is_file("nx.json") or repo.is_file("project.json"))


def serve_project(script: str) -> str | None:
    """``nx serve api`` → "api"; ``nx serve`` → "" (the default project); None when not an nx serve."""
    m = _SERVE.search(script)
    if m is None:
        return None
    return m.group(1) or m.group(2) or ""


def built_entry(repo: RepoView, project: str) -> NxEntry | None:
    """The built entry of ``project`` ("" = the workspace root's project.json), or None without one."""
    path = _project_file(repo, project)
    if path is None:
        return None
    data = load_json(repo.read_text(path), path)
    targets = data.get("targets") if isinstance(data, dict) else None
    name = data.get("name") if isinstance(data, dict) and isinstance(data.get("name"), str) else project
    root = posixpath.dirname(path)
    target = _build_target_name(targets, name)
    build = targets.get(target) if isinstance(targets, dict) else None
    if not isinstance(build, dict):
        return NxEntry(None, None, None, name, f"{path} has no targets.{target}")
    opts = _merged_options(build)
    executor = build.get("executor") if isinstance(build.get("executor"), str) else ""
    src = Source.of(path, f"targets.{target} ({executor or 'no executor'})")
    out = opts.get("outputPath")
    main = opts.get("main")
    if not isinstance(out, str) or not isinstance(main, str):
        return NxEntry(None, None, None, name, f"{src} sets no outputPath and main")
    out_dir = safe.rel_path(out, path, f"targets.{target}.options.outputPath")
    main = safe.rel_path(main, path, f"targets.{target}.options.main")
    file = _output_file(executor, opts, main, root)
    if file is None:
        return NxEntry(None, fact(out_dir, src), main, name,
                       f"{src}: dockgen does not know which file this executor writes for main {main}")
    target_file = safe.rel_path(f"{out_dir}/{file}", path, f"targets.{target}.options.outputPath")
    return NxEntry(Candidate(value=("node", target_file), evidence=src.plus("outputPath + main"),
                             confidence="derived"), fact(out_dir, src), main, name)


def _section(pkg: dict, key: str) -> dict:
    v = pkg.get(key)
    return v if isinstance(v, dict) else {}


def _project_file(repo: RepoView, project: str) -> str | None:
    candidates = ["project.json"] if not project else [f"apps/{project}/project.json",
                                                         f"packages/{project}/project.json", "project.json"]
    for path in candidates:
        if not repo.is_file(path):
            continue
        if project and path == "project.json":
            try:
                data = load_json(repo.read_text(path), path)
            except InvalidInputError:
                return None
            if not isinstance(data, dict) or data.get("name") != project:
                return None
        return path
    return None


def _build_target_name(targets: object, project: str) -> str:
    """The target ``serve`` builds (``options.buildTarget: "api:build"``), else ``build``."""
    serve = targets.get("serve") if isinstance(targets, dict) else None
    opts = serve.get("options") if isinstance(serve, dict) else None
    ref = opts.get("buildTarget") if isinstance(opts, dict) else None
    if isinstance(ref, str) and ref.count(":") >= 1:
        proj, target = ref.split(":")[:2]
        if proj == project and re.fullmatch(r"[A-Za-z0-9_.-]+", target):
            return target
    return "build"


def _merged_options(build: dict) -> dict:
    """``options`` overlaid with the ``defaultConfiguration``'s (what ``nx build`` uses)."""
    opts = dict(build.get("options") or {}) if isinstance(build.get("options"), dict) else {}
    configs = build.get("configurations") if isinstance(build.get("configurations"), dict) else {}
    conf = configs.get(build.get("defaultConfiguration")) if isinstance(build.get("defaultConfiguration"), str) else None
    if isinstance(conf, dict):
        for k, v in conf.items():
            if isinstance(v, dict) and isinstance(opts.get(k), dict):
                opts[k] = {**opts[k], **v}
            else:
                opts[k] = v
    return opts


def _output_file(executor: str, opts: dict, main: str, root: str) -> str | None:
    stem = posixpath.splitext(posixpath.basename(main))[0]
    named = opts.get("outputFileName")
    if executor in _WEBPACK:
        return named if isinstance(named, str) else "main.js"
    if executor in _TSC:
        rel = posixpath.relpath(main, root or ".")
        return None if rel.startswith("..") else posixpath.splitext(rel)[0] + ".js"
    if executor not in _ESBUILD:
        return None
    formats = opts.get("format") if isinstance(opts.get("format"), list) else ["esm"]
    fmt = "esm" if "esm" in formats or not formats else "cjs"
    if opts.get("bundle") is False and not (fmt == "cjs" and opts.get("platform", "node") == "node"):
        return None
    ext_opts = opts.get("esbuildOptions") if isinstance(opts.get("esbuildOptions"), dict) else {}
    user_ext = (ext_opts.get("outExtension") or {}).get(".js") if isinstance(ext_opts.get("outExtension"), dict) else None
    ext = {("cjs", ".js"): ".js", ("esm", ".mjs"): ".mjs"}.get((fmt, user_ext), ".js" if fmt == "esm" else ".cjs")
    base = posixpath.splitext(named)[0] if isinstance(named, str) else stem
    return base + ext

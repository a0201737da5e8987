"""Python detector: manifests, lockfile → package manager, interpreter version, how the app starts.

A Python project is a directory with a requirements*.txt, a pyproject.toml, a Pipfile or a
setup.py. Every fact carries its source. Facts only: choosing the command, the runner and the
image is the planner's job (``generator/python_plan.py``).

Package manager (first lockfile found wins; the others are reported as a warning):
``uv.lock`` → uv, ``poetry.lock`` → poetry, ``pdm.lock`` → pdm, ``Pipfile.lock`` → pipenv, a
requirements file → pip, a pyproject.toml alone → pip installing the project (no lock: a warning).

Python version precedence: see ``python_version`` (``.python-version`` > ``runtime.txt`` >
``Pipfile [requires]`` > ``requires-python`` > Poetry's ``python`` dependency > catalog default).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from . import python_app as app
from . import python_django as django
from . import python_entry as entry
from . import python_lock as pylock
from . import python_start as start
from . import python_static
from . import python_services
from . import python_reqs as reqs
from . import python_version as pv
from . import python_wheels as wheels
from . import python_workspace as pyws
from . import safe
from .errors import DockgenError, InvalidInputError
from .facts import AppFacts, Candidate, Fact, ProjectFacts, Source, Unpinned, fact, unique_values
from .parsing import load_toml
from .repo import RepoView

Manager = Literal["pip", "uv", "poetry", "pdm", "pipenv"]
Framework = Literal["django", "fastapi", "flask", "quart", "starlette", "litestar"]
#: Lockfile → manager, in precedence order.
LOCKFILES: tuple[tuple[str, Manager], ...] = (
    ("uv.lock", "uv"), ("poetry.lock", "poetry"), ("pdm.lock", "pdm"), ("Pipfile.lock", "pipenv"))


class PythonFacts(ProjectFacts):
    ecosystem: Literal["python"] = "python"
    manager: Fact[Manager]
    lockfile: Fact[str] | None = None
    requirements: Fact[str] | None = None
    #: Every requirement is pinned with == or hashed (requirements files only).
    requirements_pinned: Fact[bool] | None = None
    #: --hash present → pip install --require-hashes.
    requirements_hashed: Fact[bool] | None = None
    #: Requirements that are neither pinned nor hashed (shown as "requirements.txt line 3: flask>=2").
    unpinned: tuple[Unpinned, ...] = ()
    name: Fact[str] | None = None
    version: Fact[str] | None = None
    description: Fact[str] | None = None
    license: Fact[str] | None = None
    #: The interpreter request that wins the precedence (exact "3.11" or a specifier ">=3.11").
    python_version: Fact[str] | None = None
    #: requires-python (or Poetry's python range), kept to check a pinned version against it.
    python_range: Fact[str] | None = None
    #: Direct dependency names (canonical, sorted).
    dependencies: Fact[tuple[str, ...]] | None = None
    #: Every package the production install brings (the lock's production set; without a lock,
    #: the direct requirements and what well-known extras bring), canonical and sorted.
    installed: Fact[tuple[str, ...]] | None = None
    #: ``--group docker`` / ``--extra webserver``: the deployment group or extra that holds the
    #: server, installed with the main dependencies (uv.lock).
    install_selection: Fact[str] | None = None
    #: Locked packages without a pure-Python wheel, with the Linux wheels the lock names for them
    #: (``python_wheels``): they decide the interpreter and whether anything compiles. None: the
    #: install names no files (plain requirements, Pipfile.lock).
    binary_dists: Fact[tuple[wheels.LockedDist, ...]] | None = None
    #: Exact ``==`` pins of the requirements files (name, version), when no lock names files: the
    #: planner checks them against the catalog's wheel floors (``python_wheel_floors.toml``).
    pins: Fact[tuple[tuple[str, str], ...]] | None = None
    #: [project] dependencies are listed in pyproject.toml (not ``dynamic``), so they can be
    #: installed without building the project.
    static_deps: Fact[bool] | None = None
    #: Django's static files to collect at build time (STATIC_ROOT and what the step needs).
    collectstatic: Fact[django.StaticBuild] | None = None
    #: pyproject.toml has a [build-system] / is a package: it can be installed itself.
    installable: Fact[bool] | None = None
    #: [project.scripts]: (name, "module:attr") pairs, sorted.
    scripts: Fact[tuple[tuple[str, str], ...]] | None = None
    procfile_web: Fact[tuple[str, ...]] | None = None
    #: Procfile ``web:`` steps that run before the server (migrations): not run by the image.
    release_steps: Fact[tuple[str, ...]] | None = None
    #: Server commands the install provides (from the lockfile, extras included), sorted.
    servers: Fact[tuple[str, ...]] | None = None
    #: The port of a uwsgi ini's ``socket =`` (the uwsgi protocol, for a proxy; not HTTP): the HTTP
    #: port the image publishes must be another one.
    uwsgi_socket: Fact[int] | None = None
    #: Variables that move data the app writes next to its code into a data directory, with their value
    #: in the image: ("DATABASE_URL", "sqlite:////data/app.db") for a SQLite fallback built from ``__file__``.
    data_env: tuple[Candidate[tuple[str, str]], ...] = ()
    #: Entry points found that cannot run as they are (no server installed, a CLI group without a
    #: server command): the error when no start candidate is left.
    start_refusals: tuple[Fact[str], ...] = ()
    framework: Fact[Framework] | None = None
    #: The framework's application object: "app:app", "mysite.wsgi:application".
    app_object: Fact[str] | None = None
    #: Directory (relative to the root) to put on the import path for app_object/main_package.
    app_dir: Fact[str] | None = None
    main_package: Fact[str] | None = None
    main_file: Fact[str] | None = None
    #: This project is a member of a uv workspace built from the workspace root (``python_workspace``).
    workspace: Fact[pyws.Member] | None = None
    #: This project is a uv workspace root: its members that start an app (``dockgen init <member>``).
    workspace_members: Fact[tuple[str, ...]] | None = None

    def has_app(self) -> bool:
        """Something here starts: a start command, a framework app, a script, a main module."""
        return bool(self.app.start or self.procfile_web or self.scripts or self.framework or self.app_object
                    or self.main_package or self.main_file or self.start_refusals)

    def tooling_reason(self) -> str | None:
        if self.has_app():
            return None
        if self.workspace_members is not None:
            # Alone, the planner refuses it naming the members; beside another stack's app, it is ignored.
            listed = self.workspace_members.value
            return (f"{self.workspace_members.source.file}: a uv workspace root with no app of its own"
                    + (f" (build a member: dockgen init {listed[0]})" if listed else ""))
        files = ", ".join(self.manifests) or "the Python manifests"
        return (f"{files}: Python dev tooling only: no web app, framework, console script, Procfile "
                "or main module")


@dataclass(frozen=True)
class Pyproject:
    """What pyproject.toml adds beyond its own facts (which ``_pyproject`` reports directly)."""

    #: Canonical names of [project] dependencies and Poetry's dependencies.
    dep_names: tuple[str, ...]
    #: [project] dependencies as written (checked for pins when there is no lockfile).
    dep_specs: tuple[str, ...]
    #: (name, extras) of [project] dependencies: ``fastapi[standard]`` brings uvicorn.
    dep_extras: tuple[tuple[str, tuple[str, ...]], ...]
    requires_python: Fact[str] | None
    poetry_python: Fact[str] | None
    #: What the production install starts from: (name, extras, marker or None) of [project]
    #: dependencies and Poetry's non-optional main dependencies.
    main_roots: tuple[tuple[str, tuple[str, ...], str | None], ...] = ()
    #: [project] dependencies are listed (not ``dynamic``): they can be installed without the project.
    static_deps: bool = False


@dataclass(frozen=True)
class Pipfile:
    dep_names: tuple[str, ...]
    python: Fact[str] | None


def is_python(repo: RepoView) -> bool:
    """A Python project: dependency files, or a pyproject.toml that declares a project.

    A pyproject.toml holding only tool settings ([tool.black], [tool.ruff]) in, say, a Node
    repository does not make it a Python project.
    """
    if any(repo.is_file(f) for f in ("Pipfile", "setup.py", *(f for f, _ in LOCKFILES))):
        return True
    if reqs.find_file(repo) is not None or repo.glob_files("requirements*.txt"):
        return True
    text = repo.read_text_if_exists("pyproject.toml")
    if text is None:
        return False
    data = load_toml(text, "pyproject.toml")
    tool = data.get("tool", {})
    return "project" in data or (isinstance(tool, dict) and "poetry" in tool)


def detect(repo: RepoView) -> PythonFacts | None:
    if not is_python(repo):
        return None
    d: dict[str, Any] = {}  # PythonFacts fields
    warnings: list[str] = []
    manifests: list[str] = []
    pyproject = _pyproject(repo, d)
    if pyproject is not None:
        manifests.append("pyproject.toml")
    names: list[str] = list(pyproject.dep_names) if pyproject else []
    pipfile: Pipfile | None = None

    member = pyws.member(repo)
    # A workspace member installs from the root's uv.lock (read through repo.context).
    lock_repo, at = (repo.context, member.dir) if member else (repo, ".")
    locks = [(pyws.LOCK, "uv")] if member else [(f, mgr) for f, mgr in LOCKFILES if repo.is_file(f)]
    if locks:
        lock, mgr = locks[0]
        shown = posixpath.relpath(lock, at)  # ../uv.lock for a member
        d["lockfile"] = fact(lock, shown)
        d["manager"] = fact(mgr, shown)
        manifests.append(lock)
        if len(locks) > 1:
            warnings.append(f"several lockfiles ({', '.join(f for f, _ in locks)}): {lock} was used")
        if mgr in ("uv", "poetry", "pdm") and pyproject is None:
            raise InvalidInputError(f"{lock} without a pyproject.toml", file=lock,
                                    hint="commit the pyproject.toml the lock was made from")
        if mgr == "pipenv":
            manifests.append("Pipfile")
            pipfile = _pipfile(repo)
            names += pipfile.dep_names
        if mgr == "poetry" and repo.is_file("poetry.toml"):
            manifests.append("poetry.toml")
    elif repo.is_file("Pipfile"):
        raise InvalidInputError("Pipfile without Pipfile.lock", file="Pipfile",
                                hint="run `pipenv lock` and commit Pipfile.lock")

    req_file = reqs.find_file(repo)
    req_extras: list[tuple[str, tuple[str, ...]]] = list(pyproject.dep_extras) if pyproject else []
    if req_file and not locks:
        info = reqs.parse(repo, req_file)
        req_extras += info.extras
        d["manager"] = fact("pip", req_file)
        d["requirements"] = fact(req_file, req_file)
        d["requirements_pinned"] = fact(not info.unpinned, req_file)
        d["requirements_hashed"] = fact(info.hashed, req_file)
        manifests += info.files
        names += info.names
        d["unpinned"] = tuple(info.unpinned)
        for u in info.unpinned:
            warnings.append(f"unpinned requirement, {u} (pin it with == or add --hash)")
        if info.hashed and info.unhashed:
            warnings.append(f"{req_file}: --hash is present but {', '.join(sorted(info.unhashed)[:5])} "
                            "have none: pip --require-hashes will refuse the install")
        if info.local:
            warnings.append(f"{req_file}: local paths or editables ({', '.join(info.local[:3])}) "
                            "are installed from the build context")
    elif "manager" not in d:
        if pyproject is None and not repo.is_file("setup.py"):
            raise InvalidInputError("no requirements.txt, pyproject.toml or lockfile to install from",
                                    file=req_file or "requirements.txt",
                                    hint="add requirements.txt with pinned versions")
        d["manager"] = fact("pip", "pyproject.toml" if pyproject is not None else "setup.py")
        warnings.append("no lockfile: pip resolves pyproject.toml's dependencies at build time "
                        "(lock them with uv, poetry or pdm for reproducible builds)")
        where = Source.of("pyproject.toml", "[project] dependencies")
        unpinned = [Unpinned(source=where, spec=r, name=canonicalize_name(req.name))
                    for r in (pyproject.dep_specs if pyproject else ()) if not reqs.is_pinned(req := Requirement(r))]
        d["unpinned"] = tuple(unpinned)
        warnings += [f"unpinned requirement, {u}" for u in unpinned]

    _versions(repo, d, pyproject, pipfile)
    if names:
        d["dependencies"] = fact(tuple(sorted(set(names))), _deps_source(d))
    roots = pyproject.main_roots if pyproject else ()
    installed = pylock.from_lock(lock_repo, locks[0][0], d["name"].value if d.get("name") else None,
                                 tuple((n, e) for n, e, _ in roots), at=at) if locks else None
    if installed is None:
        direct = list(req_extras) + [(n, ()) for n in names]
        installed = pylock.from_requirements(direct, d["requirements"].value if d.get("requirements")
                                           else (locks[0][0] if locks else "pyproject.toml"))
    if installed is not None and locks and locks[0][0] == "uv.lock":
        installed = _server_selection(lock_repo, d, installed, at)
    d["installed"] = fact(tuple(sorted(installed.names)), installed.file)
    if locks:
        dists = wheels.from_lock(lock_repo, locks[0][0], installed.names, [(n, m) for n, _, m in roots], at)
        if dists is not None:
            d["binary_dists"] = fact(dists, locks[0][0], "(files)")
    elif d.get("requirements") and info.urls:
        d["binary_dists"] = fact(wheels.from_urls(info.urls), req_file, "(direct references)")
    elif d.get("requirements") and info.pins:
        d["pins"] = fact(tuple(sorted(set(info.pins))), req_file, "== pins")
    if pyproject is not None:
        d["static_deps"] = fact(pyproject.static_deps, "pyproject.toml", "[project] dependencies")
    _entry(repo, d, set(names), warnings, installed)
    manifests += _workspace(repo, d, member)
    return PythonFacts(manifests=tuple(dict.fromkeys(manifests)), warnings=tuple(warnings), **d)


def _workspace(repo: RepoView, d: dict[str, Any], member: pyws.Member | None) -> list[str]:
    """uv workspace facts, and the manifests uv needs to check the root's lock: the root's pyproject.toml
    and uv.lock and every member's pyproject.toml (paths relative to the workspace root, the context)."""
    if member is not None:
        d["workspace"] = fact(member, posixpath.relpath(pyws.PYPROJECT, member.dir), "[tool.uv.workspace] members")
        return [pyws.PYPROJECT, pyws.LOCK, *(f"{m}/{pyws.PYPROJECT}" for m in member.members)]
    listed = pyws.members(repo.root) if not repo.member else ()
    if not listed:
        return []
    serving = []
    for m in listed:
        try:
            found = detect(RepoView(repo.root / m, context=repo))
        except DockgenError:
            continue  # a member that cannot be read is not offered; `dockgen init` there says why
        if found is not None and found.has_app():
            serving.append(m)
    d["workspace_members"] = fact(tuple(serving), pyws.PYPROJECT, "[tool.uv.workspace] members")
    return [f"{m}/{pyws.PYPROJECT}" for m in listed]


def _deps_source(d: dict[str, Any]) -> Source:
    if d.get("requirements"):
        return Source.of(d["requirements"].value)
    if d["manager"].value == "pipenv":
        return Source.of("Pipfile", "[packages]")
    return Source.of("pyproject.toml", "[project] dependencies")


def _pyproject(repo: RepoView, d: dict[str, Any]) -> Pyproject | None:
    """pyproject.toml's own facts go into ``d``; the rest is returned."""
    text = repo.read_text_if_exists("pyproject.toml")
    if text is None:
        return None
    data = load_toml(text, "pyproject.toml")
    project = data.get("project", {})
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise InvalidInputError("[tool] must be a table", file="pyproject.toml")
    poetry = tool.get("poetry", {})
    if not isinstance(project, dict) or not isinstance(poetry, dict):
        raise InvalidInputError("[project] must be a table", file="pyproject.toml")
    src = "[project]" if project else "[tool.poetry]"
    meta = project or poetry
    F = "pyproject.toml"
    if meta.get("name") is not None:
        d["name"] = fact(safe.name(meta["name"], F, f"{src} name"), F, f"{src} name")
    if isinstance(meta.get("version"), str):
        d["version"] = fact(safe.version(meta["version"], F, f"{src} version"), F, f"{src} version")
    if isinstance(meta.get("description"), str) and meta["description"].strip():
        d["description"] = fact(safe.label_text(meta["description"], F, f"{src} description"),
                                F, f"{src} description")
    lic = meta.get("license")
    if isinstance(lic, dict):
        lic = lic.get("text")
    if isinstance(lic, str) and lic.strip():
        d["license"] = fact(safe.label_text(lic, F, f"{src} license", 100), F, f"{src} license")
    requires_python = poetry_python = None
    if "requires-python" in project:
        rp = project["requires-python"]
        if not isinstance(rp, str):
            raise InvalidInputError("[project] requires-python must be a string", file=F)
        requires_python = fact(pv.specifier(rp, F, "[project] requires-python"), F, "[project] requires-python")
    pdeps = poetry.get("dependencies", {})
    if isinstance(pdeps, dict) and isinstance(pdeps.get("python"), str):
        poetry_python = fact(pv.poetry_range(pdeps["python"], F, "[tool.poetry.dependencies] python"),
                             F, "[tool.poetry.dependencies] python")
    deps = project.get("dependencies", [])
    if not isinstance(deps, list) or not all(isinstance(x, str) for x in deps):
        raise InvalidInputError("[project] dependencies must be a list of strings", file=F)
    names = []
    extras = []
    roots = []
    for spec in deps:
        try:
            r = Requirement(spec)
            names.append(canonicalize_name(r.name))
            extras.append((canonicalize_name(r.name), tuple(sorted(r.extras))))
            roots.append((canonicalize_name(r.name), tuple(sorted(r.extras)), str(r.marker) if r.marker else None))
        except InvalidRequirement as exc:
            raise InvalidInputError(f"[project] dependencies: {spec!r} is invalid ({exc})", file=F) from None
    if isinstance(pdeps, dict):
        names += [canonicalize_name(k) for k in pdeps if k.lower() != "python"]
    raw_scripts = project.get("scripts", {}) or {}
    if not isinstance(raw_scripts, dict):
        raise InvalidInputError("[project.scripts] must be a table of name = \"module:function\"", file=F)
    scripts = dict(raw_scripts)
    s_src = Source.of(F, "[project.scripts]")
    if not scripts and isinstance(poetry.get("scripts"), dict):
        scripts = {k: v for k, v in poetry["scripts"].items() if isinstance(v, str)}
        s_src = Source.of(F, "[tool.poetry.scripts]")
    if scripts:
        pairs = []
        for k, v in sorted(scripts.items()):
            safe.name(k, F, "script name")
            if not isinstance(v, str):
                raise InvalidInputError(f"script {k!r} must be a 'module:function' string", file=F)
            mod, attr = safe.python_object_ref(v.split("[", 1)[0].strip(), F, f"script {k}")
            pairs.append((k, f"{mod}:{attr}"))
        d["scripts"] = fact(tuple(pairs), s_src)
    has_build = isinstance(data.get("build-system"), dict)
    package_mode = poetry.get("package-mode", True) is not False
    if project or poetry:
        d["installable"] = fact(bool(has_build and package_mode), F, "[build-system]")
    if isinstance(pdeps, dict):
        extras += [(canonicalize_name(k), tuple(v.get("extras", ()))) for k, v in pdeps.items()
                   if isinstance(v, dict) and isinstance(v.get("extras"), list)]
    if isinstance(pdeps, dict):
        roots += _poetry_roots(pdeps)
    dynamic = project.get("dynamic", [])
    static = "dependencies" in project and not (isinstance(dynamic, list) and "dependencies" in dynamic)
    return Pyproject(dep_names=tuple(names), dep_specs=tuple(deps), dep_extras=tuple(extras), requires_python=requires_python,
                     poetry_python=poetry_python, main_roots=tuple(roots), static_deps=static)


def _poetry_roots(pdeps: dict) -> list[tuple[str, tuple[str, ...], str | None]]:
    """Poetry's main dependencies that a plain install brings (optional ones only come with extras)."""
    out = []
    for k, v in pdeps.items():
        if k.lower() == "python":
            continue
        entries = v if isinstance(v, list) else [v]
        if all(isinstance(e, dict) and e.get("optional") for e in entries):
            continue
        extras = tuple(sorted({x for e in entries if isinstance(e, dict) and isinstance(e.get("extras"), list)
                               for x in e["extras"] if isinstance(x, str)}))
        out.append((canonicalize_name(k), extras, wheels.any_of(wheels.poetry_markers(v))))
    return out


def _pipfile(repo: RepoView) -> Pipfile:
    data = load_toml(repo.read_text("Pipfile"), "Pipfile")
    req = data.get("requires", {})
    python = None
    for key in ("python_full_version", "python_version"):
        if isinstance(req, dict) and isinstance(req.get(key), str):
            python = fact(pv.exact(req[key], "Pipfile", f"[requires] {key}"), "Pipfile", f"[requires] {key}")
            break
    pk = data.get("packages", {})
    return Pipfile(dep_names=tuple(canonicalize_name(k) for k in pk) if isinstance(pk, dict) else (), python=python)


def _versions(repo: RepoView, d: dict[str, Any], pyproject: Pyproject | None, pipfile: Pipfile | None) -> None:
    pvf, pvf_file = repo.read_text_if_exists(".python-version"), ".python-version"
    if pvf is None and repo.member:  # uv reads a workspace member's version from the workspace root too
        pvf, pvf_file = repo.context.read_text_if_exists(".python-version"), posixpath.relpath(".python-version", repo.member)
    rt = repo.read_text_if_exists("runtime.txt")
    candidates = [
        fact(v, pvf_file) if pvf and (v := pv.python_version_file(pvf)) else None,
        pv.tool_pin(repo),
        fact(v, "runtime.txt") if rt and (v := pv.runtime_txt(rt)) else None,
        pipfile.python if pipfile else None,
        pyproject.requires_python if pyproject else None,
        pyproject.poetry_python if pyproject else None,
    ]
    chosen = pv.choose(candidates)
    if chosen is not None:
        d["python_version"] = chosen
    rng = (pyproject.requires_python or pyproject.poetry_python) if pyproject else None
    if rng is not None:
        d["python_range"] = rng


#: Conventional port of each server when the app states none (dockgen passes it explicitly).
SERVER_DEFAULT_PORT = {"gunicorn": 8000, "uvicorn": 8000, "hypercorn": 8000, "daphne": 8000, "granian": 8000,
                       "waitress-serve": 8080, "uwsgi": 8000, "fastapi": 8000}


def _server_selection(repo: RepoView, d: dict, installed: pylock.Installed, at: str = ".") -> pylock.Installed:
    """No server in the main dependencies but one in a group or extra meant for deployment
    (wger's ``docker`` group holds gunicorn, paperless-ngx's ``webserver`` extra granian): that
    selection is installed too, and named in ``install_selection``."""
    servers = {p for pkgs in start.SERVER_PACKAGES.values() for p in pkgs}
    if servers & installed.names:
        return installed
    project = d["name"].value if d.get("name") else None
    for sel, names in pylock.uv_selections(repo, project, at):
        if servers & names:
            wider = pylock.from_lock(repo, "uv.lock", project, selected=(sel,), at=at)
            if wider is None:
                return installed
            table = "[dependency-groups]" if sel.kind == "group" else "[project.optional-dependencies]"
            d["install_selection"] = fact(sel.flag, "pyproject.toml", f"{table} {sel.name}")
            return wider
    return installed


def _entry(repo: RepoView, d: dict[str, Any], deps: set[str], warnings: list[str],
           installed: pylock.Installed) -> None:
    dep_src = d["dependencies"].source if "dependencies" in d else Source.default("dependencies")
    every = set(deps) | set(installed.names)
    frameworks = [f for f in ("fastapi", "flask", "quart", "starlette", "litestar") if f in deps] + \
                 [f for f in ("fastapi", "flask", "quart", "starlette", "litestar") if f in every and f not in deps]
    if "fastapi" in frameworks and "starlette" in frameworks:
        frameworks.remove("starlette")
    if "quart" in frameworks and "flask" in frameworks and "flask" not in deps:
        frameworks.remove("flask")
    servers = sorted({cmd for cmd, pkgs in start.SERVER_PACKAGES.items() if any(p in installed.names for p in pkgs)})
    if servers:
        vias = sorted({installed.via[p] for cmd in servers for p in start.SERVER_PACKAGES[cmd] if p in installed.via})
        d["servers"] = fact(tuple(servers), Source.of(installed.file, f"(via {', '.join(vias)})" if vias else None))
    src = app.Sources(repo)
    d["served_dirs"] = python_static.static_dirs(src.read())
    warnings += app.pkg_resources_without_setuptools(src, installed.names)
    dj = entry.django(repo) if "django" in every else None
    if dj is not None:
        d["collectstatic"] = django.static_build(repo, dj, warnings)
    pkg = entry.main_package(repo)
    scripts = d["scripts"].value if d.get("scripts") else ()
    st = start.find(repo, src, installed.names, frameworks, dj, scripts, d["name"].value if d.get("name") else None,
                    pkg, dep_src)
    warnings += st.warnings
    for key in ("framework", "app_object", "app_dir", "procfile_web", "release_steps", "uwsgi_socket"):
        if getattr(st, key) is not None:
            d[key] = getattr(st, key)
    if st.refusals:
        d["start_refusals"] = tuple(st.refusals)
    if pkg:
        d["main_package"] = fact(pkg[0], f"{pkg[1] + '/' if pkg[1] else ''}{pkg[0]}/__main__.py")
        if pkg[1] and "app_dir" not in d:
            d["app_dir"] = fact(pkg[1], d["main_package"].source)
    for f in ("main.py", "app.py"):
        if repo.is_file(f):
            d["main_file"] = fact(f, f)
            break
    top = st.candidates[0].value if st.candidates else None
    heard = app.listen(src, st.entry_file, run_calls=not (top and start.server_of(top)))
    ports = list(st.ports.get(top, [])) if top else []
    # The repository's start script runs the same server with a port: the maintainers' deployment.
    app_dir = d["app_dir"].value if "app_dir" in d else None
    script_port = start.start_script_port(repo, server, app_dir) if top and (server := start.server_of(top)) else None
    ports += ([script_port] if script_port else []) + heard.port
    if top:
        head = top[0]
        if head in SERVER_DEFAULT_PORT and "@PORT@" in " ".join(top):
            ports.append(Candidate(value=SERVER_DEFAULT_PORT[head], confidence="derived",
                                   evidence=Source.default(f"{head}'s default; dockgen passes it on the command line")))
        elif head in ("gunicorn",) and not st.ports.get(top):
            ports.append(Candidate(value=8000, confidence="derived",
                                   evidence=Source.default("gunicorn's default, given as $PORT (gunicorn reads it, dockgen sets it)")))
    bind = ([st.cli_bind] if st.cli_bind else []) + heard.bind
    writes = app.writable(src, warnings, st.writes)
    writable = list(st.writable) + writes.dirs
    if writes.env:
        d["data_env"] = tuple(writes.env)
    needs, need_warnings = python_services.detect(repo, installed.names, installed.file, installed.via, src.read())
    warnings += need_warnings
    d["app"] = AppFacts(start=tuple(st.candidates), port=tuple(unique_values(ports)), port_env=tuple(heard.port_env),
                        bind=tuple(bind), bind_env=tuple(heard.bind_env), health_path=tuple(app.health_paths(src)),
                        writable=tuple(unique_values(writable)), services=needs)


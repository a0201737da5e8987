"""The stack registry: the one place that knows which stacks dockgen supports.

A stack is defined by its planner module, ``generator/<name>_plan.py``, as a module-level
``STACK = StackDef(...)`` naming its detector, its planner and the manifests it claims. From the
name follow the rest: the version option (``--<name>-version``, ``[versions] <name>``), and the
catalog section (``[<name>]`` in ``catalog.toml``). The CLI, config validation, catalog loading,
``plan``, ``pin`` and ``verify`` all read this registry; adding a stack is a detector module, a
planner module, a catalog section and examples (``docs/adding-a-stack.md``), no edits elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from ..detectors import compose_ports
from ..detectors.errors import InvalidInputError, NoStackError, UsageError
from ..detectors.facts import ProjectFacts
from ..detectors.repo import RepoView
from . import frontends
from .catalog import load_catalog
from .models import BuildPlan
from .options import Options
from .stackdef import StackDef
from .types import STACK_NAME

PLANNER_SUFFIX = "_plan"


@lru_cache(maxsize=1)
def _registry() -> dict[str, StackDef]:
    package = importlib.import_module(__package__)
    found: list[StackDef] = []
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.endswith(PLANNER_SUFFIX):
            continue
        stack = getattr(importlib.import_module(f"{__package__}.{info.name}"), "STACK", None)
        if not isinstance(stack, StackDef):
            continue
        if not STACK_NAME.fullmatch(stack.name) or info.name != stack.name + PLANNER_SUFFIX:
            raise RuntimeError(f"stack {stack.name!r} must be defined in {stack.name}{PLANNER_SUFFIX}.py")
        found.append(stack)
    found.sort(key=lambda s: (s.order, s.name))
    catalog = load_catalog()
    names = [s.name for s in found]
    if sorted(names) != sorted(catalog.sections()):
        raise RuntimeError(f"catalog sections {sorted(catalog.sections())} do not match the stacks {sorted(names)}")
    return {s.name: s for s in found}


def all_stacks() -> tuple[StackDef, ...]:
    return tuple(_registry().values())


def names() -> tuple[str, ...]:
    return tuple(_registry())


def get(name: str) -> StackDef:
    return _registry()[name]


def check_stack_options(options: Options) -> None:
    """Stack names in ``stack`` and ``versions`` must be registered: refused naming their source."""
    known = names()
    if options.stack is not None and options.stack not in known:
        raise options.refuse("stack", "not a stack dockgen knows", hint=f"use one of {', '.join(known)}")
    for stack in options.versions:
        if stack not in known:
            key = f"versions.{stack}"
            src = options.source(key)
            if src.kind == "flag":
                raise UsageError(f"no such option --{stack}-version",
                                 hint="version options: " + ", ".join(get(n).version_flag for n in known))
            raise InvalidInputError(f"unknown key {key!r}", file=src.path,
                                    hint="valid [versions] keys: " + ", ".join(known))


# ---- detection -------------------------------------------------------------------------------


def open_repo(path, stack: str | None = None) -> RepoView:
    """The project at ``path``, with the workspace root it is built from when it is a member of one.

    Every stack (or the one asked for) that knows workspaces is asked; the first root found is the
    build context (``RepoView.context``). Detectors of other stacks read the project as before.
    """
    repo = RepoView(path)
    candidates = (get(stack),) if stack is not None and stack in _registry() else all_stacks()
    for candidate in candidates:
        if candidate.workspace_root is None:
            continue
        root = candidate.workspace_root(repo.root)
        if root is not None and root != repo.root:
            return RepoView(path, context=RepoView(root))
    return repo


def workspace_members(root, stack: str | None = None) -> dict[str, str]:
    """Member directory → the stack whose workspace lists it, for every stack (or the one asked
    for) that knows workspaces, in registry order; a member two workspaces list is the first's."""
    out: dict[str, str] = {}
    candidates = (get(stack),) if stack is not None and stack in _registry() else all_stacks()
    for candidate in candidates:
        if candidate.workspace_members is None:
            continue
        for member in candidate.workspace_members(Path(root)):
            out.setdefault(member, candidate.name)
    return out


def workspace_kinds() -> str:
    """What ``--all`` looks for, for messages: each workspace-aware stack's manifests."""
    return ", ".join(f"{s.title} ({', '.join(s.manifests)})" for s in all_stacks() if s.workspace_members)


def detect_all(repo: RepoView) -> dict[str, ProjectFacts]:
    """Every stack whose detector recognises the repository (all detectors run)."""
    found: dict[str, ProjectFacts] = {}
    for stack in all_stacks():
        facts = stack.detect(repo)
        if facts is not None:
            found[stack.name] = facts
    return found


def detect(repo: RepoView, stack: str | None = None, *, found: dict[str, ProjectFacts] | None = None) -> ProjectFacts:
    """The one stack of the repository, or the one asked for."""
    if stack is not None:
        facts = get(stack).detect(repo) if found is None else found.get(stack)
        if facts is None:
            raise NoStackError(f"no {stack} project found in {repo.root}",
                               hint="run dockgen in the project's root or drop --stack")
        return _compose_port(repo, frontends.attach(repo, facts, tuple(s for s in all_stacks() if s.assets is not None)))
    found = detect_all(repo) if found is None else found
    if not found:
        looked = ", ".join(dict.fromkeys(m for s in all_stacks() for m in s.manifests))
        raise NoStackError(f"no supported stack found in {repo.root} (looked for {looked})",
                           hint="run dockgen in the project's root directory")
    facts = _runtime_among(found) if len(found) > 1 else next(iter(found.values()))
    return _compose_port(repo, frontends.attach(repo, facts, tuple(s for s in all_stacks() if s.assets is not None)))


def _compose_port(repo: RepoView, facts: ProjectFacts) -> ProjectFacts:
    """The maintainers' compose file's port for this service, ranked first when the app's own code and
    config state none (every candidate assumed): evidence from the repository beats a guess."""
    if any(c.confidence != "assumed" for c in facts.app.port):
        return facts
    found = compose_ports.published_port(repo)
    if found is None:
        return facts
    return facts.model_copy(update={"app": facts.app.model_copy(update={"port": (found, *facts.app.port)})})


def _runtime_among(found: dict[str, ProjectFacts]) -> ProjectFacts:
    """Several manifests: the one that can run is the runtime. Dev-tooling manifests are ignored and
    named (``facts.others``); one that only builds files, for a stack that can build assets, is built
    in a stage before the runtime's (``facts.assets``). Two or more that may run are refused."""
    tooling = {name: reason for name, f in found.items() if (reason := f.tooling_reason())}
    builders = {name: reason for name, f in found.items()
                if name not in tooling and get(name).assets is not None and (reason := f.assets_reason())}
    runtimes = [f for name, f in found.items() if name not in tooling and name not in builders]
    if len(runtimes) == 1 and len(builders) <= 1:
        notes = tuple(f"{reason}: ignored (use it with --stack {name})" for name, reason in tooling.items())
        own = {name: note for name in builders
               if (note := frontends.own_build_note(get(name).manifests[0], runtimes[0])) is not None}
        if own:  # the runtime's build (frontend-maven-plugin) runs the root frontend itself
            return runtimes[0].model_copy(update={"others": (*notes, *own.values())})
        notes += tuple(f"{reason}: built in the `assets` stage; {runtimes[0].ecosystem} copies the project "
                       "from there (--stack " + runtimes[0].ecosystem + " skips it)" for reason in builders.values())
        assets = next((found[name] for name in builders), None)
        return runtimes[0].model_copy(update={"others": notes, "assets": assets})
    listed = ", ".join(f"{eco} ({', '.join(f.manifests[:1]) or eco})" for eco, f in found.items())
    raise UsageError(f"several stacks found: {listed}", hint="choose one with --stack")


def plan(facts: ProjectFacts, options: Options) -> BuildPlan:
    stack = get(facts.ecosystem)
    return stack.plan(facts, options, stack.runtime())

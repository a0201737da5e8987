"""A Maven module's effective model, as far as the repository's files show it.

Maven builds a module from its own pom.xml, its parent POMs and their active profiles. dockgen
reads the same chain where it is in the repository: the module's ``<parent>`` is looked up at its
``<relativePath>`` (default ``../pom.xml``) when the file there has the parent's coordinates, and
so on up; the first parent that is not in the repository (``spring-boot-starter-parent``, a
company parent) ends the chain and is remembered as its *external parent*.

Layers, most specific first: the module's active profiles, the module, its parent's active
profiles, the parent, … . A value is taken from the first layer that has it (properties, plugin
configuration, ``<finalName>``); plugins and dependencies are inherited from every layer.
``${…}`` references resolve in the module's context, as Maven interpolates the effective model.

Active profiles: the one dockgen passes with ``-P`` (the production profile), those whose
``<activation>`` holds for the module (``<file><exists>``/``<missing>`` relative to the module,
``<property><name>!x</name>``), else a POM's ``<activeByDefault>`` ones. Conditions dockgen cannot
evaluate (``<jdk>``, ``<os>``, a property that would need ``-D``) count as not met.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .errors import InvalidInputError
from .java_pom import POM, Pom, block_properties, find, findall, project_properties, raw, substitute
from .parsing import load_xml
from .repo import RepoView

#: Parents followed at most (a longer chain is a cycle or a mistake).
MAX_PARENTS = 10
MAVEN_PLUGINS = "org.apache.maven.plugins"
#: Profile ids that name the production build.
PRODUCTION_IDS = ("prod", "production")


@dataclass(frozen=True)
class Layer:
    """A <project> or an active <profile> of one POM in the chain."""

    el: Element
    file: str
    profile: str | None
    #: A parent's layer: its plugins with <inherited>false</inherited> do not reach the module.
    inherited: bool


def pom_path(directory: str) -> str:
    return posixpath.join(directory, POM) if directory else POM


def read_pom(ctx: RepoView, path: str) -> Pom:
    return Pom(load_xml(ctx.read_text(path), path), path)


class Model:
    """One module's chain of POMs (module first) with the layers and properties of its effective model."""

    def __init__(self, chain: list[Pom], external_parent: Element | None, layers: list[Layer]):
        self.chain = chain
        self.pom = chain[0]
        self.file = chain[0].path
        self.external_parent = external_parent
        self.layers = layers
        self._props: dict[str, tuple[str, str]] = {}
        for layer in reversed(layers):  # the most specific layer wins
            for key, value in block_properties(layer.el).items():
                self._props[key] = (value, layer.file)
        for key, value in project_properties(self.pom.root).items():
            self._props.setdefault(key, (value, self.file))
        self._props.setdefault("basedir", (".", self.file))

    @property
    def root(self) -> Element:
        return self.pom.root

    @property
    def in_repo_parents(self) -> list[Pom]:
        return self.chain[1:]

    # -- properties ---------------------------------------------------------------------------
    def prop(self, key: str) -> str | None:
        found = self._props.get(key)
        return None if found is None else found[0]

    def prop_file(self, key: str) -> str:
        return self._props[key][1]

    def resolve(self, value: str, field: str) -> str:
        hint = ("dockgen reads this pom.xml and its parents in the repository, not parents outside it or -D flags"
                if self.external_parent is not None or self.in_repo_parents else
                "dockgen reads this pom.xml only, not parents or -D flags")
        return substitute(value, self.prop, field=field, file=self.file, hint=hint)

    def try_resolve(self, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return self.resolve(value, "value")
        except InvalidInputError:
            return value

    # -- first value along the layers ---------------------------------------------------------
    def first(self, path: str) -> tuple[str, str] | None:
        """(raw text, file) of ``path`` in the most specific layer that has it."""
        for layer in self.layers:
            value = raw(layer.el, path)
            if value is not None:
                return value, layer.file
        return None

    # -- plugins and dependencies ---------------------------------------------------------------
    def coords(self, el: Element) -> tuple[str, str]:
        """(groupId, artifactId) of a plugin or dependency, references resolved where possible."""
        group = self.try_resolve(raw(el, "groupId")) or MAVEN_PLUGINS
        return group, self.try_resolve(raw(el, "artifactId")) or ""

    def _section(self, path: str) -> list[tuple[Element, Layer]]:
        out = []
        for layer in self.layers:
            for el in findall(layer.el, path):
                if layer.inherited and (raw(el, "inherited") or "true").lower() == "false":
                    continue
                out.append((el, layer))
        return out

    def plugins(self) -> list[tuple[Element, Layer]]:
        """Every <build><plugins> entry the module gets, most specific first."""
        return self._section("build/plugins/plugin")

    def managed_plugins(self) -> list[tuple[Element, Layer]]:
        return self._section("build/pluginManagement/plugins/plugin")

    def plugin(self, artifact_id: str, group_id: str | None = MAVEN_PLUGINS) -> tuple[Element, Layer] | None:
        """The module's own or an inherited <build><plugins> entry (``group_id`` None: any group)."""
        for el, layer in self.plugins():
            group, artifact = self.coords(el)
            if artifact == artifact_id and group_id in (None, group):
                return el, layer
        return None

    def declarations(self, artifact_id: str) -> list[tuple[Element, Layer]]:
        """Every declaration of a plugin, <plugins> before <pluginManagement>: where its configuration is."""
        return [(el, layer) for el, layer in (*self.plugins(), *self.managed_plugins())
                if self.coords(el)[1] == artifact_id]

    def dependencies(self) -> list[tuple[Element, Layer]]:
        """The module's dependencies, inherited ones included (each coordinate once)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for el, layer in self._section("dependencies/dependency"):
            key = self.coords(el)
            if key not in seen:
                seen.add(key)
                out.append((el, layer))
        return out

    def managed_dependencies(self) -> list[tuple[Element, Layer]]:
        return self._section("dependencyManagement/dependencies/dependency")


# ---- loading the chain -------------------------------------------------------------------------


def _parent_file(pom: Pom, parent: Element) -> str | None:
    """The in-repository path <relativePath> names (default ``../pom.xml``), None when it leaves it."""
    el = find(parent, "relativePath")
    rel = "../pom.xml" if el is None else (el.text or "").strip()
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
        return None  # an empty <relativePath/> means "look it up in the repository"
    if not rel.endswith(".xml"):
        rel = posixpath.join(rel, POM)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(pom.path), rel))
    return None if path == ".." or path.startswith("../") else path


def _is_parent(candidate: Pom, parent: Element) -> bool:
    """Maven uses the file at <relativePath> only when it is the POM <parent> names."""
    cand_parent = find(candidate.root, "parent")
    mine = {"groupId": raw(candidate.root, "groupId") or raw(cand_parent, "groupId"),
            "artifactId": raw(candidate.root, "artifactId"),
            "version": raw(candidate.root, "version") or raw(cand_parent, "version")}
    for key, have in mine.items():
        want = raw(parent, key)
        if want is None or have is None or "${" in want or "${" in have:
            if key == "artifactId" and want != have:
                return False
            continue
        if want != have:
            return False
    return True


def load_chain(ctx: RepoView, path: str) -> tuple[list[Pom], Element | None]:
    """The POM at ``path`` and its parents in the repository; the first parent outside it (or None)."""
    chain = [read_pom(ctx, path)]
    while True:
        parent = find(chain[-1].root, "parent")
        if parent is None:
            return chain, None
        where = _parent_file(chain[-1], parent)
        if where is None or len(chain) > MAX_PARENTS or any(p.path == where for p in chain) \
                or not ctx.is_file(where):
            return chain, parent
        candidate = read_pom(ctx, where)
        if not _is_parent(candidate, parent):
            return chain, parent
        chain.append(candidate)


# ---- profiles ----------------------------------------------------------------------------------


def profiles(pom: Pom) -> list[Element]:
    return findall(pom.root, "profiles/profile")


def _activation_holds(activation: Element, exists: Callable[[str], bool | None]) -> bool:
    checks = [c for c in activation if isinstance(c.tag, str) and not c.tag.endswith("activeByDefault")]
    if not checks:
        return False
    for cond in checks:
        kind = cond.tag.split("}", 1)[-1]
        if kind == "file":
            present, missing = raw(cond, "exists"), raw(cond, "missing")
            found = exists(present or missing or "")
            if found is None or found != bool(present):
                return False
        elif kind == "property":
            name, value = raw(cond, "name") or "", raw(cond, "value")
            if not (name.startswith("!") and value is None):
                return False  # would need a -D flag dockgen does not pass
        else:
            return False  # <jdk>, <os>: not evaluated
    return True


def active_layers(pom: Pom, wanted: set[str], exists: Callable[[str], bool | None]) -> list[tuple[str, Element]]:
    """(id, <profile>) of the POM's active profiles, in declaration order."""
    active = []
    for p in profiles(pom):
        pid = raw(p, "id") or ""
        activation = find(p, "activation")
        if pid in wanted or (activation is not None and _activation_holds(activation, exists)):
            active.append((pid, p))
    if active:
        return active
    return [(raw(p, "id") or "", p) for p in profiles(pom)
            if (raw(find(p, "activation"), "activeByDefault") or "").lower() == "true"]


def production_profile(chain: list[Pom]) -> tuple[str, str] | None:
    """(id, file) of a declared production profile: id prod/production, or activated by such a property."""
    for pom in chain:
        for p in profiles(pom):
            pid = raw(p, "id")
            prop = find(p, "activation/property")
            words = {pid, raw(prop, "name"), raw(prop, "value")} if prop is not None else {pid}
            if pid and any(w in PRODUCTION_IDS for w in words if w):
                return pid, pom.path
    return None


def file_check(ctx: RepoView, module_dir: str) -> Callable[[str], bool | None]:
    """Profile file activation, relative to the module: True/False, None when dockgen cannot tell."""

    def exists(path: str) -> bool | None:
        for prefix in ("${basedir}/", "${project.basedir}/"):
            path = path.removeprefix(prefix)
        if not path or "${" in path or path.startswith("/") or "\\" in path:
            return None
        full = posixpath.normpath(posixpath.join(module_dir, path))
        if full == ".." or full.startswith("../"):
            return None
        return ctx.exists(full)

    return exists


def load(ctx: RepoView, module_dir: str, *, use_production: bool = True) -> tuple[Model, tuple[str, str] | None]:
    """The module's model and the production profile it is built with (None when it declares none)."""
    chain, external = load_chain(ctx, pom_path(module_dir))
    prod = production_profile(chain) if use_production else None
    wanted = {prod[0]} if prod else set()
    exists = file_check(ctx, module_dir)
    layers: list[Layer] = []
    for i, pom in enumerate(chain):
        for pid, el in reversed(active_layers(pom, wanted, exists)):  # later profiles win in Maven
            layers.append(Layer(el=el, file=pom.path, profile=pid, inherited=i > 0))
        layers.append(Layer(el=pom.root, file=pom.path, profile=None, inherited=i > 0))
    return Model(chain, external, layers), prod

"""Maven reproducibility warnings (issue 4): SNAPSHOT versions, version ranges, unversioned plugins.

Read from the module's effective model: a plugin declared without a <version> is not warned
about when a <pluginManagement> of the chain gives it one, or when the chain's parent outside the
repository is one known to manage plugin versions (spring-boot-starter-parent, micronaut-parent).
"""

from __future__ import annotations

from .java_artifact import PLUGIN_MANAGING_PARENTS, external_parent
from .java_model import Model
from .java_pom import find, raw


def _version(model: Model, el) -> str | None:
    return model.try_resolve(raw(el, "version"))


def _coords(model: Model, el) -> str:
    group, artifact = model.coords(el)
    return f"{group}:{artifact or '?'}"


def _dependency_warnings(model: Model) -> list[str]:
    out = []
    deps = [("dependency", d, layer.file) for d, layer in model.dependencies()]
    deps += [("managed dependency", d, layer.file) for d, layer in model.managed_dependencies()]
    parent = find(model.root, "parent")
    if parent is not None:
        deps.append(("parent", parent, model.file))
    for what, el, file in deps:
        v = _version(model, el)
        coords = f"{raw(el, 'groupId') or '?'}:{raw(el, 'artifactId') or '?'}"
        if v is None:
            continue
        if v.upper().endswith("-SNAPSHOT"):
            out.append(f"{file}: {what} {coords} uses the SNAPSHOT version {v}: the build is not reproducible "
                       "(pin a release version)")
        elif v[:1] in "[(":
            out.append(f"{file}: {what} {coords} uses the version range {v}: the build is not reproducible "
                       "(pin one version)")
    return out


def pom_warnings(model: Model) -> list[str]:
    out = _dependency_warnings(model)
    managed = {model.coords(p)[1] for p, _ in model.managed_plugins() if raw(p, "version")}
    parent_manages = external_parent(model) in PLUGIN_MANAGING_PARENTS
    for section, plugins in (("<build><plugins>", model.plugins()), ("<pluginManagement>", model.managed_plugins())):
        for p, layer in plugins:
            v = _version(model, p)
            if v is not None:
                if v.upper().endswith("-SNAPSHOT"):
                    out.append(f"{layer.file}: plugin {_coords(model, p)} uses the SNAPSHOT version {v} "
                               "(pin a release version)")
                continue
            if parent_manages or model.coords(p)[1] in managed:
                continue  # managed in the chain's <pluginManagement>, or by a known parent
            out.append(f"{layer.file}: plugin {_coords(model, p)} in {section} has no <version>: Maven picks one "
                       "(pin it with <version>)")
    return sorted(set(out))

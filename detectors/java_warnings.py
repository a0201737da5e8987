"""Maven reproducibility warnings (issue 4): SNAPSHOT versions, version ranges, unversioned plugins."""

from __future__ import annotations

from .errors import InvalidInputError
from .java_pom import Pom



def _version(pom: Pom, el) -> str | None:
    raw = pom.raw(el, "version")
    if raw is None:
        return None
    try:
        return pom.resolve(raw, "<version>")
    except InvalidInputError:
        return raw


def _coords(pom: Pom, el) -> str:
    return f"{pom.raw(el, 'groupId') or 'org.apache.maven.plugins'}:{pom.raw(el, 'artifactId') or '?'}"


def pom_warnings(pom: Pom, *, boot_parent: bool) -> list[str]:
    out: list[str] = []
    deps = [("dependency", d) for d in pom.dependencies()]
    deps += [("managed dependency", d) for d in pom.findall(pom.root, "dependencyManagement/dependencies/dependency")]
    parent = pom.find(pom.root, "parent")
    if parent is not None:
        deps.append(("parent", parent))
    for what, el in deps:
        v = _version(pom, el)
        coords = f"{pom.raw(el, 'groupId') or '?'}:{pom.raw(el, 'artifactId') or '?'}"
        if v is None:
            continue
        if v.upper().endswith("-SNAPSHOT"):
            out.append(f"pom.xml: {what} {coords} uses the SNAPSHOT version {v}: the build is not reproducible "
                       "(pin a release version)")
        elif v[:1] in "[(":
            out.append(f"pom.xml: {what} {coords} uses the version range {v}: the build is not reproducible "
                       "(pin one version)")
    managed = {pom.raw(p, "artifactId") for p in pom.managed_plugins() if pom.raw(p, "version")}
    for section, plugins in (("<build><plugins>", pom.plugins()),
                             ("<pluginManagement>", pom.managed_plugins())):
        for p in plugins:
            v = _version(pom, p)
            if v is not None:
                if v.upper().endswith("-SNAPSHOT"):
                    out.append(f"pom.xml: plugin {_coords(pom, p)} uses the SNAPSHOT version {v} "
                               "(pin a release version)")
                continue
            if section == "<build><plugins>" and (pom.raw(p, "artifactId") in managed or boot_parent):
                continue  # managed here, or by spring-boot-starter-parent
            out.append(f"pom.xml: plugin {_coords(pom, p)} in {section} has no <version>: Maven picks one "
                       "(pin it with <version>)")
    return sorted(set(out))

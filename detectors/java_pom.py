"""Reading one Maven POM: namespaced lookups and ``${property}`` resolution.

The XML itself is parsed by ``parsing.load_xml`` (defusedxml: no DTDs, no entities). This module
only walks the tree. Both the Maven 4.0.0 namespace and namespace-less POMs are accepted; lookups
take the namespace from the element they start at, so elements of a parent POM written without
the namespace are read the same way as the module's own.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from .errors import InvalidInputError

POM = "pom.xml"
MAVEN_NS = "http://maven.apache.org/POM/4.0.0"
_REF = re.compile(r"\$\{([^}]*)\}")
#: Properties referring to properties: deeper chains than this are treated as a cycle.
MAX_DEPTH = 16


def local(el: Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def _ns_of(el: Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def find(el: Element | None, path: str) -> Element | None:
    """``path`` is slash-separated local names (``build/finalName``), in ``el``'s namespace."""
    for part in path.split("/"):
        if el is None:
            return None
        ns = _ns_of(el)
        el = el.find(f"{{{ns}}}{part}" if ns else part)
    return el


def findall(el: Element | None, path: str) -> list[Element]:
    if el is None:
        return []
    *head, last = path.split("/")
    parent = find(el, "/".join(head)) if head else el
    if parent is None:
        return []
    ns = _ns_of(parent)
    return parent.findall(f"{{{ns}}}{last}" if ns else last)


def raw(el: Element | None, path: str) -> str | None:
    """Stripped text of a child element, None when absent or empty."""
    found = find(el, path)
    if found is None or found.text is None:
        return None
    text = found.text.strip()
    return text or None


def substitute(value: str, lookup, *, field: str, file: str, hint: str) -> str:
    """Replace ``${name}`` with ``lookup(name)`` (None: undefined, an error naming ``file``)."""
    seen = 0
    while "${" in value:
        seen += 1
        if seen > MAX_DEPTH:
            raise InvalidInputError(f"{field}: property references nest too deep or form a cycle ({value!r})",
                                    file=file, hint="make the <properties> chain end in a literal value")

        def sub(match: re.Match[str]) -> str:
            key = match.group(1).strip()
            found = lookup(key)
            if found is not None:
                return found
            raise InvalidInputError(f"{field}: ${{{key}}} is not defined in <properties>", file=file,
                                    hint=f"define <{key}> in <properties> ({hint})")

        value = _REF.sub(sub, value)
    return value.strip()


class Pom:
    """A parsed pom.xml and where it is (``path``, relative to the build context). Values are read
    through ``java_model.Model``, which resolves ``${…}`` across the POM's parents."""

    def __init__(self, root: Element, path: str = POM):
        self.path = path
        ns = _ns_of(root)
        if local(root) != "project":
            raise InvalidInputError(f"root element is <{local(root)}>, not <project>", file=path,
                                    hint="point dockgen at a Maven project's pom.xml")
        if ns not in ("", MAVEN_NS):
            raise InvalidInputError(f"unknown XML namespace {ns!r}", file=path,
                                    hint=f"use the Maven POM namespace {MAVEN_NS}")
        self.root = root


def block_properties(el: Element) -> dict[str, str]:
    """The <properties> block of a <project> or a <profile>."""
    props: dict[str, str] = {}
    block = find(el, "properties")
    if block is not None:
        for child in block:
            key = local(child)
            if key:
                props[key] = (child.text or "").strip()
    return props


def project_properties(root: Element) -> dict[str, str]:
    """``project.*`` (and Maven 2's ``pom.*``) of a <project>, inheriting group and version from <parent>."""
    parent = find(root, "parent")
    project = {
        "groupId": raw(root, "groupId") or raw(parent, "groupId"),
        "artifactId": raw(root, "artifactId"),
        "version": raw(root, "version") or raw(parent, "version"),
        "name": raw(root, "name"),
        "packaging": raw(root, "packaging") or "jar",
        "build.directory": "target",
        "basedir": ".",
        "parent.version": raw(parent, "version"),
        "parent.groupId": raw(parent, "groupId"),
        "parent.artifactId": raw(parent, "artifactId"),
    }
    out: dict[str, str] = {}
    for key, value in project.items():
        if value is not None:
            out[f"project.{key}"] = value
            out[f"pom.{key}"] = value  # Maven 2's deprecated alias
    return out

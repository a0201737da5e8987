"""Reading a Maven POM: namespaced lookups and ``${property}`` resolution.

The XML itself is parsed by ``parsing.load_xml`` (defusedxml: no DTDs, no entities). This module
only walks the tree. Both the Maven 4.0.0 namespace and namespace-less POMs are accepted.
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


class Pom:
    """A parsed pom.xml with helpers that hide the namespace."""

    def __init__(self, root: Element):
        tag = root.tag
        self.ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        if self.local(root) != "project":
            raise InvalidInputError(f"root element is <{self.local(root)}>, not <project>", file=POM,
                                    hint="point dockgen at a Maven project's pom.xml")
        if self.ns not in ("", MAVEN_NS):
            raise InvalidInputError(f"unknown XML namespace {self.ns!r}", file=POM,
                                    hint=f"use the Maven POM namespace {MAVEN_NS}")
        self.root = root
        self.properties = self._properties()

    # -- tree walking ------------------------------------------------------------------------
    def local(self, el: Element) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        return tag.split("}", 1)[1] if tag.startswith("{") else tag

    def _q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def find(self, el: Element | None, path: str) -> Element | None:
        """``path`` is slash-separated local names (``build/finalName``)."""
        for part in path.split("/"):
            if el is None:
                return None
            el = el.find(self._q(part))
        return el

    def findall(self, el: Element | None, path: str) -> list[Element]:
        if el is None:
            return []
        *head, last = path.split("/")
        parent = self.find(el, "/".join(head)) if head else el
        return [] if parent is None else parent.findall(self._q(last))

    def raw(self, el: Element | None, path: str) -> str | None:
        """Stripped text of a child element, None when absent or empty."""
        found = self.find(el, path)
        if found is None or found.text is None:
            return None
        text = found.text.strip()
        return text or None

    def text(self, el: Element | None, path: str, field: str) -> str | None:
        """Like ``raw`` with ``${…}`` references resolved."""
        value = self.raw(el, path)
        return None if value is None else self.resolve(value, field)

    # -- properties --------------------------------------------------------------------------
    def _properties(self) -> dict[str, str]:
        props: dict[str, str] = {}
        block = self.find(self.root, "properties")
        if block is not None:
            for child in block:
                key = self.local(child)
                if key:
                    props[key] = (child.text or "").strip()
        parent = self.find(self.root, "parent")
        project = {
            "groupId": self.raw(self.root, "groupId") or self.raw(parent, "groupId"),
            "artifactId": self.raw(self.root, "artifactId"),
            "version": self.raw(self.root, "version") or self.raw(parent, "version"),
            "name": self.raw(self.root, "name"),
            "packaging": self.raw(self.root, "packaging") or "jar",
            "build.directory": "target",
            "basedir": ".",
            "parent.version": self.raw(parent, "version"),
            "parent.groupId": self.raw(parent, "groupId"),
            "parent.artifactId": self.raw(parent, "artifactId"),
        }
        for key, value in project.items():
            if value is not None:
                props.setdefault(f"project.{key}", value)
                props.setdefault(f"pom.{key}", value)  # Maven 2's deprecated alias
        props.setdefault("basedir", ".")
        return props

    def resolve(self, value: str, field: str) -> str:
        """Replace ``${name}`` from <properties> and ``project.*``; an unknown name is an error."""
        seen = 0
        while "${" in value:
            seen += 1
            if seen > MAX_DEPTH:
                raise InvalidInputError(f"{field}: property references nest too deep or form a cycle ({value!r})",
                                        file=POM, hint="make the <properties> chain end in a literal value")

            def sub(match: re.Match[str]) -> str:
                key = match.group(1).strip()
                if key in self.properties:
                    return self.properties[key]
                raise InvalidInputError(
                    f"{field}: ${{{key}}} is not defined in <properties>", file=POM,
                    hint=f"define <{key}> in <properties> (dockgen reads this pom.xml only, not parents or -D flags)")

            value = _REF.sub(sub, value)
        return value.strip()

    # -- plugins -----------------------------------------------------------------------------
    def plugins(self) -> list[Element]:
        return self.findall(self.root, "build/plugins/plugin")

    def managed_plugins(self) -> list[Element]:
        return self.findall(self.root, "build/pluginManagement/plugins/plugin")

    def plugin(self, artifact_id: str, group_id: str = "org.apache.maven.plugins") -> Element | None:
        """A plugin declared in <build><plugins> (a missing <groupId> means Maven's own plugins)."""
        for p in self.plugins():
            if self.raw(p, "artifactId") == artifact_id and (self.raw(p, "groupId") or
                                                             "org.apache.maven.plugins") == group_id:
                return p
        return None

    def managed_plugin(self, artifact_id: str) -> Element | None:
        for p in self.managed_plugins():
            if self.raw(p, "artifactId") == artifact_id:
                return p
        return None

    def dependencies(self) -> list[Element]:
        return self.findall(self.root, "dependencies/dependency")

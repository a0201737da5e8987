"""Java (Maven) detector: pom.xml, the Maven wrapper and Spring Boot's application config.

Pure: every value comes with its source; the planner decides what to do with it. pom.xml is parsed
only with ``parsing.load_xml`` (defusedxml), so DOCTYPEs and entities are refused (exit 5).
"""

from __future__ import annotations

import re
from typing import Literal

from . import safe, tool_versions
from .errors import InvalidInputError
from .facts import Fact, ProjectFacts, Source, default, fact
from .java_pom import POM, Pom
from .java_spring import application_port
from .java_warnings import pom_warnings
from .parsing import load_xml
from .repo import RepoView

BOOT_GROUP = "org.springframework.boot"
BOOT_PARENT = "spring-boot-starter-parent"
BOOT_PLUGIN = "spring-boot-maven-plugin"
BOOT_BOM = "spring-boot-dependencies"
WRAPPER_PROPERTIES = ".mvn/wrapper/maven-wrapper.properties"
MAVEN_DEFAULT = Source.of(POM, "(Maven's default)")
DEFAULT_PORT = 8080
_JAVA_MAJOR = re.compile(r"^(?:1\.)?([0-9]{1,2})(?:\.[0-9.]*)?$")


class JavaFacts(ProjectFacts):
    ecosystem: Literal["java"] = "java"
    group_id: Fact[str] | None = None
    artifact_id: Fact[str]
    version: Fact[str]
    name: Fact[str] | None = None
    description: Fact[str] | None = None
    licenses: Fact[str] | None = None
    #: <scm><url> when it is an https URL (the OCI ``source`` label).
    scm_url: Fact[str] | None = None
    packaging: Fact[str]
    #: <modules> of an aggregator POM (the planner refuses multi-module builds).
    modules: Fact[tuple[str, ...]] | None = None
    #: Java major the project compiles for ("21"), None when the POM does not say.
    java_version: Fact[str] | None = None
    #: The artifact's file name without extension: <build><finalName>, else artifactId-version.
    final_name: Fact[str]
    #: Spring Boot version, when the project is a Boot application.
    spring_boot: Fact[str] | None = None
    #: Whether spring-boot-maven-plugin is declared in <build><plugins> (it makes the jar executable).
    boot_plugin: Fact[bool] | None = None
    #: Main-Class written into the jar manifest (maven-jar-plugin, or the shade plugin's transformer).
    main_class: Fact[str] | None = None
    #: maven-jar-plugin adds a Class-Path manifest entry with this prefix ("lib/"): dependencies
    #: copied there make `java -jar` work.
    classpath_prefix: Fact[str] | None = None
    #: maven-shade-plugin builds a jar with its dependencies inside.
    shaded: Fact[bool] | None = None
    #: Number of compile/runtime-scope dependencies declared in the POM.
    runtime_dependencies: Fact[int]
    #: mvnw and .mvn/wrapper/maven-wrapper.properties are present: build with the wrapper.
    wrapper: Fact[bool] | None = None
    port: Fact[int]


def detect(repo: RepoView) -> JavaFacts | None:
    if not repo.is_file(POM):
        return None
    pom = Pom(load_xml(repo.read_text(POM), POM))
    root = pom.root
    warnings: list[str] = []

    artifact_raw = pom.text(root, "artifactId", "<artifactId>")
    if artifact_raw is None:
        raise InvalidInputError("no <artifactId>", file=POM, hint="add the project's <artifactId>")
    artifact_id = fact(safe.name(artifact_raw, POM, "<artifactId>", "Maven artifactId"), POM, "<artifactId>")
    version = _version(pom)
    group_id = _group(pom)
    packaging_raw = pom.text(root, "packaging", "<packaging>")
    packaging = (fact(safe.name(packaging_raw, POM, "<packaging>"), POM, "<packaging>") if packaging_raw
                 else fact("jar", MAVEN_DEFAULT))
    modules = tuple(safe.rel_path(pom.resolve((m.text or "").strip(), "<module>"), POM, "<module>")
                    for m in pom.findall(root, "modules/module") if (m.text or "").strip())

    final_raw = pom.text(root, "build/finalName", "<build><finalName>")
    final_name = (fact(safe.name(final_raw, POM, "<build><finalName>", "file name"), POM, "<build><finalName>")
                  if final_raw else
                  fact(f"{artifact_id.value}-{version.value}", POM, "<artifactId>-<version>"))

    boot = _spring_boot(pom)
    boot_plugin = pom.plugin(BOOT_PLUGIN, BOOT_GROUP)
    main_class, classpath_prefix = _jar_manifest(pom)
    shade = pom.plugin("maven-shade-plugin")
    if shade is not None:
        shade_main = _shade_main_class(pom, shade)
        main_class = shade_main or main_class

    wrapper = None
    if repo.is_file("mvnw"):
        if repo.is_file(WRAPPER_PROPERTIES):
            wrapper = fact(True, Source.all(Source.of("mvnw"), Source.of(WRAPPER_PROPERTIES)))
        else:
            warnings.append(f"mvnw: found without {WRAPPER_PROPERTIES}, so it is not used; the build uses "
                            "the maven image's Maven")
    if boot is not None and boot_plugin is None:
        warnings.append(f"pom.xml: Spring Boot without {BOOT_PLUGIN} in <build><plugins>: the jar is not "
                        "repackaged and will not start; declare the plugin")
    warnings.extend(pom_warnings(pom, boot_parent=_boot_parent(pom) is not None))

    port = application_port(repo) if boot is not None else None
    return JavaFacts(
        manifests=(POM,),
        warnings=tuple(warnings),
        group_id=group_id,
        artifact_id=artifact_id,
        version=version,
        name=_label(pom, "name", "<name>"),
        description=_label(pom, "description", "<description>"),
        licenses=_licenses(pom),
        scm_url=_scm_url(pom),
        packaging=packaging,
        modules=fact(modules, POM, "<modules>") if modules else None,
        java_version=_java_version(pom) or _tool_java(repo),
        final_name=final_name,
        spring_boot=boot,
        boot_plugin=fact(True, POM, f"<build><plugins> {BOOT_PLUGIN}") if boot_plugin is not None else None,
        main_class=main_class,
        classpath_prefix=classpath_prefix,
        shaded=fact(True, POM, "<build><plugins> maven-shade-plugin") if shade is not None else None,
        runtime_dependencies=fact(_runtime_dependency_count(pom), POM, "<dependencies>"),
        wrapper=wrapper,
        port=port or default(DEFAULT_PORT),
    )


# ---- identity ---------------------------------------------------------------------------------


def _version(pom: Pom) -> Fact[str]:
    own = pom.text(pom.root, "version", "<version>")
    if own:
        return fact(safe.version(own, POM, "<version>"), POM, "<version>")
    inherited = pom.text(pom.find(pom.root, "parent"), "version", "<parent><version>")
    if inherited:
        return fact(safe.version(inherited, POM, "<parent><version>"), POM, "<parent><version>")
    raise InvalidInputError("no <version> (and no <parent><version> to inherit)", file=POM,
                            hint="add the project's <version>")


def _group(pom: Pom) -> Fact[str] | None:
    for path, field in (("groupId", "<groupId>"), ("parent/groupId", "<parent><groupId>")):
        value = pom.text(pom.root, path, f"<{path.replace('/', '><')}>")
        if value:
            return fact(safe.name(value, POM, f"<{path}>", "Maven groupId"), POM, field)
    return None


def _label(pom: Pom, path: str, field: str) -> Fact[str] | None:
    value = pom.raw(pom.root, path)
    if value is None:
        return None
    try:
        value = pom.resolve(value, field)
    except InvalidInputError:  # a label is informative only: keep the text as written
        pass
    return fact(safe.label_text(value, POM, field), POM, field)


def _licenses(pom: Pom) -> Fact[str] | None:
    names = [n for n in (pom.raw(lic, "name") for lic in pom.findall(pom.root, "licenses/license")) if n]
    if not names:
        return None
    return fact(safe.label_text(" OR ".join(names), POM, "<licenses>"), POM, "<licenses><license><name>")


def _scm_url(pom: Pom) -> Fact[str] | None:
    url = pom.raw(pom.root, "scm/url")
    if not url or not re.match(r"^https://[A-Za-z0-9./_~:@%+-]+$", url):
        return None
    return fact(safe.label_text(url, POM, "<scm><url>"), POM, "<scm><url>")


# ---- Java version -----------------------------------------------------------------------------


def _java_version(pom: Pom) -> Fact[str] | None:
    """``release`` over ``target`` over Spring Boot's ``java.version``; plugin config over properties."""
    compiler = pom.plugin("maven-compiler-plugin")
    managed = pom.managed_plugin("maven-compiler-plugin")
    candidates = []
    for key in ("release", "target"):
        for el, where in ((compiler, "maven-compiler-plugin"), (managed, "<pluginManagement> maven-compiler-plugin")):
            candidates.append((pom.raw(el, f"configuration/{key}"), f"{where} <{key}>"))
        candidates.append((pom.properties.get(f"maven.compiler.{key}"), f"<maven.compiler.{key}>"))
    candidates.append((pom.properties.get("java.version"), "<java.version>"))
    for raw, field in candidates:
        if raw:
            value = safe.version(pom.resolve(raw, field), POM, field)
            match = _JAVA_MAJOR.fullmatch(value)
            if not match:
                raise InvalidInputError(f"{field}: {value!r} is not a Java version", file=POM,
                                        hint="use a Java major such as 21 or 17")
            return fact(str(int(match.group(1))), POM, field)
    return None


#: asdf/mise Java names: ``temurin-21.0.5+11.0.LTS``, ``openjdk-21``, ``corretto-17.0.9.8.1``, ``21``.
_TOOL_JAVA = re.compile(r"^(?:[a-z][a-z0-9]*-)*(?:1\.)?([0-9]{1,2})(?:[.+_-][0-9A-Za-z.+_-]*)?$")


def _tool_java(repo: RepoView) -> Fact[str] | None:
    """The JDK ``.tool-versions`` / ``mise.toml`` pin, when pom.xml names no Java version."""
    pins = tool_versions.requests(repo, ("java",))
    if not pins:
        return None
    pin = pins[0]
    match = _TOOL_JAVA.fullmatch(pin.value)
    if not match:
        raise InvalidInputError(f"{pin.source.field}: {pin.value[:40]!r} is not a Java version", file=pin.source.file,
                                hint="pin a JDK such as temurin-21.0.5+11.0.LTS or 21")
    return Fact(value=str(int(match.group(1))), source=pin.source)


# ---- Spring Boot ------------------------------------------------------------------------------


def _boot_parent(pom: Pom):
    parent = pom.find(pom.root, "parent")
    if parent is not None and pom.raw(parent, "groupId") == BOOT_GROUP and pom.raw(parent, "artifactId") == BOOT_PARENT:
        return parent
    return None


def _spring_boot(pom: Pom) -> Fact[str] | None:
    parent = _boot_parent(pom)
    if parent is not None:
        v = pom.text(parent, "version", "<parent><version>")
        if v:
            return fact(safe.version(v, POM, "<parent><version>"), POM, f"<parent> {BOOT_PARENT}")
    plugin = pom.plugin(BOOT_PLUGIN, BOOT_GROUP)
    if plugin is None:
        return None
    v = pom.text(plugin, "version", f"{BOOT_PLUGIN} <version>")
    if v:
        return fact(safe.version(v, POM, f"{BOOT_PLUGIN} <version>"), POM, f"{BOOT_PLUGIN} <version>")
    managed = pom.managed_plugin(BOOT_PLUGIN)
    v = pom.text(managed, "version", f"<pluginManagement> {BOOT_PLUGIN} <version>")
    if v:
        return fact(safe.version(v, POM, f"{BOOT_PLUGIN} <version>"), POM, f"<pluginManagement> {BOOT_PLUGIN}")
    for dep in pom.findall(pom.root, "dependencyManagement/dependencies/dependency"):
        if pom.raw(dep, "groupId") == BOOT_GROUP and pom.raw(dep, "artifactId") == BOOT_BOM:
            v = pom.text(dep, "version", f"{BOOT_BOM} <version>")
            if v:
                return fact(safe.version(v, POM, f"{BOOT_BOM} <version>"),
                            POM, f"<dependencyManagement> {BOOT_BOM}")
    raise InvalidInputError(f"{BOOT_PLUGIN} is declared but no Spring Boot version is found", file=POM,
                            hint=f"use the {BOOT_PARENT} parent, or give the plugin a <version>")


# ---- the jar ----------------------------------------------------------------------------------


def _jar_manifest(pom: Pom) -> tuple[Fact[str] | None, Fact[str] | None]:
    jar = pom.plugin("maven-jar-plugin")
    if jar is None:
        jar = pom.managed_plugin("maven-jar-plugin")
    manifest = pom.find(jar, "configuration/archive/manifest")
    if manifest is None:
        return None, None
    main = pom.text(manifest, "mainClass", "<mainClass>")
    main_fact = fact(safe.java_class(main, POM, "maven-jar-plugin <mainClass>"),
                     POM, "maven-jar-plugin <mainClass>") if main else None
    prefix_fact = None
    if (pom.text(manifest, "addClasspath", "<addClasspath>") or "").lower() == "true":
        prefix = pom.text(manifest, "classpathPrefix", "<classpathPrefix>") or ""
        prefix_fact = (fact(safe.rel_path(prefix, POM, "<classpathPrefix>") + "/",
                            POM, "maven-jar-plugin <classpathPrefix>") if prefix
                       else fact("", POM, "maven-jar-plugin <addClasspath>"))
    return main_fact, prefix_fact


def _shade_main_class(pom: Pom, shade) -> Fact[str] | None:
    configs = [pom.find(shade, "configuration")] + [
        pom.find(ex, "configuration") for ex in pom.findall(shade, "executions/execution")]
    for cfg in configs:
        for tr in pom.findall(cfg, "transformers/transformer"):
            main = pom.text(tr, "mainClass", "<mainClass>")
            if main:
                return fact(safe.java_class(main, POM, "maven-shade-plugin <mainClass>"),
                            POM, "maven-shade-plugin <mainClass>")
    return None


def _runtime_dependency_count(pom: Pom) -> int:
    count = 0
    for dep in pom.dependencies():
        scope = pom.raw(dep, "scope") or "compile"
        if scope in ("compile", "runtime") and (pom.raw(dep, "optional") or "false") != "true":
            count += 1
    return count

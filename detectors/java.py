"""Java (Maven) detector: pom.xml and its parents, the Maven wrapper and the framework's config.

Pure: every value comes with its source; the planner decides what to do with it. POMs are parsed
only with ``parsing.load_xml`` (defusedxml), so DOCTYPEs and entities are refused (exit 5).

A module of a multi-module build is read through ``repo.context`` (the aggregator root, the build
context) with ``repo.member`` its directory there: its parent chain, the reactor's POMs and the
wrapper are found from the root, and every source names its file relative to the root.
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal

from . import safe, tool_versions
from . import java_artifact as art
from . import java_services
from .errors import InvalidInputError
from .facts import AppFacts, Candidate, Fact, ProjectFacts, Source, fact
from .java_config import RESOURCES, config_port, config_value
from .java_model import Model, load
from .java_pom import find, findall, raw
from .java_reactor import module_dirs, reactor, upstream
from .java_warnings import pom_warnings
from .repo import RepoView

POM = "pom.xml"
WRAPPER_PROPERTIES = ".mvn/wrapper/maven-wrapper.properties"
DEFAULT_PORT = 8080
_JAVA_MAJOR = re.compile(r"^(?:1\.)?([0-9]{1,2})(?:\.[0-9.]*)?$")
#: Where each framework reads its HTTP port, most specific key first.
PORT_KEYS = {"spring boot": ("server.port",), "quarkus": ("%prod.quarkus.http.port", "quarkus.http.port"),
             "micronaut": ("micronaut.server.port",)}
SPRING_DIRS = (f"{RESOURCES}/config", RESOURCES)
MICRONAUT_JAVA = ("release.version", "jdk.version")


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
    #: <modules> of an aggregator POM (the planner refuses to build an aggregator itself).
    modules: Fact[tuple[str, ...]] | None = None
    #: An aggregator's modules that build something dockgen can start (named in its refusal).
    deployable: Fact[tuple[str, ...]] | None = None
    #: This module's directory in the aggregator it is built from (``-pl``); None: a project of its own.
    module: Fact[str] | None = None
    #: The reactor modules this module depends on: ``-am`` builds them first.
    upstream: Fact[tuple[str, ...]] | None = None
    #: The folder whose frontend Maven's frontend-maven-plugin builds during the build (no separate stage).
    frontend_plugin: Fact[str] | None = None
    #: The production profile the build activates (``-P<id>``).
    profile: Fact[str] | None = None
    #: Java major the project compiles for ("21"), None when the POMs do not say.
    java_version: Fact[str] | None = None
    #: The artifact's file name without extension: <build><finalName>, else artifactId-version.
    final_name: Fact[str]
    #: Spring Boot version, when the project is a Boot application.
    spring_boot: Fact[str] | None = None
    #: Whether spring-boot-maven-plugin is in the effective <build><plugins> (it makes the jar executable).
    boot_plugin: Fact[bool] | None = None
    #: A Quarkus application, and how Quarkus packages it (``quarkus.package.jar.type``, default fast-jar).
    quarkus: Fact[bool] | None = None
    quarkus_package: Fact[str] | None = None
    #: A Micronaut application (micronaut-parent or micronaut-maven-plugin).
    micronaut: Fact[bool] | None = None
    #: Main-Class written into the jar manifest (maven-jar-plugin, the shade plugin's transformer,
    #: Micronaut's ``exec.mainClass``).
    main_class: Fact[str] | None = None
    #: maven-jar-plugin adds a Class-Path manifest entry with this prefix ("lib/"): dependencies
    #: copied there make `java -jar` work.
    classpath_prefix: Fact[str] | None = None
    #: maven-shade-plugin builds a jar with its dependencies inside.
    shaded: Fact[bool] | None = None
    #: Number of compile/runtime-scope dependencies (inherited ones included).
    runtime_dependencies: Fact[int]
    #: mvnw and .mvn/wrapper/maven-wrapper.properties are present: build with the wrapper.
    wrapper: Fact[bool] | None = None

    def tooling_reason(self) -> str | None:
        # A jar with nothing to start (no Main-Class, framework or shaded main) is a library: what
        # `init --all` skips and what a runtime of another stack beside it does not compete with.
        if self.packaging.value != "jar" or self.modules is not None:
            return None
        # Spring Boot without its plugin is a library of a Boot build (shopizer's sm-core): not repackaged.
        if self.main_class or self.boot_plugin or self.quarkus or self.shaded:
            return None
        where = self.packaging.source.file or "pom.xml"
        return (f"{where} builds a library jar: no Main-Class in the jar manifest, no spring-boot-maven-plugin, "
                "Quarkus or shaded main")

    def own_frontend_build(self) -> Fact[str] | None:
        return self.frontend_plugin


def detect(repo: RepoView) -> JavaFacts | None:
    if not repo.is_file(POM):
        return None
    ctx, member = repo.context, repo.member
    model, prod = load(ctx, member)
    root = model.root
    file = model.file
    artifact_raw = raw(root, "artifactId")
    if artifact_raw is None:
        raise InvalidInputError("no <artifactId>", file=file, hint="add the project's <artifactId>")
    artifact_id = fact(safe.name(model.resolve(artifact_raw, "<artifactId>"), file, "<artifactId>", "Maven artifactId"),
                       file, "<artifactId>")
    version = _version(model)
    packaging_raw = raw(root, "packaging")
    packaging = (fact(safe.name(model.resolve(packaging_raw, "<packaging>"), file, "<packaging>"), file, "<packaging>")
                 if packaging_raw else fact("jar", file, "(Maven's default)"))
    # An aggregator builds nothing to start: its plugin settings may name its modules' properties.
    shape = _shape(ctx, member, model, packaging) if packaging.value != "pom" else {"warnings": []}
    warnings = [*_wrapper_warnings(ctx), *shape.pop("warnings"), *pom_warnings(model)]
    return JavaFacts(
        manifests=_manifests(ctx, member, model),
        warnings=tuple(warnings),
        group_id=_group(model),
        artifact_id=artifact_id,
        version=version,
        name=_label(model, raw(root, "name"), file, "<name>"),
        description=_inherited_label(model, "description"),
        licenses=_licenses(model),
        scm_url=_scm_url(model),
        packaging=packaging,
        profile=fact(prod[0], prod[1], f"<profile> {prod[0]}") if prod else None,
        java_version=_java_version(model) or _tool_java(repo),
        final_name=_final_name(model, artifact_id, version),
        runtime_dependencies=fact(art.runtime_dependency_count(model), file, "<dependencies>"),
        wrapper=_wrapper(ctx),
        **_reactor_facts(ctx, member, model),
        **shape,
    )


def _shape(ctx: RepoView, member: str, model: Model, packaging: Fact[str]) -> dict:
    """What the build produces: framework, manifest, shading; the app's port candidates; warnings."""
    boot = art.spring_boot(model)
    boot_plugin = art.boot_plugin(model)
    quarkus = art.quarkus(model, packaging)
    micronaut = art.micronaut(model)
    main_class, classpath_prefix = art.jar_manifest(model)
    shaded, shade_main = art.shade(model)
    main_class = shade_main or main_class
    if micronaut is not None:
        shaded = shaded or art.micronaut_shaded(model, packaging.value)
        main_class = main_class or art.exec_main_class(model)
    warnings = []
    if boot is not None and boot_plugin is None and quarkus is None:
        warnings.append(f"{model.file}: Spring Boot without {art.BOOT_PLUGIN} in <build><plugins>: the jar is not "
                        "repackaged and will not start; declare the plugin")
    framework = ("quarkus" if quarkus else "micronaut" if micronaut else "spring boot" if boot else None)
    needs, need_warnings = java_services.detect(ctx, member, model, spring=framework == "spring boot")
    package = None
    if quarkus is not None:
        package = (config_value(ctx, member, "quarkus.package.jar.type")
                   or config_value(ctx, member, "quarkus.package.type")
                   or fact("fast-jar", Source.default("Quarkus's default quarkus.package.jar.type")))
    return {"spring_boot": boot, "boot_plugin": boot_plugin, "quarkus": quarkus, "quarkus_package": package,
            "micronaut": micronaut, "main_class": main_class, "classpath_prefix": classpath_prefix,
            "shaded": shaded, "app": AppFacts(port=_port(ctx, member, framework), services=needs),
            "warnings": warnings + need_warnings,
            "served_dirs": art.static_dirs(model, framework), "frontend_plugin": art.frontend_plugin(model)}


def _port(ctx: RepoView, member: str, framework: str | None) -> tuple[Candidate[int], ...]:
    """The framework's port setting (read), else its default 8080 (derived); nothing for a plain jar."""
    if framework is None:
        return ()
    dirs = SPRING_DIRS if framework == "spring boot" else (RESOURCES,)
    found = config_port(ctx, member, PORT_KEYS[framework], dirs=dirs)
    if found is not None:
        return (Candidate(value=found.value, evidence=found.source, confidence="read"),)
    key = PORT_KEYS[framework][-1]
    imported = config_value(ctx, member, "spring.config.import") if framework == "spring boot" else None
    if imported is not None and "configserver:" in imported.value:
        # The config server's copy of the settings usually sets server.port (petclinic-microservices:
        # 8081 for customers-service), and it is not in this repository: a guess, said as one.
        return (Candidate(value=DEFAULT_PORT, confidence="assumed", evidence=Source.default(
            f"Spring Boot's default {key}; {imported.source} imports a config server, which may set another"),),)
    return (Candidate(value=DEFAULT_PORT, evidence=Source.default(f"{_title(framework)}'s default {key}"),
                      confidence="derived"),)


def _title(framework: str) -> str:
    return {"spring boot": "Spring Boot", "quarkus": "Quarkus", "micronaut": "Micronaut"}[framework]


# ---- the reactor ----------------------------------------------------------------------------------


def _manifests(ctx: RepoView, member: str, model: Model) -> tuple[str, ...]:
    """The POMs Maven reads before the sources: the reactor's when building a module, and the chain's."""
    poms = {p.path for p in model.chain}
    if member:
        poms.update(posixpath.join(d, POM) if d else POM for d in reactor(ctx))
    return tuple(sorted(safe.rel_path(p, model.file, "<modules>") for p in poms))


def _reactor_facts(ctx: RepoView, member: str, model: Model) -> dict:
    listed = module_dirs(model.pom)
    out: dict = {"modules": None, "deployable": None, "module": None, "upstream": None}
    def names(dirs) -> tuple[str, ...]:
        return tuple(safe.rel_path(posixpath.relpath(d, member or "."), model.file, "<module>") for d in dirs)

    if listed:
        out["modules"] = fact(names(listed), model.file, "<modules>")
        runnable = names(d for d in reactor(ctx, member)[1:] if _runnable(ctx, d))
        out["deployable"] = fact(runnable, model.file, "<modules>") if runnable else None
    if member:
        out["module"] = fact(safe.rel_path(member, POM, "<modules>"), POM, "<modules>")
        ups = upstream(ctx, model, reactor(ctx))
        ups_names = tuple(safe.rel_path(d, model.file, "<dependencies>") for d in ups)
        out["upstream"] = fact(ups_names, model.file, "<dependencies>") if ups else None
    return out


def _runnable(ctx: RepoView, module_dir: str) -> bool:
    try:
        model, _ = load(ctx, module_dir)
        return not module_dirs(model.pom) and art.runnable(model)
    except InvalidInputError:
        return False  # a module dockgen cannot read is not offered


# ---- identity -------------------------------------------------------------------------------------


def _version(model: Model) -> Fact[str]:
    own = raw(model.root, "version")
    if own:
        return fact(safe.version(model.resolve(own, "<version>"), model.file, "<version>"), model.file, "<version>")
    inherited = raw(find(model.root, "parent"), "version")
    if inherited:
        value = model.resolve(inherited, "<parent><version>")
        return fact(safe.version(value, model.file, "<parent><version>"), model.file, "<parent><version>")
    raise InvalidInputError("no <version> (and no <parent><version> to inherit)", file=model.file,
                            hint="add the project's <version>")


def _group(model: Model) -> Fact[str] | None:
    for path, field in (("groupId", "<groupId>"), ("parent/groupId", "<parent><groupId>")):
        value = raw(model.root, path)
        if value:
            value = model.resolve(value, field)
            return fact(safe.name(value, model.file, f"<{path}>", "Maven groupId"), model.file, field)
    return None


def _final_name(model: Model, artifact_id: Fact[str], version: Fact[str]) -> Fact[str]:
    found = model.first("build/finalName")
    if found is None:
        return fact(f"{artifact_id.value}-{version.value}", model.file, "<artifactId>-<version>")
    value = model.resolve(found[0], "<build><finalName>")
    return fact(safe.name(value, found[1], "<build><finalName>", "file name"), found[1], "<build><finalName>")


def _label(model: Model, value: str | None, file: str, field: str) -> Fact[str] | None:
    if value is None:
        return None
    try:
        value = model.resolve(value, field)
    except InvalidInputError:  # a label is informative only: keep the text as written
        pass
    return fact(safe.label_text(value, file, field), file, field)


def _inherited_label(model: Model, key: str) -> Fact[str] | None:
    found = model.first(key)
    return None if found is None else _label(model, found[0], found[1], f"<{key}>")


def _licenses(model: Model) -> Fact[str] | None:
    for layer in model.layers:
        names = [n for n in (raw(lic, "name") for lic in findall(layer.el, "licenses/license")) if n]
        if names:
            return fact(safe.label_text(" OR ".join(names), layer.file, "<licenses>"),
                        layer.file, "<licenses><license><name>")
    return None


def _scm_url(model: Model) -> Fact[str] | None:
    url = raw(model.root, "scm/url")
    if not url or not re.match(r"^https://[A-Za-z0-9./_~:@%+-]+$", url):
        return None
    return fact(safe.label_text(url, model.file, "<scm><url>"), model.file, "<scm><url>")


# ---- the wrapper ------------------------------------------------------------------------------------


def _wrapper(ctx: RepoView) -> Fact[bool] | None:
    if ctx.is_file("mvnw") and ctx.is_file(WRAPPER_PROPERTIES):
        return fact(True, Source.all(Source.of("mvnw"), Source.of(WRAPPER_PROPERTIES)))
    return None


def _wrapper_warnings(ctx: RepoView) -> list[str]:
    if ctx.is_file("mvnw") and not ctx.is_file(WRAPPER_PROPERTIES):
        return [f"mvnw: found without {WRAPPER_PROPERTIES}, so it is not used; the build uses the maven image's Maven"]
    return []


# ---- Java version ---------------------------------------------------------------------------------


def _java_version(model: Model) -> Fact[str] | None:
    """``release`` over ``target`` over Spring Boot's ``java.version``; plugin config over properties."""
    decls = model.declarations("maven-compiler-plugin")
    declared = [p for p, _ in model.plugins()]
    candidates = []
    for key in ("release", "target"):
        for el, layer in decls:
            where = "maven-compiler-plugin" if el in declared else "<pluginManagement> maven-compiler-plugin"
            candidates.append((raw(el, f"configuration/{key}"), layer.file, f"{where} <{key}>"))
        prop = f"maven.compiler.{key}"
        if model.prop(prop) is not None:
            candidates.append((model.prop(prop), model.prop_file(prop), f"<{prop}>"))
    # Spring Boot's parent compiles for java.version, micronaut-parent for release.version / jdk.version.
    for prop in ("java.version", *(MICRONAUT_JAVA if art.external_parent(model) in art.MICRONAUT_PARENTS else ())):
        if model.prop(prop) is not None:
            candidates.append((model.prop(prop), model.prop_file(prop), f"<{prop}>"))
    for value, file, field in candidates:
        if value:
            value = safe.version(model.resolve(value, field), file, field)
            match = _JAVA_MAJOR.fullmatch(value)
            if not match:
                raise InvalidInputError(f"{field}: {value!r} is not a Java version", file=file,
                                        hint="use a Java major such as 21 or 17")
            return fact(str(int(match.group(1))), file, field)
    return None


#: asdf/mise Java names: ``temurin-21.0.5+11.0.LTS``, ``openjdk-21``, ``corretto-17.0.9.8.1``, ``21``.
_TOOL_JAVA = re.compile(r"^(?:[a-z][a-z0-9]*-)*(?:1\.)?([0-9]{1,2})(?:[.+_-][0-9A-Za-z.+_-]*)?$")


def _tool_java(repo: RepoView) -> Fact[str] | None:
    """The JDK ``.tool-versions`` / ``mise.toml`` pin, when the POMs name no Java version."""
    pins = tool_versions.requests(repo, ("java",))
    if not pins:
        return None
    pin = pins[0]
    match = _TOOL_JAVA.fullmatch(pin.value)
    if not match:
        raise InvalidInputError(f"{pin.source.field}: {pin.value[:40]!r} is not a Java version", file=pin.source.file,
                                hint="pin a JDK such as temurin-21.0.5+11.0.LTS or 21")
    return Fact(value=str(int(match.group(1))), source=pin.source)

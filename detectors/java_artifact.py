"""What the Maven build of a module produces and how it starts: Spring Boot, Quarkus, Micronaut,
the jar manifest and the shade plugin, read from the module's effective model (``java_model``)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from . import safe
from .errors import InvalidInputError
from .facts import Fact, Source, fact
from .java_model import Layer, Model
from .java_pom import find, findall, raw

BOOT_GROUP = "org.springframework.boot"
BOOT_PARENT = "spring-boot-starter-parent"
BOOT_PLUGIN = "spring-boot-maven-plugin"
BOOT_BOM = "spring-boot-dependencies"
QUARKUS_PLUGIN = "quarkus-maven-plugin"
MICRONAUT_PARENT = "micronaut-parent"
MICRONAUT_PLUGIN = "micronaut-maven-plugin"
MICRONAUT_PARENTS = {("io.micronaut.platform", MICRONAUT_PARENT), ("io.micronaut", MICRONAUT_PARENT)}
#: Parents outside the repository known to manage the versions of the plugins their children declare.
PLUGIN_MANAGING_PARENTS = {(BOOT_GROUP, BOOT_PARENT), (BOOT_GROUP, BOOT_BOM), *MICRONAUT_PARENTS}


def where(layer: Layer, what: str) -> Source:
    """``pom.xml <build><plugins> x`` / ``pom.xml <profile> prod <build><plugins> x``."""
    profile = f"<profile> {layer.profile} " if layer.profile is not None else ""
    return Source.of(layer.file, f"{profile}{what}")


def external_parent(model: Model) -> tuple[str, str] | None:
    parent = model.external_parent
    return None if parent is None else (raw(parent, "groupId") or "", raw(parent, "artifactId") or "")


def _parent_file(model: Model) -> str:
    """The POM whose <parent> is the chain's external parent."""
    return model.chain[-1].path


# ---- Spring Boot --------------------------------------------------------------------------------


def _version(model: Model, el: Element | None, source: Source, field: str) -> Fact[str] | None:
    text = raw(el, "version")
    if not text:
        return None
    value = model.resolve(text, field)
    return fact(safe.version(value, model.file, field), source)


def spring_boot(model: Model) -> Fact[str] | None:
    """The Boot version: the starter parent at the chain's top, the plugin's version, or the Boot BOM."""
    parent = external_parent(model)
    if parent in ((BOOT_GROUP, BOOT_PARENT), (BOOT_GROUP, BOOT_BOM)):
        found = _version(model, model.external_parent, Source.of(_parent_file(model), f"<parent> {parent[1]}"),
                         "<parent><version>")
        if found is not None:
            return found
    if model.plugin(BOOT_PLUGIN, BOOT_GROUP) is None:
        return None
    declared = [p for p, _ in model.plugins()]
    for el, layer in model.declarations(BOOT_PLUGIN):
        what = f"{BOOT_PLUGIN} <version>" if el in declared else f"<pluginManagement> {BOOT_PLUGIN}"
        found = _version(model, el, where(layer, what), f"{BOOT_PLUGIN} <version>")
        if found is not None:
            return found
    for el, layer in model.managed_dependencies():
        if model.coords(el) == (BOOT_GROUP, BOOT_BOM):
            found = _version(model, el, where(layer, f"<dependencyManagement> {BOOT_BOM}"), f"{BOOT_BOM} <version>")
            if found is not None:
                return found
    raise InvalidInputError(f"{BOOT_PLUGIN} is declared but no Spring Boot version is found", file=model.file,
                            hint=f"use the {BOOT_PARENT} parent, or give the plugin a <version>")


def boot_plugin(model: Model) -> Fact[bool] | None:
    found = model.plugin(BOOT_PLUGIN, BOOT_GROUP)
    return None if found is None else fact(True, where(found[1], f"<build><plugins> {BOOT_PLUGIN}"))


# ---- Quarkus and Micronaut ------------------------------------------------------------------------


def quarkus(model: Model, packaging: Fact[str]) -> Fact[bool] | None:
    if packaging.value == "quarkus":
        return fact(True, packaging.source)
    found = model.plugin(QUARKUS_PLUGIN, None)
    return None if found is None else fact(True, where(found[1], f"<build><plugins> {QUARKUS_PLUGIN}"))


def micronaut(model: Model) -> Fact[bool] | None:
    if external_parent(model) in MICRONAUT_PARENTS:
        return fact(True, Source.of(_parent_file(model), f"<parent> {MICRONAUT_PARENT}"))
    found = model.plugin(MICRONAUT_PLUGIN, None)
    return None if found is None else fact(True, where(found[1], f"<build><plugins> {MICRONAUT_PLUGIN}"))


def micronaut_shaded(model: Model, packaging: str) -> Fact[bool] | None:
    """micronaut-parent shades a jar-packaged module with ``exec.mainClass`` as its Main-Class."""
    if packaging != "jar" or external_parent(model) not in MICRONAUT_PARENTS:
        return None
    return fact(True, Source.of(_parent_file(model), f"<parent> {MICRONAUT_PARENT} (its maven-shade-plugin)"))


def exec_main_class(model: Model) -> Fact[str] | None:
    value = model.prop("exec.mainClass")
    if not value:
        return None
    file = model.prop_file("exec.mainClass")
    resolved = model.resolve(value, "<exec.mainClass>")
    return fact(safe.java_class(resolved, file, "<exec.mainClass>"), file, "<exec.mainClass>")


# ---- the jar manifest and the shade plugin --------------------------------------------------------


def _manifest_value(model: Model, key: str) -> tuple[str, Layer] | None:
    for el, layer in model.declarations("maven-jar-plugin"):
        value = raw(find(el, "configuration/archive/manifest"), key)
        if value is not None:
            return model.resolve(value, f"maven-jar-plugin <{key}>"), layer
    return None


def jar_manifest(model: Model) -> tuple[Fact[str] | None, Fact[str] | None]:
    """(Main-Class, Class-Path prefix) maven-jar-plugin writes into the manifest."""
    main = _manifest_value(model, "mainClass")
    main_fact = None
    if main is not None and main[0]:
        main_fact = fact(safe.java_class(main[0], main[1].file, "maven-jar-plugin <mainClass>"),
                         main[1].file, "maven-jar-plugin <mainClass>")
    add = _manifest_value(model, "addClasspath")
    if add is None or add[0].lower() != "true":
        return main_fact, None
    prefix = _manifest_value(model, "classpathPrefix")
    if prefix is not None and prefix[0]:
        return main_fact, fact(safe.rel_path(prefix[0], prefix[1].file, "<classpathPrefix>") + "/",
                               prefix[1].file, "maven-jar-plugin <classpathPrefix>")
    return main_fact, fact("", add[1].file, "maven-jar-plugin <addClasspath>")


def shade(model: Model) -> tuple[Fact[bool] | None, Fact[str] | None]:
    """(the shade plugin builds the jar, the Main-Class its ManifestResourceTransformer sets)."""
    found = model.plugin("maven-shade-plugin")
    if found is None:
        return None, None
    shaded = fact(True, where(found[1], "<build><plugins> maven-shade-plugin"))
    for el, layer in model.declarations("maven-shade-plugin"):
        configs = [find(el, "configuration")] + [find(ex, "configuration")
                                                 for ex in findall(el, "executions/execution")]
        for cfg in configs:
            for tr in findall(cfg, "transformers/transformer"):
                main = raw(tr, "mainClass")
                if main:
                    value = model.resolve(main, "maven-shade-plugin <mainClass>")
                    return shaded, fact(safe.java_class(value, layer.file, "maven-shade-plugin <mainClass>"),
                                        layer.file, "maven-shade-plugin <mainClass>")
    return shaded, None


def runtime_dependency_count(model: Model) -> int:
    count = 0
    for dep, _layer in model.dependencies():
        scope = raw(dep, "scope") or "compile"
        if scope in ("compile", "runtime") and (raw(dep, "optional") or "false") != "true":
            count += 1
    return count


def runnable(model: Model) -> bool:
    """Whether the module builds something dockgen can start (for listing an aggregator's modules)."""
    packaging = raw(model.root, "packaging") or "jar"
    if packaging == "quarkus" or model.plugin(QUARKUS_PLUGIN, None) is not None:
        return True
    if packaging != "jar":
        return False
    if model.plugin(BOOT_PLUGIN, BOOT_GROUP) is not None:
        return True
    if micronaut_shaded(model, packaging) is not None and model.prop("exec.mainClass"):
        return True
    return shade(model)[1] is not None or jar_manifest(model)[0] is not None


# ---- frontends ------------------------------------------------------------------------------------

FRONTEND_PLUGIN = "frontend-maven-plugin"
#: Folders Maven packages into the jar that the frameworks serve as static files.
STATIC_DIRS = {"spring boot": ("src/main/resources/static", "src/main/resources/public"),
               "quarkus": ("src/main/resources/META-INF/resources",)}


def frontend_plugin(model: Model) -> Fact[str] | None:
    """The folder whose frontend the frontend-maven-plugin builds during ``mvn package`` (its
    ``<workingDirectory>``, the project root by default), or None without the plugin."""
    found = model.plugin(FRONTEND_PLUGIN, None)
    if found is None:
        return None
    el, layer = found
    work = raw(el, "configuration/workingDirectory") or "."
    for prefix in ("${project.basedir}/", "${basedir}/", "./"):
        work = work.removeprefix(prefix)
    return fact(work.rstrip("/") or ".", where(layer, f"<build><plugins> {FRONTEND_PLUGIN}"))


def static_dirs(model: Model, framework: str | None) -> tuple[Fact[str], ...]:
    """The resource folders the framework serves files from (packaged into the jar by Maven)."""
    return tuple(fact(d, Source.of(model.file, f"({framework} serves {d.removeprefix('src/main/resources/')} "
                                                "from the jar's resources)"))
                 for d in STATIC_DIRS.get(framework or "", ()))

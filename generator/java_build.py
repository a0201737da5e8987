"""Java: the Maven build stage and what it leaves for the runner (the artifact layout).

Order inside the build stage: the POMs (and the wrapper) first, ``dependency:go-offline`` with a cache
mount on the local repository (the "deps" step, cached after a source-only change), then the sources
and ``package -DskipTests``. Every Maven call carries the same flags: ``-P<id>`` for a declared
production profile, and for a module of a multi-module build ``-pl <module> -am`` (run from the
aggregator root: the modules it depends on are built in the same run). What follows depends on the
artifact:

- Spring Boot ≥ 2.4: the repackaged jar is extracted into its layers (dependencies, spring-boot-loader,
  snapshot-dependencies, application), each copied as its own layer and started by Boot's launcher;
- Quarkus: the fast-jar directory ``target/quarkus-app/`` is copied as its parts (lib/ first) and
  ``quarkus-run.jar`` starts it; an uber-jar (``quarkus.package.jar.type=uber-jar``) runs as one jar;
- a shaded jar (the shade plugin, or micronaut-parent's): it carries its dependencies, ``java -jar``;
- a plain jar with a Class-Path manifest (maven-jar-plugin ``addClasspath``): its runtime
  dependencies are copied next to it by maven-dependency-plugin's ``copy-dependencies``;
- a plain jar without one: the dependencies go to ``lib/`` and ``java -cp app.jar:lib/*`` starts it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..detectors.errors import ALL_MEMBERS, InvalidInputError
from ..detectors.java import JavaFacts
from . import models as m

SRC = "/src"
APP = "/app"
M2 = "/root/.m2"
JAR = f"{APP}/app.jar"
BOOT_LAYERS = ("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")
#: The parts of Quarkus' fast-jar directory (target/quarkus-app), in copy order (dependencies first).
QUARKUS_PARTS = ("lib/", "quarkus-run.jar", "app/", "quarkus/")
#: JVM flags in every start command: size the heap from the container's memory limit.
JVM_FLAGS = ("-XX:MaxRAMPercentage=75",)
#: Extra goal for the dependency step of plain jars: the runtime dependencies as files.
COPY_DEPENDENCIES = "dependency:copy-dependencies -DincludeScope=runtime"


@dataclass(frozen=True)
class Boot:
    """How one Spring Boot version extracts its layered jar and which launcher starts it."""

    extract: str
    launcher: str
    why: str


def _version_tuple(v: str) -> tuple[int, int]:
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in v.split(".")[:2]]
    return (parts + [0, 0])[0], (parts + [0, 0])[1]


def boot_mode(version: str) -> Boot | None:
    """The extraction for a Boot version; None before 2.4 (no layered jar by default)."""
    v = _version_tuple(version)
    if v >= (3, 3):
        return Boot("java -Djarmode=tools -jar {jar} extract --layers --launcher --destination {dest}",
                    "org.springframework.boot.loader.launch.JarLauncher",
                    "Boot 3.3+ extracts with -Djarmode=tools (layertools is deprecated)")
    if v >= (3, 2):
        return Boot("java -Djarmode=layertools -jar {jar} extract --destination {dest}",
                    "org.springframework.boot.loader.launch.JarLauncher",
                    "Boot 3.2 extracts with -Djarmode=layertools; its launcher moved to loader.launch")
    if v >= (2, 4):
        return Boot("java -Djarmode=layertools -jar {jar} extract --destination {dest}",
                    "org.springframework.boot.loader.JarLauncher",
                    "Boot 2.4-3.1 extracts with -Djarmode=layertools")
    return None


@dataclass(frozen=True)
class Artifact:
    """What the runner copies from the build stage, and the start command."""

    copies: tuple[m.Copy, ...]
    argv: tuple[str, ...]
    reasons: tuple[str, ...]


def mvn(facts: JavaFacts) -> str:
    """The Maven command with the flags every call of this build takes."""
    words = ["./mvnw" if facts.wrapper else "mvn", "-B"]
    if facts.profile:
        words.append(f"-P{facts.profile.value}")
    if facts.module:
        words += ["-pl", facts.module.value, "-am"]
    return " ".join(words)


def target(facts: JavaFacts, rel: str = "") -> str:
    """``target/…`` of the module, relative to the build context."""
    base = posixpath.join(facts.module.value, "target") if facts.module else "target"
    return posixpath.join(base, rel) if rel else base


def _check_packaging(facts: JavaFacts) -> None:
    if facts.modules is not None or facts.packaging.value == "pom":
        listed = facts.deployable.value if facts.deployable else ()
        found = (f"; its deployable modules: {', '.join(listed)}" if listed
                 else "; none of its modules builds a runnable jar dockgen can see")
        raise InvalidInputError(
            f"is a multi-module (aggregator) POM; dockgen builds one module at a time{found}", file="pom.xml",
            hint=(f"run `dockgen init {listed[0]}` (from here or inside the module)" if listed
                  else "run dockgen in the module that builds the application jar") + ALL_MEMBERS)
    if facts.packaging.value == "quarkus" and facts.quarkus:
        return
    if facts.packaging.value != "jar":
        raise InvalidInputError(
            f"<packaging>{facts.packaging.value}</packaging> is not supported (dockgen runs jar artifacts)",
            file=facts.packaging.source.file or "pom.xml",
            hint="package the application as a jar (Spring Boot: the default)")


def artifact(facts: JavaFacts, command: tuple[str, ...] | None) -> tuple[tuple[str, ...], Artifact]:
    """(extra work: Maven goals for the dependency step, or shell commands after ``package``; the layout).

    Extra work that starts with ``dependency:`` joins the dependency step (the package run, for a
    module: the sibling jars it copies exist only after ``package``); the rest runs after ``package``.
    """
    _check_packaging(facts)
    if facts.quarkus:
        return quarkus_artifact(facts, command)
    jar = target(facts, f"{facts.final_name.value}.jar")
    built = f"jar {jar} (name from {facts.final_name.source})"
    boot = boot_mode(facts.spring_boot.value) if facts.spring_boot else None
    if boot is not None:
        return boot_artifact(facts, boot, jar, built, command)
    jar_copy = m.Copy(from_stage="build", sources=(f"{SRC}/{jar}",), dest=JAR)
    if facts.spring_boot:
        return (), Artifact((jar_copy,), command or ("java", *JVM_FLAGS, "-jar", JAR),
                            (f"spring boot {facts.spring_boot.value} (from {facts.spring_boot.source}) predates "
                             f"layered jars (2.4): {built} runs as one fat jar",))
    if facts.shaded and facts.micronaut and facts.main_class is None and command is None:
        raise InvalidInputError("micronaut-parent shades the jar with the exec.mainClass property as its Main-Class, "
                                "and it is not set", file=facts.artifact_id.source.file or "pom.xml",
                                hint="set <exec.mainClass> in <properties> to the application's main class")
    if facts.shaded:
        main = f", Main-Class {facts.main_class.value} (from {facts.main_class.source})" if facts.main_class else ""
        return (), Artifact((jar_copy,), command or ("java", *JVM_FLAGS, "-jar", JAR),
                            (f"shaded {built}: its dependencies are inside (from {facts.shaded.source}){main}",))
    return plain_artifact(facts, command, jar_copy, built)


def boot_artifact(facts: JavaFacts, boot: Boot, jar: str, built: str,
                  command: tuple[str, ...] | None) -> tuple[tuple[str, ...], Artifact]:
    dest = target(facts, "extracted")
    steps = (boot.extract.format(jar=jar, dest=dest),
             # An empty layer (no snapshot dependencies) must still exist for its COPY.
             "mkdir -p " + " ".join(f"{dest}/{layer}" for layer in BOOT_LAYERS))
    copies = tuple(m.Copy(from_stage="build", sources=(f"{SRC}/{dest}/{layer}/",), dest=f"{APP}/")
                   for layer in BOOT_LAYERS)
    argv = command or ("java", *JVM_FLAGS, boot.launcher)
    return steps, Artifact(copies, argv, (
        f"spring boot {facts.spring_boot.value} (from {facts.spring_boot.source}): {built} extracted into "
        f"its layers, dependencies first so a code change rebuilds only the application layer; {boot.why}",))


def quarkus_artifact(facts: JavaFacts, command: tuple[str, ...] | None) -> tuple[tuple[str, ...], Artifact]:
    package = facts.quarkus_package
    assert package is not None
    seen = f"quarkus (from {facts.quarkus.source})"
    if package.value == "uber-jar":
        jar = target(facts, f"{facts.final_name.value}-runner.jar")
        return (), Artifact((m.Copy(from_stage="build", sources=(f"{SRC}/{jar}",), dest=JAR),),
                            command or ("java", *JVM_FLAGS, "-jar", JAR),
                            (f"{seen}: the uber-jar {jar} (from {package.source}) runs as one jar",))
    if package.value != "fast-jar":
        raise InvalidInputError(f"quarkus.package.jar.type {package.value} is not supported (dockgen runs Quarkus' "
                                "fast-jar or uber-jar)", file=package.source.file or "pom.xml",
                                hint="remove the setting (fast-jar is Quarkus' default) or use uber-jar")
    app_dir = target(facts, "quarkus-app")
    copies = tuple(m.Copy(from_stage="build", sources=(f"{SRC}/{app_dir}/{part}",), dest=f"{APP}/{part}")
                   for part in QUARKUS_PARTS)
    return (), Artifact(copies, command or ("java", *JVM_FLAGS, "-jar", f"{APP}/quarkus-run.jar"), (
        f"{seen}: the fast-jar {app_dir}/ ({package.value} from {package.source}) copied as its parts, "
        "lib/ first so a code change rebuilds only app/ and quarkus/; quarkus-run.jar starts it",))


def plain_artifact(facts: JavaFacts, command: tuple[str, ...] | None, jar_copy: m.Copy,
                   built: str) -> tuple[tuple[str, ...], Artifact]:
    if facts.main_class is None and command is None:
        raise InvalidInputError(
            "the jar has no Main-Class, so it cannot be started", file=facts.artifact_id.source.file or "pom.xml",
            hint="set maven-jar-plugin <configuration><archive><manifest><mainClass>, or pass --command")
    deps = facts.runtime_dependencies.value
    prefix = facts.classpath_prefix.value.strip("/") if facts.classpath_prefix else None
    lib_dir = prefix or "lib"
    steps: tuple[str, ...] = ()
    copies: tuple[m.Copy, ...] = ()
    if deps:
        # Into maven-dependency-plugin's default target/dependency, in the dependency layer: a code
        # change does not copy them again. Renamed to the manifest's prefix by the runner's COPY.
        steps = (COPY_DEPENDENCIES,)
        copies = (m.Copy(from_stage="build", sources=(f"{SRC}/{target(facts, 'dependency')}/",),
                         dest=f"{APP}/{lib_dir}/"),)
    noun = "dependency" if deps == 1 else "dependencies"
    if command is not None:  # (no Main-Class and no command was refused above)
        why = (f"plain {built}; its {deps} runtime {noun} in {lib_dir}/; started by the command given with "
               "--command")
        return steps, Artifact((*copies, jar_copy), command, (why,))
    if facts.classpath_prefix is not None or not deps:
        why = (f"plain {built}; its {deps} runtime {noun} copied to {lib_dir}/ next to it, where its Class-Path "
               f"manifest entry (from {facts.classpath_prefix.source}) finds them" if deps and facts.classpath_prefix
               else f"plain {built} without runtime dependencies")
        argv = ("java", *JVM_FLAGS, "-jar", JAR)
    else:
        why = (f"plain {built}; its manifest has no Class-Path, so its {deps} runtime {noun} go to {lib_dir}/ and "
               f"java -cp starts {facts.main_class.value} (from {facts.main_class.source})")
        argv = ("java", *JVM_FLAGS, "-cp", f"{JAR}:{APP}/{lib_dir}/*", facts.main_class.value)
    return steps, Artifact((*copies, jar_copy), argv, (why,))


def deps_steps(facts: JavaFacts, extra: tuple[str, ...]) -> tuple[m.Instruction, ...]:
    """The POMs (and the wrapper) alone, then ``dependency:go-offline`` with the extra dependency goals."""
    dep_goals = [] if facts.module else [e for e in extra if e.startswith("dependency:")]
    wrapper = (m.Copy(sources=("mvnw",), dest="./", chmod="0755"), m.Copy(sources=(".mvn",), dest="./.mvn")) \
        if facts.wrapper else ()
    poms = tuple(m.Copy(sources=(p,), dest=posixpath.dirname(p) + "/" if "/" in p else "./")
                 for p in sorted(facts.manifests, key=lambda p: (p.count("/"), p)))  # the root's first
    return (*wrapper, *poms,
            m.Run(command=" ".join([f"{mvn(facts)} dependency:go-offline", *dep_goals]),
                  mounts=(m.cache_mount(M2),), step="deps"))


def build_stage(facts: JavaFacts, builder: m.ImageRef, deps: tuple[m.Instruction, ...],
                extra: tuple[str, ...]) -> m.Stage:
    dep_goals = [e for e in extra if e.startswith("dependency:")] if facts.module else []
    after_package = [e for e in extra if not e.startswith("dependency:")]
    package = " ".join([f"{mvn(facts)} package", *dep_goals, "-DskipTests"])
    ins = (m.Workdir(path=SRC), *deps, m.Copy(sources=(".",), dest="."),
           m.Run(command=" && ".join([package, *after_package]), mounts=(m.cache_mount(M2),), step="build"))
    tool = "the project's Maven wrapper (mvnw)" if facts.wrapper else "Maven"
    return m.Stage(name="build", image=builder,
                   comment=f"Build with {tool}: the POM and its dependencies first, so code changes reuse them",
                   instructions=ins)

"""Java (Maven) planner: JavaFacts + Options → BuildPlan.

Stages: ``healthcheck`` (a compiled probe class, when a health check is on), ``build`` (Maven, see
``java_build``), and the runner (see ``java_runner``). Every choice is explained in the header.

A module of a multi-module build is built from the aggregator root: the plan's ``context`` says so,
the COPY sources are relative to that root, and the ignore patterns reach into every module.
"""

from __future__ import annotations

import posixpath


from ..detectors.facts import Candidate, Source
from ..detectors.java import DEFAULT_PORT, JavaFacts
from . import common, evidence, phases, runtime_stage
from . import java_build as jb
from . import java_runner as jr
from . import java_version
from . import models as m
from ..detectors import java as detector
from ..detectors import compose_ports, java_reactor
from .catalog import Runtime, image
from .options import Options
from .runtime_stage import RunnerSpec, RuntimeStage
from .stackdef import StackDef

IGNORE = ("target", "*.iml", ".classpath", ".project", ".settings", ".factorypath", "hs_err_pid*",
          "replay_pid*")
#: Quarkus binds 0.0.0.0 in its prod profile already; saying so in the image keeps a config that
#: sets quarkus.http.host from hiding the app inside the container.
QUARKUS_HOST = ("QUARKUS_HTTP_HOST", "0.0.0.0")
#: The environment variable each framework reads its HTTP port from.
PORT_ENV = {"spring boot": "SERVER_PORT", "quarkus": "QUARKUS_HTTP_PORT", "micronaut": "MICRONAUT_SERVER_PORT"}


def plan(facts: JavaFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    with options.blame("versions.java"):
        major, version_reason, version_warnings = java_version.resolve(facts.java_version,
                                                                       options.fact("versions.java"), runtime,
                                                                       options.strict)
    entry = runtime.versions[major]
    runner = jr.spec(*jr.choose(options, entry), entry)
    builder = image(entry.jdk if facts.wrapper and entry.jdk else entry.builder)
    extra, art = jb.artifact(facts, options.command)
    port = evidence.choose("port", "port", facts.app.port, options, assumed=Candidate(
        value=DEFAULT_PORT, evidence=Source.default("a plain jar: no framework names it, 8080 is the usual Java default"),
        confidence="assumed"))
    path = common.healthcheck_path(options.healthcheck)
    deps = deps_phase(facts, builder, extra)
    build = build_phase(facts, builder, major, deps, extra, path)
    rt = runtime_phase(facts, options, runner, art, port, path)
    header = (version_reason, *_build_reasons(facts), *deps.reasons, *art.reasons, *_app_reasons(facts),
              runner.reason, "JVM heap: 75% of the container's memory limit (-XX:MaxRAMPercentage=75)",
              *(f"{k}={v}: the app's own config does not set port {v}, and the variable outranks it"
                for k, v in port_env(facts, port.value)))
    return phases.assemble("java", header, build, rt, ignore=common.ignore_patterns(_ignore(facts), options.ignore),
                           warnings=(*facts.warnings, *version_warnings, *([port.warning] if port.warning else ())),
                           context=_context(facts))


def port_env(facts: JavaFacts, port: int) -> tuple[tuple[str, str], ...]:
    """The framework's port variable when the chosen port is not the one its own config sets (an
    option, or the maintainers' compose file): environment variables outrank every config file
    (and a config server's settings) in Spring Boot, Quarkus and Micronaut."""
    framework = "quarkus" if facts.quarkus else "micronaut" if facts.micronaut else "spring boot" if facts.spring_boot else None
    if framework is None:
        return ()
    own = next((c.value for c in facts.app.port
                if posixpath.basename(c.evidence.file or "") not in compose_ports.FILES), DEFAULT_PORT)
    return ((PORT_ENV[framework], str(port)),) if port != own else ()


def _context(facts: JavaFacts) -> m.BuildContext | None:
    if facts.module is None:
        return None
    return m.BuildContext.above(facts.module.value, "the Maven aggregator root")


def _ignore(facts: JavaFacts) -> tuple[str, ...]:
    if facts.module is None:
        return IGNORE
    # The context is the aggregator root: build outputs and dockgen's files of every module stay out.
    return (*(f"**/{p}" for p in IGNORE), "# dockgen's files, in every module",
            *(f"**/{p}" for p in common.MEMBER_IGNORE))


def _build_reasons(facts: JavaFacts) -> tuple[str, ...]:
    out = []
    if facts.module is not None:
        first = (f"; -am builds {', '.join(facts.upstream.value)} first (from {facts.upstream.source})"
                 if facts.upstream else "")
        out.append(f"module {facts.module.value} (from {facts.module.source}): built from the aggregator root with "
                   f"-pl {facts.module.value} -am, every POM of the reactor copied first{first}")
    if facts.profile is not None:
        out.append(f"maven profile {facts.profile.value} (from {facts.profile.source}): the production build, "
                   f"-P{facts.profile.value} on every Maven call")
    return tuple(out)


def _app_reasons(facts: JavaFacts) -> tuple[str, ...]:
    if facts.quarkus:
        return (f"quarkus listens on {QUARKUS_HOST[1]} ({QUARKUS_HOST[0]} is set), so the published port reaches it",)
    if facts.micronaut:
        main = (f"; Main-Class {facts.main_class.value} (from {facts.main_class.source})"
                if facts.main_class and not facts.shaded else "")
        return (f"micronaut (from {facts.micronaut.source}){main}: it listens on all addresses by default",)
    return ()


def deps_phase(facts: JavaFacts, builder: m.ImageRef, extra: tuple[str, ...]) -> phases.DepsPhase:
    tool = (f"the project's Maven wrapper (from {facts.wrapper.source}) in {builder.tagged}" if facts.wrapper
            else f"Maven in {builder.tagged}")
    return phases.DepsPhase(steps=jb.deps_steps(facts, extra), reasons=(
        f"build: {tool}; dependency:go-offline runs in its own layer with a cache mount on {jb.M2}",))


def build_phase(facts: JavaFacts, builder: m.ImageRef, major: str, deps: phases.DepsPhase, extra: tuple[str, ...],
                path: str | None) -> phases.BuildPhase:
    probe = (jr.probe_stage(builder, major),) if path is not None else ()
    return phases.BuildPhase(stages=(*probe, jb.build_stage(facts, builder, deps.steps, extra)))


def runtime_phase(facts: JavaFacts, options: Options, runner: RunnerSpec, art: jb.Artifact,
                  port: evidence.Chosen[int], path: str | None) -> RuntimeStage:
    user_run = jr.create_user(runner.runner)
    files: list = [*([user_run] if user_run is not None else []), m.Workdir(path=jb.APP)]
    env = (*((QUARKUS_HOST,) if facts.quarkus else ()), *port_env(facts, port.value))
    if env:
        files.append(m.Env(pairs=env))
    if path is not None:
        files.append(m.Copy(from_stage="healthcheck", sources=(jr.PROBE_DIR,), dest=jr.PROBE_DIR))
    files += art.copies
    # Spring Boot starts slower than a plain jar: a longer grace period before failed probes count.
    slow = facts.spring_boot or facts.quarkus or facts.micronaut
    health = (jr.healthcheck(port.value, path, "60s" if slow else "20s") if path is not None
              else runtime_stage.disabled(options))
    labels = common.oci_labels(
        title=facts.name or facts.artifact_id, version=facts.version, description=facts.description,
        source=facts.scm_url, licenses=facts.licenses, base=runner.image)
    return RuntimeStage(runner=runner, summary="a JRE only; the application files stay owned by root "
                        "(read-only for the app)", files=tuple(files), labels=labels, labels_first=True,
                        port=port.fact, port_assumed=port.confidence == "assumed", health=health,
                        entrypoint=art.argv)


STACK = StackDef(name="java", title="Java (Maven)", detect=detector.detect, plan=plan, order=30,
                 manifests=("pom.xml",), workspace_root=java_reactor.reactor_root,
                 workspace_members=java_reactor.members,
                 compose_init=(False, "the JVM stops on SIGTERM (its shutdown hooks) and the app starts no child processes"))

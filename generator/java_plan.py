"""Java (Maven) planner: JavaFacts + Options → BuildPlan.

Stages: ``healthcheck`` (a compiled probe class, when a health check is on), ``build`` (Maven, see
``java_build``), and the runner (see ``java_runner``). Every choice is explained in the header.
"""

from __future__ import annotations

from ..detectors.facts import Fact
from ..detectors.java import JavaFacts
from . import common, phases, runtime_stage
from . import java_build as jb
from . import java_runner as jr
from . import java_version
from . import models as m
from ..detectors import java as detector
from .catalog import Runtime, image
from .options import Options
from .runtime_stage import RunnerSpec, RuntimeStage
from .stackdef import StackDef

IGNORE = ("target", "*.iml", ".classpath", ".project", ".settings", ".factorypath", "hs_err_pid*",
          "replay_pid*")


def plan(facts: JavaFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    with options.blame("versions.java"):
        major, version_reason, version_warnings = java_version.resolve(facts.java_version,
                                                                       options.fact("versions.java"), runtime)
    entry = runtime.versions[major]
    runner = jr.spec(*jr.choose(options, entry), entry)
    builder = image(entry.jdk if facts.wrapper and entry.jdk else entry.builder)
    extra, art = jb.artifact(facts, options.command)
    port = options.fact("port") or facts.port
    path = common.healthcheck_path(options.healthcheck)
    deps = deps_phase(facts, builder, extra)
    build = build_phase(facts, builder, major, deps, extra, path)
    rt = runtime_phase(facts, options, runner, art, port, path)
    header = (version_reason, *deps.reasons, *art.reasons, runner.reason,
              "JVM heap: 75% of the container's memory limit (-XX:MaxRAMPercentage=75)")
    return phases.assemble("java", header, build, rt, ignore=common.ignore_patterns(IGNORE, options.ignore),
                           warnings=(*facts.warnings, *version_warnings))


def deps_phase(facts: JavaFacts, builder: m.ImageRef, extra: tuple[str, ...]) -> phases.DepsPhase:
    tool = (f"the project's Maven wrapper (from {facts.wrapper.source}) in {builder.tagged}" if facts.wrapper
            else f"Maven in {builder.tagged}")
    return phases.DepsPhase(steps=jb.deps_steps(facts, extra), reasons=(
        f"build: {tool}; dependency:go-offline runs in its own layer with a cache mount on {jb.M2}",))


def build_phase(facts: JavaFacts, builder: m.ImageRef, major: str, deps: phases.DepsPhase, extra: tuple[str, ...],
                path: str | None) -> phases.BuildPhase:
    probe = (jr.probe_stage(builder, major),) if path is not None else ()
    return phases.BuildPhase(stages=(*probe, jb.build_stage(facts, builder, deps.steps, extra)))


def runtime_phase(facts: JavaFacts, options: Options, runner: RunnerSpec, art: jb.Artifact, port: Fact[int],
                  path: str | None) -> RuntimeStage:
    user_run = jr.create_user(runner.runner)
    files: list = [*([user_run] if user_run is not None else []), m.Workdir(path=jb.APP)]
    if path is not None:
        files.append(m.Copy(from_stage="healthcheck", sources=(jr.PROBE_DIR,), dest=jr.PROBE_DIR))
    files += art.copies
    # Spring Boot starts slower than a plain jar: a longer grace period before failed probes count.
    health = (jr.healthcheck(port.value, path, "60s" if facts.spring_boot else "20s") if path is not None
              else runtime_stage.disabled(options))
    labels = common.oci_labels(
        title=facts.name or facts.artifact_id, version=facts.version, description=facts.description,
        source=facts.scm_url, licenses=facts.licenses, base=runner.image)
    return RuntimeStage(runner=runner, summary="a JRE only; the application files stay owned by root "
                        "(read-only for the app)", files=tuple(files), labels=labels, labels_first=True, port=port,
                        health=health, entrypoint=art.argv)


STACK = StackDef(name="java", title="Java (Maven)", detect=detector.detect, plan=plan, order=30,
                 manifests=("pom.xml",))

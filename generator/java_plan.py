"""Java (Maven) planner: JavaFacts + Options → BuildPlan.

Stages: ``healthcheck`` (a compiled probe class, when a health check is on), ``build`` (Maven, see
``java_build``), and the runner (see ``java_runner``). Every choice is explained in the header.
"""

from __future__ import annotations

from ..detectors.java import JavaFacts
from . import common
from . import java_build as jb
from . import java_runner as jr
from . import java_version
from . import models as m
from ..detectors import java as detector
from .catalog import Runtime, image
from .options import Options
from .stackdef import StackDef

IGNORE = ("target", "*.iml", ".classpath", ".project", ".settings", ".factorypath", "hs_err_pid*",
          "replay_pid*")


def plan(facts: JavaFacts, options: Options, runtime: Runtime) -> m.BuildPlan:
    with options.blame("versions.java"):
        major, version_reason, version_warnings = java_version.resolve(facts.java_version,
                                                                       options.fact("versions.java"), runtime)
    entry = runtime.versions[major]
    runner, runner_reason = jr.choose(options, entry)
    rs = jr.spec(runner, entry)
    builder = image(entry.jdk if facts.wrapper and entry.jdk else entry.builder)

    extra, art = jb.artifact(facts, options.command)
    port_fact = options.fact("port") or facts.port
    port = port_fact.value
    probe_path = common.healthcheck_path(options.healthcheck)

    stages: list[m.Stage] = []
    if probe_path is not None:
        stages.append(jr.probe_stage(builder, major))
    stages.append(jb.build_stage(facts, builder, extra))

    ins: list = []
    labels = common.oci_labels(
        title=facts.name or facts.artifact_id, version=facts.version, description=facts.description,
        source=facts.scm_url, licenses=facts.licenses, base=rs.image)
    if labels is not None:
        ins.append(labels)
    user_run = jr.create_user(runner)
    if user_run is not None:
        ins.append(user_run)
    ins.append(m.Workdir(path=jb.APP))
    if probe_path is not None:
        ins.append(m.Copy(from_stage="healthcheck", sources=(jr.PROBE_DIR,), dest=jr.PROBE_DIR))
    ins.extend(art.copies)
    ins.append(m.User(uid=rs.uid, gid=rs.uid))
    ins.append(m.Expose(port=port))
    if probe_path is not None:
        ins.append(jr.healthcheck(port, probe_path, "60s" if facts.spring_boot else "20s"))
    else:
        ins.append(m.Comment(text="No HEALTHCHECK: disabled with --healthcheck ''"))
    ins.append(m.Entrypoint(argv=art.argv))

    stages.append(m.Stage(name=None, image=rs.image,
                          comment=f"Runtime: a JRE only, running as {rs.why}; the application files stay "
                                  "owned by root (read-only for the app)",
                          instructions=tuple(ins)))

    build_tool = ("the project's Maven wrapper (from " + str(facts.wrapper.source) + ") in " + builder.tagged
                  if facts.wrapper else f"Maven in {builder.tagged}")
    reasons = common.header(
        version_reason,
        f"build: {build_tool}; dependency:go-offline runs in its own layer with a cache mount on {jb.M2}",
        *art.reasons,
        runner_reason,
        f"port {port} (from {port_fact.source})",
        ("health check: a compiled Java probe requests " + probe_path + " (the JRE images have no curl)")
        if probe_path is not None else "",
        "JVM heap: 75% of the container's memory limit (-XX:MaxRAMPercentage=75)",
    )
    return m.BuildPlan(
        ecosystem="java",
        runner=runner,
        reasons=reasons,
        stages=tuple(stages),
        ignore=common.ignore_patterns(IGNORE, options.ignore),
        port=port,
        user=rs.uid,
        warnings=(*facts.warnings, *version_warnings),
    )


STACK = StackDef(name="java", title="Java (Maven)", detect=detector.detect, plan=plan, order=30,
                 manifests=("pom.xml",))

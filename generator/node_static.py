"""Node: a static frontend (a Vite, Create React App, Angular or SvelteKit adapter-static SPA whose build
writes a folder of files and that has no server of its own), served by nginx.

A project or workspace member is one when nothing else can be started (``NodeFacts.static_reason``:
a build script, and no production start script, main, entry file, NestJS, Next.js or other start the
planner derives, such as an Nx build's entry; a start script that runs a development server such as
``vite`` does not count) and ``--command`` names none. The
folder its build writes comes from ``detectors/node_outdir`` (vite ``build.outDir`` or ``dist``,
``react-scripts build`` → ``build``, angular.json ``outputPath``, adapter-static ``pages``,
``--outDir``); when it is unknown the project is refused with the reason, never served empty.

Stages: ``build`` (the Node stack's frontend build, ``node_plan.asset_build``: the locked install with
dev dependencies, the sources, ``<pm> run build``; a member's from its workspace root) and the
runner: ``debian:trixie-slim`` with Debian's nginx (catalog ``[node] static_packages``, the runner
``[node.runners] nginx``) and a config written at build time (``printf``: Docker 20.10's built-in
frontend has no heredocs) that listens on 8080 (a non-root user may bind it where Kubernetes or
podman do not allow ports below 1024), serves the build folder copied to ``/app`` (root-owned) with
the SPA fallback ``try_files $uri $uri/ /index.html``, keeps its pid and temp files in ``/tmp``, logs
errors to stderr and requests to stdout; numeric user 65532; ``nginx -g 'daemon off;'`` in exec form;
the HEALTHCHECK is bash's ``/dev/tcp`` (the image has no curl), any status below 500.
"""

from __future__ import annotations

import posixpath

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Candidate, Fact, Source
from ..detectors.node import NodeFacts
from . import common, evidence, node_member, ospackages, phases, runtime_stage
from . import models as m
from .catalog import Runtime, image
from .options import Options
from .runtime_stage import Probe, RunnerSpec, RuntimeStage

RUNNER = "nginx"
#: Where the runner keeps the build's files, and nginx's config.
ROOT = "/app"
CONF = "/etc/nginx/dockgen.conf"
#: A port a non-root user can bind everywhere (Kubernetes and podman do not always allow < 1024).
PORT = 8080
TEMP = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def _where(facts: NodeFacts) -> str:
    return f"{node_member.member_dir(facts)}/package.json" if facts.workspace is not None else "package.json"


def site(facts: NodeFacts, options: Options) -> Fact[str] | None:
    """The build-context path of the folder the frontend's build writes when the project is a static
    frontend (None: it is not one, or ``--command`` names a server); refused when that folder is
    unknown or lies outside the build context, or when another runner is asked for."""
    why = facts.static_reason() if options.command is None else None
    if why is None:
        return None
    where = _where(facts)
    if options.runner is not None and options.runner != RUNNER:
        raise options.refuse("runner", f"{why}: a static frontend, served by the nginx runner; the {options.runner} "
                             "runner would run Node.js, with no server to start",
                             hint="use the runner nginx (or none), or pass --command if the project has a server")
    out = facts.static_output()
    if out is None:
        raise InvalidInputError(
            f"{why}: a static frontend, but dockgen cannot tell where its build writes (it knows vite, "
            "react-scripts, ng build, nuxt generate, SvelteKit adapter-static and --outDir)", file=where,
            hint="make the build's output folder explicit (vite build.outDir, or --outDir <folder> in "
                 "scripts.build), or pass --command if the project has a server")
    member = node_member.member_dir(facts) if facts.workspace is not None else "."
    path = posixpath.normpath(posixpath.join(member, out.value))
    if posixpath.normpath(out.value).startswith("../") and not (path == "." or path.startswith("../")):
        # pocket-id's frontend writes ../backend/frontend/dist, which the Go server there embeds.
        raise InvalidInputError(f"{why}, and its build writes {out.value} ({out.source}): a folder of another "
                                "project, which serves or embeds it", file=where,
                                hint=f"run dockgen on the project that holds {path} (it builds this frontend "
                                     "in its assets stage)")
    if path == "." or path.startswith("../") or path == "..":
        raise InvalidInputError(f"{why}, and its build writes {out.value} ({out.source}), outside the "
                                "build context: nothing for an image to copy", file=where,
                                hint="let the build write a folder inside the project, or serve it from the "
                                     "project that holds that folder")
    return Fact(value=path, source=out.source)


def _config(port: int) -> str:
    """nginx's config, one printf argument a line; ``$uri`` escaped inside double quotes."""
    lines = ["worker_processes auto;", "pid /tmp/nginx.pid;", "error_log stderr;",
             "events {}", "http {", "include /etc/nginx/mime.types;", "access_log /dev/stdout;",
             *(f"{t}_temp_path /tmp/nginx-{t.replace('_', '-')};" for t in TEMP), "absolute_redirect off;",
             "server {", f"listen {port};", f"root {ROOT};",
             '"location / { try_files \\$uri \\$uri/ /index.html; }"', "}", "}"]
    return "printf '%s\\n' " + " ".join(x if x.startswith('"') else f"'{x}'" for x in lines) + f" > {CONF}"


def _install(runtime: Runtime, port: int) -> m.Run:
    apt = ospackages.apt_install(runtime.static_packages, source="catalog.toml [node] static_packages")[0]
    return apt.model_copy(update={"command": f"{apt.command} && {_config(port)}"})


def _runner(runtime: Runtime) -> RunnerSpec:
    ref = image(runtime.runners[RUNNER])
    pinned = ", ".join(runtime.static_packages)
    return RunnerSpec(runner=RUNNER, image=ref, uid=common.NONROOT_UID, reason=(
        f"runner nginx: a static site needs a web server, not Node.js: Debian's nginx ({pinned}, from dockgen's "
        f"catalog) on {ref.ref}, with a shell and no Node.js, npm or curl"))


def runtime_phase(facts: NodeFacts, options: Options, runtime: Runtime, out: Fact[str],
                  stage: str) -> tuple[RuntimeStage, list[str]]:
    """The nginx runner, and the warnings about it (a port below 1024)."""
    spec = _runner(runtime)
    port = evidence.choose("port", "port", (Candidate(value=PORT, evidence=Source.default(
        "dockgen's nginx runner: a port a non-root user can bind; the maintainers' own image may use 80"),
        confidence="derived"),), options, assumed=Candidate(value=PORT, evidence=Source.default(),
                                                            confidence="assumed")).fact
    path = common.healthcheck_path(options.healthcheck)
    health = (Probe(check=m.Healthcheck(argv=common.http_probe_bash(port.value, path)), by="bash's /dev/tcp",
                    port=port.value, path=path, note="the image has no curl; any status below 500 is healthy")
              if path is not None else runtime_stage.disabled(options))
    labels = common.oci_labels(title=facts.name, version=facts.version, description=facts.description,
                               licenses=facts.license, base=spec.image)
    files = (_install(runtime, port.value),
             m.Copy(from_stage=stage, sources=(f"{node_member.APP}/{out.value}",), dest=ROOT))
    reason = (f"nginx: {CONF} written at build time: listens on {port.value}, root {ROOT} (the build's "
              f"{out.value}/, root-owned), unknown paths get /index.html (SPA routing: try_files $uri $uri/ "
              "/index.html), pid and temp files in /tmp, errors to stderr, requests to stdout")
    low = ([f"port {port.value} is below 1024: user {spec.uid} may bind it only where the engine allows it "
            "(Docker's default sysctl does; Kubernetes and podman may not)"] if port.value < 1024 else [])
    return RuntimeStage(runner=spec, summary=f"Debian's nginx serving the build's {out.value}/", files=files,
                        labels=labels, labels_first=True, port=port, health=health,
                        cmd=("nginx", "-c", CONF, "-e", "stderr", "-g", "daemon off;"), reasons=(reason,)), low


def plan(facts: NodeFacts, options: Options, runtime: Runtime, out: Fact[str],
         built: phases.AssetBuild) -> m.BuildPlan:
    """The static frontend's plan: its build stage (``built``, from ``node_plan.asset_build``), then nginx."""
    rt, warnings = runtime_phase(facts, options, runtime, out, built.stage.name or "build")
    header = [*built.reasons, f"static frontend: {facts.static_reason()}; its build writes {out.value}/ (from "
              f"{out.source}), the only folder the runner gets", rt.runner.reason, *rt.reasons]
    return phases.assemble("node", header, phases.BuildPhase(stages=(built.stage,)), rt,
                           ignore=common.ignore_patterns(built.ignore, options.ignore),
                           warnings=[*built.warnings, *warnings], secrets=built.secrets,
                           context=node_member.context(facts) if facts.workspace is not None else None)


def compose_init(plan: m.BuildPlan) -> tuple[bool, str] | None:
    """compose.yaml's ``init`` for the nginx runner (None: the Node stack's own rule)."""
    if plan.runner != RUNNER:
        return None
    return False, "nginx's master process stops on SIGTERM and reaps its own workers"

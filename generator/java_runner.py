"""Java: runner images, their non-root user, and the HEALTHCHECK probe.

The JRE runners have no curl or wget (distroless has no shell at all), and a JRE cannot run a
``.java`` source file (no compiler module). So the probe is a one-class Java program compiled in a
small stage from the same JDK and copied into the runner: it runs on any JRE, distroless included.
"""

from __future__ import annotations

from ..detectors.errors import UsageError
from . import common
from . import models as m
from .catalog import RuntimeVersion, image
from .options import Options
from .runtime_stage import Probe, RunnerSpec

PROBE_DIR = "/opt/dockgen/healthcheck"
PROBE_CLASS = "HealthCheck"
#: Exits 0 when the URL answers with a status below 500, 1 otherwise (refused, timeout, 5xx).
PROBE_SOURCE = (
    "public class HealthCheck { public static void main(String[] a) throws Exception { "
    "var c = (java.net.HttpURLConnection) java.net.URI.create(a[0]).toURL().openConnection(); "
    "c.setConnectTimeout(3000); c.setReadTimeout(3000); "
    "System.exit(c.getResponseCode() < 500 ? 0 : 1); } }"
)
RUNNERS = ("distroless", "slim", "alpine")


def choose(options: Options, version: RuntimeVersion | None = None) -> tuple[str, str]:
    requested = options.runner
    if requested is None and version is not None and version.distroless is None:
        why = version.no_distroless or "no distroless image for this Java version"
        return "slim", f"runner slim: {why}; the Temurin JRE image instead"
    if requested is None:
        return "distroless", ("runner distroless (default): a JRE without a shell or package manager, "
                              "with the nonroot user 65532")
    if requested not in RUNNERS:
        raise options.refuse("runner", "cannot run a Java application: it has no JVM",
                             hint="use the runner distroless, slim or alpine")
    return requested, f"runner {requested} (from {options.source('runner')})"


def spec(runner: str, reason: str, version: RuntimeVersion) -> RunnerSpec:
    ref = getattr(version, runner)
    if ref is None:
        raise UsageError(f"dockgen's catalog has no {runner} image for this Java version",
                         hint="choose another --runner")
    # distroless' nonroot user, else the one ``create_user`` makes.
    uid = common.NONROOT_UID if runner == "distroless" else common.APP_UID
    return RunnerSpec(runner=runner, image=image(ref), uid=uid, reason=reason)


def create_user(runner: str) -> m.Run | None:
    uid = common.APP_UID
    if runner == "slim":
        return m.Run(command=f"groupadd --system --gid {uid} app && useradd --system --no-log-init --uid {uid} "
                             f"--gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app",
                     step="setup")
    if runner == "alpine":
        return m.Run(command=f"addgroup -S -g {uid} app && adduser -S -D -H -u {uid} -G app -h /app "
                             f"-s /sbin/nologin app", step="setup")
    return None


#: Java 8: no ``var``, and its javac has no ``--release`` (the probe stage's JDK is 8 itself).
PROBE_SOURCE_8 = PROBE_SOURCE.replace("var c = ", "java.net.HttpURLConnection c = ")


def probe_stage(builder: m.ImageRef, major: str) -> m.Stage:
    if major == "8":
        compile_cmd = (f"printf '%s\\n' '{PROBE_SOURCE_8}' > {PROBE_CLASS}.java && "
                       f"javac -d {PROBE_DIR} {PROBE_CLASS}.java")
    else:
        compile_cmd = (f"printf '%s\\n' '{PROBE_SOURCE}' > {PROBE_CLASS}.java && "
                       f"javac --release {major} -d {PROBE_DIR} {PROBE_CLASS}.java")
    return m.Stage(
        name="healthcheck", image=builder,
        comment="HEALTHCHECK probe: the JRE runners have no curl, so a one-class Java HTTP client is compiled here",
        instructions=(
            m.Workdir(path="/probe"),
            m.Run(command=compile_cmd, step="setup"),
        ))


def healthcheck(port: int, path: str, start_period: str) -> Probe:
    check = m.Healthcheck(argv=("java", "-cp", PROBE_DIR, PROBE_CLASS, f"http://127.0.0.1:{port}{path}"),
                          interval="15s", timeout="10s", start_period=start_period, retries=3)
    return Probe(check=check, by="a compiled Java probe", port=port, path=path, note="the JRE images have no curl")

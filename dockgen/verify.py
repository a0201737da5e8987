"""``dockgen verify``: build the Dockerfile for real, run it, probe it, inspect it, rebuild it warm.

Everything happens on a temporary copy of the project (the generated Dockerfile, if there is none,
is written there, never into the project), and every container and image it creates is removed in
a ``finally`` (also on Ctrl-C and SIGTERM).
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import pipeline
from .generator import stacks
from . import imagecheck as ic
from .detectors.errors import DockgenError, UsageError
from .engine import Engine

SOURCE_SUFFIXES = {".py": "#", ".js": "//", ".mjs": "//", ".cjs": "//", ".ts": "//", ".go": "//", ".java": "//",
                   ".kt": "//", ".rb": "#", ".php": "//"}
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "vendor", "target", "build", "dist", "__pycache__", ".hg"}


@dataclass
class Finding:
    check: str
    ok: bool
    detail: str
    #: "fail" counts against the exit code; "warn" and "info" do not.
    level: str = "fail"


@dataclass
class Report:
    path: str
    dockerfile: str
    generated: bool
    image: str = ""
    size_bytes: int | None = None
    layers: int | None = None
    cold_seconds: float | None = None
    warm_seconds: float | None = None
    user: str = ""
    base: str = ""
    deps_steps: list[dict] = field(default_factory=list)
    #: The probe from outside the container (the published port on 127.0.0.1): HTTP status and the
    #: seconds from `docker run` to the first answer; None when it got no answer or was not made.
    http_status: int | None = None
    first_answer_seconds: float | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok or f.level != "fail" for f in self.findings)

    @property
    def warm_ratio(self) -> float | None:
        if self.cold_seconds and self.warm_seconds is not None:
            return self.warm_seconds / self.cold_seconds
        return None

    def add(self, check: str, ok: bool, detail: str, level: str = "fail") -> None:
        self.findings.append(Finding(check, ok, detail, level if not ok else "info"))

    def to_json_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        d["warm_ratio"] = None if self.warm_ratio is None else round(self.warm_ratio, 3)
        for k in ("cold_seconds", "warm_seconds", "first_answer_seconds"):
            if d[k] is not None:
                d[k] = round(d[k], 2)
        return d


@dataclass
class VerifyOptions:
    dockerfile: str | None = None  # relative to the project; default "Dockerfile"
    rebuild: bool = True  # the warm rebuild after a source-only change
    cold: bool = True  # --no-cache for the first build (a real cold build)
    touch: str | None = None  # the source file to change; default: picked by suffix
    timeout: float = 90.0  # seconds for the container to answer / turn healthy
    keep_temp: bool = False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 3.0) -> tuple[int, str]:
    """GET on loopback without any proxy; (status, body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as resp:
            return resp.status, resp.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536).decode("utf-8", "replace") if exc.fp else ""


def pick_source_file(context: Path) -> Path | None:
    """A source file to change for the warm rebuild: the shallowest one with a known suffix."""
    best: tuple[int, str, Path] | None = None
    for p in sorted(context.rglob("*")):
        rel = p.relative_to(context)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if p.is_file() and not p.is_symlink() and p.suffix in SOURCE_SUFFIXES:
            key = (len(rel.parts), rel.as_posix(), p)
            if best is None or key[:2] < best[:2]:
                best = key
    return best[2] if best else None


def touch_source(path: Path) -> None:
    """A source-only change: append a comment line (valid in the file's language)."""
    mark = SOURCE_SUFFIXES.get(path.suffix, "#")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n{mark} dockgen verify: synthetic source change {uuid.uuid4().hex[:8]}\n")


def write_build_files(planned, here: Path) -> None:
    """The generated Dockerfile and ignore file into a scratch copy (compose.yaml is not built)."""
    for name in ("Dockerfile", ".dockerignore"):
        text = planned.dockerfile if name == "Dockerfile" else planned.dockerignore
        (here / planned.output_paths[name]).write_text(text, "utf-8")


def _copy_context(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)


class _Sigterm(Exception):
    pass


def verify(path: str | Path, *, engine: Engine, options: VerifyOptions | None = None, generate_options=None,
           log: Callable[[str], None] = lambda s: None, build_log: Callable[[str], None] | None = None) -> Report:
    """Run every check; never raises for a failed check (see ``Report.findings``).

    ``log`` gets the short progress lines (``==> building …``), ``build_log`` every BuildKit line
    (default: ``log``)."""
    build_log = build_log or log
    options = options or VerifyOptions()
    src = Path(path)
    if not src.is_dir():
        raise UsageError(f"{src} is not a directory", hint="pass the project root")
    engine.check()
    df_name = options.dockerfile or "Dockerfile"
    generated = not (src / df_name).is_file()
    if generated and options.dockerfile:
        raise UsageError(f"{src / df_name} does not exist", hint="omit --file to verify dockgen's generated Dockerfile")
    report = Report(path=str(src), dockerfile=df_name, generated=generated)

    tmp = Path(tempfile.mkdtemp(prefix="dockgen-verify-"))
    ctx = tmp / "context"
    token = uuid.uuid4().hex[:10]
    tags = [f"dockgen-verify-{token}:cold", f"dockgen-verify-{token}:warm"]
    containers: list[str] = []
    old_term = signal.getsignal(signal.SIGTERM)

    def _on_term(_signum, _frame):
        raise _Sigterm()

    try:
        signal.signal(signal.SIGTERM, _on_term)
    except ValueError:  # not the main thread
        old_term = None
    try:
        # A workspace member (a Maven module) builds from its workspace root: copy that, and put the
        # Dockerfile (and its own ignore file) in the member's directory inside it.
        repo = stacks.open_repo(src)
        _copy_context(repo.context.root, ctx)
        here = ctx / repo.member if repo.member else ctx
        deps_commands: list[str] = []
        secrets: tuple[tuple[str, str], ...] = ()
        shipped: tuple[str, ...] = ()
        if generated:
            planned = pipeline.plan(src, generate_options)
            write_build_files(planned, here)
            deps_commands = _plan_deps(planned.plan)
            secrets = tuple((i, src) for i, src in planned.plan.secrets if (ctx / src).is_file())
            shipped = tuple(p[1:] for p in planned.plan.ignore if p.startswith("!"))
            report.findings.append(Finding("dockerfile", True, "generated by dockgen (not written to the project)", "info"))
        dockerfile = here / df_name
        info = ic.read_dockerfile(dockerfile.read_text("utf-8"))
        report.base = info.final_base
        junk_in_context = ic.context_junk(ctx)

        # 1. cold build
        log(f"==> building {df_name} ({'cold, --no-cache' if options.cold else 'with cache'})")
        cold = engine.build(ctx, tags[0], dockerfile=dockerfile, no_cache=options.cold, on_line=build_log,
                            secrets=secrets)
        report.cold_seconds = cold.seconds
        if not cold.ok:
            report.add("build", False, f"docker build failed (exit {cold.returncode}): {_last_error(cold.log)}")
            return report
        report.add("build", True, f"built in {cold.seconds:.1f}s")
        report.image = tags[0]

        # 2. image facts
        img = engine.inspect_image(tags[0])
        config = img.get("Config") or {}
        report.size_bytes = int(img.get("Size") or 0)
        report.layers = len((img.get("RootFS") or {}).get("Layers") or [])
        report.user = config.get("User") or ""
        problem = ic.user_problem(report.user)
        report.add("non-root", problem is None, problem or f"USER {report.user}")

        # 3. layers: shells and junk
        saved = engine.save(tags[0], tmp / "image.tar")
        members = ic.layer_members(saved)
        _check_secrets(saved, ctx, secrets, report)
        saved.unlink()
        shells = ic.shells_in(members)
        if ic.shell_expected(info.final_base):
            report.add("shell", True, f"shell present as expected for {info.final_base or 'this base'}"
                       if shells else "no shell")
        else:
            report.add("no-shell", not shells, f"{info.final_base} image contains {', '.join(shells)}" if shells
                       else f"no shell ({info.final_base})")
        junk = ic.find_junk(members, junk_in_context, _base_layers(engine, info.final_base), shipped)
        report.add("no-junk", not junk, ("found in layers: " + ", ".join(junk[:10]) + (" …" if len(junk) > 10 else ""))
                   if junk else f"no VCS data, env files or keys in {report.layers} layers"
                   + (f" ({len(junk_in_context)} junk item(s) in the context kept out)" if junk_in_context else ""))
        if shells and problem is None:
            uid = report.user.partition(":")[0]
            p = engine.run_once(tags[0], ["-c", "id -u"], entrypoint=shells[0] if shells[0].startswith("/") else "/" + shells[0])
            if p.returncode == 0:
                actual = p.stdout.strip()
                report.add("id", actual == uid, f"`id -u` in the container says {actual or '?'}")

        # 4. run and probe
        _probe(engine, tags[0], config, report, containers, options.timeout, token, log)

        # 5. warm rebuild after a source-only change
        if options.rebuild:
            _warm(engine, ctx, dockerfile, tags[1], report, deps_commands, options, log, build_log, secrets)
        return report
    except _Sigterm:
        raise KeyboardInterrupt from None
    finally:
        try:
            engine.rm(containers)
            engine.rmi(tags)
        except DockgenError as exc:
            log(f"warning: cleanup failed: {exc}")
        if not options.keep_temp:
            shutil.rmtree(tmp, ignore_errors=True)
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _base_layers(engine: Engine, base: str) -> int:
    """How many of the image's layers come from its final base image (0 for scratch or unknown)."""
    if not base or base == "scratch":
        return 0
    try:
        return len((engine.inspect_image(base).get("RootFS") or {}).get("Layers") or [])
    except DockgenError:
        return 0


def _check_secrets(saved: Path, ctx: Path, secrets: tuple[tuple[str, str], ...], report: Report) -> None:
    """A build secret's value (an .npmrc token) is in no file of any layer, nor in the config."""
    needles = [v for _, src in secrets for v in ic.npmrc_secret_values((ctx / src).read_text("utf-8"))]
    if not needles:
        return
    hits = ic.layers_containing(saved, needles)
    report.add("no-secret", not hits, ("build secret found in " + ", ".join(hits[:5])) if hits
               else f"the build secret ({', '.join(src for _, src in secrets)}) is in no layer")


def _plan_deps(plan) -> list[str]:
    return [i.command for st in plan.stages for i in st.instructions if getattr(i, "step", None) == "deps"]


def _last_error(log: str) -> str:
    lines = [ln for ln in log.splitlines() if ln.strip()]
    errs = [ln for ln in lines if "ERROR" in ln or "error" in ln]
    return (errs or lines or ["no output"])[-1][:300]


def _probe(engine: Engine, image: str, config: dict, report: Report, containers: list[str], timeout: float,
           token: str, log: Callable[[str], None]) -> None:
    """Run the image; wait for its HEALTHCHECK (inside), then probe the published port from outside.

    On the default bridge the first exposed port is published as ``-p 127.0.0.1:HOSTPORT:PORT`` and
    probed there, exactly as a user reaches it, so an app listening on loopback inside the container
    fails. On ``--run-network host`` no outside check is possible, and the report says so."""
    ports = ic.exposed_ports(config)
    health = ic.healthcheck_of(config)
    env: dict[str, str] = {}
    host_net = engine.run_network == "host"
    publish: list[tuple[int, int]] = []
    if ports and host_net:
        env["PORT"] = str(_free_port())
    elif ports:
        publish = [(_free_port(), ports[0])]
    extra = ["--health-interval", "2s"] if health else []
    name = f"dockgen-verify-{token}"
    log(f"==> running {image}" + (f" with 127.0.0.1:{publish[0][0]} -> {ports[0]}" if publish else ""))
    started = time.monotonic()
    cid = engine.run_detached(image, name=name, publish=publish, env=env, extra=extra)
    containers.append(name)
    deadline = started + timeout
    healthy = False
    if health:
        status = ""
        while time.monotonic() < deadline:
            state = engine.inspect_container(cid)["State"]
            status = (state.get("Health") or {}).get("Status", "")
            if status in ("healthy", "unhealthy") or not state.get("Running"):
                break
            time.sleep(1)
        healthy = status == "healthy"
        if healthy:
            report.add("healthcheck", True, f"HEALTHCHECK reached healthy after {time.monotonic() - started:.1f}s")
        else:
            report.add("healthcheck", False, f"HEALTHCHECK status {status or 'none'} after {timeout:.0f}s; logs: "
                       + _oneline(engine.logs(cid, 8)))
    if ports and host_net:
        report.add("outside", False, f"not made: with --run-network host the container shares the host's network, "
                   f"so an app listening only on loopback would answer too; run on the default bridge to check "
                   f"port {ports[0]} from outside", "warn")
        if not health:
            _http(engine, cid, f"http://127.0.0.1:{env['PORT']}/", f"GET / on the host network (PORT={env['PORT']})",
                  "http", report, started, deadline, log)
        return
    if ports:
        log(f"==> probing port {ports[0]} from outside the container")
        host_port = engine.host_port(cid, ports[0])
        # Healthy inside already: an answer from outside is due within seconds, or never (loopback bind).
        until = min(deadline, time.monotonic() + 20) if healthy else deadline
        _http(engine, cid, f"http://127.0.0.1:{host_port}/",
              f"GET / from outside the container (127.0.0.1:{host_port} -> {ports[0]})", "outside", report,
              started, until, log)
        return
    if health:
        return
    time.sleep(min(5.0, timeout))
    state = engine.inspect_container(cid)["State"]
    report.add("stays-up", bool(state.get("Running")), "no HEALTHCHECK or EXPOSE: container "
               + ("stayed up for 5s" if state.get("Running") else f"exited with {state.get('ExitCode')}"))


def _http(engine: Engine, cid: str, url: str, what: str, check: str, report: Report, started: float,
          deadline: float, log: Callable[[str], None]) -> None:
    """GET ``url`` until it answers; any status below 500 passes (the HEALTHCHECK rule)."""
    last = ""
    while True:
        try:
            status, _ = http_get(url)
            took = time.monotonic() - started
            report.http_status, report.first_answer_seconds = status, took
            report.add(check, status < 500, f"{what} → HTTP {status}, first answer {took:.1f}s after start")
            return
        except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
            last = str(exc) or type(exc).__name__
        if time.monotonic() >= deadline:
            break
        if not engine.inspect_container(cid)["State"].get("Running"):
            last = "the container exited"
            break
        time.sleep(1)
    report.add(check, False, f"{what}: no HTTP answer ({last}); an app listening only on 127.0.0.1 inside the "
               "container cannot be reached: bind 0.0.0.0; logs: " + _oneline(engine.logs(cid, 8)))


def _oneline(text: str) -> str:
    return " | ".join(ln.strip() for ln in text.splitlines()[-4:] if ln.strip())[:400]


def _warm(engine: Engine, ctx: Path, dockerfile: Path, tag: str, report: Report, deps_commands: list[str],
          options: VerifyOptions, log: Callable[[str], None], build_log: Callable[[str], None],
          secrets: tuple[tuple[str, str], ...] = ()) -> None:
    target = ctx / options.touch if options.touch else pick_source_file(ctx)
    if target is None or not target.is_file():
        report.add("warm-rebuild", False, "no source file to change for the warm rebuild (use --touch FILE)", "warn")
        return
    touch_source(target)
    log(f"==> warm rebuild after changing {target.relative_to(ctx).as_posix()}")
    warm = engine.build(ctx, tag, dockerfile=dockerfile, on_line=build_log, secrets=secrets)
    report.warm_seconds = warm.seconds
    if not warm.ok:
        report.add("warm-rebuild", False, f"rebuild failed: {_last_error(warm.log)}")
        return
    steps = ic.parse_progress(warm.log)
    deps: list[ic.Step] = []
    for cmd in deps_commands:
        deps += ic.find_run_steps(steps, cmd)
    if not deps:
        deps = ic.deps_steps_by_heuristic(steps)
    report.deps_steps = [{"step": s.stage, "instruction": s.name[:200], "status": s.status} for s in deps]
    if not deps:
        report.add("deps-cached", False, "no dependency install step found in the build", "warn")
        return
    rerun = [s for s in deps if not s.cached]
    report.add("deps-cached", not rerun,
               f"{len(deps)} dependency step(s) CACHED after changing {target.name}" if not rerun else
               "dependency step re-ran after a source-only change: " + "; ".join(f"{s.stage} {s.name[:80]}" for s in rerun))


def format_report(r: Report) -> str:
    mb = f"{r.size_bytes / 1e6:.1f} MB" if r.size_bytes is not None else "-"
    lines = [
        f"dockgen verify: {r.path} ({r.dockerfile}{', generated' if r.generated else ''})",
        f"  base        {r.base or '-'}",
        f"  size        {mb}",
        f"  layers      {r.layers if r.layers is not None else '-'}",
        f"  user        {r.user or '(root)'}",
        f"  cold build  {_secs(r.cold_seconds)}",
        f"  warm build  {_secs(r.warm_seconds)}" + (f"  ({r.warm_ratio:.2f} of cold)" if r.warm_ratio is not None else ""),
        f"  http        {r.http_status if r.http_status is not None else '-'}"
        + (f"  (first answer {r.first_answer_seconds:.1f}s after start)" if r.first_answer_seconds is not None else ""),
        "  checks:",
    ]
    for f in r.findings:
        mark = "ok  " if f.ok else ("FAIL" if f.level == "fail" else "warn")
        lines.append(f"    {mark} {f.check:<13} {f.detail}")
    failed = sum(1 for f in r.findings if not f.ok and f.level == "fail")
    lines.append("result: " + ("PASS" if r.ok else f"FAIL ({failed} check(s) failed)"))
    return "\n".join(lines) + "\n"


def _secs(v: float | None) -> str:
    return f"{v:.1f}s" if v is not None else "-"

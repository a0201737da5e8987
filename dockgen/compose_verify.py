"""``dockgen verify --compose``: bring the whole stack up from compose.yaml, probe the app, check its
hardening with ``docker inspect``, and remove everything again.

The stack runs under a throwaway project name (``dockgen-verify-<random>``) from a temporary copy of the
project (the generated Dockerfile is written there when the project has none). Every ``${VAR:?…}`` the
compose file requires gets a random throwaway value in a temporary env file passed with ``--env-file``:
nothing is written into the project, and the project's own ``.env`` is not read. Containers, volumes,
networks and the images compose built are removed in a ``finally`` — after a failed check, an engine
error, Ctrl-C or SIGTERM alike — and the report says whether anything was left behind.
"""

from __future__ import annotations

import json
import re
import secrets as rnd
import shutil
import signal
import tempfile
import time
import urllib.error
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import pipeline
from .detectors.errors import UsageError
from .engine import Engine
from .generator import stacks
from .verify import Finding, _copy_context, http_get, write_build_files

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
#: ``${VAR:?message}`` / ``${VAR?message}``: a variable compose refuses to start without (a secret).
REQUIRED_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?")
#: What compose creates under the project label, checked empty after the teardown.
LEFTOVERS = (("containers", ["ps", "-a", "-q"]), ("volumes", ["volume", "ls", "-q"]),
             ("networks", ["network", "ls", "-q"]))


@dataclass
class ComposeReport:
    path: str
    compose_file: str
    project: str
    #: The service compose builds from the project (the app), probed and inspected.
    app_service: str = ""
    url: str = ""
    http_status: int | None = None
    first_answer_seconds: float | None = None
    body: str = ""
    #: Names of the variables given throwaway values (never the values).
    generated_secrets: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok or f.level != "fail" for f in self.findings)

    def add(self, check: str, ok: bool, detail: str, level: str = "fail") -> None:
        self.findings.append(Finding(check, ok, detail, level if not ok else "info"))

    def to_json_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        if d["first_answer_seconds"] is not None:
            d["first_answer_seconds"] = round(d["first_answer_seconds"], 2)
        return d


@dataclass
class ComposeOptions:
    compose_file: str | None = None  # relative to the project (or absolute); default: the first of COMPOSE_FILES
    path: str = "/"  # the HTTP path probed on the app's published port
    timeout: float = 180.0  # seconds for `up --wait` (build excluded) and for the first HTTP answer


class _Sigterm(Exception):
    pass


def find_compose(src: Path, given: str | None) -> Path:
    if given:
        f = Path(given) if Path(given).is_absolute() else src / given
        if not f.is_file():
            raise UsageError(f"{f} does not exist", hint="pass the compose file with --compose-file")
        return f
    for name in COMPOSE_FILES:
        if (src / name).is_file():
            return src / name
    raise UsageError(f"{src} has no compose.yaml", hint="run `dockgen init` to write one, or pass --compose-file")


def throwaway_env(compose_text: str, dest: Path) -> list[str]:
    """A random value for every variable the compose file requires, written to ``dest`` (0600); the names.

    Hex only, so a value is safe inside a URL (``postgresql://app:${POSTGRES_PASSWORD}@db/app``)."""
    names = sorted(set(REQUIRED_VAR.findall(compose_text)))
    dest.touch(mode=0o600)
    dest.write_text("".join(f"{n}={rnd.token_hex(16)}\n" for n in names), "utf-8")
    return names


class Stack:
    """One compose project: ``docker compose -p <project> -f <file> --env-file <env>`` and its teardown."""

    def __init__(self, engine: Engine, project: str, workdir: Path, env_file: Path):
        self.engine, self.project, self.workdir, self.env_file = engine, project, workdir, env_file

    def compose(self, *args: str, timeout: float | None = 120):
        return self.engine.call(["compose", "-p", self.project, "--project-directory", str(self.workdir),
                                 "-f", str(self.workdir / "compose.yaml"), "--env-file", str(self.env_file), *args],
                                timeout=timeout)

    def down(self) -> None:
        self.compose("down", "-v", "--remove-orphans", "--rmi", "local", "--timeout", "5", timeout=180)

    def leftovers(self) -> list[str]:
        """What still carries the project's label after ``down`` ("containers: 2", …); empty when clean."""
        label = f"label=com.docker.compose.project={self.project}"
        out = []
        for what, cmd in LEFTOVERS:
            ids = self.engine.call([*cmd, "--filter", label], timeout=60).stdout.split()
            if ids:
                out.append(f"{what}: {len(ids)}")
        return out


def verify_compose(path: str | Path, *, engine: Engine, options: ComposeOptions | None = None,
                   generate_options=None, log: Callable[[str], None] = lambda s: None) -> ComposeReport:
    """Run the stack's checks; never raises for a failed check (see ``ComposeReport.findings``)."""
    options = options or ComposeOptions()
    src = Path(path)
    if not src.is_dir():
        raise UsageError(f"{src} is not a directory", hint="pass the project root")
    compose_file = find_compose(src, options.compose_file)
    engine.check()
    project = f"dockgen-verify-{uuid.uuid4().hex[:10]}"
    report = ComposeReport(path=str(src), compose_file=str(compose_file), project=project)
    tmp = Path(tempfile.mkdtemp(prefix="dockgen-verify-compose-"))
    stack = Stack(engine, project, tmp / "context", tmp / "throwaway.env")
    old_term = _trap_sigterm()
    try:
        _prepare(src, compose_file, stack, report, generate_options)
        _run(stack, report, options, log)
    except _Sigterm:
        report.add("interrupted", False, "stopped by SIGTERM; the stack was removed")
    finally:
        _teardown(stack, report, log)
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def _trap_sigterm():
    def _on_term(_signum, _frame):
        raise _Sigterm()

    try:
        return signal.signal(signal.SIGTERM, _on_term)
    except ValueError:  # not the main thread: the caller's own handling applies
        return None


def _prepare(src: Path, compose_file: Path, stack: Stack, report: ComposeReport, generate_options) -> None:
    """The temporary copy: the project, its compose file as compose.yaml, the Dockerfile, the secrets."""
    repo = stacks.open_repo(src)
    _copy_context(repo.context.root, stack.workdir)
    here = stack.workdir / repo.member if repo.member else stack.workdir
    shutil.copyfile(compose_file, stack.workdir / "compose.yaml")
    if not (here / "Dockerfile").is_file():
        # Only the build's files: the compose file under test is the one copied above.
        write_build_files(pipeline.plan(src, generate_options), here)
        report.add("dockerfile", True, "generated by dockgen (not written to the project)")
    report.generated_secrets = throwaway_env(compose_file.read_text("utf-8"), stack.env_file)


def _run(stack: Stack, report: ComposeReport, options: ComposeOptions, log: Callable[[str], None]) -> None:
    config = stack.compose("config", "--format", "json", timeout=60)
    if config.returncode != 0:
        report.add("config", False, f"docker compose config refused the file: {_last(config.stderr)}")
        return
    services = json.loads(config.stdout).get("services", {})
    app = next((name for name, s in sorted(services.items()) if s.get("build")), None)
    if app is None:
        report.add("config", False, "no service is built from the project (`build:`): nothing to probe")
        return
    report.app_service = app
    log(f"==> docker compose up --build --wait (project {stack.project})")
    started = time.monotonic()
    up = stack.compose("up", "-d", "--build", "--wait", "--wait-timeout", str(int(options.timeout)),
                       timeout=options.timeout + 900)
    report.add("up", up.returncode == 0, "every service healthy" if up.returncode == 0
               else f"docker compose up --wait failed: {_last(up.stderr)}; app logs: {_logs(stack, app)}")
    cid = stack.compose("ps", "-q", app, timeout=60).stdout.strip()
    if cid:
        _hardening(stack.engine.inspect_container(cid), report)
    if up.returncode != 0:
        return
    port = _published(services[app])
    if port is None:
        report.add("http", False, f"service {app} publishes no port: nothing to probe from outside")
        return
    report.url = f"http://127.0.0.1:{port}{options.path}"
    log(f"==> probing {report.url}")
    _probe(report, started, time.monotonic() + options.timeout)


def _published(service: dict) -> int | None:
    for p in service.get("ports") or ():
        if p.get("published"):
            return int(p["published"])
    return None


def _probe(report: ComposeReport, started: float, deadline: float) -> None:
    """GET the app from outside until it answers; any status below 500 passes (the HEALTHCHECK rule)."""
    last = ""
    while time.monotonic() < deadline:
        try:
            status, body = http_get(report.url)
        except (OSError, urllib.error.URLError) as exc:
            last = str(exc) or type(exc).__name__
            time.sleep(1)
            continue
        report.http_status, report.body = status, body[:300]
        report.first_answer_seconds = time.monotonic() - started
        report.add("http", status < 500, f"GET {report.url} → HTTP {status}")
        return
    report.add("http", False, f"GET {report.url}: no answer ({last})")


def _hardening(info: dict, report: ComposeReport) -> None:
    """The runtime lockdown compose asked for is what the engine applied (``docker inspect``)."""
    host = info.get("HostConfig") or {}
    opts = host.get("SecurityOpt") or []
    checks = (
        ("read-only root", bool(host.get("ReadonlyRootfs")), "ReadonlyRootfs"),
        ("no capabilities", "ALL" in (host.get("CapDrop") or []) and not host.get("CapAdd"),
         f"CapDrop {host.get('CapDrop')}, CapAdd {host.get('CapAdd')}"),
        ("no-new-privileges", any(o.startswith("no-new-privileges") and not o.endswith("false") for o in opts),
         f"SecurityOpt {opts}"),
        ("default seccomp", not any(o.replace("=", ":") == "seccomp:unconfined" for o in opts), f"SecurityOpt {opts}"),
        ("memory limit", bool(host.get("Memory")), f"Memory {host.get('Memory')}"),
        ("cpu limit", bool(host.get("NanoCpus") or host.get("CpuQuota")), f"NanoCpus {host.get('NanoCpus')}"),
        ("pids limit", (host.get("PidsLimit") or 0) > 0, f"PidsLimit {host.get('PidsLimit')}"),
    )
    for name, ok, detail in checks:
        report.add(f"hardening: {name}", ok, detail)


def _teardown(stack: Stack, report: ComposeReport, log: Callable[[str], None]) -> None:
    """``down -v --remove-orphans``, deaf to a second Ctrl-C, then proof that nothing is left."""
    old_int = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        old_int = None
    try:
        log(f"==> removing project {stack.project} (containers, volumes, networks, built images)")
        if stack.workdir.is_dir():
            stack.down()
        left = stack.leftovers()
        report.add("cleanup", not left, "everything removed" if not left else f"left behind: {', '.join(left)}")
    finally:
        if old_int is not None:
            signal.signal(signal.SIGINT, old_int)


def _logs(stack: Stack, service: str) -> str:
    out = stack.compose("logs", "--no-color", "--tail", "8", service, timeout=60)
    return " | ".join(ln.strip() for ln in (out.stdout + out.stderr).splitlines()[-6:] if ln.strip())[:500]


def _last(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "no message"


def format_compose_report(r: ComposeReport) -> str:
    lines = [f"verify --compose {r.path} ({r.compose_file}, project {r.project})"]
    if r.generated_secrets:
        lines.append(f"  throwaway secrets: {', '.join(r.generated_secrets)}")
    if r.app_service:
        lines.append(f"  app service: {r.app_service}")
    if r.http_status is not None:
        lines.append(f"  {r.url} → HTTP {r.http_status}: {r.body.strip()[:120]}")
    for f in r.findings:
        mark = "ok  " if f.ok else ("FAIL" if f.level == "fail" else f.level.upper())
        lines.append(f"  {mark} {f.check}: {f.detail}")
    lines.append("PASS" if r.ok else "FAIL")
    return "\n".join(lines) + "\n"

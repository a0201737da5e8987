"""A thin wrapper around the ``docker`` CLI (BuildKit builds, runs, inspection, ``docker save``).

Used by ``dockgen verify``, the end-to-end tests and ``bench/``. Nothing here decides what to check:
it only runs the engine and returns what it said.

The binary is configurable (``--docker``, env ``DOCKGEN_DOCKER``, else ``docker`` on PATH). Builds
always run with ``DOCKER_BUILDKIT=1``: the legacy builder is never used. A client of 23.0 or newer
needs the buildx plugin for that; without it :meth:`Engine.check` says so instead of building.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .detectors.errors import EngineError

DOCKER_ENV = "DOCKGEN_DOCKER"


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    log: str
    tag: str
    returncode: int = 0

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


@dataclass
class Proc:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Engine:
    """One docker CLI binary plus the network options for builds and runs."""

    binary: str | None = None
    build_network: str | None = None
    run_network: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.binary = resolve_binary(self.binary)

    # ---- plumbing --------------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.extra_env)
        env["DOCKER_BUILDKIT"] = "1"  # never the legacy builder
        return env

    def call(self, args: Sequence[str], *, timeout: float | None = 120, check: bool = False) -> Proc:
        try:
            cp = subprocess.run([self.binary, *args], capture_output=True, text=True, env=self.env,
                                timeout=timeout, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise EngineError(f"docker binary {self.binary!r} not found",
                              hint=f"install the docker CLI or pass --docker / set {DOCKER_ENV}") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"`docker {' '.join(args[:2])}` timed out after {timeout:.0f}s") from None
        proc = Proc(cp.returncode, cp.stdout, cp.stderr)
        if check and proc.returncode != 0:
            msg = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
            raise EngineError(f"`docker {' '.join(args[:2])}` failed: {msg[-1] if msg else proc.returncode}")
        return proc

    # ---- capability ------------------------------------------------------------------------------

    def unavailable_reason(self) -> str | None:
        """None when the engine answers and BuildKit builds are possible; else why not (one line)."""
        if not self.binary or not (os.path.isfile(self.binary) or shutil.which(self.binary)):
            return f"no docker CLI found (looked for {self.binary or 'docker'}; set {DOCKER_ENV} or --docker)"
        try:
            info = self.call(["info", "--format", "{{.ServerVersion}}"], timeout=30)
        except EngineError as exc:
            return str(exc)
        if info.returncode != 0 or not info.stdout.strip():
            err = (info.stderr.strip().splitlines() or ["no answer"])[-1]
            return f"no container engine answers `docker info` ({err})"
        client = self.client_version()
        major = _major(client)
        if major is not None and major >= 23:
            bx = self.call(["buildx", "version"], timeout=30)
            if bx.returncode != 0:
                return (f"docker client {client} at {self.binary} has no buildx plugin, so it cannot build with "
                        "BuildKit (the legacy builder is never used): point --docker / "
                        f"{DOCKER_ENV} at a client with BuildKit (e.g. Debian's /usr/bin/docker 20.10)")
        return None

    def check(self) -> None:
        reason = self.unavailable_reason()
        if reason:
            raise EngineError(reason)

    def client_version(self) -> str:
        p = self.call(["version", "--format", "{{.Client.Version}}"], timeout=30)
        return p.stdout.strip()

    # ---- build -----------------------------------------------------------------------------------

    def build(self, context: str | os.PathLike[str], tag: str, *, dockerfile: str | os.PathLike[str] | None = None,
              no_cache: bool = False, on_line: Callable[[str], None] | None = None,
              timeout: float = 1800, secrets: Sequence[tuple[str, str]] = (),
              target: str | None = None) -> BuildResult:
        """``docker build --progress plain``; the full log is kept (BuildKit writes it to stderr).

        ``secrets``: (id, file) pairs passed as ``--secret id=…,src=…`` (a relative file is in ``context``)."""
        args = ["build", "--progress", "plain", "-t", tag]
        for sid, src in secrets:
            args += ["--secret", f"id={sid},src={Path(context) / src}"]
        if target:
            args += ["--target", target]
        if self.build_network:
            args += ["--network", self.build_network]
        if dockerfile:
            args += ["-f", str(dockerfile)]
        if no_cache:
            args.append("--no-cache")
        args.append(str(context))
        start = time.monotonic()
        lines: list[str] = []
        try:
            proc = subprocess.Popen([self.binary, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, text=True, env=self.env, errors="replace")
        except FileNotFoundError:
            raise EngineError(f"docker binary {self.binary!r} not found") from None
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                line = line.rstrip("\n")
                lines.append(line)
                if on_line:
                    on_line(line)
                if time.monotonic() - start > timeout:
                    proc.kill()
                    lines.append(f"dockgen: build timed out after {timeout:.0f}s")
                    break
            rc = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        return BuildResult(ok=rc == 0, seconds=time.monotonic() - start, log="\n".join(lines), tag=tag, returncode=rc)

    # ---- images ----------------------------------------------------------------------------------

    def inspect_image(self, ref: str) -> dict:
        p = self.call(["image", "inspect", ref], check=True)
        return json.loads(p.stdout)[0]

    def save(self, ref: str, dest: str | os.PathLike[str]) -> Path:
        self.call(["save", "-o", str(dest), ref], check=True, timeout=600)
        return Path(dest)

    def rmi(self, refs: Iterable[str]) -> None:
        refs = [r for r in refs if r]
        if refs:
            self.call(["rmi", "-f", *refs], timeout=120)

    def images(self, reference: str) -> list[str]:
        p = self.call(["images", "--filter", f"reference={reference}", "--format", "{{.Repository}}:{{.Tag}}"])
        return [x for x in p.stdout.split() if x and "<none>" not in x]

    # ---- containers ------------------------------------------------------------------------------

    def run_detached(self, image: str, *, name: str, publish: Sequence[int | tuple[int, int]] = (),
                     env: dict[str, str] | None = None, extra: Sequence[str] = ()) -> str:
        """Start a container; ports are published on 127.0.0.1: ``8080`` on a random host port,
        ``(18080, 8080)`` as ``-p 127.0.0.1:18080:8080``. Nothing is published on the host network."""
        args = ["run", "-d", "--name", name]
        if self.run_network:
            args += ["--network", self.run_network]
        if self.run_network != "host":
            for port in publish:
                if isinstance(port, tuple):
                    args += ["-p", f"127.0.0.1:{int(port[0])}:{int(port[1])}"]
                else:
                    args += ["-p", f"127.0.0.1::{port}"]
        for k, v in (env or {}).items():
            args += ["-e", f"{k}={v}"]
        args += [*extra, image]
        p = self.call(args, timeout=120)
        if p.returncode != 0:
            msg = (p.stderr.strip().splitlines() or ["?"])[-1]
            raise EngineError(f"`docker run {image}` failed: {msg}")
        return p.stdout.strip().splitlines()[-1]

    def run_once(self, image: str, args: Sequence[str] = (), *, entrypoint: str | None = None,
                 timeout: float = 60) -> Proc:
        cmd = ["run", "--rm", "--network", "none"]
        if entrypoint is not None:
            cmd += ["--entrypoint", entrypoint]
        return self.call([*cmd, image, *args], timeout=timeout)

    def inspect_container(self, cid: str) -> dict:
        p = self.call(["container", "inspect", cid], check=True)
        return json.loads(p.stdout)[0]

    def host_port(self, cid: str, port: int) -> int:
        p = self.call(["port", cid, f"{port}/tcp"], check=True)
        for line in p.stdout.splitlines():
            m = re.search(r"127\.0\.0\.1:(\d+)\s*$", line.strip())
            if m:
                return int(m.group(1))
        raise EngineError(f"container port {port} is not published on 127.0.0.1 ({p.stdout.strip()!r})")

    def logs(self, cid: str, tail: int = 30) -> str:
        p = self.call(["logs", "--tail", str(tail), cid])
        return (p.stdout + p.stderr).strip()

    def rm(self, cids: Iterable[str]) -> None:
        cids = [c for c in cids if c]
        if cids:
            self.call(["rm", "-f", "-v", *cids], timeout=120)

    def containers(self, name_prefix: str) -> list[str]:
        p = self.call(["ps", "-a", "--filter", f"name={name_prefix}", "--format", "{{.Names}}"])
        return [n for n in p.stdout.split() if n.startswith(name_prefix)]


def resolve_binary(binary: str | None) -> str:
    return binary or os.environ.get(DOCKER_ENV) or shutil.which("docker") or "docker"


def _major(version: str) -> int | None:
    m = re.match(r"(\d+)\.", version or "")
    return int(m.group(1)) if m else None

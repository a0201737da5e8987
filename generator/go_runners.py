"""Go: the runner stage for each runner family, and which runners a build can use.

- scratch: only for static binaries; the build stage prepares a tiny root file system (CA bundle,
  passwd/group with the numeric non-root user, /tmp, a writable home) that is copied in.
- distroless: static-debian13 for static binaries (no libc needed), base-debian12 (glibc 2.36, libssl) for
  cgo: the bookworm builder's glibc must not be newer than the runner's.
- slim: debian:bookworm-slim (same glibc as the bookworm builder), a created user, a bash probe.
- alpine: static binaries only (a cgo binary is linked against glibc, alpine has musl).
"""

from __future__ import annotations

from ..detectors.facts import Source
from . import common, runtime_stage
from . import models as m
from .catalog import Runtime, image
from .options import Options
from .runtime_stage import NoProbe, Probe, RunnerSpec

#: Where the build stage writes what the runner copies.
OUT = "/out"
ROOTFS = f"{OUT}/rootfs"
HOME = f"{OUT}/home"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
BIN_DIR = "/usr/local/bin"


def choose(options: Options, cgo: bool, cgo_source: Source) -> tuple[str, str]:
    """(runner, reason) — the default is the smallest runner that can run the binary."""
    requested = options.runner
    if requested is None:
        if cgo:
            return "distroless", ("runner distroless base-debian12: the smallest image with the glibc a cgo binary "
                                  "links against")
        return "scratch", "runner scratch: the smallest image for a static binary"
    if requested == "nginx":
        raise options.refuse("runner", "the nginx runner only serves a static frontend's files; a Go binary runs "
                             "on its own", hint="use the runner scratch, distroless, slim or alpine")
    if cgo and requested in ("scratch", "alpine"):
        libc = "no C library" if requested == "scratch" else "musl, not glibc"
        raise options.refuse("runner", f"cannot run this project: it needs cgo (from {cgo_source}) and "
                             f"{requested} has {libc}", hint="use the runner distroless or slim")
    return requested, f"runner {requested} (from {options.source('runner')})"


def spec(runner: str, reason: str, cgo: bool, runtime: Runtime) -> RunnerSpec:
    """The runner record; ``reason`` (from ``choose``) gets what the image brings appended."""
    r = runtime.runners
    if runner == "scratch":
        ref, uid, what = (m.ImageRef(name=m.SCRATCH, tag=""), common.NONROOT_UID,
                          "CA certificates and a passwd entry for uid 65532 are copied from the build stage")
    elif runner == "distroless":
        ref, uid, what = (image(r["distroless_cgo"] if cgo else r["distroless"]), common.NONROOT_UID,
                          "it has CA certificates and the nonroot user (65532), and no shell")
    elif runner == "slim":
        ref, uid, what = (image(r["slim"]), common.APP_UID,
                          "Debian 12 like the builder; CA bundle copied from the build stage")
    else:
        ref, uid, what = image(r["alpine"]), common.APP_UID, "busybox and musl; the binary is static"
    return RunnerSpec(runner=runner, image=ref, uid=uid, reason=f"{reason}; {what}")


def home(s: RunnerSpec) -> str:
    """The app user's home, the runner's WORKDIR: distroless' own, or the one made for the created user."""
    return "/home/nonroot" if s.uid == common.NONROOT_UID else "/home/app"


def setup_step(runner: str) -> m.Run | None:
    """A build-stage step that prepares what the runner lacks (scratch only)."""
    if runner != "scratch":
        return None
    uid = common.NONROOT_UID
    return m.Run(step="setup", command=(
        f"mkdir -p {ROOTFS}/etc/ssl/certs {ROOTFS}/home {ROOTFS}/tmp {HOME}"
        f" && chmod 1777 {ROOTFS}/tmp"
        f" && cp {CA_BUNDLE} {ROOTFS}{CA_BUNDLE}"
        f" && printf 'nonroot:x:{uid}:{uid}:nonroot:/home/nonroot:/sbin/nologin\\n' > {ROOTFS}/etc/passwd"
        f" && printf 'nonroot:x:{uid}:\\n' > {ROOTFS}/etc/group"))


def prelude(s: RunnerSpec) -> list:
    """Runner instructions before the binary is copied: file system, user, home directory."""
    uid, dir_ = s.uid, home(s)
    if s.runner == "scratch":
        return [
            m.Copy(sources=(f"{ROOTFS}/",), dest="/", from_stage="build"),
            m.Copy(sources=(f"{HOME}/",), dest=f"{dir_}/", from_stage="build", chown=f"{uid}:{uid}"),
        ]
    if s.runner == "slim":
        return [
            m.Copy(sources=(CA_BUNDLE,), dest=CA_BUNDLE, from_stage="build"),
            m.Run(step="setup", command=(
                f"groupadd --system --gid {uid} app && useradd --system --no-log-init --uid {uid} --gid {uid} "
                f"--create-home --home-dir {dir_} --shell /usr/sbin/nologin app")),
        ]
    if s.runner == "alpine":
        return [m.Run(step="setup", command=(
            f"addgroup -S -g {uid} app && adduser -S -D -u {uid} -G app -h {dir_} -s /sbin/nologin app"))]
    return []


#: scratch and distroless have no shell and no HTTP client, and alpine's busybox wget fails on any 4xx
#: (an app whose root answers 404 or 401 is healthy): a tiny static probe is compiled in the build
#: stage (syscall only, ~0.9 MB) and copied in. It sends `GET <path>` over HTTP/1.0 to 127.0.0.1:<port>
#: and exits 0 for a 1xx-4xx status. Port and path are planner values (an int, an allow-listed path).
PROBE_SRC = "/tmp/dockgen-healthcheck.go"
PROBE_OUT = f"{OUT}/dockgen-healthcheck"
PROBE_BIN = f"{BIN_DIR}/dockgen-healthcheck"
PROBE_RUNNERS = ("scratch", "distroless", "alpine")


def probe_source(port: int, path: str) -> str:
    return (
        'package main;import "syscall";func main(){'
        "fd,e:=syscall.Socket(syscall.AF_INET,syscall.SOCK_STREAM,0);if e!=nil{syscall.Exit(1)};"
        f"if syscall.Connect(fd,&syscall.SockaddrInet4{{Port:{int(port)},Addr:[4]byte{{127,0,0,1}}}})!=nil"
        "{syscall.Exit(1)};"
        f'syscall.Write(fd,[]byte("GET {path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n"));'
        "b:=make([]byte,12);n:=0;for n<12{m,e:=syscall.Read(fd,b[n:]);if e!=nil||m<=0{syscall.Exit(1)};n+=m};"
        'if string(b[:5])!="HTTP/"||b[9]<49||b[9]>52{syscall.Exit(1)};syscall.Exit(0)}'
    )


def probe_step(runner: str, port: int, path: str | None, build_cache: m.Mount) -> m.Run | None:
    """Build-stage step compiling the HEALTHCHECK probe for runners without a shell."""
    if path is None or runner not in PROBE_RUNNERS:
        return None
    return m.Run(step="setup", mounts=(build_cache,), command=(
        f"printf '%s\\n' '{probe_source(port, path)}' > {PROBE_SRC}"
        f" && CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o {PROBE_OUT} {PROBE_SRC}"))


def health(runner: str, port: int, path: str | None, options: Options) -> Probe | NoProbe:
    if path is None:
        return runtime_stage.disabled(options)
    if runner in PROBE_RUNNERS:
        return Probe(check=m.Healthcheck(argv=(PROBE_BIN,)), by="a static probe compiled in the build stage",
                     port=port, path=path, note=("busybox wget fails on a 4xx" if runner == "alpine"
                                                else f"{runner} has no shell or HTTP client"))
    return Probe(check=m.Healthcheck(argv=common.http_probe_bash(port, path)), by="bash's /dev/tcp", port=port, path=path,
                 note="the runner's own tools")

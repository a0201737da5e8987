"""A small fake OCI registry for tests: loopback only, random port, threaded, bounded.

It serves ``/v2/<repo>/manifests/<tag>`` with content negotiation on ``Accept`` (an index when the
client accepts one, else the single manifest), optional anonymous bearer-token auth (401 with a
``WWW-Authenticate: Bearer`` challenge pointing at its own ``/token``), and injectable faults:
HTTP errors for the next N requests, malformed bodies, missing digest headers, slow answers.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def digest_of(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def manifest(seed: str, media_type: str = DOCKER_V2) -> bytes:
    cfg = digest_of(f"config {seed}".encode())
    layer = digest_of(f"layer {seed}".encode())
    return json.dumps({"schemaVersion": 2, "mediaType": media_type,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 10,
                                  "digest": cfg},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 20,
                                   "digest": layer}]}, sort_keys=True).encode()


def index(*manifests: bytes, media_type: str = OCI_INDEX) -> bytes:
    return json.dumps({"schemaVersion": 2, "mediaType": media_type,
                       "manifests": [{"mediaType": DOCKER_V2, "size": len(m), "digest": digest_of(m),
                                      "platform": {"architecture": arch, "os": "linux"}}
                                     for m, arch in zip(manifests, ("amd64", "arm64", "s390x"))]},
                      sort_keys=True).encode()


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with this instead of the real thing."""

    status: int = 500
    body: bytes = b""
    content_type: str | None = None
    digest_header: str | None = None
    delay: float = 0.0
    times: int = 1
    method: str | None = None  # only for this method (HEAD/GET); None = any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class FakeRegistry:
    #: (repository, tag) → [(media_type, body)], in the registry's order of preference.
    manifests: dict[tuple[str, str], list[tuple[str, bytes]]] = field(default_factory=dict)
    require_token: bool = False
    token: str = "t0ken-1"
    service: str = "fake.registry"
    #: a challenge to send instead of the bearer one (e.g. 'Basic realm="x"')
    challenge: str | None = None
    send_digest_header: bool = True
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    port: int = 0

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def put(self, repo: str, tag: str, *bodies: tuple[str, bytes]) -> None:
        self.manifests[(repo, tag)] = list(bodies)

    def _fault(self, method: str) -> Fault | None:
        for f in self.faults:
            if f.times > 0 and (f.method is None or f.method == method):
                f.times -= 1
                return f
        return None


def _handler(reg: FakeRegistry, lock: threading.Lock):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10

        def log_message(self, *a):  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _serve(self) -> None:
            with lock:
                reg.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/token":
                with lock:
                    reg.token_requests.append(urllib.parse.parse_qs(url.query))
                self._send(200, json.dumps({"token": reg.token}).encode(), {"Content-Type": "application/json"})
                return
            with lock:
                fault = reg._fault(self.command)
            if fault is not None:
                time.sleep(fault.delay)
                headers = {"Content-Type": fault.content_type} if fault.content_type else {}
                if fault.digest_header:
                    headers["Docker-Content-Digest"] = fault.digest_header
                self._send(fault.status, fault.body, headers)
                return
            if reg.require_token or reg.challenge:
                if self.headers.get("Authorization") != f"Bearer {reg.token}":
                    realm = f"http://{reg.host}/token"
                    chal = reg.challenge or f'Bearer realm="{realm}",service="{reg.service}"'
                    self._send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                               {"WWW-Authenticate": chal, "Content-Type": "application/json"})
                    return
            parts = url.path.split("/manifests/")
            if not url.path.startswith("/v2/") or len(parts) != 2:
                self._send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')
                return
            repo, tag = parts[0][len("/v2/"):], urllib.parse.unquote(parts[1])
            choices = reg.manifests.get((repo, tag))
            if not choices:
                self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', {"Content-Type": "application/json"})
                return
            accepted = {a.split(";")[0].strip() for a in self.headers.get("Accept", "").split(",")}
            pick = next(((t, b) for t, b in choices if t in accepted), None)
            if pick is None:  # like a real registry: fall back to its first (old clients get schema 1)
                pick = ("application/vnd.docker.distribution.manifest.v1+prettyjws", b'{"schemaVersion": 1}')
            headers = {"Content-Type": pick[0]}
            if reg.send_digest_header:
                headers["Docker-Content-Digest"] = digest_of(pick[1])
            self._send(200, pick[1], headers)

        do_GET = _serve
        do_HEAD = _serve

    return H


class Running:
    """A started fake registry; ``stop()`` shuts it down and joins its thread."""

    def __init__(self, reg: FakeRegistry):
        self.reg = reg
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(reg, threading.Lock()))
        self.server.daemon_threads = True
        self.server.timeout = 5
        reg.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

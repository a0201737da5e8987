"""A small OCI/Docker Registry HTTP API v2 client: resolve ``image:tag`` to its manifest digest.

Standard library only (urllib). What it does:
- asks ``/v2/<repository>/manifests/<tag>`` with the Accept types for an OCI index, a Docker
  manifest list, a Docker v2 manifest and an OCI manifest, so a multi-arch tag answers with its
  index and the index digest is what gets pinned (never one platform's manifest);
- HEAD first (it does not count against pull limits); the ``Docker-Content-Digest`` header is the
  answer when the media type is one of those four. Otherwise GET, check the JSON and take the
  sha256 of the body (which must equal the header when there is one);
- anonymous bearer tokens: a 401 with ``WWW-Authenticate: Bearer realm=…,service=…,scope=…`` gets
  a token from the realm and the request is sent again with it (Docker Hub, gcr.io, GHCR, …);
- Docker Hub names (``python`` → ``library/python`` at ``registry-1.docker.io``) and any other
  v2 registry; a mirror (``--registry-mirror``/``DOCKGEN_REGISTRY_MIRROR``) is asked instead of
  the upstream registry. Loopback registries are spoken to over plain HTTP, others over HTTPS
  unless the mirror names its scheme;
- bounded retries (network errors, timeouts, 429 and 5xx) with a per-request timeout. Every failure
  is one ``RegistryError`` line naming the image and the registry.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .detectors.errors import EngineError
from .generator.imagename import DOCKER_HUB, DOCKER_HUB_API, Mirror, Reference, is_digest, is_loopback, \
    parse_mirror, parse_reference

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
#: In order of preference: a multi-arch index first.
MANIFEST_TYPES = (OCI_INDEX, DOCKER_LIST, DOCKER_V2, OCI_MANIFEST)
INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_LIST})
ACCEPT = ", ".join(MANIFEST_TYPES)

MIRROR_ENV = "DOCKGEN_REGISTRY_MIRROR"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_TOKEN_BYTES = 64 * 1024
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "dockgen-registry-client"


class RegistryError(EngineError):
    """A registry could not be asked, or answered something unusable (exit 1)."""


@dataclass(frozen=True)
class Resolved:
    image: str  #: the reference as asked (``python:3.11-slim-bookworm``)
    digest: str  #: ``sha256:…`` of the index (multi-arch) or manifest
    media_type: str
    registry: str  #: host that answered
    repository: str  #: repository there


def mirror_from(option: str | None, env: dict[str, str] | None = None) -> Mirror | None:
    """The mirror from the option, else from ``DOCKGEN_REGISTRY_MIRROR``; "" disables it."""
    env = os.environ if env is None else env
    raw = option if option is not None else env.get(MIRROR_ENV)
    return parse_mirror(raw) if raw and raw.strip() else None


@dataclass
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class RegistryClient:
    def __init__(self, mirror: Mirror | None = None, *, timeout: float = 10.0, attempts: int = 3,
                 backoff: float = 0.5):
        self.mirror = mirror
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self._tokens: dict[tuple[str, str], str] = {}

    # -- public ---------------------------------------------------------------------------------
    def endpoint(self, ref: Reference) -> tuple[str, str, str]:
        """(scheme, host, repository) that is asked for ``ref``."""
        scheme = None
        if self.mirror is not None:
            ref, scheme = self.mirror.map(ref), self.mirror.scheme
        host = DOCKER_HUB_API if ref.registry == DOCKER_HUB else ref.registry
        if scheme is None:
            scheme = "http" if is_loopback(host) else "https"
        return scheme, host, ref.repository

    def resolve(self, image: str) -> Resolved:
        """The digest ``image`` (``name:tag``, a digest suffix is ignored) points at now."""
        ref = parse_reference(image)
        tag = ref.tag or "latest"
        scheme, host, repo = self.endpoint(ref)
        shown = f"{ref.name}:{tag}"
        where = f"{host}/{repo}"
        url = f"{scheme}://{host}/v2/{repo}/manifests/{urllib.parse.quote(tag, safe='')}"
        head = self._request("HEAD", url, host=host, repo=repo, what=shown, accept=ACCEPT)
        if head.status == 200:
            digest = head.headers.get("Docker-Content-Digest", "").strip()
            ctype = _media_type(head.headers)
            if is_digest(digest) and ctype in MANIFEST_TYPES:
                return Resolved(image=shown, digest=digest, media_type=ctype, registry=host, repository=repo)
        got = self._request("GET", url, host=host, repo=repo, what=shown, accept=ACCEPT)
        if got.status != 200:
            raise RegistryError(f"{shown}: {where} answered HTTP {got.status} for the manifest")
        media_type = _check_manifest(got, shown, where)
        digest = "sha256:" + hashlib.sha256(got.body).hexdigest()
        header = got.headers.get("Docker-Content-Digest", "").strip()
        if header and header != digest:
            raise RegistryError(f"{shown}: {where} sent a manifest whose sha256 ({digest[:19]}…) is not its "
                                f"Docker-Content-Digest ({header[:19]}…)")
        return Resolved(image=shown, digest=digest, media_type=media_type, registry=host, repository=repo)

    # -- HTTP -----------------------------------------------------------------------------------
    def _open(self, req: urllib.request.Request, host: str):
        handlers: list = []
        if is_loopback(host) or is_loopback(urllib.parse.urlsplit(req.full_url).netloc):
            handlers.append(urllib.request.ProxyHandler({}))  # a loopback registry is never proxied
        return urllib.request.build_opener(*handlers).open(req, timeout=self.timeout)

    def _once(self, method: str, url: str, headers: dict[str, str], host: str, cap: int) -> _Answer:
        req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with self._open(req, host) as resp:
                body = resp.read(cap + 1) if method != "HEAD" else b""
                if len(body) > cap:
                    raise RegistryError(f"{host} sent more than {cap} bytes for {url.split('/v2/', 1)[-1]}")
                return _Answer(resp.status, resp.headers, body)
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read(cap) if method != "HEAD" else b""
            except (OSError, http.client.HTTPException):
                body = b""
            return _Answer(exc.code, exc.headers, body)

    def _retrying(self, method: str, url: str, headers: dict[str, str], host: str, what: str,
                  cap: int = MAX_MANIFEST_BYTES) -> _Answer:
        last = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * (2 ** (attempt - 1)))
            try:
                answer = self._once(method, url, headers, host, cap)
            except RegistryError:
                raise
            except (socket.timeout, TimeoutError):
                last = f"no answer within {self.timeout:g}s"
                continue
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    last = f"no answer within {self.timeout:g}s"
                else:
                    last = _reason(reason)
                continue
            except (OSError, http.client.HTTPException, ValueError) as exc:
                last = _reason(exc)
                continue
            if answer.status in RETRY_STATUS:
                last = f"HTTP {answer.status}"
                continue
            return answer
        raise RegistryError(f"{what}: cannot get an answer from {host} ({last}; {self.attempts} attempts)",
                            hint="check the network or the --registry-mirror, or use --offline")

    def _request(self, method: str, url: str, *, host: str, repo: str, what: str, accept: str) -> _Answer:
        headers = {"Accept": accept}
        token = self._tokens.get((host, repo))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        answer = self._retrying(method, url, headers, host, what)
        if answer.status == 401:  # no token yet, or it expired: get one (once) and ask again
            challenge = answer.headers.get("WWW-Authenticate", "")
            token = self._token(challenge, host=host, repo=repo, what=what)
            self._tokens[(host, repo)] = token
            headers["Authorization"] = f"Bearer {token}"
            answer = self._retrying(method, url, headers, host, what)
        if answer.status in (401, 403):
            raise RegistryError(f"{what}: {host} refused anonymous access to {repo} (HTTP {answer.status})",
                                hint="dockgen pulls anonymously: use a public image or a --registry-mirror")
        if answer.status == 404:
            raise RegistryError(f"{what}: not found at {host}/{repo} (no such repository or tag)",
                                hint="check the image name and tag, or the mirror's naming")
        if answer.status == 405 and method == "HEAD":
            return answer  # the caller falls back to GET
        if answer.status != 200:
            raise RegistryError(f"{what}: {host} answered HTTP {answer.status}")
        return answer

    def _token(self, challenge: str, *, host: str, repo: str, what: str) -> str:
        scheme, _, params = challenge.strip().partition(" ")
        if scheme.lower() != "bearer":
            kind = scheme or "no"
            raise RegistryError(f"{what}: {host} asks for {kind} authentication, not an anonymous token",
                                hint="dockgen pulls anonymously: use a --registry-mirror that allows it")
        fields = {k.lower(): v for k, v in re.findall(r'(\w+)="([^"]*)"', params)}
        realm = fields.get("realm", "")
        parsed = urllib.parse.urlsplit(realm)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise RegistryError(f"{what}: {host} sent a bearer challenge without a usable realm")
        query = [("service", fields["service"])] if fields.get("service") else []
        query.append(("scope", fields.get("scope") or f"repository:{repo}:pull"))
        sep = "&" if parsed.query else "?"
        url = realm + sep + urllib.parse.urlencode(query)
        answer = self._retrying("GET", url, {"Accept": "application/json"}, parsed.netloc, what,
                                cap=MAX_TOKEN_BYTES)
        if answer.status != 200:
            raise RegistryError(f"{what}: the token service of {host} answered HTTP {answer.status}")
        try:
            data = json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        token = (data.get("token") or data.get("access_token")) if isinstance(data, dict) else None
        if not isinstance(token, str) or not token or any(c.isspace() for c in token):
            raise RegistryError(f"{what}: the token service of {host} sent no usable token")
        return token


def _media_type(headers) -> str:
    return (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def _reason(exc: object) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def _check_manifest(answer: _Answer, shown: str, where: str) -> str:
    """The manifest's media type, after checking it is one of the four and well formed."""
    def bad(why: str) -> RegistryError:
        return RegistryError(f"{shown}: {where} sent a malformed manifest ({why})",
                             hint="check the registry or mirror")

    try:
        doc = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"not JSON: {getattr(exc, 'msg', exc)}") from None
    if not isinstance(doc, dict):
        raise bad("not a JSON object")
    media_type = doc.get("mediaType") or _media_type(answer.headers)
    if media_type not in MANIFEST_TYPES:
        raise bad(f"unsupported media type {str(media_type)[:80]!r}")
    if doc.get("schemaVersion") != 2:
        raise bad("schemaVersion is not 2")
    if media_type in INDEX_TYPES:
        entries = doc.get("manifests")
        if not isinstance(entries, list) or not entries:
            raise bad("an index without manifests")
        if not all(isinstance(e, dict) and is_digest(str(e.get("digest", ""))) for e in entries):
            raise bad("an index entry without a sha256 digest")
    else:
        config = doc.get("config")
        if not isinstance(config, dict) or not is_digest(str(config.get("digest", ""))):
            raise bad("no config digest")
        if not isinstance(doc.get("layers"), list):
            raise bad("no layers list")
    return media_type

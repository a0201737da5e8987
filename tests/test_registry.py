"""The registry client against a fake registry on loopback (tests/support/fake_registry.py)."""

from __future__ import annotations

import time

import pytest

from dockgen.detectors.errors import UsageError
from dockgen.generator.imagename import is_loopback, parse_mirror, parse_reference
from dockgen.registry import ACCEPT, RegistryClient, RegistryError, mirror_from
from support.fake_registry import (DOCKER_LIST, DOCKER_V2, OCI_INDEX, OCI_MANIFEST, FakeRegistry, Fault, Running,
                                   digest_of, index, manifest)

AMD, ARM = manifest("amd64"), manifest("arm64")
IDX = index(AMD, ARM)


@pytest.fixture
def registry():
    reg = FakeRegistry()
    run = Running(reg)
    try:
        yield reg
    finally:
        run.stop()


def client(reg: FakeRegistry, **kw) -> RegistryClient:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("backoff", 0.0)
    return RegistryClient(parse_mirror(reg.host), **kw)


# -- references and mirrors ---------------------------------------------------------------------

@pytest.mark.parametrize("ref,registry,repo,tag", [
    ("python:3.11-slim", "docker.io", "library/python", "3.11-slim"),
    ("docker.io/library/python:3.11", "docker.io", "library/python", "3.11"),
    ("index.docker.io/bitnami/redis:7", "docker.io", "bitnami/redis", "7"),
    ("gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot"),
    ("127.0.0.1:5000/library/python:3.11", "127.0.0.1:5000", "library/python", "3.11"),
    ("localhost/app", "localhost", "app", None),
])
def test_parse_reference(ref, registry, repo, tag):
    r = parse_reference(ref)
    assert (r.registry, r.repository, r.tag) == (registry, repo, tag)


def test_reference_names_round_trip():
    assert parse_reference("python:3.11").name == "python"
    assert parse_reference("docker.io/library/python:3.11").tagged == "python:3.11"
    d = "sha256:" + "a" * 64
    assert str(parse_reference(f"gcr.io/distroless/cc:nonroot@{d}")) == f"gcr.io/distroless/cc:nonroot@{d}"


@pytest.mark.parametrize("bad", ["", "Python:3", "python:3@sha256:zz", "py thon:3", "a//b:1", "python:-x"])
def test_parse_reference_refuses(bad):
    with pytest.raises(UsageError):
        parse_reference(bad)


def test_mirror_naming_follows_the_lab():
    m = parse_mirror("127.0.0.1:5000")
    assert m.map(parse_reference("python:3.11-slim")).name == "127.0.0.1:5000/library/python"
    assert str(m.map(parse_reference("gcr.io/distroless/static-debian12:nonroot"))) == \
        "127.0.0.1:5000/distroless/static-debian12:nonroot"
    already = parse_reference("127.0.0.1:5000/library/debian:12-slim")
    assert m.map(already) == already
    p = parse_mirror("https://mirror.internal:8443/hub/")
    assert (p.host, p.prefix, p.scheme) == ("mirror.internal:8443", "hub", "https")
    assert p.map(parse_reference("node:24")).repository == "hub/library/node"
    with pytest.raises(UsageError):
        parse_mirror("not a host")


def test_mirror_from_option_and_environment():
    assert mirror_from(None, {}) is None
    assert mirror_from(None, {"DOCKGEN_REGISTRY_MIRROR": "127.0.0.1:5000"}).host == "127.0.0.1:5000"
    assert mirror_from("10.0.0.1:5000", {"DOCKGEN_REGISTRY_MIRROR": "127.0.0.1:5000"}).host == "10.0.0.1:5000"
    assert mirror_from("", {"DOCKGEN_REGISTRY_MIRROR": "127.0.0.1:5000"}) is None


def test_endpoints_and_schemes():
    c = RegistryClient()
    assert c.endpoint(parse_reference("python:3.11")) == ("https", "registry-1.docker.io", "library/python")
    assert c.endpoint(parse_reference("gcr.io/distroless/base-debian12:nonroot")) == \
        ("https", "gcr.io", "distroless/base-debian12")
    assert c.endpoint(parse_reference("127.0.0.1:5000/x/y:1")) == ("http", "127.0.0.1:5000", "x/y")
    assert is_loopback("localhost:5000") and is_loopback("[::1]:5000") and not is_loopback("10.1.2.3:5000")


# -- resolution ---------------------------------------------------------------------------------

def test_index_digest_is_preferred_and_accept_names_all_four_types(registry):
    registry.put("library/python", "3.11", (OCI_INDEX, IDX), (DOCKER_V2, AMD))
    got = client(registry).resolve("python:3.11")
    assert got.digest == digest_of(IDX) and got.media_type == OCI_INDEX
    assert got.repository == "library/python"
    accept = registry.seen[0].headers["accept"]
    for t in (OCI_INDEX, DOCKER_LIST, DOCKER_V2, OCI_MANIFEST):
        assert t in accept
    assert registry.seen[0].method == "HEAD" and len(registry.seen) == 1


def test_single_manifest_digest_when_there_is_no_index(registry):
    registry.put("distroless/static-debian12", "nonroot", (DOCKER_V2, AMD))
    got = client(registry).resolve("gcr.io/distroless/static-debian12:nonroot")
    assert got.digest == digest_of(AMD) and got.media_type == DOCKER_V2
    assert registry.seen[0].path == "/v2/distroless/static-debian12/manifests/nonroot"


def test_docker_manifest_list_counts_as_index(registry):
    lst = index(AMD, media_type=DOCKER_LIST)
    registry.put("library/node", "24", (DOCKER_LIST, lst), (DOCKER_V2, AMD))
    assert client(registry).resolve("node:24").digest == digest_of(lst)


def test_schema1_answer_is_refused(registry):
    # The fake falls back to a schema-1 answer like a real registry: the client must not accept it.
    registry.put("library/debian", "12", (OCI_MANIFEST, AMD))
    registry.send_digest_header = False
    registry.faults.append(Fault(status=200, body=b'{"schemaVersion": 1}', method="GET",
                                 content_type="application/vnd.docker.distribution.manifest.v1+prettyjws"))
    with pytest.raises(RegistryError, match="malformed manifest.*unsupported media type"):
        client(registry).resolve("debian:12")


def test_no_digest_header_falls_back_to_get_and_hashes_the_body(registry):
    registry.put("library/debian", "12", (OCI_MANIFEST, AMD))
    registry.send_digest_header = False
    got = client(registry).resolve("debian:12")
    assert got.digest == digest_of(AMD)
    assert [s.method for s in registry.seen] == ["HEAD", "GET"]


def test_bearer_token_flow(registry):
    registry.require_token = True
    registry.put("library/python", "3.13", (OCI_INDEX, IDX))
    c = client(registry)
    assert c.resolve("python:3.13").digest == digest_of(IDX)
    methods = [(s.method, s.path.split("?")[0], s.headers.get("authorization")) for s in registry.seen]
    assert methods == [("HEAD", "/v2/library/python/manifests/3.13", None),
                       ("GET", "/token", None),
                       ("HEAD", "/v2/library/python/manifests/3.13", "Bearer t0ken-1")]
    q = registry.token_requests[0]
    assert q["service"] == ["fake.registry"] and q["scope"] == ["repository:library/python:pull"]
    # The token is reused for the same repository.
    c.resolve("python:3.13")
    assert len(registry.token_requests) == 1


def test_expired_token_is_refreshed_once(registry):
    registry.require_token = True
    registry.put("library/python", "3.13", (OCI_INDEX, IDX))
    c = client(registry)
    c.resolve("python:3.13")
    registry.token = "t0ken-2"  # the old one no longer works
    assert c.resolve("python:3.13").digest == digest_of(IDX)
    assert len(registry.token_requests) == 2


def test_basic_auth_challenge_is_a_clear_error(registry):
    registry.challenge = 'Basic realm="corp"'
    registry.put("library/python", "3.13", (OCI_INDEX, IDX))
    with pytest.raises(RegistryError, match="asks for Basic authentication"):
        client(registry).resolve("python:3.13")


def test_404_is_not_retried(registry):
    with pytest.raises(RegistryError, match=r"python:3\.99: not found at 127\.0\.0\.1:\d+/library/python") as e:
        client(registry).resolve("python:3.99")
    assert len(registry.seen) == 1
    assert "\n" not in str(e.value) and e.value.exit_code == 1


def test_500_is_retried_then_succeeds(registry):
    registry.put("library/python", "3.11", (OCI_INDEX, IDX))
    registry.faults.append(Fault(status=500, times=2))
    assert client(registry).resolve("python:3.11").digest == digest_of(IDX)
    assert len(registry.seen) == 3


def test_500_forever_gives_up_after_bounded_attempts(registry):
    registry.put("library/python", "3.11", (OCI_INDEX, IDX))
    registry.faults.append(Fault(status=503, times=100))
    with pytest.raises(RegistryError, match=r"cannot get an answer from .*HTTP 503; 3 attempts"):
        client(registry).resolve("python:3.11")
    assert len(registry.seen) == 3


def test_malformed_json_is_an_error(registry):
    registry.put("library/python", "3.11", (OCI_INDEX, IDX))
    registry.faults.append(Fault(status=200, body=b"{not json", content_type=OCI_INDEX, method="HEAD"))
    registry.faults.append(Fault(status=200, body=b"{not json", content_type=OCI_INDEX, method="GET"))
    with pytest.raises(RegistryError, match="malformed manifest .not JSON"):
        client(registry).resolve("python:3.11")


def test_index_without_manifests_is_malformed(registry):
    bad = b'{"schemaVersion": 2, "mediaType": "%s", "manifests": []}' % OCI_INDEX.encode()
    registry.put("library/python", "3.11", (OCI_INDEX, bad))
    registry.send_digest_header = False
    with pytest.raises(RegistryError, match="an index without manifests"):
        client(registry).resolve("python:3.11")


def test_digest_header_that_does_not_match_the_body(registry):
    registry.put("library/python", "3.11", (DOCKER_V2, AMD))
    registry.faults.append(Fault(status=200, content_type="text/plain", method="HEAD"))
    registry.faults.append(Fault(status=200, body=AMD, content_type=DOCKER_V2, method="GET",
                                 digest_header=digest_of(b"other")))
    with pytest.raises(RegistryError, match="is not its Docker-Content-Digest"):
        client(registry).resolve("python:3.11")


def test_timeout_is_bounded(registry):
    registry.put("library/python", "3.11", (OCI_INDEX, IDX))
    registry.faults.append(Fault(status=200, delay=1.5, times=2))
    start = time.monotonic()
    with pytest.raises(RegistryError, match=r"no answer within 0\.5s; 2 attempts"):
        client(registry, timeout=0.5, attempts=2).resolve("python:3.11")
    assert time.monotonic() - start < 5


def test_unreachable_registry():
    c = RegistryClient(parse_mirror("127.0.0.1:9"), timeout=1, attempts=2, backoff=0)
    with pytest.raises(RegistryError, match=r"cannot get an answer from 127\.0\.0\.1:9 .*2 attempts"):
        c.resolve("python:3.11")


def test_accept_constant_lists_index_first():
    assert ACCEPT.split(", ")[0] == OCI_INDEX

"""The HEALTHCHECK rule for every stack: any HTTP status below 500 is healthy (a root answering 404
or 401 is a running app), 5xx and no answer are not. The probes run here against a local server."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading

import pytest

from dockgen.generator.options import Options
from dockgen.generator import common, go_runners


def _server(status: int):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"no")

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture(params=[200, 401, 404, 500, 503])
def served(request):
    srv = _server(request.param)
    yield request.param, srv.server_address[1]
    srv.shutdown()


def _run(argv, replace_bin: dict[str, str] | None = None) -> int:
    argv = list(argv)
    if replace_bin and argv[0] in replace_bin:
        argv[0] = replace_bin[argv[0]]
    return subprocess.run(argv, capture_output=True, timeout=20).returncode


@pytest.mark.skipif(shutil.which("node") is None, reason="no node on this machine")
def test_node_probe(served):
    status, port = served
    argv = common.http_probe_node("/usr/local/bin/node", port, "/")
    assert (_run(argv, {"/usr/local/bin/node": shutil.which("node")}) == 0) == (status < 500)


def test_go_slim_bash_probe(served):
    status, port = served
    hc = go_runners.health("slim", port, "/", Options()).check
    assert (_run(hc.argv) == 0) == (status < 500)


def _go_probe_verdict(port: int) -> bool:
    """The compiled probe's logic, read from its source: the status line's first digit must be 1-4."""
    src = go_runners.probe_source(port, "/")
    assert "b[9]<49||b[9]>52" in src  # '1'..'4' accepted, '5' refused
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        head = s.recv(12)
    return head[:5] == b"HTTP/" and 49 <= head[9] <= 52


def test_go_compiled_probe_logic(served):
    status, port = served
    assert _go_probe_verdict(port) == (status < 500)


def test_go_alpine_uses_the_compiled_probe():
    assert go_runners.health("alpine", 8080, "/", Options()).check.argv == (go_runners.PROBE_BIN,)

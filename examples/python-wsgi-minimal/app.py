"""A plain WSGI app under gunicorn: no framework, no compiled wheels (dockgen's newest-Python example)."""

import sys


def app(environ, start_response):
    if environ.get("PATH_INFO", "/") != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]
    body = f"Hello from WSGI on Python {sys.version_info.major}.{sys.version_info.minor}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]

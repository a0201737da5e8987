"""A WSGI app on psycopg2's C extension: it imports cleanly only when libpq is in the image."""

import sys

import psycopg2
import psycopg2.extensions


def _version(n: int) -> str:
    return f"{n // 10000}.{n % 10000}"


def app(environ, start_response):
    if environ.get("PATH_INFO", "/") != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]
    body = (f"Hello from psycopg2 {psycopg2.__version__.split()[0]} (compiled against libpq "
            f"{_version(psycopg2.__libpq_version__)}, running on libpq {_version(psycopg2.extensions.libpq_version())}) "
            f"on Python {sys.version_info.major}.{sys.version_info.minor}\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]

"""A plain WSGI app that starts its own server (waitress) on a loopback default address."""

import os

from waitress import serve

HOST = os.environ.get("APP_HOST", "127.0.0.1")
PORT = int(os.environ.get("APP_PORT", "5001"))


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"Hello from waitress on {HOST}:{PORT}\n".encode()]


if __name__ == "__main__":
    serve(app, host=HOST, port=PORT)

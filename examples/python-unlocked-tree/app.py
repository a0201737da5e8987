"""A plain WSGI app run from its source tree by gunicorn: nothing imports the installed project."""


def app(environ, start_response):
    if environ.get("PATH_INFO", "/") != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]
    body = b"Hello from the source tree, dependencies from pyproject.toml, built by dockgen!\n"
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]

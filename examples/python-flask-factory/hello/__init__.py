"""A Flask app built by an application factory (no module-level app object)."""

from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return "Hello from a Flask factory, built by dockgen!\n"

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    return app

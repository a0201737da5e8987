"""Flask under gunicorn; poetry.lock pins every dependency."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask on poetry, built by dockgen!\n"

"""Flask under gunicorn, locked in early 2023: MarkupSafe 2.1.2 has wheels up to CPython 3.11."""

import sys

import markupsafe
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    speedups = "compiled" if markupsafe.escape.__module__ == "markupsafe._speedups" else "pure Python"
    return (f"Hello from an old lock on Python {sys.version_info.major}.{sys.version_info.minor}, "
            f"MarkupSafe {markupsafe.__version__} ({speedups}), built by dockgen!\n")

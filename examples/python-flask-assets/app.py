"""Flask serving a stylesheet that the frontend build writes into static/ (not committed)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return '<link rel="stylesheet" href="/static/app.css"><p>Hello from python-flask-assets</p>\n'

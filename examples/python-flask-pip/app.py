"""A tiny Flask app: dockgen's quick-start example."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask, built by dockgen!\n"

"""A notes service served by uWSGI, configured by docker/uwsgi.ini."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from uWSGI, configured by docker/uwsgi.ini!\n"

"""A watcher that runs its own production WSGI server (cheroot) from main().

Its data store defaults to ../datastore from the working directory and must exist before it starts.
"""

import os
import sys

from cheroot import wsgi
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    store = app.config["DATASTORE"]
    with open(os.path.join(store, "checks.log"), "a") as log:
        log.write("check\n")
    with open(os.path.join(store, "checks.log")) as log:
        n = len(log.readlines())
    return f"Hello from watchdesk's own server: {n} checks in the datastore\n"


def main():
    host = os.environ.get("LISTEN_HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", 5050))
    datastore_path = os.path.join(os.getcwd(), "../datastore")
    if not os.path.isdir(datastore_path):
        sys.exit(f"the datastore {datastore_path} does not exist")
    app.config["DATASTORE"] = datastore_path
    server = wsgi.Server((host, port), app)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()

"""A site whose factory writes its database and uploads next to its own code."""

import os
import sqlite3

from flask import Flask

from ctfsite.config import Config


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    @app.get("/")
    def index():
        path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
        con = sqlite3.connect(path)
        with con:
            con.execute("CREATE TABLE IF NOT EXISTS visits (n INTEGER)")
            con.execute("INSERT INTO visits VALUES (1)")
            (n,) = con.execute("SELECT COUNT(*) FROM visits").fetchone()
        con.close()
        return f"Hello from the site: {n} visits, database next to the code\n"

    return app

"""Counts visits in the SQLite database its config names."""

import sqlite3

from flask import Flask

from config import Config

app = Flask(__name__)
app.config.from_object(Config)


@app.get("/")
def index():
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE IF NOT EXISTS visits (n INTEGER)")
        con.execute("INSERT INTO visits VALUES (1)")
        (n,) = con.execute("SELECT COUNT(*) FROM visits").fetchone()
    con.close()
    return f"Hello from SQLite at {path}: {n} visits\n"

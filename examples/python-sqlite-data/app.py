"""Counts visits in SQLite under ./data, which it creates next to the code."""

import sqlite3
from pathlib import Path

from flask import Flask

Path("data").mkdir(exist_ok=True)
DB = "data/visits.db"
app = Flask(__name__)


@app.get("/")
def index():
    con = sqlite3.connect(DB)
    with con:
        con.execute("CREATE TABLE IF NOT EXISTS visits (n INTEGER)")
        con.execute("INSERT INTO visits VALUES (1)")
        (n,) = con.execute("SELECT COUNT(*) FROM visits").fetchone()
    con.close()
    return f"Hello from SQLite in ./data: {n} visits\n"

"""Counts visits in PostgreSQL: the connection comes from DATABASE_URL (the compose file sets it)."""

import os

import psycopg2
from flask import Flask

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/")
def index():
    with psycopg2.connect(DATABASE_URL) as con, con.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (at timestamptz DEFAULT now())")
        cur.execute("INSERT INTO visits DEFAULT VALUES")
        cur.execute("SELECT count(*) FROM visits")
        (n,) = cur.fetchone()
    con.close()
    return f"Hello from PostgreSQL: {n} visits\n"

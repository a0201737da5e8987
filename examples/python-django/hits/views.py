"""Counts visits in SQLite (data/db.sqlite3), so the database directory must be writable."""

from django.db import connection, transaction
from django.http import HttpResponse


def index(request):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS hits (n INTEGER NOT NULL)")
        cur.execute("INSERT INTO hits (n) VALUES (1)")
        cur.execute("SELECT COUNT(*) FROM hits")
        (count,) = cur.fetchone()
    return HttpResponse(f"Hello from Django! Visits stored in SQLite: {count}\n", content_type="text/plain")

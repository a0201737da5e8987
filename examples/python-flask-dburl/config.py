"""Settings: the database is DATABASE_URL, else a SQLite file next to this module."""

import os

basedir = os.path.abspath(os.path.dirname(__file__))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "only-for-the-example"
    DATABASE_URL = os.environ.get("DATABASE_URL", "").replace("postgres://", "postgresql://") or \
        "sqlite:///" + os.path.join(basedir, "app.db")

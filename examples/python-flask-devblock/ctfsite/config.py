"""Settings: the SQLite database and the uploads live inside the package directory."""

import os


def from_ini(key):
    """A value from the site's ini file (none in this example)."""
    return None


class Config:
    DATABASE_URL = from_ini("DATABASE_URL") or f"sqlite:///{os.path.dirname(os.path.abspath(__file__))}/site.db"
    UPLOAD_FOLDER = from_ini("UPLOAD_FOLDER") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "uploads")

"""The WSGI module docker/uwsgi.ini names."""

from notes import app  # noqa: F401

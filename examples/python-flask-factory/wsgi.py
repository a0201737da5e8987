"""WSGI entry for servers that want a module-level object."""

from hello import create_app

app = create_app()

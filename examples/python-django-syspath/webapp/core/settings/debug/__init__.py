"""Development settings (manage.py's default)."""

from .. import *  # noqa: F403

DEBUG = True

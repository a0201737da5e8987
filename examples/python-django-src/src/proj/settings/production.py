"""Production settings: the base ones, nothing else yet."""

from .base import *  # noqa: F403

"""Embedded mode for a laptop: SQLite, demo-friendly defaults."""

from config.env import env

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
# runserver serves static files itself in DEBUG; nothing needs collecting.
STATIC_ROOT = None if DEBUG else STATIC_ROOT  # noqa: F405

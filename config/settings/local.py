"""Embedded mode for a laptop: SQLite, demo-friendly defaults."""

from config.env import env

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)

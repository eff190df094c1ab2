"""Production settings plus the benchmark floor route (used only by bench/submit.py)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"

"""Public pages: published cases, statistics, open data and improvement actions."""

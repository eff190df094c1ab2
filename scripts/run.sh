#!/usr/bin/env bash
# Start Tanggap on its embedded default: SQLite, demo data, web server and task worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
$PY manage.py migrate --noinput -v0
$PY manage.py demo_data
$PY manage.py demo_handling
$PY manage.py demo_surveys
$PY manage.py demo_open311
$PY manage.py demo_improvements
$PY manage.py demo_portal
$PY manage.py analytics_rollup --now --rebuild
$PY manage.py runserver "127.0.0.1:$PORT" --noreload &
web=$!
$PY manage.py db_worker --no-reload &
worker=$!
stop() { kill "$web" "$worker" 2>/dev/null || true; wait "$web" "$worker" 2>/dev/null || true; }
trap stop INT TERM EXIT
echo
echo "Tanggap is running at $SITE_URL/ (web server pid $web, task worker pid $worker). Ctrl-C stops both."
# When either process ends, stop the other too.
wait -n "$web" "$worker"

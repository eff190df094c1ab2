#!/usr/bin/env bash
# Run the whole suite: SQLite, then PostgreSQL, then the browser tests on both.
# Without PostgreSQL or Chromium those parts fail under CI=true and are skipped loudly elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
CHROMIUM="${TANGGAP_CHROMIUM:-/usr/bin/chromium}"
failed=0
summary=()

loud() { printf '\n\033[1;33m%s\033[0m\n' "################################################################"; printf '\033[1;33m# %s\033[0m\n' "$@"; printf '\033[1;33m%s\033[0m\n\n' "################################################################"; }

run() {  # run NAME PYTEST-ARGS...
  local name=$1; shift
  echo; echo "=== $name ==="
  "$PY" -m pytest "$@"
  local rc=$?
  [ $rc -eq 5 ] && rc=0   # no test selected is not a failure of the suite
  summary+=("$name: $([ $rc -eq 0 ] && echo passed || echo FAILED)")
  [ $rc -ne 0 ] && failed=1
}

missing() {  # missing WHAT
  if [ "${CI:-}" = "true" ]; then
    loud "$1 is missing: under CI this is a failure."; summary+=("$1: MISSING (failure under CI)"); failed=1
  else
    loud "$1 is missing: those tests are SKIPPED on this machine. They run in CI."; summary+=("$1: SKIPPED")
  fi
}

pg_ok=0
if TEST_DATABASE_URL="$PG_URL" "$PY" -c 'import environ, psycopg; u = environ.Env.db_url_config(__import__("os").environ["TEST_DATABASE_URL"]); psycopg.connect(host=u["HOST"], port=u["PORT"] or 5432, user=u["USER"], password=u["PASSWORD"], dbname=u["NAME"], connect_timeout=5).close()' 2>/dev/null; then pg_ok=1; fi
browser_ok=0
[ -x "$CHROMIUM" ] && browser_ok=1

run "SQLite" -m "not browser" -q "$@"
if [ $pg_ok -eq 1 ]; then TEST_DATABASE_URL="$PG_URL" run "PostgreSQL" -m "not browser" -q "$@"; else missing "PostgreSQL ($PG_URL)"; fi
if [ $browser_ok -eq 1 ]; then
  run "Browser on SQLite" -m browser -q "$@"
  if [ $pg_ok -eq 1 ]; then TEST_DATABASE_URL="$PG_URL" run "Browser on PostgreSQL" -m browser -q "$@"; fi
else
  missing "Chromium ($CHROMIUM)"
fi

echo; echo "=== Summary ==="; printf '%s\n' "${summary[@]}"
exit $failed

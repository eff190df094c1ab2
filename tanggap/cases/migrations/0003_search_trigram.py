"""Trigram index for substring search of cases, on PostgreSQL only (SQLite scans)."""

from django.db import migrations

from tanggap.common.migration_sql import postgresql_only

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS case_search_trgm ON cases_case "
    "USING gin (upper(search_text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS case_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_text")]

    operations = [migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP))]

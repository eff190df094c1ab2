"""Trigram index for substring search of case titles, on PostgreSQL only (SQLite scans)."""

from django.db import migrations

from tanggap.common.migration_sql import postgresql_only

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case "
    "USING gin (upper(title::text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS case_title_trgm"]


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP))]

"""Trigram index for substring search of report texts, on PostgreSQL only (SQLite scans)."""

from django.db import migrations

from tanggap.common.migration_sql import postgresql_only

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS report_description_trgm ON intake_report "
    "USING gin (upper(description) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS report_description_trgm"]


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("cases", "0002_trigram_search")]

    operations = [migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP))]

"""Trigram index for substring search of case titles, on PostgreSQL only (SQLite scans)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case "
    "USING gin (upper(title::text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS case_title_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

"""On PostgreSQL the database itself refuses to change or delete a case event."""

from django.db import migrations

from tanggap.common.migration_sql import postgresql_only

CREATE = [
    """
    CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'case events are append-only';
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS caseevent_append_only ON cases_caseevent",
    "CREATE TRIGGER caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent "
    "FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only()",
]
DROP = [
    "DROP TRIGGER IF EXISTS caseevent_append_only ON cases_caseevent",
    "DROP FUNCTION IF EXISTS cases_caseevent_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_trigram")]

    operations = [migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP))]

"""Raw SQL that only PostgreSQL runs (extensions, expression indexes); SQLite skips it."""


def postgresql_only(statements: list[str]):
    """Return a RunPython function executing *statements* on PostgreSQL, nothing elsewhere."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply

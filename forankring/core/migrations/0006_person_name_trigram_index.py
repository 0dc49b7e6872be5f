from django.db import migrations

# The people list searches names with `icontains`, which PostgreSQL runs as
# UPPER(name::text) LIKE UPPER('%...%'): without an index, a scan of every person (120 ms for
# 45,000). A trigram index on that expression finds the matches directly. PostgreSQL only:
# SQLite has no trigram index, and there a municipality is one machine's worth of people.
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm_idx ON core_person USING gin ((UPPER(name::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS person_name_trgm_idx"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_unit_head_count_person_name_index"),
    ]

    operations = [migrations.RunPython(create, drop)]

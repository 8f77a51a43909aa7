"""Full-text search tables for each database: FTS5 on SQLite, a tsvector column on PostgreSQL."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE directory_searchdocument ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED")
        schema_editor.execute(
            "CREATE INDEX directory_searchdocument_tsv ON directory_searchdocument USING GIN (tsv)")
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE directory_fts USING fts5(text, tokenize='porter unicode61')")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE directory_searchdocument DROP COLUMN tsv")
    else:
        schema_editor.execute("DROP TABLE directory_fts")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

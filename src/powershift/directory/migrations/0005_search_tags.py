"""Filter values as tag words in the search index, so text search filters inside it."""

from collections import defaultdict
from typing import Any

from django.db import migrations, models


def tags_of(apps: Any) -> dict[int, str]:
    """Each service's tags from the derived tables (see search_index.tags)."""
    from powershift.methods.directory_search import filter_tags

    Service = apps.get_model("directory", "Service")
    Slot = apps.get_model("directory", "Slot")
    found: dict[str, defaultdict[int, set[int]]] = {k: defaultdict(set) for k in ("terms", "places", "areas", "days")}
    for k, v in Service.terms.through.objects.values_list("service_id", "taxonomyterm_id"):
        found["terms"][k].add(v)
    for k, v in Service.places.through.objects.values_list("service_id", "place_id"):
        found["places"][k].add(v)
    for k, v in Service.service_areas.through.objects.values_list("service_id", "place_id"):
        found["areas"][k].add(v)
    for k, v in Slot.objects.values_list("service_id", "weekday"):
        found["days"][k].add(v)
    return {k: filter_tags(free, found["terms"][k], found["places"][k], found["areas"][k], found["days"][k])
            for k, free in Service.objects.values_list("pk", "is_free")}


def forwards(apps: Any, schema_editor: Any) -> None:
    SearchDocument = apps.get_model("directory", "SearchDocument")
    by_service = tags_of(apps)
    docs = list(SearchDocument.objects.all())
    for d in docs:
        d.tags = by_service.get(d.service_id, "")
    SearchDocument.objects.bulk_update(docs, ["tags"], batch_size=2000)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE directory_searchdocument ADD COLUMN tagv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', tags)) STORED")
        schema_editor.execute(
            "CREATE INDEX directory_searchdocument_tagv ON directory_searchdocument USING GIN (tagv)")
    else:
        schema_editor.execute("DROP TABLE directory_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE directory_fts USING fts5(text, tags, tokenize='porter unicode61')")
        schema_editor.execute(
            "INSERT INTO directory_fts (rowid, text, tags) SELECT service_id, text, tags FROM directory_searchdocument")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE directory_searchdocument DROP COLUMN tagv")
    else:
        schema_editor.execute("DROP TABLE directory_fts")
        schema_editor.execute("CREATE VIRTUAL TABLE directory_fts USING fts5(text, tokenize='porter unicode61')")
        schema_editor.execute(
            "INSERT INTO directory_fts (rowid, text) SELECT service_id, text FROM directory_searchdocument")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_listed_index")]
    operations = [
        migrations.AddField("searchdocument", "tags", models.TextField(blank=True, default="")),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex("service", models.Index(fields=["id", "status", "assured_date", "merged_into"],
                                                    name="dir_service_hit")),
    ]

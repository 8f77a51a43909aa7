"""The plain-words "what matters" vocabulary, with the words people search with."""

from typing import Any

from django.db import migrations

from powershift.formats.oruk import OUR_VOCABULARY, WHAT_MATTERS


def forwards(apps: Any, schema_editor: Any) -> None:
    term = apps.get_model("directory", "TaxonomyTerm")
    for code, (name, synonyms) in WHAT_MATTERS.items():
        term.objects.update_or_create(code=code, defaults={
            "name": name, "vocabulary": OUR_VOCABULARY, "synonyms": " ".join(synonyms)})


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_full_text")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Organisations in Vietnamese alphabetical order; search keys with abbreviations in both forms.

The search key is recomputed for every organisation ("HTX Vĩnh Thái" is found by "hợp tác xã
vĩnh"); on PostgreSQL a trigram index serves `search_key LIKE '%word%'`.
"""

import django.db.models.functions.comparison
from django.db import migrations, models


def recompute_search_keys(apps, schema_editor):
    from hoptac.core.text import search_key

    Organisation = apps.get_model("registry", "Organisation")
    batch = []
    for organisation in Organisation.objects.only("id", "name", "tax_code").iterator(chunk_size=2000):
        organisation.search_key = search_key(organisation.name, organisation.tax_code)
        batch.append(organisation)
        if len(batch) >= 2000:
            Organisation.objects.bulk_update(batch, ["search_key"])
            batch = []
    Organisation.objects.bulk_update(batch, ["search_key"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organisation_search_trgm_idx "
            "ON registry_organisation USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organisation_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_vietnamese_collation_and_trigram"),
        ("registry", "0006_merge_20261201_1857"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organisation",
            options={
                "ordering": [
                    models.OrderBy(django.db.models.functions.comparison.Collate(models.F("name"), "vi")),
                    "id",
                ],
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        migrations.AlterField(
            model_name="organisation",
            name="search_key",
            field=models.CharField(db_index=True, editable=False, max_length=800),
        ),
        migrations.RunPython(recompute_search_keys, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]

"""Organisations in Vietnamese alphabetical order; search keys with abbreviations in both forms.

Every organisation gets its name's sort key (SQLite orders by it) and a new search key ("HTX
Vĩnh Thái" is found by "hợp tác xã vĩnh"); on PostgreSQL an index on the name in the "vi"
collation serves the order and a trigram index serves `search_key LIKE '%word%'`.
"""

import hoptac.core.collation
from django.db import migrations, models


def recompute_keys(apps, schema_editor):
    from hoptac.core.text import search_key, sort_text

    Organisation = apps.get_model("registry", "Organisation")
    batch = []
    for organisation in Organisation.objects.only("id", "name", "tax_code").iterator(chunk_size=2000):
        organisation.search_key = search_key(organisation.name, organisation.tax_code)
        organisation.name_key = sort_text(organisation.name)
        batch.append(organisation)
        if len(batch) >= 2000:
            Organisation.objects.bulk_update(batch, ["search_key", "name_key"])
            batch = []
    Organisation.objects.bulk_update(batch, ["search_key", "name_key"])


def postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organisation_search_trgm_idx "
            "ON registry_organisation USING gin (search_key gin_trgm_ops)"
        )
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS organisation_name_vi_idx ON registry_organisation (name COLLATE "vi", id)'
        )


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organisation_search_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS organisation_name_vi_idx")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_vietnamese_collation_and_trigram'),
        ('geo', '0003_versions_from_existing_units'),
        ('registry', '0006_merge_20261201_1857'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='organisation',
            options={'ordering': [models.OrderBy(hoptac.core.collation.VietnameseName(models.F('name'), models.F('name_key'))), 'id'], 'verbose_name': 'organisation', 'verbose_name_plural': 'organisations'},
        ),
        migrations.AddField(
            model_name='organisation',
            name='name_key',
            field=models.CharField(default='', editable=False, max_length=600),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='search_key',
            field=models.CharField(db_index=True, editable=False, max_length=800),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['name_key', 'id'], name='organisation_name_key_idx'),
        ),
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
        migrations.RunPython(postgresql_indexes, drop_postgresql_indexes),
    ]

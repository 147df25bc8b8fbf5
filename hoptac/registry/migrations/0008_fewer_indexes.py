"""Two indexes fewer on organisations, which every write (and an import's 100,000 rows) paid for.

- `search_key`: searched with `contains` (the trigram index on PostgreSQL serves it, SQLite scans);
  its b-tree index (and on PostgreSQL its `varchar_pattern_ops` copy) served no query.
- `commune`: `organisation_commune_kind_idx` starts with it, so its own index was a duplicate.

Only the indexes are dropped (no table rebuild on SQLite, the foreign key stays as it is on
PostgreSQL).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    ("registry_organisation_search_key_cf9f1591", "search_key", ""),
    ("registry_organisation_search_key_cf9f1591_like", "search_key varchar_pattern_ops", "postgresql"),
    ("registry_organisation_commune_id_00f7340a", "commune_id", ""),
]


def drop(apps, schema_editor):
    for name, _columns, _vendor in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create(apps, schema_editor):
    for name, columns, vendor in INDEXES:
        if vendor in ("", schema_editor.connection.vendor):
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_organisation" ({columns})')


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0004_unit_name_sort_key'),
        ('registry', '0007_vietnamese_order_and_search_key'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='organisation',
                    name='commune',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='geo.administrativeunit', verbose_name='commune'),
                ),
                migrations.AlterField(
                    model_name='organisation',
                    name='search_key',
                    field=models.CharField(editable=False, max_length=800),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]

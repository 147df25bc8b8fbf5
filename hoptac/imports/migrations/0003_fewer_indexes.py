"""Batch items: no index on the content type (items are read by batch; an import wrote one per row).

Only the index is dropped (no table rebuild on SQLite, the foreign key stays on PostgreSQL).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "imports_batchitem_content_type_id_cfcc2aca"


def drop(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


def create(apps, schema_editor):
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "imports_batchitem" ("content_type_id")')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('imports', '0002_savedmapping'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='batchitem',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype'),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]

"""Audit entries: no index of its own on the content type, which `audit_object_idx` starts with.

Only the index is dropped (no table rebuild on SQLite, the foreign key stays on PostgreSQL).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "core_auditentry_content_type_id_797ef574"


def drop(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


def create(apps, schema_editor):
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "core_auditentry" ("content_type_id")')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_vietnamese_collation_and_trigram'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype'),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]

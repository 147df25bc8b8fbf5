"""`organisation_name_key_idx` only where it is used: SQLite.

SQLite orders organisations by their stored sort key (`name_key`, core.collation); PostgreSQL
orders by `name COLLATE "vi"` through `organisation_name_vi_idx` (0007) and never read this
index, which every write paid for (0.5 s of an import's 100,000 rows on the server). The index
stays in the model's state, so that SQLite's table rebuilds keep it; on PostgreSQL Django drops
indexes with IF EXISTS, so a later RemoveIndex still runs there.
"""

from django.db import migrations

NAME = "organisation_name_key_idx"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "registry_organisation" ("name_key", "id")')


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0008_fewer_indexes"),
    ]

    operations = [migrations.RunPython(drop, create, elidable=False)]

"""The "vi" collation (ICU, Vietnamese) and the pg_trgm extension, on PostgreSQL only.

SQLite gets its "vi" collation from a callback registered on each connection (core.collation)
and has no trigram index: these statements are skipped there.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi-VN')")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP COLLATION IF EXISTS vi")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_jobs")]
    operations = [migrations.RunPython(create, drop, elidable=False)]

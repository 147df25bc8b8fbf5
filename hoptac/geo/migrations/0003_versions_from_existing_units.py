"""Existing units get their first version (the state of the unit files), lineage links their date.

The change sets shipped in geo/data/changes/ (Đồng Nai, 30/04/2026) are applied by
`hoptac load-units`, which every deployment runs after migrating.
"""

import datetime

from django.db import migrations

REFORM_DATE = datetime.date(2025, 7, 1)


def forwards(apps, schema_editor):
    Unit = apps.get_model("geo", "AdministrativeUnit")
    Version = apps.get_model("geo", "UnitVersion")
    Lineage = apps.get_model("geo", "UnitLineage")
    have = set(Version.objects.values_list("unit_id", flat=True))
    batch = []
    for u in Unit.objects.exclude(pk__in=have).iterator(chunk_size=2000):
        batch.append(
            Version(
                unit_id=u.pk,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
                name=u.name,
                unit_type=u.unit_type,
                parent_id=u.parent_id,
                province_id=u.province_id,
            )
        )
        if len(batch) >= 2000:
            Version.objects.bulk_create(batch)
            batch = []
    Version.objects.bulk_create(batch)
    Lineage.objects.filter(date__isnull=True, act__isnull=True).update(date=REFORM_DATE)


def backwards(apps, schema_editor):
    apps.get_model("geo", "UnitVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_unit_versions_and_dated_lineage")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Units keep their name's Vietnamese sort key: lists sorted by commune or province on SQLite."""

from django.db import migrations, models


def compute(apps, schema_editor):
    from hoptac.core.text import sort_text

    Unit = apps.get_model("geo", "AdministrativeUnit")
    units = list(Unit.objects.only("id", "name"))
    for unit in units:
        unit.name_key = sort_text(unit.name)
    Unit.objects.bulk_update(units, ["name_key"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0003_versions_from_existing_units'),
    ]

    operations = [
        migrations.AddField(
            model_name='administrativeunit',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=300),
        ),
        migrations.RunPython(compute, migrations.RunPython.noop),
    ]

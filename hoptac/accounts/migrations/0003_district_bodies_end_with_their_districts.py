"""Existing bodies get a kind and symbol from their name; bodies of former units end with them.

The seed plans hand tasks to district bodies (Phòng Nông nghiệp và PTNT huyện Vĩnh Linh…),
which ended with the districts on 30/06/2025.
"""

from django.db import migrations

KINDS = [
    ("ubnd", "UBND", ("ủy ban nhân dân", "ubnd", "uỷ ban nhân dân")),
    ("so", "", ("sở ",)),
    ("phong", "", ("phòng ", "văn phòng ")),
    ("bo", "", ("bộ ",)),
    ("lien_minh", "LMHTX", ("liên minh",)),
]


def forwards(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for agency in Agency.objects.select_related("unit"):
        lowered = agency.name.lower()
        for kind, symbol, prefixes in KINDS:
            if lowered.startswith(prefixes):
                agency.kind = kind
                agency.symbol = agency.symbol or symbol
                break
        if agency.unit_id and agency.unit.valid_to and not agency.valid_to:
            agency.valid_to = agency.unit.valid_to
        agency.save(update_fields=["kind", "symbol", "valid_to"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_agency_validity_kind_and_successions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

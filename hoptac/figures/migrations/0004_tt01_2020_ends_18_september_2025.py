"""TT 01/2020/TT-BKHĐT is reported repealed in full from 18/09/2025 by TT 78/2025/TT-BTC.

One source (the Cao Bằng Liên minh HTX); the repealing text was not seen, so this is data an
administrator can change, with a reason, through figures.services.set_rubric_validity.
"""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    Rubric = apps.get_model("figures", "Rubric")
    Rubric.objects.filter(code="TT01/2020").update(
        legal_source="Thông tư 01/2020/TT-BKHĐT",
        valid_to=datetime.date(2025, 9, 17),
        ended_by="Thông tư 78/2025/TT-BTC, hiệu lực từ 18/09/2025, bãi bỏ toàn bộ (một nguồn: Liên minh HTX tỉnh Cao Bằng; chưa đối chiếu văn bản gốc)",
    )


def backwards(apps, schema_editor):
    apps.get_model("figures", "Rubric").objects.filter(code="TT01/2020").update(valid_to=None, ended_by="")


class Migration(migrations.Migration):
    dependencies = [("figures", "0003_rubric_source_period_and_local")]
    operations = [migrations.RunPython(forwards, backwards)]

"""The seeds' policy catalogue."""

from django.db import migrations

POLICIES = [
    ("human-resources", "Phát triển nguồn nhân lực, đào tạo, bồi dưỡng", "Seed 000 III.2.1"),
    ("land", "Đất đai", "Seed 000 III.2.2"),
    ("credit-fund", "Vay vốn Quỹ hỗ trợ phát triển hợp tác xã", "Seed 002 nhiệm vụ 2.2"),
    ("credit-internal", "Tín dụng nội bộ", "Seed 000 III.2.3"),
    ("finance", "Tài chính, tín dụng khác", "Seed 000 III.2.3"),
    ("science-technology", "Khoa học công nghệ, nhãn hiệu, truy xuất nguồn gốc", "Seed 000 III.2.4"),
    ("infrastructure", "Đầu tư kết cấu hạ tầng (chương trình mục tiêu quốc gia)", "Seed 000 III.2.5"),
    ("social-insurance", "Bảo hiểm xã hội", "Seed 000 III.2.6"),
    ("trade-promotion", "Xúc tiến thương mại, mở rộng thị trường", "Seed 004 III"),
    ("new-cooperatives", "Thành lập mới hợp tác xã", "Seed 004 III"),
    ("women-led", "Hợp tác xã do phụ nữ làm chủ, tạo việc làm cho lao động nữ", "Seed 004 III (2021-2030)"),
    ("ethnic-mountain", "Vùng đồng bào dân tộc thiểu số và miền núi", "Seed 004 III"),
]


def load(apps, schema_editor):
    Policy = apps.get_model("support", "Policy")
    for code, name, basis in POLICIES:
        Policy.objects.update_or_create(code=code, defaults={"name": name, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The rubric of Thông tư 01/2020/TT-BKHĐT, Phụ lục I, as data.

Criteria 1-9 and the group totals (30 / 30 / 40) are confirmed by our sources; the maxima of
criteria 10-15 are not (shared/domain/regulations.md §1.2). They are entered here as a
provisional split of group III's 40 points, flagged `confirmed=False`, for an administrator
to correct from the official annex; services.check_rubric enforces the group totals.
"""

import datetime
from decimal import Decimal

from django.db import migrations

CRITERIA = [
    (1, "finance", "Vốn của hợp tác xã", "7", [["Tổng nguồn vốn trung bình", 6], ["Tổng nguồn vốn tăng so với năm trước", 1]], True),
    (2, "finance", "Tài sản của hợp tác xã", "6", [["Tài sản không chia trung bình", 5], ["Tài sản không chia tăng so với năm trước", 1]], True),
    (3, "finance", "Kết quả sản xuất kinh doanh trong năm", "11", [["Doanh thu bán hàng và cung ứng dịch vụ", 4], ["Tỷ lệ đáp ứng sản phẩm, dịch vụ cho thành viên", 3], ["Lợi nhuận trước thuế", 4]], True),
    (4, "finance", "Trích lập các quỹ", "6", [["Quỹ đầu tư phát triển", 2], ["Quỹ dự phòng", 2], ["Các quỹ khác", 2]], True),
    (5, "governance", "Chấp hành pháp luật trong tổ chức, hoạt động", "8", [], True),
    (6, "governance", "Giải quyết tranh chấp, khiếu nại", "6", [], True),
    (7, "governance", "Trình độ cán bộ quản lý, điều hành", "6", [["Tỷ lệ cán bộ có trình độ cao đẳng, đại học trở lên", 2], ["Tỷ lệ cán bộ qua đào tạo sơ cấp, trung cấp", 2], ["Tỷ lệ cán bộ trẻ", 2]], True),
    (8, "governance", "Chế độ, chính sách cho thành viên và người lao động", "6", [], True),
    (9, "governance", "Áp dụng tiến bộ khoa học kỹ thuật, xây dựng thương hiệu, chuỗi giá trị", "4", [], True),
    (10, "members", "Mức độ tham gia của thành viên đối với hợp tác xã", "10", [], False),
    (11, "members", "Lợi ích thành viên", "10", [], False),
    (12, "members", "Sản phẩm, dịch vụ hợp tác xã cung ứng cho thành viên", "8", [], False),
    (13, "members", "Công tác thông tin, truyền thông, đào tạo bồi dưỡng", "4", [], False),
    (14, "members", "Mức độ ảnh hưởng tích cực đến cộng đồng", "4", [], False),
    (15, "members", "Hợp tác xã được khen thưởng trong năm", "4", [], False),
]


def load(apps, schema_editor):
    Rubric = apps.get_model("figures", "Rubric")
    Criterion = apps.get_model("figures", "Criterion")
    rubric, _ = Rubric.objects.get_or_create(
        code="TT01/2020",
        defaults={"name": "Thông tư 01/2020/TT-BKHĐT – Phụ lục I", "valid_from": datetime.date(2020, 4, 1)},
    )
    for number, group, name, points, sub_items, confirmed in CRITERIA:
        Criterion.objects.update_or_create(
            rubric=rubric,
            number=number,
            defaults={"group": group, "name": name, "max_points": Decimal(points), "sub_items": sub_items, "confirmed": confirmed},
        )


class Migration(migrations.Migration):
    dependencies = [("figures", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

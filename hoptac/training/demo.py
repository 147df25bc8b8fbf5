"""Demo managers and training for some cooperatives, and dissolution cases for stopped ones."""

import datetime
import random

from hoptac.core.audit import Actor
from hoptac.dissolution import services as dissolution
from hoptac.registry.choices import Kind, Status
from hoptac.registry.demo import person
from hoptac.registry.models import Organisation
from hoptac.training import services


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 19)
    actor = Actor.command()
    for org in Organisation.objects.filter(kind=Kind.HTX, status=Status.ACTIVE).order_by("pk"):
        if rng.random() > 0.2:
            continue
        for role in ("director", "chair", "accountant"):
            woman = rng.random() < 0.3
            manager = services.add_manager(actor, org, name=person(rng, woman), role=role, is_woman=woman,
                                           education=rng.choice(["degree", "intermediate", "elementary", "none"]),
                                           birth_year=rng.randint(1960, 1998))  # fmt: skip
            if rng.random() < 0.6:
                services.record_training(actor, manager, course="Sơ cấp nghề giám đốc hợp tác xã" if role == "director" else "Bồi dưỡng quản lý HTX",
                                         level="director" if role == "director" else "short", provider="Liên minh HTX tỉnh",
                                         start=datetime.date(rng.randint(2021, 2025), rng.randint(1, 12), 1))  # fmt: skip
    for org in Organisation.objects.filter(kind=Kind.HTX, status=Status.STOPPED).order_by("pk")[:2]:
        opened = max(
            org.status_since or datetime.date(2023, 1, 1), datetime.date(2023, 3, 1)
        ) + datetime.timedelta(days=10)
        if opened < datetime.date(2026, 6, 1):
            case = dissolution.open_case(actor, org, "voluntary", "2012-54-1", "Đại hội thành viên", opened)
            dissolution.add_step(
                actor, case, "Thông báo cơ quan đăng ký và chủ nợ", opened + datetime.timedelta(days=20)
            )

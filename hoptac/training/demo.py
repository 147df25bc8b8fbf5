"""Demo managers (director, chair, accountant) and their training for about one cooperative in five."""

import datetime
import random

from hoptac.core.audit import Actor
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
        funding = org.support_records.filter(policy__code="human-resources").first()
        for role in ("director", "chair", "accountant"):
            woman = rng.random() < 0.3
            manager = services.add_manager(actor, org, {
                "name": person(rng, woman), "role": role, "is_woman": woman, "birth_year": rng.randint(1962, 1998),
                "education": rng.choice(["degree", "intermediate", "elementary", "none"]),
            })  # fmt: skip
            if rng.random() < 0.6:
                director = role == "director"
                start = datetime.date(rng.randint(2021, 2025), rng.randint(1, 10), 1)
                services.record_training(actor, manager, {
                    "course": "Sơ cấp nghề giám đốc hợp tác xã" if director else "Bồi dưỡng quản lý HTX",
                    "level": "director" if director else "short", "provider": "Liên minh HTX tỉnh",
                    "start": start, "end": start + datetime.timedelta(days=60 if director else 5),
                    "funded_by": funding,
                })  # fmt: skip

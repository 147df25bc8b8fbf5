"""Demo support records from the seeds' policies and funding sources."""

import datetime
import random

from hoptac.core.audit import Actor
from hoptac.registry.choices import Kind, Status
from hoptac.registry.models import Organisation
from hoptac.support import services
from hoptac.support.models import FundingSource, Policy


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 17)
    actor = Actor.command()
    policies = list(Policy.objects.all())
    for org in Organisation.objects.filter(kind=Kind.HTX, status=Status.ACTIVE).order_by("pk"):
        if rng.random() > 0.25 or not policies:
            continue
        policy = rng.choice(policies)
        day = datetime.date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
        money = rng.random() < 0.8
        services.record_support(actor, {
            "organisation": org, "policy": policy, "date": day, "source": rng.choice(FundingSource.values),
            "amount": rng.randrange(20, 800) * 1_000_000 if money else None,
            "in_kind": "" if money else "Máy sấy nông sản", "in_kind_value": None if money else 150_000_000,
            "decision_number": f"{rng.randint(10, 999)}/QĐ-UBND", "decision_date": day,
        })  # fmt: skip

"""Demo dissolution cases for stopped cooperatives, and a merger of two village cooperatives
into a commune-level survivor (seed 002, task 3.2c)."""

import datetime
import random

from django.db.models import Count

from hoptac.core.audit import Actor
from hoptac.dissolution import services
from hoptac.dissolution.models import LAW_2023_IN_FORCE, StepKind
from hoptac.registry import services as registry
from hoptac.registry.choices import Kind, OperatingScale, Status
from hoptac.registry.models import Organisation


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 23)
    actor = Actor.command()
    _merger(actor)
    for org in Organisation.objects.filter(kind=Kind.HTX, status=Status.STOPPED).order_by("pk")[:4]:
        opened = max(
            org.status_since or datetime.date(2023, 1, 1), datetime.date(2023, 3, 1)
        ) + datetime.timedelta(days=rng.randint(10, 90))
        opened = min(opened, datetime.date(2025, 9, 30))
        new_law = opened >= LAW_2023_IN_FORCE
        compulsory = rng.random() < 0.5
        basis = "2023" if new_law else ("2012-54-2" if compulsory else "2012-54-1")
        case = services.open_case(actor, org, {
            "kind": "compulsory" if compulsory else "voluntary", "legal_basis": basis,
            "deciding_body": "UBND xã" if compulsory else "Đại hội thành viên",
            "grounds": "Không hoạt động 12 tháng liên tục" if compulsory else "", "opened_on": opened,
        })  # fmt: skip
        services.add_step(actor, case, StepKind.NOTIFY_AUTHORITY, opened + datetime.timedelta(days=20))
        services.add_step(actor, case, StepKind.PUBLISHED, opened + datetime.timedelta(days=35))
        if rng.random() < 0.5 and opened + datetime.timedelta(days=120) < datetime.date(2025, 11, 1):
            services.close_case(
                actor, case, opened + datetime.timedelta(days=120), f"{rng.randint(10, 999)}/QĐ-UBND"
            )


def _merger(actor) -> None:
    """Two village cooperatives of one commune and sector in Quảng Trị merge into a third."""
    commune = (
        Organisation.objects.filter(kind=Kind.HTX, status=Status.ACTIVE, commune__province__code="44")
        .values("commune_id", "sector")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
        .order_by("commune_id", "sector")
        .first()
    )
    if commune is None:
        return
    survivor, *villages = Organisation.objects.filter(
        kind=Kind.HTX, status=Status.ACTIVE, commune_id=commune["commune_id"], sector=commune["sector"]
    ).order_by("registration_date", "pk")[:3]
    survivor = registry.update_organisation(actor, survivor, {"operating_scale": OperatingScale.COMMUNE})
    villages = [
        registry.update_organisation(actor, v, {"operating_scale": OperatingScale.VILLAGE}) for v in villages
    ]
    registered = [o.registration_date for o in (survivor, *villages) if o.registration_date]
    day = max([datetime.date(2023, 9, 15), *(d + datetime.timedelta(days=30) for d in registered)])
    services.merge_into(actor, survivor, villages, day, decision="125/QĐ-UBND",
                        note="Sáp nhập HTX quy mô thôn vào HTX quy mô xã (nhiệm vụ 3.2c)")  # fmt: skip

"""Demo traceability: one cooperative's rice from planting to a buyer, milled into a packed lot,
with a corrected weighing; and a harvested, shipped lot for a few other farming cooperatives."""

import datetime
import random
from decimal import Decimal

from hoptac.core.audit import Actor
from hoptac.registry.choices import Kind, Status
from hoptac.registry.demo import trade_of
from hoptac.registry.models import Organisation
from hoptac.trace import services
from hoptac.trace.models import CertificationKind, Party, Step

ICT = datetime.timezone(datetime.timedelta(hours=7))
BUYERS = [
    ("Công ty CP Lương thực Quảng Trị", "3200114345"),
    ("Công ty TNHH Nông sản Sạch Miền Trung", "0100233488"),
]
# What each trade harvests (registry.demo.trade_of), with its shelf life in days.
CROPS = {
    "farming": [("Bưởi da xanh", 30), ("Lúa Japonica", 180)],
    "pepper": [("Hồ tiêu đen", 540)],
    "dragon_fruit": [("Thanh long ruột đỏ", 21), ("Thanh long ruột trắng", 21)],
    "honey": [("Mật ong hoa cà phê", 540)],
    "rice_seed": [("Lúa giống ĐV108", 180)],
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ICT)


def _rice_story(actor: Actor, org: Organisation) -> None:
    paddy = services.create_product(
        actor, {"organisation": org, "name": "Lúa hữu cơ ST25", "unit": "KGM",
                "description": "Lúa ST25 trồng theo quy trình hữu cơ trên cánh đồng mẫu lớn của hợp tác xã."},
    )  # fmt: skip
    rice = services.create_product(
        actor, {"organisation": org, "name": "Gạo hữu cơ ST25 túi 5 kg", "unit": "KGM", "shelf_life_days": 365,
                "gtin": "8930000000019", "description": "Gạo ST25 xay xát và đóng túi tại hợp tác xã."},
    )  # fmt: skip
    for product in (paddy, rice):
        services.add_certification(actor, product, {"kind": CertificationKind.ORGANIC, "number": "HC-2025-0412",
                                                     "issuer": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
                                                     "valid_from": datetime.date(2025, 1, 15),
                                                     "valid_until": datetime.date(2028, 1, 14)})  # fmt: skip
    field = services.create_lot(actor, {"product": paddy, "number": "VX-2025-07", "produced_on": datetime.date(2025, 9, 20),
                                        "quantity": Decimal("12000"), "unit": "KGM"})  # fmt: skip
    steps = [
        (datetime.date(2025, 6, 10), Step.PLANTING, None, {"location_name": "Cánh đồng mẫu lớn, thôn 3"}),
        (datetime.date(2025, 7, 5), Step.GROWING, None,
         {"party": Party.MEMBER, "member_ref": "TV-017", "note": "Bón phân hữu cơ vi sinh 500 kg/ha"}),
        (datetime.date(2025, 9, 20), Step.HARVESTING, Decimal("12000"), {"location_name": "Cánh đồng mẫu lớn, thôn 3"}),
        (datetime.date(2025, 9, 22), Step.INSPECTING, Decimal("12000"), {"note": "Mẫu kiểm nghiệm dư lượng: đạt"}),
    ]  # fmt: skip
    harvest = None
    for day, step, quantity, extra in steps:
        event, _ = services.record_event(actor, field, {"step": step, "event_time": _at(day, 8), "quantity": quantity,
                                                         "place": org.commune, **extra})  # fmt: skip
        if step == Step.HARVESTING:
            harvest = event
    # The harvest was weighed again at the store: a correction, never an edit.
    services.record_event(actor, field, {"step": Step.HARVESTING, "event_time": _at(datetime.date(2025, 9, 20), 8),
                                         "quantity": Decimal("11850"), "place": org.commune, "corrects": harvest,
                                         "location_name": "Cánh đồng mẫu lớn, thôn 3",
                                         "note": "Cân lại tại kho: 11.850 kg"})  # fmt: skip
    packed = services.create_lot(actor, {"product": rice, "number": "G-2025-10-01", "produced_on": datetime.date(2025, 10, 1),
                                         "quantity": Decimal("7000"), "unit": "KGM"})  # fmt: skip
    services.record_event(actor, packed, {"step": Step.PROCESSING, "event_time": _at(datetime.date(2025, 10, 1), 7),
                                          "quantity": Decimal("7000"), "place": org.commune,
                                          "location_name": "Xưởng xay xát của hợp tác xã"},
                          [services.InputLot(field.code, Decimal("11850"), "KGM")])  # fmt: skip
    for day, step, extra in [
        (datetime.date(2025, 10, 2), Step.PACKING, {"note": "1.400 túi 5 kg"}),
        (datetime.date(2025, 10, 3), Step.STORING, {"location_name": "Kho hợp tác xã"}),
        (
            datetime.date(2025, 10, 8),
            Step.SHIPPING,
            {"partner_name": BUYERS[0][0], "partner_tax_code": BUYERS[0][1]},
        ),
    ]:
        services.record_event(actor, packed, {"step": step, "event_time": _at(day, 9), "quantity": Decimal("7000"),
                                              "place": org.commune, **extra})  # fmt: skip


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 41)
    actor = Actor.command()
    farms = [
        o
        for o in Organisation.objects.filter(kind__in=[Kind.HTX, Kind.THT], status=Status.ACTIVE).order_by(
            "id"
        )
        if trade_of(o.name) in CROPS
    ]
    # The rice story belongs to a farming cooperative (not, say, an aquaculture one).
    first = next((o for o in farms if o.kind == Kind.HTX and trade_of(o.name) == "farming"), None)
    if first is None:
        return
    _rice_story(actor, first)
    others = [o for o in farms if o.pk != first.pk][:60]
    for org in rng.sample(others, min(15, len(others))):
        name, shelf_life = rng.choice(CROPS[trade_of(org.name)])
        product = services.create_product(
            actor, {"organisation": org, "name": name, "shelf_life_days": shelf_life}
        )
        for year in (2024, 2025):
            day = datetime.date(year, rng.randint(3, 10), rng.randint(1, 28))
            quantity = Decimal(rng.randrange(500, 8000, 50))
            lot = services.create_lot(actor, {"product": product, "produced_on": day, "quantity": quantity})
            services.record_event(actor, lot, {"step": Step.HARVESTING, "event_time": _at(day, 7), "quantity": quantity,
                                               "place": org.commune})  # fmt: skip
            buyer = rng.choice(BUYERS)
            services.record_event(actor, lot, {"step": Step.SHIPPING, "event_time": _at(day + datetime.timedelta(days=3), 10),
                                               "quantity": quantity, "place": org.commune, "partner_name": buyer[0],
                                               "partner_tax_code": buyer[1]})  # fmt: skip

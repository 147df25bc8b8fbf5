import datetime
from decimal import Decimal

from hoptac.core.audit import Actor
from hoptac.trace import services
from hoptac.trace.models import Step

ICT = datetime.timezone(datetime.timedelta(hours=7))
COMMAND = Actor.command()


def at(day: str, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=ICT)


def product(org, actor=COMMAND, **extra):
    return services.create_product(actor, {"organisation": org, "name": "Gạo ST25", "unit": "KGM", **extra})


def lot(prod, actor=COMMAND, **extra):
    data = {"product": prod, "produced_on": datetime.date(2025, 9, 20), "quantity": Decimal("1000"), **extra}
    return services.create_lot(actor, data)


def event(the_lot, step=Step.HARVESTING, day="2025-09-20", actor=COMMAND, inputs=(), **extra):
    data = {"step": step, "event_time": at(day), "quantity": Decimal("1000"), **extra}
    return services.record_event(actor, the_lot, data, list(inputs))[0]


def harvest_to_shipping(the_lot, actor=COMMAND):
    """Harvest, inspection, packing, storage and shipping to an enterprise, as the demo does."""
    event(
        the_lot, Step.HARVESTING, "2025-09-20", actor, place=the_lot.place, location_name="Cánh đồng thôn 3"
    )
    event(the_lot, Step.INSPECTING, "2025-09-21", actor)
    event(the_lot, Step.PACKING, "2025-09-22", actor)
    event(the_lot, Step.STORING, "2025-09-23", actor, location_name="Kho hợp tác xã")
    return event(the_lot, Step.SHIPPING, "2025-09-25", actor, partner_name="Công ty CP Lương thực Quảng Trị",
                 partner_tax_code="3200114345")  # fmt: skip

"""Demo OCOP products for about one cooperative in ten, some of them past their 36 months."""

import datetime
import random

from hoptac.core.audit import Actor
from hoptac.ocop import services
from hoptac.registry.choices import Kind, Status
from hoptac.registry.demo import trade_of
from hoptac.registry.models import Organisation

# Products by trade (registry.demo.trade_of): each cooperative's OCOP product is one it could make.
PRODUCTS = {
    "dragon_fruit": [("Thanh long ruột đỏ sấy dẻo", "food")],
    "pepper": [("Hồ tiêu Vĩnh Linh", "food")],
    "fish_sauce": [("Nước mắm cá cơm", "food")],
    "farming": [("Trà khổ qua rừng", "drinks"), ("Gạo sạch", "food")],
    "forestry": [("Tinh dầu tràm", "herbs"), ("Mây tre đan", "handicrafts")],
    "fishing": [("Du lịch cộng đồng làng chài", "tourism"), ("Mực một nắng", "food")],
    "aquaculture": [("Tôm sú sạch", "food")],
    "salt": [("Muối tôm", "food")],
}


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 13)
    actor = Actor.command()
    for org in Organisation.objects.filter(kind=Kind.HTX, status=Status.ACTIVE).order_by("pk"):
        if rng.random() > 0.1 or trade_of(org.name) not in PRODUCTS:
            continue
        name, group = rng.choice(PRODUCTS[trade_of(org.name)])
        score = rng.choice(
            [rng.randint(52, 69), rng.randint(70, 89), rng.randint(70, 89), rng.randint(90, 95)]
        )
        day = datetime.date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
        day = min(day, datetime.date(2025, 10, 31))
        # stars and level follow from the score and the date (QĐ 148/2023, QĐ 1489/2025)
        services.record_product(actor, {"organisation": org, "name": name, "group": group, "score": score, "stars": None,
                                        "level": "", "decision_number": f"{rng.randint(100, 2999)}/QĐ-UBND",
                                        "decision_date": day})  # fmt: skip

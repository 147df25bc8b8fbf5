"""Demo value-chain links: about a third of the agricultural cooperatives linked with an enterprise."""

import datetime
import random

from hoptac.core.audit import Actor
from hoptac.links import services
from hoptac.registry.choices import AGRICULTURAL_SECTORS, Kind, Status
from hoptac.registry.demo import trade_of
from hoptac.registry.models import Organisation, make_tax_code

# Buyers and suppliers by trade (registry.demo.trade_of): a link is with a partner of the cooperative's trade.
ENTERPRISES = {
    "dragon_fruit": [("Công ty TNHH Xuất nhập khẩu Thanh long Hoàng Hậu", "Thanh long ruột đỏ")],
    "pepper": [("Công ty Cổ phần Nông sản Quảng Trị", "Hồ tiêu Vĩnh Linh")],
    "fishing": [("Công ty TNHH Thủy sản Đức Phổ", "Cá ngừ, mực khô")],
    "aquaculture": [("Công ty TNHH Thủy sản Đức Phổ", "Tôm thương phẩm")],
    "farming": [("Công ty Cổ phần Phân bón Bình Điền", "Lúa giống, phân bón")],
    "fish_sauce": [("Công ty TNHH Nước mắm Phan Thiết", "Cá cơm nguyên liệu")],
    "forestry": [("Công ty Cổ phần Lâm sản Quảng Trị", "Gỗ rừng trồng")],
    "salt": [("Công ty Cổ phần Muối Việt Nam", "Muối hạt")],
}


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 11)
    actor = Actor.command()
    farms = Organisation.objects.filter(
        kind=Kind.HTX, status=Status.ACTIVE, sector__in=list(AGRICULTURAL_SECTORS)
    ).order_by("pk")
    sequence = 1000
    for org in farms:
        if rng.random() > 0.35 or trade_of(org.name) not in ENTERPRISES:
            continue
        name, product = rng.choice(ENTERPRISES[trade_of(org.name)])
        code = None
        while code is None:
            sequence += rng.randint(1, 50)
            code = make_tax_code("32", sequence)
        start = datetime.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
        ended = start.replace(year=start.year + rng.randint(1, 3)) if rng.random() < 0.25 else None
        services.create_link(actor, {
            "organisation": org, "enterprise_name": name, "enterprise_tax_code": code, "product": product,
            "contract_number": f"{rng.randint(1, 99)}/HĐLK", "contract_date": start, "start_date": start,
            "end_date": ended if ended and ended < datetime.date(2026, 11, 1) else None,
            "value": rng.randrange(200, 5000) * 1_000_000,
        })  # fmt: skip

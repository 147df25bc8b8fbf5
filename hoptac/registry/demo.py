"""A realistic, reproducible demo registry for the seeds' areas.

Covers the former Vĩnh Linh district (Quảng Trị), the former Đức Phổ town (Quảng Ngãi)
and the former Bình Thuận province (now part of Lâm Đồng), in today's communes, with each
organisation's former commune recorded. Names, sectors, statuses and tax codes are
plausible and valid; everything derives from one seed, so every run makes the same data.
All writes go through the registry services, so the demo is audited like real data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from hoptac.core.audit import Actor
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.registry import services
from hoptac.registry.choices import (
    Kind,
    LegalBasis,
    MassOrganisation,
    OperatingScale,
    Sector,
    ServiceType,
    Status,
)
from hoptac.registry.models import make_tax_code


@dataclass(frozen=True)
class DemoArea:
    label: str
    province_name: str  # former province, as named before 2025
    district_name: str | None  # former district, or None for the whole province
    tax_prefix: str  # tax-office prefix of the province (not its unit code)
    htx_per_commune: tuple[int, int]
    tht_per_commune: tuple[int, int]
    sectors: tuple[tuple[str, str, int], ...]  # (sector, name pattern, weight)


AREAS = [
    DemoArea(
        "Vĩnh Linh", "Tỉnh Quảng Trị", "Huyện Vĩnh Linh", "32", (1, 2), (1, 3),
        (
            (Sector.AGRICULTURE, "HTX Nông nghiệp {place}", 5),
            (Sector.GENERAL, "HTX Dịch vụ tổng hợp {place}", 3),
            (Sector.FISHERIES, "HTX Nuôi trồng thủy sản {place}", 2),
            (Sector.AGRICULTURE, "HTX Hồ tiêu {place}", 1),
            (Sector.FORESTRY, "HTX Lâm nghiệp {place}", 1),
            (Sector.TRADE_SERVICES, "HTX Thương mại dịch vụ {place}", 1),
        ),
    ),
    DemoArea(
        "Đức Phổ", "Tỉnh Quảng Ngãi", "Thị xã Đức Phổ", "43", (1, 3), (0, 2),
        (
            (Sector.AGRICULTURE, "HTX Nông nghiệp {place}", 5),
            (Sector.FISHERIES, "HTX Khai thác hải sản {place}", 2),
            (Sector.SALT, "HTX Muối {place}", 1),
            (Sector.INDUSTRY_HANDICRAFT, "HTX Chế biến nước mắm {place}", 1),
            (Sector.ENVIRONMENT, "HTX Môi trường {place}", 1),
            (Sector.ROAD_TRANSPORT, "HTX Vận tải {place}", 1),
        ),
    ),
    DemoArea(
        "Bình Thuận", "Tỉnh Bình Thuận", None, "34", (0, 2), (0, 3),
        (
            (Sector.AGRICULTURE, "HTX Thanh long {place}", 4),
            (Sector.AGRICULTURE, "HTX Nông nghiệp {place}", 4),
            (Sector.GENERAL, "HTX Dịch vụ tổng hợp {place}", 2),
            (Sector.FISHERIES, "HTX Hải sản {place}", 2),
            (Sector.INDUSTRY_HANDICRAFT, "HTX Nước mắm {place}", 1),
            (Sector.SALT, "HTX Muối {place}", 1),
            (Sector.MARKET_MANAGEMENT, "HTX Kinh doanh và quản lý chợ {place}", 1),
            (Sector.CLEAN_WATER, "HTX Nước sạch {place}", 1),
            (Sector.CONSTRUCTION, "HTX Xây dựng {place}", 1),
            (Sector.CONSUMER, "HTX Tiêu dùng {place}", 1),
        ),
    ),
]  # fmt: skip

THT_PATTERNS = [
    ("Tổ hợp tác chăn nuôi bò thôn {n} {place}", Sector.AGRICULTURE),
    ("Tổ hợp tác trồng rau an toàn {place} {n}", Sector.AGRICULTURE),
    ("Tổ hợp tác đánh bắt hải sản {place} {n}", Sector.FISHERIES),
    ("Tổ hợp tác sản xuất lúa giống {place} {n}", Sector.AGRICULTURE),
    ("Tổ hợp tác nuôi ong {place} {n}", Sector.AGRICULTURE),
    ("Tổ hợp tác làm bánh tráng {place} {n}", Sector.INDUSTRY_HANDICRAFT),
]
# What a demo organisation makes, read from the start of its name: the later builders give each
# one products, OCOP entries and partners of its own trade (no fishing cooperative selling rice).
TRADES = [
    ("HTX Nông nghiệp", "farming"), ("HTX Hồ tiêu", "pepper"), ("HTX Thanh long", "dragon_fruit"),
    ("Liên hiệp HTX Thanh long", "dragon_fruit"), ("HTX Nuôi trồng thủy sản", "aquaculture"),
    ("HTX Khai thác hải sản", "fishing"), ("HTX Hải sản", "fishing"), ("HTX Chế biến nước mắm", "fish_sauce"),
    ("HTX Nước mắm", "fish_sauce"), ("HTX Muối", "salt"), ("HTX Lâm nghiệp", "forestry"),
    ("Tổ hợp tác nuôi ong", "honey"), ("Tổ hợp tác sản xuất lúa giống", "rice_seed"),
]  # fmt: skip


def trade_of(name: str) -> str:
    """The demo organisation's trade ("farming", "pepper", "fishing", …), or "" for services."""
    return next((trade for prefix, trade in TRADES if name.startswith(prefix)), "")


SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Võ",
    "Phan",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_MEN = ["Văn", "Hữu", "Đức", "Công", "Minh", "Quang", "Thanh"]
MIDDLE_WOMEN = ["Thị", "Thị Ngọc", "Thị Thu", "Thị Kim", "Thị Hồng"]
GIVEN_MEN = ["Hùng", "Dũng", "Sơn", "Tuấn", "Nam", "Bình", "Phúc", "Thành", "Hải", "Long", "Tâm", "Vinh"]
GIVEN_WOMEN = ["Lan", "Hoa", "Hương", "Mai", "Hà", "Thủy", "Nga", "Hạnh", "Liên", "Yến"]


def tax_code(prefix: str, rng: random.Random) -> str:
    """A random valid 10-digit tax code of a province's tax office."""
    while True:
        code = make_tax_code(prefix, rng.randrange(1, 10**7))
        if code:
            return code


def person(rng: random.Random, woman: bool) -> str:
    middle, given = (MIDDLE_WOMEN, GIVEN_WOMEN) if woman else (MIDDLE_MEN, GIVEN_MEN)
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"


def place_name(unit: AdministrativeUnit) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã ", "Đặc khu "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def _old_communes(area: DemoArea):
    province = AdministrativeUnit.objects.get(
        generation=Generation.OLD, level=Level.PROVINCE, name=area.province_name
    )
    if area.district_name is None:
        return AdministrativeUnit.objects.descendants_of(province, level=Level.COMMUNE).order_by("code")
    district = AdministrativeUnit.objects.get(
        generation=Generation.OLD, level=Level.DISTRICT, province=province, name=area.district_name
    )
    return AdministrativeUnit.objects.descendants_of(district, level=Level.COMMUNE).order_by("code")


def _registration(rng: random.Random, kind: str):
    year = rng.choices(
        [rng.randint(1997, 2012), rng.randint(2013, 2023), rng.randint(2024, 2025)], weights=[4, 5, 1]
    )[0]
    day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    if kind == Kind.THT:
        return day, LegalBasis.DECREE_77_2019 if year >= 2020 else "", None
    basis = (
        LegalBasis.LAW_2003
        if year < 2013
        else LegalBasis.LAW_2012
        if day < datetime.date(2024, 7, 1)
        else LegalBasis.LAW_2023
    )
    reorganised = None if basis == LegalBasis.LAW_2023 else rng.random() < 0.8
    return day, basis, reorganised


def build(seed: int = 2025, communes: int | None = None) -> dict[str, int]:
    """Create the demo organisations; returns counts by kind.

    `communes` keeps only the first former communes of each area: the same kinds of data in a
    smaller demo (the test of `load-demo` uses it; every later builder works on what exists).
    Everything is drawn first, then written in bulk through `services.create_organisations`
    (the checks and audit entries of one by one), then the status changes one by one.
    """
    rng = random.Random(seed)
    actor = Actor.command()
    counts = {k: 0 for k in Kind.values}
    used_codes: set[str] = set()
    planned: list[tuple[dict, tuple | None]] = []
    htx_by_area: dict[str, list[int]] = {}
    for area in AREAS:
        olds = list(_old_communes(area).prefetch_related("successor_links__new"))
        htx_by_area[area.label] = []
        for old in olds[:communes]:
            links = sorted(old.successor_links.all(), key=lambda link: link.new.code)
            if not links:
                continue  # a former commune with no recorded successor
            current = links[0].new
            place = place_name(old)
            for _ in range(rng.randint(*area.htx_per_commune)):
                sector, pattern, _w = rng.choices(area.sectors, weights=[s[2] for s in area.sectors])[0]
                name = pattern.format(place=place)
                if any(planned[i][0]["name"] == name for i in htx_by_area[area.label]):
                    name = f"{name} {rng.randint(2, 9)}"
                htx_by_area[area.label].append(len(planned))
                planned.append(_draw(rng, area, Kind.HTX, name, sector, old, current, used_codes))
                counts[Kind.HTX] += 1
            for n in range(rng.randint(*area.tht_per_commune)):
                pattern, sector = rng.choice(THT_PATTERNS)
                name = pattern.format(place=place, n=n + 1)
                planned.append(_draw(rng, area, Kind.THT, name, sector, old, current, used_codes))
                counts[Kind.THT] += 1
            if rng.random() < 0.08:
                planned.append(
                    _draw(rng, area, Kind.QTDND, f"Quỹ tín dụng nhân dân {place}", Sector.CREDIT, old, current,
                          used_codes)
                )  # fmt: skip
                counts[Kind.QTDND] += 1
    # One union in Bình Thuận, of dragon-fruit cooperatives (seed 004 targets 2 unions by 2030).
    members = [
        i
        for i in htx_by_area["Bình Thuận"]
        if planned[i][0]["name"].startswith("HTX Thanh long") and planned[i][1] is None
    ][:6]
    if members:
        first = planned[members[0]][0]
        planned.append(
            _draw(rng, AREAS[2], Kind.LHHTX, "Liên hiệp HTX Thanh long Bình Thuận", Sector.AGRICULTURE,
                  first["former_commune"], first["commune"], used_codes)
        )  # fmt: skip
        counts[Kind.LHHTX] += 1
    organisations = services.create_organisations(actor, [data for data, _status in planned])
    for organisation, (_data, status) in zip(organisations, planned, strict=True):
        if status is not None:
            services.change_status(actor, organisation, *status[:2], decision=status[2])
            organisation.status = status[0]
    if members:
        union_members = [organisations[i] for i in members]
        services.set_union_members(
            actor, organisations[-1], union_members, joined_on=datetime.date(2022, 3, 15)
        )
    return counts


def _draw(rng, area, kind, name, sector, old, current, used_codes) -> tuple[dict, tuple | None]:
    """The data of one organisation and its later status change (status, date, decision), if any."""
    registered, basis, reorganised = _registration(rng, kind)
    woman = rng.random() < 0.18
    code = ""
    if kind != Kind.THT or rng.random() < 0.1:
        code = tax_code(area.tax_prefix, rng)
        while code in used_codes:
            code = tax_code(area.tax_prefix, rng)
        used_codes.add(code)
    data = {
        "kind": kind,
        "name": name,
        "tax_code": code,
        "registration_date": registered,
        "registration_authority": "" if kind == Kind.THT else f"Phòng Tài chính - Kế hoạch {area.label}",
        "legal_basis": basis,
        "reorganised": reorganised if kind != Kind.THT else None,
        "commune": current,
        "former_commune": old,
        "address": f"Thôn {rng.randint(1, 12)}, {current.name}",
        "sector": sector,
        "service_type": rng.choice(ServiceType.values) if kind != Kind.THT else "",
        "operating_scale": rng.choices(
            [
                OperatingScale.VILLAGE,
                OperatingScale.COMMUNE,
                OperatingScale.INTER_COMMUNE,
                OperatingScale.DISTRICT,
            ],
            weights=[3, 6, 2, 1],
        )[0],
        "led_by_woman": woman,
        "ethnic_minority_area": rng.random() < 0.1,
        "founding_mass_organisation": rng.choices(MassOrganisation.values, weights=[20, 2, 1, 2, 1, 0])[0],
        "has_party_cell": kind != Kind.THT and rng.random() < 0.25,
        "has_mass_organisations": kind != Kind.THT and rng.random() < 0.35,
        "director_name": person(rng, woman),
        "phone": f"0{rng.choice([90, 91, 94, 97, 98, 33, 35, 38])}{rng.randint(1000000, 9999999)}",
    }
    if kind == Kind.THT:
        data["contract_date"] = registered
        data["contract_end_date"] = registered.replace(year=registered.year + rng.choice([3, 5, 10]))
        data["in_commune_register"] = rng.random() < 0.6
        data["commune_register_date"] = (
            registered + datetime.timedelta(days=rng.randint(1, 5)) if data["in_commune_register"] else None
        )
    roll = rng.random()
    if roll > 0.85 and kind in (Kind.HTX, Kind.THT):
        status = rng.choices(
            [Status.SUSPENDED, Status.STOPPED, Status.DISSOLVING, Status.DISSOLVED], weights=[3, 4, 2, 2]
        )[0]
        when = max(registered, datetime.date(2019, 1, 1)) + datetime.timedelta(days=rng.randint(30, 1800))
        when = min(when, datetime.date(2025, 12, 31))
        return data, (status, when, f"{rng.randint(10, 999)}/QĐ-UBND" if status == Status.DISSOLVED else "")
    return data, None

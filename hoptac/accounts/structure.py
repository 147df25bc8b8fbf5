"""Today's bodies as data (accounts/data/structure.json), created for a unit when first needed.

NĐ 150/2025/NĐ-CP gives every commune a People's Committee with Phòng Kinh tế (xã, đặc khu)
or Phòng Kinh tế, Hạ tầng và Đô thị (phường, đặc khu Phú Quốc), Văn phòng HĐND và UBND and
Phòng Văn hóa - Xã hội; creating them for 3,321 communes up front would only fill lists.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from hoptac.accounts.models import Agency, AgencyKind
from hoptac.geo.models import Level

STRUCTURE = Path(__file__).resolve().parent / "data" / "structure.json"


@cache
def structure() -> dict:
    return json.loads(STRUCTURE.read_text(encoding="utf-8"))


def _applies(entry: dict, unit, unit_type: str) -> bool:
    if unit.code in entry.get("except_codes", []):
        return False
    if unit.code in entry.get("also_codes", []):
        return True
    return "unit_types" not in entry or unit_type in entry["unit_types"]


def bodies_of(unit, on: datetime.date | None = None) -> list[Agency]:
    """The bodies of a current commune or province (national with unit None), created if missing.

    The kind of office follows the unit's type on the day (a commune that became a ward on
    30/04/2026 has a Phòng Kinh tế, Hạ tầng và Đô thị from then).
    """
    if unit is None:
        entries, version, valid_from = structure()["national"], None, None
    else:
        if unit.level not in (Level.PROVINCE, Level.COMMUNE) or not unit.is_current:
            return []
        entries = structure()["province" if unit.level == Level.PROVINCE else "commune"]
        version = unit.version_on(on) if on else None
        version = version or unit
        valid_from = getattr(version, "valid_from", None) or unit.valid_from
    bodies = []
    for entry in entries:
        if unit is not None and version is not None and not _applies(entry, unit, version.unit_type):
            continue
        start = valid_from
        if unit is None and entry.get("valid_from"):
            start = datetime.date.fromisoformat(entry["valid_from"])
        if unit is not None and "unit_types" in entry:
            start = getattr(version, "valid_from", None) or valid_from  # the office of the unit's type
        agency, _created = Agency.objects.get_or_create(
            unit=unit,
            name=entry["name"],
            defaults={"kind": entry["kind"], "symbol": entry.get("symbol", ""), "valid_from": start},
        )
        bodies.append(agency)
    return bodies


def peoples_committee(unit) -> Agency | None:
    return next((a for a in bodies_of(unit) if a.kind == AgencyKind.PEOPLES_COMMITTEE), None)


def body_choices(units, day: datetime.date | None = None) -> list[tuple[str, str]]:
    """(value, label) of the bodies of `units` per the structure, without creating any: "19363|Phòng Kinh tế"."""
    from hoptac.accounts.models import unit_in_sentence

    choices = []
    for unit in units:
        level = "province" if unit.level == Level.PROVINCE else "commune"
        version = (unit.version_on(day) if day else None) or unit
        for entry in structure()[level]:
            if _applies(entry, unit, version.unit_type):
                choices.append(
                    (f"{unit.code}|{entry['name']}", f"{entry['name']} {unit_in_sentence(version)}")
                )
    return choices


def resolve_body_choice(value: str, day: datetime.date | None = None) -> Agency | None:
    """The body a choice names, created if missing; None if the value names none."""
    from hoptac.geo.models import AdministrativeUnit

    code, _sep, name = (value or "").partition("|")
    if not code.isdigit() or not name:
        return None
    unit = AdministrativeUnit.objects.filter(generation="new", code=code).first()
    if unit is None:
        return None
    return next((a for a in bodies_of(unit, day) if a.name == name), None)


def ended_agency_notice(user, day: datetime.date | None = None) -> str | None:
    """For an account of a body that has ceased: it can still read its history, but should move."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    agency = getattr(user, "agency", None) if getattr(user, "agency_id", None) else None
    day = day or timezone.localdate()
    if agency is None or agency.exists_on(day):
        return None
    successors = agency.successors_on(day)
    if successors:
        return _(
            "%(body)s ceased on %(day)s. You can still read its history; ask an administrator to move your account to %(successors)s."
        ) % {
            "body": agency.full_name,
            "day": agency.ended_on.strftime("%d/%m/%Y"),
            "successors": "; ".join(s.full_name for s in successors),
        }
    return _(
        "%(body)s ceased on %(day)s. You can still read its history; ask an administrator to move your account to the body that carries its work now."
    ) % {"body": agency.full_name, "day": agency.ended_on.strftime("%d/%m/%Y")}


def warn_on_login(sender, request, user, **kwargs) -> None:
    from django.contrib import messages

    notice = ended_agency_notice(user)
    if notice:
        messages.warning(request, notice, fail_silently=True)  # a sign-in outside the pages (tests, API)

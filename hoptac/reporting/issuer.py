"""Who issues a drafted report, and how the report names the plan it reports on.

A report is issued by a body that exists on the report's date (NĐ 30/2020/NĐ-CP, Phụ lục I:
the body's name top left under its managing body, the number and symbol below, the place
in the date line, the signature block and "Nơi nhận" at the end). The body is chosen among
the current carriers of the plan's reporting duty; the seed plans' district bodies ceased on
30/06/2025, so their reports now come from the successors a province recorded, or else from
the drafting officer's own body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hoptac.accounts.models import Agency, AgencyKind, unit_in_sentence
from hoptac.accounts.structure import bodies_of
from hoptac.geo.models import AdministrativeUnit
from hoptac.reporting.models import CarrierRole, duty_carriers_on

# The kind of document a plan is, as a report names it ("Thực hiện Kế hoạch số …").
PLAN_KIND_WORDS = {
    "resolution": "Nghị quyết",
    "strategy": "Chiến lược",
    "programme": "Chương trình",
    "plan": "Kế hoạch",
    "instruction": "Văn bản",
}
SIGNER = {
    AgencyKind.PEOPLES_COMMITTEE: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    AgencyKind.DEPARTMENT: ["GIÁM ĐỐC"],
    AgencyKind.OFFICE: ["TRƯỞNG PHÒNG"],
    AgencyKind.MINISTRY: ["BỘ TRƯỞNG"],
    AgencyKind.UNION: ["CHỦ TỊCH"],
    AgencyKind.OTHER: ["THỦ TRƯỞNG CƠ QUAN"],
}


def expand(text: str) -> str:
    """ "UBND huyện Vĩnh Linh" → "Ủy ban nhân dân huyện Vĩnh Linh" (a report spells the name out)."""
    text = (text or "").strip()
    for short in ("UBND ", "Uỷ ban nhân dân "):
        if text.startswith(short):
            return "Ủy ban nhân dân " + text[len(short) :]
    return text


def place_of(unit: AdministrativeUnit | None, day: datetime.date) -> str:
    """The place in the date line: the unit's name without its type ("Vĩnh Linh", "Đồng Nai")."""
    if unit is None:
        return "Hà Nội"
    name = unit.name_on(day)
    for word in ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn "):
        if name.startswith(word):
            return name[len(word) :]
    return name


@dataclass
class IssuerBlock:
    body: Agency
    managing_line: str  # the managing body, upper case, not bold ("ỦY BAN NHÂN DÂN XÃ VĨNH LINH"), or ""
    body_lines: list[str]  # the issuing body, upper case, bold
    number: str
    place: str
    in_sentence: str  # "Ủy ban nhân dân xã Vĩnh Linh"
    signer: list[str]
    recipients: list[str] = field(default_factory=list)


def _unit_name_upper(unit: AdministrativeUnit, day: datetime.date) -> str:
    return unit.name_on(day).upper()


def issuer_block(body: Agency, day: datetime.date, recipients: list[str]) -> IssuerBlock:
    unit = body.unit
    if unit is None:
        managing, lines = "", [body.name.upper()]
    elif body.kind == AgencyKind.PEOPLES_COMMITTEE:
        managing, lines = "", [body.name.upper(), _unit_name_upper(unit, day)]
    else:
        managing, lines = f"ỦY BAN NHÂN DÂN {_unit_name_upper(unit, day)}", [body.name.upper()]
    in_sentence = body.name if unit is None else f"{body.name} {unit_in_sentence_on(unit, day)}"
    return IssuerBlock(
        body=body,
        managing_line=managing,
        body_lines=lines,
        number=f"Số:      /BC-{body.symbol or 'UBND'}",
        place=place_of(unit, day),
        in_sentence=in_sentence,
        signer=SIGNER.get(body.kind, SIGNER[AgencyKind.OTHER]),
        recipients=recipients,
    )


def unit_in_sentence_on(unit: AdministrativeUnit, day: datetime.date) -> str:
    version = unit.version_on(day)
    return unit_in_sentence(version or unit)


def candidate_bodies(plan, user, day: datetime.date) -> list[Agency]:
    """Bodies that may issue the plan's report on `day`: the duty's current carriers within the
    user's reach, then the user's own body and the People's Committee of the user's unit."""
    bodies: list[Agency] = []
    scope = None if user.is_national else user.scope_unit
    reach = None
    if scope is not None:
        reach = set(AdministrativeUnit.objects.current_communes_covering(scope).values_list("pk", flat=True))
        reach.add(scope.pk)
    for obligation in plan.obligations.all():
        for agency in duty_carriers_on(obligation, day):
            if reach is None or agency.unit_id in reach or agency.unit_id is None:
                bodies.append(agency)
    if user.agency_id and user.agency.exists_on(day):
        bodies.append(user.agency)
    if scope is not None and scope.is_current and scope.exists_on(day):
        bodies += [a for a in bodies_of(scope, day) if a.kind == AgencyKind.PEOPLES_COMMITTEE]
    seen, unique = set(), []
    for body in bodies:
        if body.pk not in seen and body.exists_on(day):
            seen.add(body.pk)
            unique.append(body)
    return unique


def recipients_for(plan, day: datetime.date) -> list[str]:
    """ "Nơi nhận": the duty's current recipients; a recipient that ceased is never printed."""
    names, ceased = [], []
    for obligation in plan.obligations.all():
        for agency in duty_carriers_on(obligation, day, CarrierRole.RECIPIENT):
            names.append(agency.full_name)
        if obligation.recipient_agency_id and not obligation.recipient_agency.exists_on(day):
            ceased.append(obligation.recipient_agency)
    if not names and ceased:
        names.append(
            _("…… (the recipient in the plan, %(body)s, ceased on %(day)s: write its successor)")
            % {"body": ceased[0].full_name, "day": ceased[0].ended_on.strftime("%d/%m/%Y")}
        )
    return list(dict.fromkeys(names))


def choose(plan, user, day: datetime.date, body_id: str | None = None) -> IssuerBlock:
    """The issuer of the report: the body asked for (it must be a candidate), else the first candidate."""
    candidates = candidate_bodies(plan, user, day)
    if body_id:
        chosen = next((b for b in candidates if str(b.pk) == str(body_id)), None)
        if chosen is None:
            raise ValidationError(
                _(
                    "That body cannot issue this report on %(day)s: choose one that carries the duty and exists."
                )
                % {"day": day.strftime("%d/%m/%Y")}
            )
    elif candidates:
        chosen = candidates[0]
    else:
        raise ValidationError(
            _(
                "No body that exists on %(day)s carries this plan's reporting duty: a province officer records its successor."
            )
            % {"day": day.strftime("%d/%m/%Y")}
        )
    return issuer_block(chosen, day, recipients_for(plan, day))


def plan_reference(plan, day: datetime.date) -> str:
    """The plan as a report names it: kind, number, date and issuer, noting a former issuer.

    "Văn bản số …/UBND-NN tháng 02 năm 2023 của Ủy ban nhân dân huyện Vĩnh Linh (cơ quan đã
    kết thúc hoạt động ngày 30/06/2025)": a number written without its figure keeps a gap to fill.
    """
    kind = PLAN_KIND_WORDS.get(plan.kind, "Văn bản")
    number = (plan.number or "").strip()
    if number.startswith("/"):
        number = "…" + number
    text = f"{kind} số {number}" if number else kind
    if plan.date:
        text += f" ngày {plan.date:%d/%m/%Y}"
    elif plan.date_text:
        text += f" {plan.date_text}"
    issuer = expand(plan.issuer)
    if issuer:
        text += f" của {issuer}"
        area = plan.scope_unit
        if area is not None and area.valid_to and area.valid_to < day:
            text += " " + _("(the issuing body ceased on %(day)s)") % {
                "day": area.valid_to.strftime("%d/%m/%Y")
            }
    return text


def summary_line(plan, day: datetime.date, period_label: str) -> str:
    kind = PLAN_KIND_WORDS.get(plan.kind, "Văn bản")
    number = (plan.number or "").strip()
    if number.startswith("/"):
        number = "…" + number
    return (
        f"Kết quả thực hiện {kind} số {number} {period_label}"
        if number
        else f"Kết quả thực hiện {kind} {period_label}"
    )


def area_in_sentence(unit: AdministrativeUnit, day: datetime.date) -> str:
    """ "huyện Vĩnh Linh (cũ)" for a former unit, "xã Vĩnh Linh" for a current one."""
    text = unit_in_sentence_on(unit, day)
    if unit.valid_to and unit.valid_to < day:
        text += " (cũ)"
    return text

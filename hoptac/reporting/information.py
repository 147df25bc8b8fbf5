"""The annual information update of Thông tư 09/2024/TT-BKHĐT: who owes it, on which form, for
which period, and the pre-filled sheet of what hoptac holds.

Điều 6 (regulations.md §3): by 15/12 each year THT, HTX and LH HTX update their information in
the national cooperative information system on Forms VII-1 (THT), VII-2 (HTX), VII-3 (LH HTX);
the update covers 15/12 of the previous year to 14/12. The circular is in force from
01/07/2024, so the first update is due 15/12/2024 and covers 01/07/2024–14/12/2024.

The forms' fields are UNCONFIRMED (the annex was not at hand): they are data in
`data/tt09_2024_forms.json`, each field marked unconfirmed, and every generated sheet says so.

Who owes it (a judgement, written down here):
- HTX → VII-2, LH HTX → VII-3;
- THT registered under Luật HTX 2023 → VII-1. TT 09/2024's scope names «Tổ hợp tác đăng ký theo
  Luật Hợp tác xã» (after-2025.md §4): a group that only holds a cooperation contract under
  NĐ 77/2019 is not in the national system and owes nothing; a THT whose regime is not
  recorded is shown as "regime not recorded" rather than guessed;
- QTDND and local cooperative funds are not named by Điều 6 as we know it: they owe nothing
  here until an administrator adds their kind to a form.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _

from hoptac.core import numbers
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.models import AnnualFigures
from hoptac.registry.choices import ENDED_STATUSES, Kind, ThtRegime
from hoptac.registry.models import Organisation
from hoptac.reporting.models import InformationUpdateDue

FORMS_FILE = Path(__file__).resolve().parent / "data" / "tt09_2024_forms.json"


@cache
def rules() -> dict:
    """The duty as data (legal source, validity, days, forms and their fields)."""
    return json.loads(FORMS_FILE.read_text(encoding="utf-8"))


def valid_from() -> datetime.date:
    return datetime.date.fromisoformat(rules()["valid_from"])


def valid_to() -> datetime.date | None:
    end = rules().get("valid_to")
    return datetime.date.fromisoformat(end) if end else None


def _day(year: int, month_day: str) -> datetime.date:
    month, day = (int(x) for x in month_day.split("-"))
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class UpdatePeriod:
    year: int
    start: datetime.date
    end: datetime.date
    due: datetime.date


def period(year: int) -> UpdatePeriod | None:
    """The update due on 15/12 of `year`: 15/12 of the year before to 14/12 (never before 01/07/2024)."""
    due = _day(year, rules()["due"])
    start = max(_day(year - 1, rules()["period_start"]), valid_from())
    end = _day(year, rules()["period_end"])
    stop = valid_to()
    if due < valid_from() or start > end or (stop is not None and start > stop):
        return None
    return UpdatePeriod(year, start, end, due)


def years_due(today: datetime.date) -> list[int]:
    """Every year with an update due from 2024 to this year (the update of this year is due 15/12)."""
    return [y for y in range(valid_from().year, today.year + 1) if period(y) is not None]


def form_for(organisation: Organisation) -> dict | None:
    """The form an organisation updates on, by its kind and (THT) its regime; None if none applies."""
    for form in rules()["forms"]:
        if organisation.kind not in form["kinds"]:
            continue
        regimes = form.get("tht_regimes")
        if regimes is not None and organisation.tht_regime not in regimes:
            continue
        return form
    return None


def form_by_code(code: str) -> dict | None:
    return next((f for f in rules()["forms"] if f["code"] == code), None)


def why_not(organisation: Organisation) -> str:
    """Why the organisation owes no update (shown on its page)."""
    if organisation.kind == Kind.THT and not organisation.tht_regime:
        return _(
            "The cooperative group's regime is not recorded: a group registered under Luật HTX 2023 updates on Form VII-1; a group with only a cooperation contract (NĐ 77/2019) does not."
        )
    if organisation.kind == Kind.THT and organisation.tht_regime == ThtRegime.CONTRACT:
        return _(
            "A cooperative group under a cooperation contract (NĐ 77/2019) is not registered in the national cooperative information system: no annual update."
        )
    return _("Thông tư 09/2024/TT-BKHĐT names no update form for this kind of organisation.")


def none_owed() -> str:
    return _("No annual update owed: the organisation did not exist during a period since 01/07/2024.")


def owes(organisation: Organisation, p: UpdatePeriod) -> bool:
    """Whether the organisation owes the period's update: registered by the period's end and
    not ended (dissolved, merged) before the due day; an ended one's last record is its ending."""
    if organisation.registration_date and organisation.registration_date > p.end:
        return False
    if organisation.status in ENDED_STATUSES:
        return organisation.status_since is not None and organisation.status_since >= p.due
    return True


def applicable_kinds() -> set[str]:
    return {kind for form in rules()["forms"] for kind in form["kinds"]}


def ensure_dues(year: int, organisations=None) -> int:
    """Create the year's updates owed (idempotent); returns how many were created.

    Derived from the registry like a plan's dues (`services.generate_dues`): no audit entry.
    """
    p = period(year)
    if p is None:
        return 0
    qs = organisations if organisations is not None else Organisation.objects.all()
    qs = qs.filter(kind__in=applicable_kinds()).filter(
        Q(registration_date__isnull=True) | Q(registration_date__lte=p.end)
    )
    qs = qs.exclude(status__in=ENDED_STATUSES, status_since__isnull=True).exclude(
        status__in=ENDED_STATUSES, status_since__lt=p.due
    )
    have = set(
        InformationUpdateDue.objects.filter(year=year, organisation__in=qs).values_list(
            "organisation_id", flat=True
        )
    )
    wanted = []
    for organisation in (
        qs.exclude(pk__in=have)
        .only("pk", "kind", "tht_regime", "registration_date", "status", "status_since")
        .iterator(chunk_size=2000)
    ):
        form = form_for(organisation)
        if form is None or not owes(organisation, p):
            continue
        start = max(p.start, organisation.registration_date or p.start)
        wanted.append(
            InformationUpdateDue(
                organisation=organisation, year=year, form_code=form["code"],
                period_start=min(start, p.end), period_end=p.end, due_date=p.due,
            )
        )  # fmt: skip
    InformationUpdateDue.objects.bulk_create(wanted, batch_size=2000, ignore_conflicts=True)
    return len(wanted)


def dues_of(organisation: Organisation, today: datetime.date) -> list[InformationUpdateDue]:
    """The organisation's updates, every year since the circular (made if missing), newest first."""
    have = set(organisation.information_updates.values_list("year", flat=True))
    for year in years_due(today):
        if year not in have:
            ensure_dues(year, Organisation.objects.filter(pk=organisation.pk))
    return list(organisation.information_updates.select_related("submitted_by").order_by("-year"))


# ---- the pre-filled sheet ---------------------------------------------------------------


def figures_for(due: InformationUpdateDue) -> AnnualFigures | None:
    """The approved figures behind the update: the year's (final, else estimate), else the year before."""
    approved = AnnualFigures.objects.filter(organisation=due.organisation_id, status=FiguresStatus.APPROVED)
    for year in (due.year, due.year - 1):
        found = approved.filter(year=year).order_by("is_estimate").first()
        if found is not None:
            return found
    return None


def _registry_value(organisation: Organisation, name: str):
    if name == "commune":
        return organisation.commune.full_name()
    if name in ("sector", "status", "legal_basis", "kind", "tht_regime"):
        return getattr(organisation, f"get_{name}_display")()
    value = getattr(organisation, name, "")
    if isinstance(value, datetime.date):
        return numbers.date(value)
    return value


def prefill(due: InformationUpdateDue) -> tuple[list[dict], AnnualFigures | None]:
    """The form's fields with what hoptac holds: [{label, value, source, confirmed}], and the figures used."""
    form = form_by_code(due.form_code) or {"fields": []}
    organisation = due.organisation
    figures = figures_for(due)
    rows = []
    for field in form["fields"]:
        source = field.get("source", "")
        kind, _dot, name = source.partition(".")
        value: object = ""
        origin = _("to fill in")
        if kind == "organisation":
            value, origin = _registry_value(organisation, name), _("registry")
        elif kind == "figures" and figures is not None:
            value = getattr(figures, name, None)
            origin = _("approved figures %(year)s%(estimate)s") % {
                "year": figures.year,
                "estimate": " (" + _("estimate") + ")" if figures.is_estimate else "",
            }
        elif kind == "figures":
            origin = _("no approved figures")
        rows.append(
            {"label": field["label"], "value": "" if value is None else value, "source": origin,
             "confirmed": bool(field.get("confirmed"))}
        )  # fmt: skip
    return rows, figures


def unconfirmed_notice() -> str:
    return _(
        "The fields of this form are UNCONFIRMED: Phụ lục VII of Thông tư 09/2024/TT-BKHĐT was not at hand. Check them against the official form before updating the national cooperative information system."
    )


def build_xlsx(due: InformationUpdateDue, today: datetime.date) -> bytes:
    """The update pre-filled from hoptac: form, period, due day, each field with its value and source."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows, _figures = prefill(due)
    form = form_by_code(due.form_code) or {"title": due.form_code}
    book = Workbook()
    sheet = book.active
    sheet.title = due.form_code
    sheet.append([form["title"]])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([rules()["legal_source"]])
    sheet.append([
        _("Update period: %(start)s – %(end)s; due %(due)s.") % {
            "start": numbers.date(due.period_start), "end": numbers.date(due.period_end), "due": numbers.date(due.due_date)}
    ])  # fmt: skip
    sheet.append([f"{due.organisation.name} – {due.organisation.commune.full_name()}"])
    sheet.append([unconfirmed_notice()])
    sheet["A5"].font = Font(bold=True, color="C00000")
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([_("No."), _("Item"), _("Value in hoptac"), _("Source"), _("Field confirmed")])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=1):
        value = row["value"]
        sheet.append([i, row["label"], value, row["source"], _("yes") if row["confirmed"] else _("no")])
        if isinstance(value, int):
            sheet.cell(sheet.max_row, 3).number_format = "#,##0"
    sheet.append([])
    sheet.append([_("Prepared by hoptac on %(day)s from the data it holds.") % {"day": numbers.date(today)}])
    for column, width in zip("ABCDE", (6, 48, 34, 30, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=1, max_row=5):
        row[0].alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(due: InformationUpdateDue) -> str:
    return f"cap-nhat-{due.form_code.lower()}-{due.organisation_id}-{due.year}.xlsx"

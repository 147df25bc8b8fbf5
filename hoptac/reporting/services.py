"""Reporting: making reports due for each period, receiving them, and reminding who is late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.accounts.models import User
from hoptac.core import uploads
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.reporting.models import (
    CarrierRole,
    DutyCarrier,
    Frequency,
    InformationUpdateDue,
    Notification,
    Obligation,
    Reminder,
    ReportDue,
    Submission,
    duty_carriers_on,
)

REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date
    end: datetime.date
    due: datetime.date


def periods(obligation: Obligation, year: int) -> list[Period]:
    """The periods an obligation opens in `year`, with their due dates.

    Fixed days: for a six-monthly report the first day closes the first half-year and the second
    the whole year ("trước 10/6 và 30/11": estimates for both); a yearly report has one day.
    Otherwise the report is due N days after the period ends.
    """
    halves = [
        ("H1", _("first six months of %(year)s"), datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        ("Y", _("year %(year)s"), datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    ]
    quarters = [
        (f"Q{q}", _("quarter %(q)s/%(year)s"), datetime.date(year, 3 * q - 2, 1), _quarter_end(year, q))
        for q in range(1, 5)
    ]
    spans = {Frequency.SIX_MONTHLY: halves, Frequency.YEARLY: halves[1:], Frequency.QUARTERLY: quarters}[
        Frequency(obligation.frequency)
    ]
    result = []
    for i, (suffix, label, start, end) in enumerate(spans):
        if obligation.due_days and i < len(obligation.due_days):
            month, day = (int(x) for x in obligation.due_days[i].split("-"))
            due = datetime.date(year, month, day)
        else:
            due = end + datetime.timedelta(days=obligation.days_after_period or 15)
        key = f"{year}-{suffix}" if suffix != "Y" else str(year)
        result.append(Period(key, str(label) % {"year": year, "q": suffix[1:]}, start, end, due))
    return result


def _quarter_end(year: int, q: int) -> datetime.date:
    return (
        datetime.date(year, 12, 31)
        if q == 4
        else datetime.date(year, 3 * q + 1, 1) - datetime.timedelta(days=1)
    )


@transaction.atomic
def generate_dues(obligation: Obligation, year: int) -> int:
    """Create the year's expected reports for every reporting agency and commune (idempotent).

    The agencies are those carrying the duty on each due day: a body that had ceased reports
    no more, its recorded successors do (none recorded: the duty asks for one).
    """
    units = list(obligation.reporter_units.all())
    wanted = []
    for p in periods(obligation, year):
        agencies = duty_carriers_on(obligation, p.due)
        base = {
            "obligation": obligation,
            "period_key": p.key,
            "period_label": p.label,
            "period_start": p.start,
            "period_end": p.end,
            "due_date": p.due,
        }
        wanted += [ReportDue(agency=a, **base) for a in agencies] + [ReportDue(unit=u, **base) for u in units]
    before = ReportDue.objects.filter(obligation=obligation).count()
    ReportDue.objects.bulk_create(wanted, ignore_conflicts=True)
    return ReportDue.objects.filter(obligation=obligation).count() - before


@transaction.atomic
def submit_report(
    actor: Actor, due: ReportDue, note: str = "", document=None, when: datetime.datetime | None = None
) -> Submission:
    require(actor, "submit_report", due)
    if not note and not document:
        raise ValidationError({"document": _("Attach the report, or write what it contains.")})
    if document:
        try:
            document = uploads.document(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
    submission = Submission.objects.create(
        due=due, submitted_at=when or timezone.now(), submitted_by=actor.account,
        note=note, document=document or "",
    )  # fmt: skip
    record(actor, Action.CREATE, submission, after=snapshot(submission))
    return submission


@dataclass
class Completeness:
    expected: int
    received: int
    on_time: int
    late: int
    missing: list[ReportDue]

    @property
    def percent(self) -> float | None:
        return round(100 * self.received / self.expected, 1) if self.expected else None


def completeness(dues) -> Completeness:
    """Expected / received / on time / late, and who is missing, for a set of due reports."""
    dues = list(dues.select_related("agency", "unit", "obligation").prefetch_related("submissions"))
    received = on_time = 0
    missing = []
    for due in dues:
        first = min(due.submissions.all(), key=lambda s: s.submitted_at, default=None)
        if first is None:
            missing.append(due)
            continue
        received += 1
        on_time += first.on_time
    return Completeness(len(dues), received, on_time, received - on_time, missing)


def recipients_for(due: ReportDue) -> list[User]:
    users = User.objects.filter(is_active=True, role__in=["officer", "admin"])
    if due.agency_id:
        return list(users.filter(agency=due.agency))
    return list(users.filter(unit=due.unit))


def remind(today: datetime.date | None = None) -> dict[str, int]:
    """Send each reminder once: a week before the due day, and once when it has passed."""
    today = today or timezone.localdate()
    sent = {"before": 0, "overdue": 0}
    pending = ReportDue.objects.filter(submissions__isnull=True).select_related(
        "agency", "unit", "obligation__plan"
    )
    windows = {
        "before": pending.filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
        ),
        "overdue": pending.filter(due_date__lt=today, due_date__gte=today - datetime.timedelta(days=60)),
    }
    for kind, dues in windows.items():
        for due in dues.exclude(reminders__kind=kind):
            users = recipients_for(due)
            message = (
                _("Report “%(label)s” under %(plan)s is due on %(date)s.")
                if kind == "before"
                else _("Report “%(label)s” under %(plan)s was due on %(date)s and has not arrived.")
            ) % {
                "label": due.period_label,
                "plan": due.obligation.plan.number or due.obligation.plan.title[:60],
                "date": due.due_date.strftime("%d/%m/%Y"),
            }
            addresses = [u.email for u in users if u.email] + (
                [due.agency.email] if due.agency is not None and due.agency.email else []
            )
            with transaction.atomic():
                Notification.objects.bulk_create(
                    [Notification(user=u, message=message, url="/reporting/") for u in users]
                )
                if addresses:
                    send_mail(
                        _("hoptac: report reminder"),
                        message,
                        settings.DEFAULT_FROM_EMAIL,
                        sorted(set(addresses)),
                        fail_silently=False,
                    )
                Reminder.objects.create(due=due, kind=kind, recipients=len(users))
            sent[kind] += 1
    return sent


@transaction.atomic
def set_duty_carriers(
    actor: Actor, obligation: Obligation, agencies, since, note: str = "", role: str = CarrierRole.REPORTER
) -> list[DutyCarrier]:
    """Record which bodies carry a reporting duty from `since` (earlier ones end the day before)."""
    from hoptac.tasks.services import clean_carriers

    require(actor, "record_carriers", obligation.plan)
    if role not in CarrierRole.values:
        raise ValidationError({"role": _("Choose who reports or who receives.")})
    agencies = clean_carriers(agencies, since)
    before = [str(a) for a in duty_carriers_on(obligation, since, role)]
    for carrier in obligation.carriers.filter(role=role, until__isnull=True):
        carrier.until = max(carrier.since, since - datetime.timedelta(days=1))
        carrier.save(update_fields=["until"])
    made = [
        DutyCarrier.objects.create(
            obligation=obligation,
            agency=a,
            role=role,
            since=since,
            note=note[:300],
            recorded_by=actor.account,
        )
        for a in agencies
    ]
    record(
        actor,
        Action.UPDATE,
        obligation,
        before={"carriers": before, "role": role},
        after={
            "carriers": [str(a) for a in agencies],
            "role": role,
            "since": since.isoformat(),
            "note": note,
        },
    )
    return made


DRAFT_TEXT_LIMIT = 20_000


@transaction.atomic
def save_draft(actor: Actor, plan, unit, period_key: str, difficulties: str, proposals: str):
    """Keep what the official wrote for sections IV and V of the report (one per plan, unit, period)."""
    from hoptac.reporting.models import ReportDraft

    require(actor, "draft_report", unit)
    errors = {}
    for name, text in (("difficulties", difficulties), ("proposals", proposals)):
        if len(text) > DRAFT_TEXT_LIMIT:
            errors[name] = _("At most %(n)s characters.") % {"n": DRAFT_TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    draft = (
        ReportDraft.objects.select_for_update().filter(plan=plan, unit=unit, period_key=period_key).first()
    )
    before = snapshot(draft) if draft else None
    if draft is None:
        draft = ReportDraft(plan=plan, unit=unit, period_key=period_key)
    draft.difficulties, draft.proposals = difficulties.strip(), proposals.strip()
    draft.updated_by = actor.account
    draft.save()
    record(actor, Action.UPDATE if before else Action.CREATE, draft, before=before, after=snapshot(draft))
    return draft


@transaction.atomic
def record_information_update(
    actor: Actor,
    due: InformationUpdateDue,
    submitted_on: datetime.date | None,
    reference: str = "",
    note: str = "",
) -> InformationUpdateDue:
    """Record that the organisation made its annual update in the national system (TT 09/2024 Điều 6).

    The update is made there; hoptac keeps the day, the system's receipt or number, and who said so.
    Recorded once: a second record is refused (the first one's day stays in the audit trail).
    """
    require(actor, "submit_information_update", due)
    due = InformationUpdateDue.objects.select_for_update().get(pk=due.pk)
    if due.submitted_on is not None:
        raise ValidationError(
            {
                "submitted_on": _("Already recorded as updated on %(day)s.")
                % {"day": due.submitted_on.strftime("%d/%m/%Y")}
            }
        )
    today = timezone.localdate()
    if submitted_on is None:
        raise ValidationError({"submitted_on": _("Give the day the information was updated.")})
    if submitted_on > today:
        raise ValidationError({"submitted_on": _("The day of the update cannot be in the future.")})
    if submitted_on < due.period_start:
        raise ValidationError(
            {"submitted_on": _("The update for %(year)s cannot be made before its period starts (%(day)s).")
             % {"year": due.year, "day": due.period_start.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    before = snapshot(due)
    due.submitted_on = submitted_on
    due.reference = reference.strip()[:100]
    due.note = note.strip()[:300]
    due.submitted_by = actor.account
    due.save(update_fields=["submitted_on", "reference", "note", "submitted_by"])
    record(actor, Action.UPDATE, due, before=before, after=snapshot(due))
    return due


def information_update_recipients(due: InformationUpdateDue) -> list[User]:
    """The organisation's own accounts (it owes the update), else the officers of its commune."""
    own = list(User.objects.filter(is_active=True, organisation=due.organisation_id))
    if own:
        return own
    return list(User.objects.filter(is_active=True, role="officer", unit=due.organisation.commune_id))


def remind_information_updates(today: datetime.date | None = None) -> dict[str, int]:
    """Remind of the annual update a week before 15/12 and once after it, like a plan's reports."""
    from hoptac.reporting import information

    today = today or timezone.localdate()
    information.ensure_dues(today.year)
    sent = {"before": 0, "overdue": 0}
    pending = InformationUpdateDue.objects.filter(submitted_on__isnull=True).select_related("organisation")
    windows = {
        "before": pending.filter(
            reminded_before__isnull=True, due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        ),
        "overdue": pending.filter(
            reminded_overdue__isnull=True, due_date__lt=today, due_date__gte=today - datetime.timedelta(days=60)
        ),
    }  # fmt: skip
    for kind, dues in windows.items():
        for due in dues:
            message = (
                _("The annual update of %(name)s to the national cooperative information system (Form %(form)s, TT 09/2024) is due on %(date)s.")
                if kind == "before"
                else _("The annual update of %(name)s to the national cooperative information system (Form %(form)s, TT 09/2024) was due on %(date)s and is not recorded.")
            ) % {"name": due.organisation.name, "form": due.form_code, "date": due.due_date.strftime("%d/%m/%Y")}  # fmt: skip
            users = information_update_recipients(due)
            with transaction.atomic():
                Notification.objects.bulk_create(
                    [
                        Notification(user=u, message=message, url=f"/registry/{due.organisation_id}/")
                        for u in users
                    ]
                )
                addresses = sorted({u.email for u in users if u.email})
                if addresses:
                    send_mail(
                        _("hoptac: annual update reminder"), message, settings.DEFAULT_FROM_EMAIL, addresses
                    )
                stamp = {"reminded_before" if kind == "before" else "reminded_overdue": timezone.now()}
                InformationUpdateDue.objects.filter(pk=due.pk).update(**stamp)
            sent[kind] += 1
    return sent

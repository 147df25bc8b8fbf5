"""Reporting obligations, the reports they make due each period, and what arrived.

"Định kỳ trước ngày 10/6 và 30/11 hằng năm": an obligation with fixed calendar days; each
day opens a period (the first half-year, the whole year), and each period expects one report
from every reporting agency or commune. Reports due before the period ends carry estimates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.accounts.models import Agency
from hoptac.core import numbers
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause, Plan


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Six-monthly")
    YEARLY = "yearly", _("Yearly")


class Obligation(models.Model):
    """Who reports to whom, how often and by when, as a plan sets it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="obligations")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.SET_NULL)
    code = models.CharField(max_length=10)
    wording = models.TextField(_("wording"))
    reporters_text = models.CharField(_("reporters"), max_length=300, blank=True)
    recipient_text = models.CharField(_("recipient"), max_length=300, blank=True)
    reporter_agencies = models.ManyToManyField(Agency, blank=True, related_name="obligations")
    reporter_units = models.ManyToManyField(AdministrativeUnit, blank=True, related_name="obligations")
    recipient_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="received_obligations"
    )
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    due_days = models.JSONField(
        default=list, blank=True, help_text=_('Fixed days as "MM-DD", e.g. ["06-10", "11-30"].')
    )
    days_after_period = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "plan"

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="obligation_code_unique_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.code}: {self.get_frequency_display()}"


class CarrierRole(models.TextChoices):
    REPORTER = "reporter", _("Reports")
    RECIPIENT = "recipient", _("Receives the reports")


class DutyCarrierQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(since__lte=day).filter(Q(until__isnull=True) | Q(until__gte=day))


class DutyCarrier(models.Model):
    """Which body carries a reporting duty (reports, or receives) from a date, as a province records it.

    The plans' reporters and recipients were district bodies that ended on 30/06/2025; the
    province decides who carries each duty now. Earlier carriers keep their period.
    """

    # PROTECT: who carried a duty, and from when, is recorded history (issue 16); a plan or an
    # obligation that has carriers is not deleted with them.
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="carriers")
    agency = models.ForeignKey(
        Agency, verbose_name=_("body"), on_delete=models.PROTECT, related_name="carried_duties"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=CarrierRole.choices, default=CarrierRole.REPORTER
    )
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DutyCarrierQuerySet.as_manager()

    class Meta:
        ordering = ["role", "since", "id"]
        verbose_name = _("duty carrier")
        verbose_name_plural = _("duty carriers")

    def __str__(self) -> str:
        return f"{self.obligation}: {self.agency} ({self.get_role_display()}, {self.since:%d/%m/%Y})"


def duty_carriers_on(obligation: Obligation, day, role: str = CarrierRole.REPORTER) -> list[Agency]:
    """The bodies carrying the duty on `day`: those recorded, else the plan's bodies still in existence."""
    recorded = [
        c.agency for c in obligation.carriers.on(day).filter(role=role).select_related("agency__unit")
    ]
    if recorded:
        return recorded
    if role == CarrierRole.RECIPIENT:
        original = [obligation.recipient_agency] if obligation.recipient_agency_id else []
    else:
        original = list(obligation.reporter_agencies.select_related("unit"))
    return [a for a in original if a.exists_on(day)]


def duty_ceased_bodies(obligation: Obligation, day, role: str = CarrierRole.REPORTER) -> list[Agency]:
    """The plan's bodies for the duty that had ceased on `day` with no successor recorded."""
    if obligation.carriers.on(day).filter(role=role).exists():
        return []
    if role == CarrierRole.RECIPIENT:
        original = [obligation.recipient_agency] if obligation.recipient_agency_id else []
    else:
        original = list(obligation.reporter_agencies.select_related("unit"))
    return [a for a in original if not a.exists_on(day)]


class ReportDue(models.Model):
    """One report expected from one agency or commune for one period."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="dues")
    period_key = models.CharField(max_length=10, help_text=_("2025-H1, 2025, 2025-Q3"))
    period_label = models.CharField(max_length=60)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField(db_index=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="report_dues"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="report_dues"
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ("unit", "agency")

    class Meta:
        ordering = ["due_date", "obligation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "period_key", "agency"],
                condition=Q(agency__isnull=False),
                name="report_due_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["obligation", "period_key", "unit"],
                condition=Q(unit__isnull=False),
                name="report_due_unique_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(unit__isnull=False), name="report_due_has_a_reporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter} – {self.period_label} ({self.due_date:%d/%m/%Y})"

    @property
    def reporter(self):
        return self.agency or self.unit

    @property
    def is_estimate(self) -> bool:
        """Due before its period ends: the report carries estimates (ước thực hiện)."""
        return self.due_date < self.period_end


class Submission(models.Model):
    """A report as received: when, from whom, and the file."""

    due = models.ForeignKey(ReportDue, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(_("report file"), upload_to="reports/%Y/", blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ("due__unit", "due__agency")

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.due} @ {numbers.date(self.submitted_at)}"

    @property
    def on_time(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.submitted_at).date() <= self.due.due_date


class Notification(models.Model):
    """An in-app message (reminders); the same text goes by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.TextField()
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:60]


class Reminder(models.Model):
    """That a reminder of a kind was sent for a due report, so `hoptac remind` never repeats it."""

    due = models.ForeignKey(ReportDue, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10)  # before | overdue
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["due", "kind"], name="reminder_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.due} ({self.kind})"


class ReportDraft(models.Model):
    """What the official writes into a drafted report before printing it: the difficulties and
    the proposals (sections of the NĐ 30/2020 report the data cannot write), kept with the report
    for the plan, unit and period so a second download carries them again."""

    # PROTECT: what the official wrote is kept with the report (audited), not lost with its plan or unit.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="report_drafts")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="report_drafts")
    period_key = models.CharField(max_length=10)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "unit"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "period_key"], name="report_draft_unique_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.unit} – {self.period_key}"


class InformationUpdateDue(models.Model):
    """The annual update a cooperative owes the national cooperative information system.

    Thông tư 09/2024/TT-BKHĐT Điều 6 (in force 01/07/2024): by 15/12 each year a THT, HTX and
    LH HTX update their information on Forms VII-1, VII-2 and VII-3 (Phụ lục VII), covering
    15/12 of the previous year to 14/12. It is the organisation's own duty, not a plan's, so it
    is not an `Obligation`. The form follows the organisation's kind and, for a THT, its
    regime (`reporting/information.py`, the forms as data in `data/tt09_2024_forms.json`).
    The update itself is made in the national system; hoptac records that it was made.
    """

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="information_updates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    form_code = models.CharField(_("form"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField(db_index=True)
    submitted_on = models.DateField(_("updated on"), null=True, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The receipt or number the national system gave."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_before = models.DateTimeField(null=True, blank=True)
    reminded_overdue = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="information_update_once_per_year",
                violation_error_message=_("This organisation already has its update for this year."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="information_update_period_ordered",
            ),
        ]
        verbose_name = _("annual information update")
        verbose_name_plural = _("annual information updates")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.form_code} {self.year}"

    @property
    def submitted(self) -> bool:
        return self.submitted_on is not None

    @property
    def on_time(self) -> bool | None:
        return None if self.submitted_on is None else self.submitted_on <= self.due_date

    def state_on(self, day) -> str:
        """ "submitted", "late" (submitted after the day), "overdue", "due" (not yet)."""
        if self.submitted_on is not None:
            return "submitted" if self.submitted_on <= self.due_date else "late"
        return "overdue" if day > self.due_date else "due"

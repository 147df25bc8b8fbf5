"""Tasks that plans hand to agencies, with their schedules and the agencies' progress updates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.accounts.models import Agency
from hoptac.core.concurrency import Versioned
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause, Plan


class ScheduleKind(models.TextChoices):
    DEADLINE = "deadline", _("By a date")
    QUARTER = "quarter", _("Within a quarter")
    YEAR = "year", _("Within a year")
    YEARLY = "yearly", _("Every year")
    ONGOING = "ongoing", _("Ongoing")
    YEARLY_AND_ONGOING = "yearly_and_ongoing", _("Every year and ongoing")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


RECURRING = {ScheduleKind.YEARLY, ScheduleKind.ONGOING, ScheduleKind.YEARLY_AND_ONGOING}


class Task(Versioned):
    """A task of a plan clause: who leads, who helps, who directs, and when it is due.

    Recurring tasks ("hằng năm", "thường xuyên") are due once a year: on the due day the
    plan gives ("trước 15/12 hằng năm"), else on 31/12.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    lead = models.ManyToManyField(Agency, related_name="led_tasks", verbose_name=_("lead agencies"))
    partners = models.ManyToManyField(
        Agency, related_name="partner_tasks", blank=True, verbose_name=_("partner agencies")
    )
    directing = models.ManyToManyField(
        Agency, related_name="directed_tasks", blank=True, verbose_name=_("directing bodies")
    )
    # The names as the plan writes them; the agencies above are resolved from these where the plan names a unit.
    lead_names = models.JSONField(default=list, blank=True)
    partner_names = models.JSONField(default=list, blank=True)
    directing_names = models.JSONField(default=list, blank=True)
    target_units = models.ManyToManyField(
        AdministrativeUnit, blank=True, related_name="tasks", verbose_name=_("target units")
    )
    indicators = models.JSONField(default=list, blank=True)
    schedule_kind = models.CharField(_("schedule"), max_length=20, choices=ScheduleKind.choices)
    schedule_wording = models.CharField(_("schedule as written"), max_length=200, blank=True)
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("For a one-off task: the last day.")
    )
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ("plan", "lead", "carriers__agency")  # a body that carries it since the reform

    class Meta:
        ordering = ["plan", "sort"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique_per_plan")]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def recurring(self) -> bool:
        return self.schedule_kind in RECURRING

    def due_on(self, year: int) -> datetime.date | None:
        """The due date of the occurrence in `year` (one-off tasks: their only due date)."""
        if not self.recurring:
            return self.due_date
        if self.start_year and year < self.start_year:
            return None
        return datetime.date(year, self.due_month or 12, self.due_day or 31)

    def status_on(self, today: datetime.date | None = None) -> str:
        """Status from the latest update, turned overdue when the due date has passed."""
        today = today or timezone.localdate()
        period = today.year if self.recurring else None
        updates = [u for u in self.updates.all() if (u.year == period if self.recurring else True)]
        latest = max(updates, key=lambda u: (u.created_at, u.pk), default=None)
        status = latest.status if latest else TaskStatus.NOT_STARTED
        due = self.due_on(today.year)
        if status != TaskStatus.DONE and due is not None and due < today:
            return TaskStatus.OVERDUE
        return status


class TaskUpdate(models.Model):
    """A lead agency's report on a task: status, percent, a note and evidence. Never edited."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="updates")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The occurrence of a recurring task.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=[c for c in TaskStatus.choices if c[0] != "overdue"]
    )
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("evidence"), upload_to="tasks/%Y/", blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ("task__plan", "task__lead")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_update_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.get_status_display()} {self.percent}%"


class CarrierQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        return self.filter(since__lte=day).filter(Q(until__isnull=True) | Q(until__gte=day))


class TaskCarrier(models.Model):
    """Which body carries a task from a date, as a province officer records it.

    The plan handed its tasks to bodies that may have ceased (district bodies ended on
    30/06/2025); which successor takes which task is the province's decision, not inferred.
    Earlier carriers keep their period (until), so the history stays.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="carriers")
    agency = models.ForeignKey(
        Agency, verbose_name=_("body"), on_delete=models.PROTECT, related_name="carried_tasks"
    )
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("task carrier")
        verbose_name_plural = _("task carriers")

    def __str__(self) -> str:
        return f"{self.task.code}: {self.agency} ({self.since:%d/%m/%Y})"


def carriers_on(task: Task, day: datetime.date) -> list[Agency]:
    """The bodies carrying the task on `day`: those recorded, else the plan's lead bodies still in existence."""
    recorded = [c.agency for c in task.carriers.on(day).select_related("agency__unit")]
    if recorded:
        return recorded
    return [a for a in task.lead.select_related("unit") if a.exists_on(day)]


def ceased_leads(task: Task, day: datetime.date) -> list[Agency]:
    """The plan's lead bodies that had ceased on `day` while no successor carries the task: asks for one."""
    if task.carriers.on(day).exists():
        return []
    return [a for a in task.lead.select_related("unit") if not a.exists_on(day)]

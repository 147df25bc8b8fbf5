"""Managers of a cooperative and their training: the register behind the shares of managers with
degrees, of directors with "sơ cấp nghề giám đốc" training (seed 002 target 6) and "100% of
managers trained by 2030" (seed 000 §III.2.1; seed 002 task 2.1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.collation import vi
from hoptac.core.concurrency import Versioned
from hoptac.registry.models import Organisation

YOUNG_AGE = 35  # "cán bộ quản lý HTX dưới 35 tuổi" in the seeds' human-resource tasks


class ManagerRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    CHAIR = "chair", _("Chair of the board")
    DEPUTY = "deputy", _("Deputy director")
    ACCOUNTANT = "accountant", _("Chief accountant")
    SUPERVISOR = "supervisor", _("Supervisor")
    BOARD = "board", _("Board member")


class Education(models.TextChoices):
    DEGREE = "degree", _("College or university")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ELEMENTARY = "elementary", _("Elementary")
    NONE = "none", _("None")


class TrainingLevel(models.TextChoices):
    DIRECTOR = "director", _("Primary vocational training as director (sơ cấp nghề giám đốc)")
    SHORT = "short", _("Short course")
    OTHER = "other", _("Other")


class ManagerQuerySet(RestrictedQuerySet):
    def in_office(self):
        return self.filter(left_on__isnull=True)


class Manager(Versioned):
    """A person in a cooperative's management (director, board, accountant, supervisor)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="managers"
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=12, choices=ManagerRole.choices)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    is_woman = models.BooleanField(_("woman"), default=False)
    left_on = models.DateField(_("left office on"), null=True, blank=True)

    objects = ManagerQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["organisation", "role", vi("name")]
        verbose_name = _("manager")
        verbose_name_plural = _("managers")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("training:manager", args=[self.pk])

    @property
    def trained_as_director(self) -> bool:
        return any(t.level == TrainingLevel.DIRECTOR for t in self.trainings.all())

    def age_in(self, year: int) -> int | None:
        return year - self.birth_year if self.birth_year else None

    @property
    def is_young(self) -> bool:
        age = self.age_in(timezone.localdate().year)
        return age is not None and age < YOUNG_AGE

    def clean(self):
        self.name = " ".join((self.name or "").split())
        this_year = timezone.localdate().year
        if self.birth_year is not None and not (this_year - 90 <= self.birth_year <= this_year - 18):
            raise ValidationError({"birth_year": _("A manager is between 18 and 90 years old.")})


class Training(Versioned):
    """A course a manager attended, and the support record that paid for it, if any."""

    manager = models.ForeignKey(
        Manager, verbose_name=_("manager"), on_delete=models.PROTECT, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=TrainingLevel.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    funded_by = models.ForeignKey(
        "support.SupportRecord",
        verbose_name=_("funded by support"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="training_ends_after_it_starts",
                violation_error_message=_("A course cannot end before it starts."),
            )
        ]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return f"{self.manager}: {self.course}"

    def clean(self):
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = [_("A course cannot end before it starts.")]
        if self.start and self.start > timezone.localdate():
            errors["start"] = [_("Record a course once it has started.")]
        if (
            self.funded_by_id
            and self.manager_id
            and self.funded_by.organisation_id != self.manager.organisation_id
        ):
            errors["funded_by"] = [_("The support record must be one of this cooperative's.")]
        if errors:
            raise ValidationError(errors)

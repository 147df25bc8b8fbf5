"""Managers of a cooperative and their training: the register behind the shares of managers with
degrees, directors trained (sơ cấp nghề giám đốc) and "100% of managers trained by 2030"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.registry.models import Organisation


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


class Manager(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="managers")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=12, choices=ManagerRole.choices)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    is_woman = models.BooleanField(_("woman"), default=False)

    class Meta:
        ordering = ["organisation", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def trained_as_director(self) -> bool:
        return any(t.level == TrainingLevel.DIRECTOR for t in self.trainings.all())


class Training(models.Model):
    manager = models.ForeignKey(Manager, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=TrainingLevel.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    funded_by = models.ForeignKey(
        "support.SupportRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="trainings"
    )

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.manager}: {self.course}"

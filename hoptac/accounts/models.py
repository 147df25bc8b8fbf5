"""Agencies, users and their scope.

An officer's scope is an administrative unit of either generation: a province, a commune,
or a former district such as Vĩnh Linh, whose scope is then today's communes that cover it.
A cooperative user sees only its own organisation.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer")
    COOPERATIVE = "cooperative", _("Cooperative")


class Agency(models.Model):
    """A state body at a unit: Phòng Tài chính - Kế hoạch, Sở Nông nghiệp và Môi trường, UBND xã…"""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agencies"
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_name_unique_per_unit")]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name} – {self.unit.name}"


class User(AbstractUser):
    """A person who signs in: an officer of an agency, or the account of one organisation."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose data this user may see; empty for a national administrator."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role == Role.COOPERATIVE and not self.organisation_id:
            raise ValidationError({"organisation": _("A cooperative account must name its organisation.")})
        if self.role in (Role.OFFICER, Role.VIEWER) and not self.scope_unit:
            raise ValidationError({"unit": _("An officer or viewer needs a scope: a unit or an agency.")})
        if self.role != Role.COOPERATIVE and self.organisation_id:
            raise ValidationError(
                {"organisation": _("Only a cooperative account belongs to an organisation.")}
            )

    @property
    def scope_unit(self):
        """The unit this user's data is limited to (its own, else its agency's); None is national."""
        if self.unit_id:
            return self.unit
        if self.agency is not None:  # no query when agency_id is empty
            return self.agency.unit
        return None

    @property
    def is_national(self) -> bool:
        return self.is_superuser or (self.role == Role.ADMIN and self.scope_unit is None)

    @property
    def can_write(self) -> bool:
        """Registry writes: administrators and officers. A cooperative reads its own record."""
        return self.is_active and (self.is_superuser or self.role in (Role.ADMIN, Role.OFFICER))

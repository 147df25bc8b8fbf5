"""Agencies, users and their scope.

An officer's scope is an administrative unit of either generation: a province, a commune,
or a former district such as Vĩnh Linh, whose scope is then today's communes that cover it.
A cooperative user sees only its own organisation.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import vi


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer")
    COOPERATIVE = "cooperative", _("Cooperative")


class AgencyKind(models.TextChoices):
    """What kind of body, which decides how it signs (NĐ 30/2020/NĐ-CP, Phụ lục I)."""

    PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
    DEPARTMENT = "so", _("Provincial department (Sở)")
    OFFICE = "phong", _("Office (Phòng)")
    MINISTRY = "bo", _("Ministry")
    UNION = "lien_minh", _("Cooperative alliance")
    OTHER = "other", _("Other")


class AgencyQuerySet(models.QuerySet):
    def existing_on(self, day: datetime.date):
        """Bodies that exist on `day`: their own period, and that of their unit (a district body ends with it)."""
        return self.filter(
            (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            & (Q(unit__isnull=True) | Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day))
        )


class Agency(models.Model):
    """A state body at a unit: Phòng Kinh tế, Sở Tài chính, UBND xã… with its period of existence.

    Bodies end (the district bodies on 30/06/2025, when districts ended) and others carry
    their work: `successions` records which, from when and by which act. A body without a
    unit is national (Bộ Tài chính).
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    symbol = models.CharField(
        _("symbol"),
        max_length=20,
        blank=True,
        help_text=_("The body's abbreviation in document numbers (UBND, STC)."),
    )
    valid_from = models.DateField(_("exists from"), null=True, blank=True)
    valid_to = models.DateField(
        _("ceased on"),
        null=True,
        blank=True,
        help_text=_("The last day; empty while it exists (or until its unit ends)."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = [vi("name")]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_name_unique_per_unit")]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name} – {self.unit.name}" if self.unit is not None else self.name

    @property
    def ended_on(self) -> datetime.date | None:
        """The body's last day: its own, else its unit's (a district body ended with the district)."""
        if self.valid_to:
            return self.valid_to
        return self.unit.valid_to if self.unit is not None else None

    def exists_on(self, day: datetime.date) -> bool:
        ended = self.ended_on
        return (self.valid_from is None or self.valid_from <= day) and (ended is None or ended >= day)

    @property
    def full_name(self) -> str:
        """ "Phòng Kinh tế xã Vĩnh Linh", "Ủy ban nhân dân tỉnh Quảng Trị", "Bộ Tài chính": as in a sentence."""
        if not self.unit_id or self.kind in (AgencyKind.DEPARTMENT, AgencyKind.MINISTRY):
            return self.name
        return f"{self.name} {unit_in_sentence(self.unit)}"

    def successors_on(self, day: datetime.date) -> list[Agency]:
        return [s.successor for s in self.successions.select_related("successor__unit") if s.date <= day]


def unit_in_sentence(unit) -> str:
    """A unit's name as it reads mid-sentence: "xã Vĩnh Linh", "tỉnh Quảng Trị", "huyện Vĩnh Linh"."""
    name = unit.name
    return name[:1].lower() + name[1:] if name else name


class AgencySuccession(models.Model):
    """That a body's work passed to another from a date, by an act (one body may have several successors)."""

    predecessor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="succeeded")
    date = models.DateField(_("from"))
    act = models.CharField(_("legal act"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "successor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="agency_succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="agency_not_own_successor"),
        ]
        verbose_name = _("agency succession")
        verbose_name_plural = _("agency successions")

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"


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
        """Whether the role may change records at all, for templates (hoptac.accounts.access decides)."""
        from hoptac.accounts.access import role_allows

        return role_allows(self, "change")

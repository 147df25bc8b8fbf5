"""The registry of collective-economy organisations: HTX, LHHTX, THT and QTDND."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.collation import vi
from hoptac.core.concurrency import Versioned
from hoptac.core.text import search_key, search_phrase, search_words, sort_text
from hoptac.core.validation import latest_plausible_date
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.registry.choices import (
    KINDS_WITH_TAX_CODE,
    VSIC_SECTION,
    Kind,
    LegalBasis,
    MassOrganisation,
    OperatingScale,
    Sector,
    ServiceType,
    Status,
    ThtRegime,
)


def normalise_tax_code(value: str) -> str:
    """The official written form, "0100233488" or "0100233488-001"; ValidationError if invalid.

    Thông tư 105/2020/TT-BTC: 10 digits with a check digit (weights 31,29,23,19,17,13,7,5,3),
    or 13 digits with a branch suffix. python-stdnum's vn.mst implements the check.
    """
    text = (value or "").strip()
    try:
        return mst.format(mst.validate(text))
    except StdnumError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid tax code (10 digits with a correct check digit, or 13 digits as 0100233488-001)."
            )
            % {"value": value},
            code="invalid_tax_code",
        ) from exc


TAX_CODE_TAKEN = "tax_code_taken"
MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def make_tax_code(prefix: str, sequence: int) -> str | None:
    """The 10-digit tax code for a 2-digit prefix and a 7-digit sequence, or None if none exists.

    The check digit is 10 − (Σ wᵢdᵢ mod 11); a result of 10 means the sequence is not issued.
    Used for demo and synthetic data; real codes come from the tax registry.
    """
    digits = f"{prefix}{sequence:07d}"
    check = 10 - sum(w * int(d) for w, d in zip(MST_WEIGHTS, digits, strict=True)) % 11
    return digits + str(check) if check < 10 else None


class OrganisationQuerySet(RestrictedQuerySet):
    def search(self, query: str):
        """Organisations whose name or tax code holds every word of `query`, written as people write.

        Accents, "HTX" or "hợp tác xã", "DV" or "dịch vụ" make no difference (core.text).
        """
        qs = self
        for word in search_words(query):
            qs = qs.filter(search_key__contains=word)
        return qs

    def ranked(self, query: str):
        """`search_rank`: 0 for the exact name (or tax code), 1 for a name starting with the query, else 2."""
        phrase = search_phrase(query)
        return self.annotate(
            search_rank=Case(
                When(Q(search_key__startswith=f"{phrase} |") | Q(tax_code=query.strip()), then=Value(0)),
                When(search_key__startswith=phrase, then=Value(1)),
                default=Value(2),
                output_field=models.IntegerField(),
            )
        )

    def best_first(self, query: str):
        """The search's results, best first, then in Vietnamese alphabetical order."""
        return self.search(query).ranked(query).order_by("search_rank", vi("name", key="name_key"), "id")

    def in_unit(self, unit: AdministrativeUnit):
        """Organisations within a unit of either generation.

        A current unit holds the organisations whose current commune lies in it. A former
        unit (e.g. the former Vĩnh Linh district) holds those whose former commune lay in it;
        for organisations whose former commune is not recorded, those in today's communes
        that cover it (a partly covering commune brings all of its organisations).
        """
        if unit.generation == Generation.NEW:
            if unit.level == Level.PROVINCE:
                return self.filter(commune__province=unit)
            return self.filter(commune=unit)
        old_communes = AdministrativeUnit.objects.descendants_of(unit, level=Level.COMMUNE)
        covering = AdministrativeUnit.objects.current_communes_covering(unit)
        return self.filter(
            Q(former_commune__in=old_communes) | Q(former_commune__isnull=True, commune__in=covering)
        )

    def existing(self):
        """Not dissolved and not merged away."""
        return self.exclude(status__in=[Status.DISSOLVED, Status.MERGED])


class Organisation(Versioned):
    """One collective-economy organisation as the state registry knows it."""

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.HTX)
    name = models.CharField(_("name"), max_length=255)
    # Searched with `contains` (a trigram index on PostgreSQL, a scan on SQLite): no b-tree index,
    # which no query used and every write paid for (twice on PostgreSQL, with its pattern copy).
    search_key = models.CharField(max_length=800, editable=False)
    # The name's Vietnamese sort key (core.text.sort_key): SQLite orders by it, indexed.
    name_key = models.CharField(max_length=600, editable=False, default="")
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        help_text=_("Registration code = tax code: 10 digits, or 13 for a branch."),
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    registration_authority = models.CharField(_("registration authority"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=12, choices=LegalBasis.choices, blank=True)
    reorganised = models.BooleanField(
        _("re-organised under the current law"),
        null=True,
        blank=True,
        help_text=_("Whether an HTX founded under an earlier law has re-organised under the law in force."),
    )

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="organisations",
        db_index=False,  # organisation_commune_kind_idx starts with it
    )
    former_commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("former commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="former_organisations",
        help_text=_("The commune before 1 July 2025, where known."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, default=Sector.AGRICULTURE)
    service_type = models.CharField(_("service type"), max_length=10, choices=ServiceType.choices, blank=True)
    operating_scale = models.CharField(
        _("scale of operation"), max_length=14, choices=OperatingScale.choices, blank=True
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    led_by_woman = models.BooleanField(_("led by a woman"), default=False)
    ethnic_minority_area = models.BooleanField(_("in an ethnic-minority or mountain area"), default=False)
    founding_mass_organisation = models.CharField(
        _("founded by a mass organisation"), max_length=10, choices=MassOrganisation.choices, blank=True
    )
    has_party_cell = models.BooleanField(_("has a Party cell"), default=False)
    has_mass_organisations = models.BooleanField(_("has mass-organisation units"), default=False)

    director_name = models.CharField(_("director"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    # Cooperative groups: registered under Luật HTX 2023, or a contract under NĐ 77/2019 (as amended).
    tht_regime = models.CharField(
        _("cooperative group regime"), max_length=15, choices=ThtRegime.choices, blank=True
    )
    # Cooperative groups (Nghị định 77/2019/NĐ-CP): contract and the commune's register.
    contract_date = models.DateField(_("cooperation contract date"), null=True, blank=True)
    contract_end_date = models.DateField(_("contract valid until"), null=True, blank=True)
    in_commune_register = models.BooleanField(_("entered in the commune's register"), null=True, blank=True)
    commune_register_date = models.DateField(_("register entry date"), null=True, blank=True)

    member_cooperatives = models.ManyToManyField(
        "self", through="UnionMembership", symmetrical=False, related_name="unions", blank=True
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    restrict_through = ""  # the organisation itself: hoptac.accounts.access decides

    class Meta:
        ordering = [vi("name", key="name_key"), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="organisation_tax_code_unique",
                violation_error_code=TAX_CODE_TAKEN,
                violation_error_message=_("Another organisation already has this tax code."),
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="organisation_merged_names_successor",
                violation_error_message=_("A merged organisation must name the organisation it merged into."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="organisation_kind_status_idx"),
            models.Index(fields=["commune", "kind"], name="organisation_commune_kind_idx"),
            # SQLite's order by name; PostgreSQL orders by name COLLATE "vi" (its own index) and
            # has this one dropped by migration registry/0009.
            models.Index(fields=["name_key", "id"], name="organisation_name_key_idx"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:detail", args=[self.pk])

    @property
    def vsic_section(self) -> str:
        return VSIC_SECTION.get(self.sector, "")

    def clean(self):
        errors: dict[str, list] = {}
        self.name = " ".join((self.name or "").split())
        if self.tax_code:
            try:
                self.tax_code = normalise_tax_code(self.tax_code)
            except ValidationError as exc:
                errors.setdefault("tax_code", []).extend(exc.messages)
        elif self.kind in KINDS_WITH_TAX_CODE:
            errors.setdefault("tax_code", []).append(
                _("A %(kind)s must have a tax code.") % {"kind": self.get_kind_display()}
            )
        if self.commune_id:
            if self.commune.generation != Generation.NEW or self.commune.level != Level.COMMUNE:
                errors.setdefault("commune", []).append(
                    _("Choose a commune, ward or special zone as it is today.")
                )
        if self.former_commune_id:
            former = self.former_commune
            if former.generation != Generation.OLD or former.level != Level.COMMUNE:
                errors.setdefault("former_commune", []).append(
                    _("Choose a commune as it was before 1 July 2025.")
                )
            elif (
                self.commune_id
                and former.successor_links.exists()
                and not former.successor_links.filter(new_id=self.commune_id).exists()
            ):
                errors.setdefault("former_commune", []).append(
                    _("%(former)s did not become part of %(commune)s in the 2025 reorganisation.")
                    % {"former": former.name, "commune": self.commune.name}
                )
        if self.registration_date and self.registration_date > latest_plausible_date():
            errors.setdefault("registration_date", []).append(
                _("The registration date cannot be in the future.")
            )
        if self.kind != Kind.THT and (
            self.contract_date or self.in_commune_register is not None or self.commune_register_date
        ):
            errors.setdefault("contract_date", []).append(
                _("Contract and commune register apply to cooperative groups only.")
            )
        if self.tht_regime and self.kind != Kind.THT:
            errors.setdefault("tht_regime", []).append(_("The regime applies to cooperative groups only."))
        if self.commune_register_date and not self.in_commune_register:
            errors.setdefault("commune_register_date", []).append(
                _("An entry date needs the entry in the commune's register.")
            )
        if self.contract_date and self.contract_end_date and self.contract_end_date < self.contract_date:
            errors.setdefault("contract_end_date", []).append(
                _("The contract cannot end before it was signed.")
            )
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors.setdefault("merged_into", []).append(_("An organisation cannot merge into itself."))
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """Django reports a conditional unique constraint without a field; name the field here."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop("__all__", [])
            for error in general:
                errors.setdefault("tax_code" if error.code == TAX_CODE_TAKEN else "__all__", []).append(error)
            raise ValidationError(errors) from exc

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.tax_code)
        self.name_key = sort_text(self.name)
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """A dated change of status: the history behind Organisation.status."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    effective_date = models.DateField(_("effective date"))
    decision = models.CharField(
        _("decision"), max_length=120, blank=True, help_text=_("Number and date of the decision, if any.")
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.CharField(max_length=150, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-effective_date", "-id"]
        # "the latest change on or before a day" is asked for every indicator.
        indexes = [models.Index(fields=["organisation", "effective_date"], name="status_change_org_date_idx")]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()} ({self.effective_date:%d/%m/%Y})"


class UnionMembership(models.Model):
    """An HTX that is a member of a union of cooperatives (LHHTX)."""

    union = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="union_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ("union", "member")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["union", "member"], name="union_member_unique")]
        verbose_name = _("union membership")
        verbose_name_plural = _("union memberships")

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.union}"

    def clean(self):
        if self.union_id and self.union.kind != Kind.LHHTX:
            raise ValidationError({"union": _("Only a union of cooperatives has member cooperatives.")})
        if self.member_id and self.member.kind != Kind.HTX:
            raise ValidationError({"member": _("Members of a union are cooperatives (HTX).")})

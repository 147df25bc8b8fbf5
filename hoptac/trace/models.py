"""Traceability: a cooperative's products, their lots, and the events that happened to each lot.

TCVN 12850:2019 (= GS1 Global Traceability Standard) and TT 02/2024/TT-BKHCN: every lot keeps
its key data elements, one step back (the lots it was made from) and one step forward (where
it went). Events are shaped like EPCIS 2.0 (what, when, where, why, who) and are never edited:
a correction is a new event pointing to the one it corrects. Each lot's events form a hash chain
(see chain.py) so that a row changed behind the application's back is detected.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.collation import vi
from hoptac.core.concurrency import Versioned
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry.models import Organisation

# Public trace codes: no 0/O, 1/I/L, so a code read aloud or typed from a label is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def normalise_code(code: str) -> str:
    """A trace code as printed or typed ("abcde-23456 ") in its stored form ("ABCDE23456")."""
    return (code or "").strip().upper().replace("-", "").replace(" ", "")


def new_trace_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def validate_gs1_number(value: str, lengths: tuple[int, ...], what: str) -> str:
    """GTIN (8/12/13/14 digits) or GLN (13 digits) with its GS1 mod-10 check digit."""
    digits = (value or "").strip().replace(" ", "")
    if len(digits) not in lengths or not digits.isdigit():
        raise ValidationError(
            _("%(what)s has %(lengths)s digits.") % {"what": what, "lengths": "/".join(map(str, lengths))}
        )
    try:
        ean.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("%(what)s “%(value)s”: the check digit is wrong.") % {"what": what, "value": value}
        ) from None
    return digits


def validate_gtin(value: str) -> None:
    validate_gs1_number(value, (8, 12, 13, 14), "GTIN")


def validate_gln(value: str) -> None:
    validate_gs1_number(value, (13,), "GLN")


class Unit(models.TextChoices):
    """UN/CEFACT Rec. 20 codes, as EPCIS quantityList expects."""

    KGM = "KGM", _("kg")
    TNE = "TNE", _("tonne")
    GRM = "GRM", _("g")
    LTR = "LTR", _("litre")
    H87 = "H87", _("piece")
    XBX = "XBX", _("box")
    XBG = "XBG", _("bag")


class Step(models.TextChoices):
    """The business steps of a farm product's life (a CBV 2.0 subset; see epcis.BIZ_STEPS)."""

    PLANTING = "planting", _("Planting")
    GROWING = "growing", _("Inputs applied (fertiliser, feed, treatment)")
    HARVESTING = "harvesting", _("Harvesting")
    INSPECTING = "inspecting", _("Inspection")
    PROCESSING = "processing", _("Processing")
    PACKING = "packing", _("Packing")
    STORING = "storing", _("Storage")
    SHIPPING = "shipping", _("Shipping")
    RECEIVING = "receiving", _("Receiving")
    # Never chosen in a form: an EPCIS event captured from another system about this lot (its own
    # CBV step is on the linked EpcisEvent, see capture.py).
    EPCIS = "epcis", _("Partner's EPCIS event")


class Party(models.TextChoices):
    COOPERATIVE = "cooperative", _("The cooperative")
    MEMBER = "member", _("A member household")
    PARTNER = "partner", _("A partner enterprise")


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalG.A.P."
    ORGANIC = "organic", _("Organic (TCVN 11041)")
    HACCP = "haccp", "HACCP"
    ISO22000 = "iso22000", "ISO 22000"
    FOOD_SAFETY = "food_safety", _("Food-safety certificate")
    OTHER = "other", _("Other")


class Product(Versioned):
    """A product a cooperative sells under its name (the "static data" of TT 02/2024)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="trace_products"
    )
    name = models.CharField(_("product"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    image = models.FileField(_("image"), upload_to="trace/products/", blank=True)
    gtin = models.CharField(
        "GTIN", max_length=14, blank=True, validators=[validate_gtin], help_text=_("Barcode number, if any.")
    )
    gs1_company_prefix = models.CharField(
        _("GS1 company prefix"),
        max_length=12,
        blank=True,
        help_text=_(
            "The first digits of the GTIN that GS1 Vietnam assigned (e.g. 8930000): gives the lots an LGTIN."
        ),
    )
    ocop = models.ForeignKey(
        "ocop.OcopProduct",
        verbose_name=_("OCOP product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trace_products",
    )
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.KGM)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["organisation", vi("name")]
        verbose_name = _("traced product")
        verbose_name_plural = _("traced products")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trace:product", args=[self.pk])

    def clean(self):
        if self.ocop_id and self.organisation_id and self.ocop.organisation_id != self.organisation_id:
            raise ValidationError({"ocop": _("The OCOP product must be one of this cooperative's.")})
        prefix = self.gs1_company_prefix
        if prefix and not (prefix.isdigit() and 6 <= len(prefix) <= 12 and self.gtin
                           and self.gtin.zfill(14)[1:].startswith(prefix)):  # fmt: skip
            raise ValidationError(
                {
                    "gs1_company_prefix": _(
                        "A GS1 company prefix is 6 to 12 digits with which the GTIN-13 begins."
                    )
                }
            )


class Certification(models.Model):
    """VietGAP, organic and the like, with their validity: shown on the public page while valid."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="certifications")
    kind = models.CharField(_("certification"), max_length=12, choices=CertificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issued by"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "product__organisation"

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("A certificate cannot expire before it is issued.")})


class Lot(Versioned):
    """A batch of one product, with the public trace code printed on its labels."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(
        _("trace code"), max_length=16, unique=True, default=new_trace_code, editable=False
    )
    number = models.CharField(
        _("lot number"), max_length=60, blank=True, help_text=_("The cooperative's own number.")
    )
    produced_on = models.DateField(_("production date"), help_text=_("Harvest or production date."))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.KGM)
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("production area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The chain: the hash of the lot's own key data, the last event's hash, how many events.
    genesis_hash = models.CharField(max_length=64, editable=False)
    head_hash = models.CharField(max_length=64, editable=False)
    event_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "product__organisation"

    class Meta:
        ordering = ["-produced_on", "-id"]
        indexes = [
            models.Index(fields=["produced_on", "id"], name="trace_lot_list_order_idx")
        ]  # read backwards
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self) -> str:
        return f"{self.product.name} – {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("trace:lot", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("trace-public:lot", args=[self.code])

    @property
    def display_code(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"

    def expiry(self, today: datetime.date | None = None) -> str:
        """ "expired" after the expiry date, "expiring" within settings.TRACE_EXPIRING_DAYS of it, else ""."""
        if self.expires_on is None:
            return ""
        today = today or timezone.localdate()
        if self.expires_on < today:
            return "expired"
        if (self.expires_on - today).days <= settings.TRACE_EXPIRING_DAYS:
            return "expiring"
        return ""

    def days_to_expiry(self, today: datetime.date | None = None) -> int | None:
        """Days left before the expiry date (negative: days since it passed)."""
        if self.expires_on is None:
            return None
        return (self.expires_on - (today or timezone.localdate())).days

    @property
    def expiry_state(self) -> str:
        return self.expiry()

    @property
    def days_left(self) -> int | None:
        return self.days_to_expiry()

    @property
    def days_past(self) -> int | None:
        days = self.days_to_expiry()
        return -days if days is not None else None

    def clean(self):
        errors = {}
        if self.produced_on and self.produced_on > timezone.localdate():
            errors["produced_on"] = [_("The production date cannot be in the future.")]
        if self.produced_on and self.expires_on and self.expires_on < self.produced_on:
            errors["expires_on"] = [_("A lot cannot expire before it is produced.")]
        if errors:
            raise ValidationError(errors)


class Event(models.Model):
    """One thing that happened to a lot; never edited (corrections are new events)."""

    class Kind(models.TextChoices):
        OBJECT = "object", "ObjectEvent"
        TRANSFORMATION = "transformation", "TransformationEvent"

    class EpcisAction(models.TextChoices):
        ADD = "ADD", "ADD"
        OBSERVE = "OBSERVE", "OBSERVE"
        DELETE = "DELETE", "DELETE"

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(editable=False)
    # Unique per organisation: a global check would tell any account whether another holds an ID.
    event_id = models.CharField(_("event ID"), max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.OBJECT)
    action = models.CharField(max_length=8, choices=EpcisAction.choices, default=EpcisAction.OBSERVE)
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    event_time = models.DateTimeField(_("time"))
    time_zone = models.CharField(_("time zone"), max_length=6, default="+07:00")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.KGM)
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location_name = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("E.g. field, warehouse.")
    )
    gln = models.CharField("GLN", max_length=13, blank=True, validators=[validate_gln])
    # Who: the lot's cooperative owns the record (and scopes it); `party` says who acted.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="trace_events")
    party = models.CharField(_("done by"), max_length=12, choices=Party.choices, default=Party.COOPERATIVE)
    member_ref = models.CharField(
        _("member reference"), max_length=60, blank=True, help_text=_("Internal; never shown publicly.")
    )
    partner_tax_code = models.CharField(_("partner tax code"), max_length=14, blank=True)
    partner_name = models.CharField(_("partner"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A captured EPCIS event that joined this lot's chain: the chain covers its content's hash.
    captured = models.ForeignKey(
        "EpcisEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="chain_events"
    )
    epcis_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["lot", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "seq"], name="trace_event_one_per_seq"),
            models.UniqueConstraint(
                fields=["organisation", "event_id"], name="trace_event_id_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(kind="object") | Q(step="processing"), name="trace_transformation_is_processing"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "event_time"], name="trace_event_org_time_idx")]
        verbose_name = _("traceability event")
        verbose_name_plural = _("traceability events")

    def __str__(self) -> str:
        return f"{self.lot.code} #{self.seq} {self.get_step_display()}"

    @property
    def step_label(self) -> str:
        """The step in words: a captured event's own CBV step (Vietnamese names in cbv.py)."""
        from hoptac.trace import cbv

        if self.step == Step.EPCIS and self.captured_id and self.captured.biz_step:
            return cbv.label("bizStep", self.captured.biz_step)
        return self.get_step_display()

    @property
    def disposition_label(self) -> str:
        from hoptac.trace import cbv

        if self.captured_id and self.captured.disposition:
            return cbv.label("disposition", self.captured.disposition)
        return ""


class EventInput(models.Model):
    """A lot consumed by a processing event: one step back from its output, one forward from the input."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="inputs")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="used_in")
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.KGM)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "event__organisation"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "lot"], name="trace_input_once_per_event")]

    def __str__(self) -> str:
        return f"{self.lot_id} → {self.event_id}"


class EpcisEventQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The capturing organisation's (accounts.access), and, for reading, also the events about
        lots the user may see (a buyer's shipping event on a cooperative's lot) and the user's own."""
        own = super().restrict(user, action)
        if (
            user is None
            or action != "view"
            or not getattr(user, "is_authenticated", False)
            or user.is_national
        ):
            return own
        about_their_lots = EpcisIdentifier.objects.filter(
            event=models.OuterRef("pk"), lot__in=Lot.objects.restrict(user)
        )
        return self.filter(Q(pk__in=own.values("pk")) | Q(captured_by=user) | models.Exists(about_their_lots))


class EpcisEvent(models.Model):
    """An EPCIS 2.0 event as hoptac's repository holds it, whatever it is about (EPCIS 2.0 §8.2).

    Captured events keep their JSON as sent (user extensions and their @context included);
    hoptac's own events (`native`) are written from their row when asked for, so a later
    correction shows as their errorDeclaration. The columns are what the query interface
    filters on; `identifiers` index every EPC and class the event names.
    """

    event_id = models.CharField(_("event ID"), max_length=500, unique=True)
    event_type = models.CharField(max_length=20)
    action = models.CharField(max_length=8, blank=True)
    event_time = models.DateTimeField()
    time_zone = models.CharField(max_length=6)
    record_time = models.DateTimeField(default=timezone.now)
    biz_step = models.CharField(max_length=500, blank=True)
    disposition = models.CharField(max_length=500, blank=True)
    read_point = models.CharField(max_length=500, blank=True)
    biz_location = models.CharField(max_length=500, blank=True)
    document = models.JSONField(null=True, blank=True)
    error_declaration = models.JSONField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="epcis_events"
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    native = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="epcis"
    )

    objects = EpcisEventQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["event_time"], name="trace_epcis_time_idx"),
            models.Index(fields=["record_time"], name="trace_epcis_record_idx"),
            models.Index(fields=["biz_step"], name="trace_epcis_step_idx"),
            models.Index(fields=["organisation", "id"], name="trace_epcis_org_idx"),
        ]
        verbose_name = _("EPCIS event")
        verbose_name_plural = _("EPCIS events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class EpcisIdentifier(models.Model):
    """One EPC or class an EPCIS event names, in canonical form (identifiers.canonical), and the
    hoptac lot it is, once known."""

    class Role(models.TextChoices):
        EPC = "epc", "epcList"
        PARENT = "parent", "parentID"
        CHILD = "child", "childEPCs"
        INPUT = "input", "inputEPCList"
        OUTPUT = "output", "outputEPCList"
        CLASS = "class", "quantityList"
        CHILD_CLASS = "child_cls", "childQuantityList"
        INPUT_CLASS = "in_cls", "inputQuantityList"
        OUTPUT_CLASS = "out_cls", "outputQuantityList"

    event = models.ForeignKey(EpcisEvent, on_delete=models.CASCADE, related_name="identifiers")
    role = models.CharField(max_length=9, choices=Role.choices)
    value = models.CharField(max_length=500)
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="epcis_identifiers"
    )

    class Meta:
        indexes = [
            models.Index(fields=["value", "event"], name="trace_epcis_value_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.value}"


class PortalConnection(models.Model):
    """A cooperative's enrolment with the national traceability portal (Cổng thông tin truy xuất
    nguồn gốc sản phẩm, hàng hóa quốc gia, QĐ 100/QĐ-TTg; TT 02/2024/TT-BKHCN). The portal has no
    public API: connecting is an enrolment, recorded here with its dates."""

    class Status(models.TextChoices):
        NOT_CONNECTED = "not_connected", _("Not connected")
        APPLIED = "applied", _("Applied")
        CONNECTED = "connected", _("Connected")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="portal_connection"
    )
    status = models.CharField(
        _("status"), max_length=13, choices=Status.choices, default=Status.NOT_CONNECTED
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    connected_on = models.DateField(_("connected on"), null=True, blank=True)
    portal_reference = models.CharField(_("reference on the portal"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        verbose_name = _("connection to the national traceability portal")
        verbose_name_plural = _("connections to the national traceability portal")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_status_display()}"

    def clean(self):
        errors = {}
        if self.status in (self.Status.APPLIED, self.Status.CONNECTED) and not self.applied_on:
            errors["applied_on"] = [_("Give the date the cooperative applied.")]
        if self.status == self.Status.CONNECTED and not self.connected_on:
            errors["connected_on"] = [_("Give the date the connection was made.")]
        if self.applied_on and self.connected_on and self.connected_on < self.applied_on:
            errors["connected_on"] = [_("A connection cannot come before the application.")]
        if self.applied_on and self.applied_on > timezone.localdate():
            errors["applied_on"] = [_("This date is in the future.")]
        if errors:
            raise ValidationError(errors)


class PublicPage(models.Model):
    """A lot's public page (`/t/<code>/`) as rendered, per language: derived data.

    Rendered when the data it shows changes (an event, a certification, the product, the lot,
    the producing organisation or its OCOP product: `trace.pages.stale`), and kept until the
    next such change: no expiry, one row per lot and language, however many lots there are.
    A page that shows what is valid today (certifications, OCOP validity, the expiry date) is
    re-rendered daily by `hoptac render-public-pages --dated`; `hoptac render-public-pages`
    renders the lots that have no stored page (backfill)."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="public_pages")
    code = models.CharField(max_length=16)
    language = models.CharField(max_length=5)
    body = models.TextField()
    rendered_on = models.DateField()
    depends_on_date = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="public_page_one_per_lot_language")
        ]
        indexes = [models.Index(fields=["depends_on_date", "rendered_on"], name="public_page_dated_idx")]

    def __str__(self) -> str:
        return f"{self.code} ({self.language})"

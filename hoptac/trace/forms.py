"""Forms for products, certifications, lots and events; the services validate the rest."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hoptac.core import uploads
from hoptac.ocop.models import OcopProduct
from hoptac.registry.forms import DateInput
from hoptac.trace.models import Certification, Event, Lot, Product, Unit
from hoptac.trace.services import InputLot

EVENT_TIME_FORMAT = "%d/%m/%Y %H:%M"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        field.widget.attrs.setdefault("class", css)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "description", "image", "gtin", "ocop", "unit", "shelf_life_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ocop"].queryset = OcopProduct.objects.filter(organisation=organisation)
        _style(self)

    def clean_image(self):
        """Decoded and re-encoded by Pillow under a server-chosen name (core.uploads)."""
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            return uploads.image(image)
        return image

    def _post_clean(self):
        """Validated by the service."""


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "number", "issuer", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):
        """Validated by the service."""


class LotForm(forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["number", "produced_on", "expires_on", "quantity", "unit"]
        widgets = {"produced_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = _lazy("Left blank: production date + the product's shelf life.")
        _style(self)

    def _post_clean(self):
        """Validated by the service."""


class EventForm(forms.ModelForm):
    event_time = forms.DateTimeField(
        label=_lazy("time"),
        input_formats=[EVENT_TIME_FORMAT, "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(format=EVENT_TIME_FORMAT, attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )
    inputs = forms.CharField(
        label=_lazy("Lots used"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "ABCDE-23456 1200"}),
        help_text=_lazy("For processing: one lot a line, its trace code and the quantity used."),
    )

    class Meta:
        model = Event
        fields = ["step", "event_time", "quantity", "unit", "location_name", "gln", "party", "member_ref",
                  "partner_tax_code", "partner_name", "note"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_time"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["unit"].initial = Unit.KGM
        _style(self)

    def clean_inputs(self) -> list[InputLot]:
        parsed = []
        for number, line in enumerate(self.cleaned_data.get("inputs", "").splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            quantity = None
            if len(parts) > 1:
                try:
                    quantity = Decimal(parts[1].replace(".", "").replace(",", "."))
                except InvalidOperation:
                    raise forms.ValidationError(
                        _("Line %(n)s: “%(q)s” is not a quantity.") % {"n": number, "q": parts[1]}
                    ) from None
            parsed.append(InputLot(parts[0], quantity))
        return parsed

    def _post_clean(self):
        """Validated by the service (it knows the lot and the chain)."""

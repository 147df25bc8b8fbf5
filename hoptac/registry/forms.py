"""Forms for the registry UI. Validation lives in the model; services re-check it on save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import by_name
from hoptac.geo.fields import UnitPickField, resolve_typed
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.registry.choices import Status
from hoptac.registry.models import Organisation
from hoptac.registry.services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: the way dates are written in Vietnamese documents."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} – {unit.province.name}" if unit.province_id else unit.name


FIELD_ORDER = [
    "kind", "name", "tax_code", "registration_date", "registration_authority", "legal_basis", "reorganised",
    "commune", "former_commune", "address", "sector", "service_type", "operating_scale",
    "director_name", "phone", "email",
    "led_by_woman", "ethnic_minority_area", "founding_mass_organisation", "has_party_cell", "has_mass_organisations",
    "tht_regime", "contract_date", "contract_end_date", "in_commune_register", "commune_register_date",
]  # fmt: skip
assert set(FIELD_ORDER) == EDITABLE_FIELDS


class OrganisationForm(forms.ModelForm):
    commune = UnitPickField(
        queryset=AdministrativeUnit.objects.none(),
        label=_("Commune"),
        levels=[Level.COMMUNE],
        generation=Generation.NEW,
    )
    former_commune = UnitChoiceField(
        queryset=AdministrativeUnit.objects.none(), required=False, label=_("Former commune")
    )

    class Meta:
        model = Organisation
        fields = FIELD_ORDER
        widgets = {
            "registration_date": DateInput(),
            "contract_date": DateInput(),
            "contract_end_date": DateInput(),
            "commune_register_date": DateInput(),
            "reorganised": forms.NullBooleanSelect(),
            "in_commune_register": forms.NullBooleanSelect(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        communes = AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.COMMUNE)
        scope = user.scope_unit if user is not None and not user.is_national else None
        if scope is not None:
            communes = AdministrativeUnit.objects.current_communes_covering(scope)
            self.fields["commune"].widget.within = scope
        self.fields["commune"].queryset = communes.select_related("province").order_by(
            "province__code", "name"
        )
        # Former communes: those that went into the chosen commune (refreshed by htmx when it changes).
        commune_id = self.instance.commune_id
        if commune_id and isinstance(self.initial.get("commune"), int):
            self.initial["commune"] = self.instance.commune.ref  # the box shows the code, not the row's id
        typed = self.data.get(self.add_prefix("commune"))
        if typed:
            try:
                commune_id = resolve_typed(str(typed), [Level.COMMUNE]).pk
            except ValidationError:
                commune_id = None
        former = AdministrativeUnit.objects.none()
        if commune_id and str(commune_id).isdigit():
            former = AdministrativeUnit.objects.filter(
                generation=Generation.OLD, successor_links__new_id=commune_id
            )
        self.fields["former_commune"].queryset = former.select_related("province").order_by(*by_name("name"))
        for _name, field in self.fields.items():
            widget = field.widget
            css = (
                "form-select"
                if isinstance(widget, forms.Select)
                else "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else "form-control"
            )
            widget.attrs.setdefault("class", css)
        self.fields["commune"].widget.attrs.update(
            {
                "hx-get": "former-communes/",
                "hx-target": "#id_former_commune",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=Status.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=DateInput(attrs={"class": "form-control"}),
        initial=timezone.localdate,
    )
    decision = forms.CharField(
        label=_("Decision"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user=None, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and organisation is not None:
            self.fields["merged_into"].queryset = (
                Organisation.objects.restrict(user)
                .existing()
                .filter(commune__province_id=organisation.commune.province_id)  # mergers happen close by
                .exclude(pk=organisation.pk)
                .only("id", "name")
            )

"""Forms of the links register. Validation lives in the model; the service re-checks it on save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoptac.links.models import Link
from hoptac.registry.forms import DateInput


class LinkForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = ["enterprise_name", "enterprise_tax_code", "product", "contract_number", "contract_date",
                  "start_date", "end_date", "volume", "value"]  # fmt: skip
        widgets = {"contract_date": DateInput(), "start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class EndForm(forms.Form):
    end_date = forms.DateField(
        label=_("End"), widget=DateInput(attrs={"class": "form-control form-control-sm"})
    )

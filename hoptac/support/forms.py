"""The support form: money, or what was given in kind with its estimated value."""

from django import forms

from hoptac.registry.forms import DateInput
from hoptac.support.models import SupportRecord


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportRecord
        fields = [
            "policy",
            "date",
            "source",
            "amount",
            "in_kind",
            "in_kind_value",
            "decision_number",
            "decision_date",
            "note",
        ]
        widgets = {
            "date": DateInput(),
            "decision_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

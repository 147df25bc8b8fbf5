"""The OCOP form. Stars and level may be left blank: they follow from the score and the date."""

from django import forms

from hoptac.ocop.models import OcopProduct
from hoptac.registry.forms import DateInput


class OcopForm(forms.ModelForm):
    class Meta:
        model = OcopProduct
        fields = ["name", "group", "score", "stars", "level", "decision_number", "decision_date"]
        widgets = {"decision_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].required = False
        self.fields["level"].required = False
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        """The model is validated by the service after stars and level are derived."""

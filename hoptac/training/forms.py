"""Forms for managers and training; the model validates again in the services."""

from django import forms

from hoptac.registry.forms import DateInput
from hoptac.support.models import SupportRecord
from hoptac.training.models import Manager, Training


def _style(form):
    for field in form.fields.values():
        w = field.widget
        css = (
            "form-check-input"
            if isinstance(w, forms.CheckboxInput)
            else "form-select"
            if isinstance(w, forms.Select)
            else "form-control"
        )
        w.attrs.setdefault("class", css)


class ManagerForm(forms.ModelForm):
    class Meta:
        model = Manager
        fields = ["name", "role", "education", "birth_year", "is_woman", "left_on"]
        widgets = {"left_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["course", "level", "provider", "start", "end", "funded_by"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this cooperative's support records can have paid for the course.
        self.fields["funded_by"].queryset = SupportRecord.objects.filter(
            organisation_id=manager.organisation_id
        ).select_related("policy")
        _style(self)

    def _post_clean(self):
        """The instance has no manager yet; the service validates the whole record."""

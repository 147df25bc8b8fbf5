"""Forms for cases, steps, closing and mergers; the services validate again on save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import vi
from hoptac.dissolution.models import DissolutionCase, StepKind
from hoptac.registry.choices import ENDED_STATUSES, Kind
from hoptac.registry.forms import DateInput
from hoptac.registry.models import Organisation


class _Bootstrap:
    def style(self):
        for field in self.fields.values():
            w = field.widget
            css = (
                "form-select"
                if isinstance(w, forms.Select) and not isinstance(w, forms.CheckboxSelectMultiple)
                else "form-control"
            )
            if not isinstance(w, forms.CheckboxSelectMultiple):
                w.attrs.setdefault("class", css)


class CaseForm(_Bootstrap, forms.ModelForm):
    class Meta:
        model = DissolutionCase
        fields = ["kind", "legal_basis", "deciding_body", "grounds", "opened_on"]
        widgets = {"opened_on": DateInput(), "grounds": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate
        self.style()


class StepForm(_Bootstrap, forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    name = forms.CharField(label=_("Description"), required=False, max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class CloseForm(_Bootstrap, forms.Form):
    decision = forms.CharField(label=_("Dissolution decision"), max_length=120)
    closed_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class MergerForm(_Bootstrap, forms.Form):
    merged = forms.ModelMultipleChoiceField(
        label=_("Cooperatives that merge into this one"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    decision = forms.CharField(label=_("Decision"), required=False, max_length=120)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, survivor=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Mergers happen close by: other existing cooperatives of the survivor's province in the user's scope.
        self.fields["merged"].queryset = (
            Organisation.objects.restrict(user, "change")
            .filter(kind=Kind.HTX, commune__province_id=survivor.commune.province_id)
            .exclude(status__in=list(ENDED_STATUSES))
            .exclude(pk=survivor.pk)
            .select_related("commune")
            .order_by(vi("commune__name"), vi("name", key="name_key"))
        )
        self.fields["merged"].label_from_instance = lambda o: (
            f"{o.name} – {o.commune.name}"
            + (f" ({o.get_operating_scale_display()})" if o.operating_scale else "")
        )
        self.style()

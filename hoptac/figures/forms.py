"""Entry forms for figures and assessments, with Vietnamese number input (1.234.567)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoptac.figures.choices import Grade
from hoptac.figures.fields import FIGURES, SIGNED


def group_digits(value) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else ("" if value is None else str(value))


class VNNumberInput(forms.TextInput):
    """Shows 1234567 as 1.234.567; numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "class": "form-control text-end",
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if isinstance(value, int):
            return group_digits(value)
        return super().format_value(value)


class VNIntegerField(forms.Field):
    """A whole number typed the Vietnamese way: dots (or spaces) group thousands."""

    widget = VNNumberInput
    default_error_messages = {
        "invalid": _("Enter a whole number, e.g. 1.234.567."),
        "negative": _("This figure cannot be negative."),
    }

    def __init__(self, *, signed=False, **kwargs):
        self.signed = signed
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(".", "")
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not digits.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if negative and not self.signed:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return -int(digits) if negative else int(digits)


class FiguresForm(forms.Form):
    confirm_warnings = forms.BooleanField(
        required=False, label=_("I have checked the warnings and the figures are right")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for figure in FIGURES:
            if figure.kind == "flag":
                field = forms.BooleanField(
                    required=False,
                    label=figure.label,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
            else:
                field = VNIntegerField(required=False, label=figure.label, signed=figure.name in SIGNED)
            field.figure = figure
            self.fields[figure.name] = field

    def figure_values(self) -> dict:
        return {f.name: self.cleaned_data.get(f.name) for f in FIGURES}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class AssessmentForm(forms.Form):
    """Scores per criterion: the cooperative's self-assessment and the supervisory board's check."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            for prefix in ("self", "board"):
                self.fields[f"{prefix}_{c.number}"] = forms.DecimalField(
                    required=False, min_value=0, max_value=c.max_points, decimal_places=2, localize=True,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm text-end", "inputmode": "decimal"}),
                )  # fmt: skip

    def scores(self, prefix: str) -> dict:
        return {
            str(c.number): self.cleaned_data[f"{prefix}_{c.number}"]
            for c in self.criteria
            if self.cleaned_data.get(f"{prefix}_{c.number}") is not None
        }

    def rows(self):
        return [(c, self[f"self_{c.number}"], self[f"board_{c.number}"]) for c in self.criteria]


class OverrideForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("— computed —"))] + list(Grade.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

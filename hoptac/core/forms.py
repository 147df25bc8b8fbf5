"""Form helpers shared by every app's views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from hoptac.core.concurrency import StaleVersion, add_version_field, pop_version, show_conflict
from hoptac.core.services import Conflict


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside its field, or above the form."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, field_messages in errors.items():
        form.add_error(field if field in form.fields else None, field_messages)


def form_page(request, form, save, message: str, template: str, context: dict):
    """The create or edit page of every app: on a valid POST, `save(cleaned_data)` (a service
    call) and go to what it saved; its ValidationError is shown beside the fields, a Conflict
    above them, and the page answers 400 while the form has errors.

    The edit form of a versioned record carries its version (hidden); `save` finds it as
    `form.expected_version` for the service. If someone else saved in between, the form is shown
    again (409) with their values beside the user's instead of overwriting them."""
    add_version_field(form, getattr(form, "instance", None))
    extra = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        form.expected_version = pop_version(data)
        try:
            saved = save(data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StaleVersion as exc:
            extra = show_conflict(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(saved)
    status = 409 if extra else 400 if form.errors else 200
    return render(request, template, {**context, **extra, "form": form}, status=status)


class BoundField(forms.BoundField):
    """Every form field of the product: an invalid one is outlined (Bootstrap's `is-invalid`).

    Django already marks it `aria-invalid` and points `aria-describedby` at `<id>_helptext` and
    `<id>_error`, the ids `core/_field.html` gives the help text and the error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            classes = attrs.get("class") or widget.attrs.get("class", "")
            if "is-invalid" not in classes.split():
                attrs["class"] = f"{classes} is-invalid".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's renderer with hoptac's BoundField for every form."""

    bound_field_class = BoundField


def restate_date_formats() -> None:
    """A wrong date says which form is expected (dd/mm/yyyy), in every form (called at start-up)."""
    forms.DateField.default_error_messages["invalid"] = _("Enter a date as dd/mm/yyyy, e.g. 31/12/2025.")
    forms.DateTimeField.default_error_messages["invalid"] = _(
        "Enter a date and time as dd/mm/yyyy hh:mm, e.g. 31/12/2025 14:30."
    )

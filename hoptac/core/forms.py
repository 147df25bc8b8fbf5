"""Form helpers shared by every app's views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from hoptac.core.services import Conflict


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside its field, or above the form."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, field_messages in errors.items():
        form.add_error(field if field in form.fields else None, field_messages)


def form_page(request, form, save, message: str, template: str, context: dict):
    """The create or edit page of every app: on a valid POST, `save(cleaned_data)` (a service
    call) and go to what it saved; its ValidationError is shown beside the fields, a Conflict
    above them, and the page answers 400 while the form has errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(saved)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)

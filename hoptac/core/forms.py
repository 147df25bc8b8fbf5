"""Form helpers shared by every app's views."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside its field, or above the form."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)

"""API plumbing shared by every app: pagination shape and error responses."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler

from hoptac.core.services import Conflict


class Pagination(pagination.PageNumberPagination):
    """`{"count": N, "next": …, "previous": …, "results": [...]}`; `page_size` up to 1000."""

    page_size_query_param = "page_size"
    max_page_size = 1000


if TYPE_CHECKING:  # the mixin goes on DRF views: type it as one, without changing its bases
    from rest_framework.generics import GenericAPIView as _ViewBase
else:
    _ViewBase = object


class ActorMixin(_ViewBase):
    """Gives serializers the Actor (user, source "api", request id) that the services audit."""

    def get_serializer_context(self):
        from hoptac.core.audit import Actor
        from hoptac.core.models import Source

        return {**super().get_serializer_context(), "actor": Actor.from_request(self.request, Source.API)}


def validation_error_detail(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for e in errors for m in e.messages
            ]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Model validation raised by a service becomes a 400 that names the field, like DRF's own."""
    if isinstance(exc, Conflict):
        exc = exceptions.APIException(str(exc))
        exc.status_code = 409
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
